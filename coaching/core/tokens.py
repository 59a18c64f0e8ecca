"""Signed, expiring tokens for links in emails, with one salt per purpose, and feed secrets.

Link tokens carry the state they act on (e.g. a meeting's SEQUENCE) so an old link cannot act on a changed
object. Feed tokens are random; only their SHA-256 is stored and compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenExpired(Exception):
    def __init__(self, payload):
        super().__init__("token expired")
        self.payload = payload


class TokenInvalid(Exception):
    pass


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"coaching.{purpose}")


def sign(purpose: str, payload) -> str:
    return _serializer(purpose).dumps(payload)


def verify(purpose: str, token: str, max_age: int):
    """Return the payload; raise TokenExpired (with the payload, to offer a fresh link) or TokenInvalid."""
    serializer = _serializer(purpose)
    try:
        return serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        try:
            payload = serializer.loads(token)  # signature checked again without the age limit
        except BadSignature:
            raise TokenInvalid() from exc
        raise TokenExpired(payload) from exc
    except BadSignature as exc:
        raise TokenInvalid() from exc


def new_secret() -> tuple[str, str]:
    """A fresh URL-safe secret and the hash to store."""
    secret = secrets.token_urlsafe(24)
    return secret, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str | None) -> bool:
    return stored_hash is not None and hmac.compare_digest(hash_secret(secret), stored_hash)


def new_uid(kind: str) -> str:
    """A random, never-reused iCalendar UID on the app's domain (never derived from a row id)."""
    return f"{kind}-{secrets.token_hex(16)}@{current_app.config['APP_DOMAIN']}"


def read_link(purpose: str, token: str, max_age: int) -> tuple[dict, bool]:
    """The payload of a link in an email and whether it has expired. Tampered links answer 404; expired
    ones keep their payload so the page can offer a fresh link to the person it was sent to."""
    from flask import abort

    try:
        payload, expired = verify(purpose, token, max_age), False
    except TokenExpired as exc:
        payload, expired = exc.payload, True
    except TokenInvalid:
        abort(404)
    if not isinstance(payload, dict):
        abort(404)
    return payload, expired
