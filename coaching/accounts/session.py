"""Flask-Login wiring. The session id embeds `auth_version`, so bumping it revokes copied cookies."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from coaching.accounts.models import User
from coaching.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.auth_version != int(version) or not user.active:
        return None
    return user
