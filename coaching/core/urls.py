from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths may be redirect targets after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def external_url(endpoint: str, **values) -> str:
    """Absolute URL on APP_BASE_URL, inside or outside a request (emails are also built by the worker)."""
    from flask import current_app

    base = urlsplit(current_app.config["APP_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


# Ids and page numbers from URLs are bounded: a 25-digit number would overflow the database driver (500).
MAX_DB_INT = 2**31 - 1


def db_int(value: str) -> int:
    """`type=` for request.args: a positive number the database can hold, else ValueError (→ the default)."""
    number = int(value)
    if not 1 <= number <= MAX_DB_INT:
        raise ValueError(value)
    return number


def bounded_int_converter():
    from werkzeug.routing import IntegerConverter

    class BoundedIntegerConverter(IntegerConverter):
        """`<int:…>` route arguments beyond the database's range simply do not match (404)."""

        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", MAX_DB_INT)
            super().__init__(url_map, *args, **kwargs)

    return BoundedIntegerConverter
