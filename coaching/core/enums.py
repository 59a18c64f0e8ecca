"""Helpers for storing Python enums as portable strings with a CHECK constraint."""
from __future__ import annotations

import enum

from sqlalchemy import Enum


def enum_type(enum_cls: type[enum.StrEnum], name: str) -> Enum:
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )
