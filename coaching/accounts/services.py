"""Login, password reset. Services take the acting user, hold the rules and commit once."""
from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from coaching.accounts.models import User
from coaching.accounts.passwords import hash_password, verify_password
from coaching.audit import services as audit
from coaching.core import clock, tokens
from coaching.core.errors import DomainError
from coaching.core.urls import external_url
from coaching.extensions import db
from coaching.mail import outbox
from coaching.mail.compose import render_email

RESET_PURPOSE = "password-reset"


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User:
    user = find_user_by_email(email)
    # Same message for unknown email and wrong password: no account enumeration.
    if user is None or not user.active or not verify_password(user.password_hash, password):
        raise DomainError(_("E-Mail-Adresse oder Passwort ist falsch."), field="password")
    user.last_login_at = clock.now()
    audit.record(user, "login", "user", user.id)
    db.session.commit()
    return user


def _password_fingerprint(user: User) -> str:
    # Binds a reset link to the current password: once used (or the password changed) it stops working.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Queue a reset mail if the account exists; callers show the same message either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = tokens.sign(RESET_PURPOSE, {"u": user.id, "p": _password_fingerprint(user)})
    link = external_url("accounts.reset_password", token=token)
    message = render_email(
        "password_reset", user.language, user=user, link=link,
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )
    outbox.enqueue(
        kind="password_reset",
        key=outbox.idempotency_key("password_reset", f"user:{user.id}", user.email, token[-16:]),
        to_email=user.email,
        email=message,
        organisation_id=user.organisation_id,
    )
    audit.record(user, "password_reset_requested", "user", user.id)
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    """The user a valid reset token belongs to; DomainError with a clear reason otherwise."""
    try:
        payload = tokens.verify(RESET_PURPOSE, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    except tokens.TokenExpired as exc:
        raise DomainError(_("Dieser Link ist abgelaufen. Bitte fordern Sie einen neuen an.")) from exc
    except tokens.TokenInvalid as exc:
        raise DomainError(_("Dieser Link ist ungültig. Bitte fordern Sie einen neuen an.")) from exc
    user = db.session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    if user is None or not user.active:
        raise DomainError(_("Dieser Link ist ungültig. Bitte fordern Sie einen neuen an."))
    if payload.get("p") != _password_fingerprint(user):
        raise DomainError(_("Dieser Link wurde bereits benutzt. Bitte fordern Sie bei Bedarf einen neuen an."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    set_password(user, new_password)
    audit.record(user, "password_reset", "user", user.id)
    db.session.commit()
    return user


def set_password(user: User, new_password: str) -> None:
    """Change the hash and revoke every existing session of the user (no commit)."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = clock.now()
    user.auth_version += 1


def create_user(*, email: str, password: str, role, display_name: str, organisation_id=None,
                person_id=None, language: str = "de") -> User:
    if find_user_by_email(email) is not None:
        raise DomainError(_("Es gibt bereits ein Konto mit dieser E-Mail-Adresse."), field="email")
    user = User(email=email.strip().lower(), password_hash=hash_password(password), role=role,
                display_name=display_name, organisation_id=organisation_id, person_id=person_id,
                language=language)
    db.session.add(user)
    return user
