"""Template filters and globals: Berlin-time formatting through Babel, navigation, text direction."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, g
from flask_babel import format_date, format_datetime, format_time, get_locale

from coaching.core import clock
from coaching.core.i18n import text_direction


def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    return format_datetime(clock.to_local(value), fmt) if value else ""


def local_date(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = clock.to_local(value)
    return format_date(value, fmt)


def local_time(value: datetime | None, fmt: str = "short") -> str:
    return format_time(clock.to_local(value), fmt) if value else ""


def register(app: Flask) -> None:
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(local_time, "local_time")

    @app.context_processor
    def layout_globals():
        language = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "page_language": language,
            "page_direction": text_direction(language),
            "mailbox_enabled": app.config.get("MAILBOX_PAGE_ENABLED", False),
            "participant_page": bool(getattr(g, "locale", None)),
            "now": clock.now(),
            "has_endpoint": lambda endpoint: endpoint in app.view_functions,
        }
