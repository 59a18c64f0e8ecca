"""Audit entries are added to the caller's transaction; the caller commits."""
from __future__ import annotations

from flask import has_request_context, request

from coaching.audit.models import AuditEntry
from coaching.extensions import db


def record(user, action: str, obj_type: str, obj_id: int | None, **details) -> AuditEntry:
    entry = AuditEntry(
        user_id=getattr(user, "id", None),
        organisation_id=getattr(user, "organisation_id", None),
        action=action,
        object_type=obj_type,
        object_id=obj_id,
        details=details,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
