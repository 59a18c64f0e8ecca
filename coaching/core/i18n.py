"""Language selection: German by default; a signed-in user's choice; a participant page's person language."""
from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user

from coaching.extensions import babel
from coaching.people.models import RTL_LANGUAGES


def select_locale() -> str:
    forced = getattr(g, "locale", None)
    if forced:
        return forced
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False):
        return current_user.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    requested = request.args.get("lang")
    if requested in current_app.config["LANGUAGES"]:
        return requested
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def use_language(language: str | None) -> None:
    """Participant-facing pages speak the participant's language, whoever opens the link."""
    if language in current_app.config["LANGUAGES"]:
        g.locale = language


def text_direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def init_babel(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_timezone=app.config["BABEL_DEFAULT_TIMEZONE"])
