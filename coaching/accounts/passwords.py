"""Password hashing with scrypt (werkzeug), the method configurable for fast tests."""
from __future__ import annotations

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
