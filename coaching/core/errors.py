"""Error pages (400/403/404/405/413/429/500) in the base layout; JSON for API-style requests."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from coaching.core.i18n import use_language
from coaching.extensions import db


class DomainError(Exception):
    """A rule of the domain was broken; `field` names the form field it concerns, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


MESSAGES = {
    400: _l("Die Anfrage war fehlerhaft. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal."),
    403: _l("Sie haben keine Berechtigung für diese Seite."),
    404: _l("Diese Seite gibt es nicht (mehr)."),
    405: _l("Diese Aktion ist hier nicht möglich."),
    413: _l("Die Datei ist zu groß."),
    429: _l("Zu viele Versuche. Bitte warten Sie einige Minuten."),
    500: _l("Ein interner Fehler ist aufgetreten. Wir wurden benachrichtigt."),
}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/")


def _render(code: int):
    if request.view_args and "token" in request.view_args:
        # A page behind an email link: a broken or unknown link cannot say whose it was, so the visitor's
        # browser language decides (participants rarely read German first).
        use_language(request.accept_languages.best_match(current_app.config["LANGUAGES"]))
    message = MESSAGES.get(code, MESSAGES[500])
    if _wants_json():
        return jsonify(error=str(message), status=code), code
    return render_template("errors/error.html", code=code, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        return _render(exc.code)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise exc
        return _render(500)
