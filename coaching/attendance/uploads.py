"""Scanned signature sheets: checked by content, size-limited, kept outside static/ under generated names."""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from coaching.attendance.models import SessionDocument
from coaching.audit import services as audit
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.scheduling.models import CoachingSession

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# What the first bytes of a file must be; the name and the browser's content type are not trusted.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)


def max_bytes() -> int:
    return int(current_app.config.get("ATTENDANCE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) from the file's magic bytes, or None for anything else."""
    for magic, extension, content_type in SIGNATURES:
        if head.startswith(magic):
            return extension, content_type
    return None


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "session-documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def document_path(document: SessionDocument) -> Path:
    return upload_dir() / Path(document.stored_name).name


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(_("Die Datei ist zu groß: höchstens %(mb)s MB.", mb=limit // (1024 * 1024)),
                          field="file")
    if not data:
        raise DomainError(_("Die Datei ist leer."), field="file")
    return data


def store_document(session: CoachingSession, stream: BinaryIO, filename: str | None,
                   actor) -> SessionDocument:
    """Check and keep a scanned sheet for the session; refuses anything not really a PDF, JPEG or PNG."""
    data = _read_limited(stream, max_bytes())
    kind = sniff(data[:16])
    if kind is None:
        raise DomainError(_("Diese Datei ist kein PDF, JPEG oder PNG (geprüft wurde der Inhalt, nicht der "
                            "Name). Bitte laden Sie den Scan als PDF, JPEG oder PNG hoch."), field="file")
    extension, content_type = kind
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    original = Path((filename or "").replace("\\", "/")).name[:200] or f"scan.{extension}"
    path = upload_dir() / stored_name
    path.write_bytes(data)
    document = SessionDocument(session_id=session.id, stored_name=stored_name, original_name=original,
                               content_type=content_type, size=len(data),
                               uploaded_by_id=getattr(actor, "id", None))
    db.session.add(document)
    try:
        db.session.flush()
        audit.record(actor, "attendance.document_upload", "session_document", document.id, size=len(data))
        db.session.commit()
    except Exception:
        path.unlink(missing_ok=True)  # no row, no file
        raise
    return document
