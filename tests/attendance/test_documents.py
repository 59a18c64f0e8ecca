"""Signature sheet PDF (names in every script), uploading scans (checked by content and size), downloads."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from coaching.attendance.models import SessionDocument
from coaching.extensions import db
from tests.attendance.conftest import NAMES
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_signature_sheet_lists_members_in_every_script(setup, login_as):
    setup.cohort.programme.funder_line = "Gefördert vom BMBF"
    db.session.commit()
    client = login_as(setup.world.coach_a)
    response = client.get(f"/termine/{setup.today.id}/unterschriftenliste.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.data)
    for first, last, _lang in NAMES:
        assert first in text and last in text, (first, last, text)
    for expected in ("Unterschriftenliste", "Gefördert vom BMBF", "Bewerbung", "Bürgerhaus",
                     setup.cohort.name, "Donnerstag, 3. Dezember 2026"):
        assert expected in text
    # empty rows for walk-ins are numbered after the members
    assert f"{len(NAMES) + 1}\n" in text or f"{len(NAMES) + 1} " in text


def _upload(client, session_id: int, data: bytes, name: str):
    return client.post(f"/termine/{session_id}/dokumente",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _count() -> int:
    return db.session.scalar(select(func.count(SessionDocument.id)))


@pytest.mark.parametrize(("data", "name", "content_type"), [
    (PDF, "scan.pdf", "application/pdf"), (PNG, "foto.png", "image/png"), (JPEG, "foto.JPG", "image/jpeg")])
def test_upload_real_files_and_download_as_attachment(app, setup, login_as, data, name, content_type):
    client = login_as(setup.world.coach_a)
    response = _upload(client, setup.today.id, data, name)
    assert response.status_code == 302
    document = db.session.scalar(select(SessionDocument))
    assert document.content_type == content_type and document.original_name == name
    assert document.stored_name != name and "/" not in document.stored_name
    stored = Path(app.config["UPLOAD_DIR"]) / "session-documents" / document.stored_name
    assert stored.read_bytes() == data
    assert "static" not in stored.parts
    download = client.get(f"/termine/{setup.today.id}/dokumente/{document.id}")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == content_type


@pytest.mark.parametrize(("data", "name"), [
    (b"<!doctype html><script>alert(1)</script>", "liste.pdf"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "scan.png"),
    (b"MZ\x90\x00" + b"\x00" * 100, "scan.jpg"),
])
def test_disguised_files_are_refused(setup, login_as, data, name):
    client = login_as(setup.world.organiser_a)
    response = _upload(client, setup.today.id, data, name)
    assert response.status_code == 400
    assert "kein PDF, JPEG oder PNG" in response.get_data(as_text=True)
    assert _count() == 0


def test_oversized_file_is_refused(app, setup, login_as):
    client = login_as(setup.world.organiser_a)
    app.config["ATTENDANCE_UPLOAD_MAX_BYTES"] = 1024
    try:
        response = _upload(client, setup.today.id, PDF + b"0" * 2048, "gross.pdf")
    finally:
        app.config.pop("ATTENDANCE_UPLOAD_MAX_BYTES")
    assert response.status_code == 400 and "zu groß" in response.get_data(as_text=True)
    assert _count() == 0


def test_request_over_the_app_limit_gets_a_message(app, setup, login_as):
    client = login_as(setup.world.organiser_a)
    app.config["MAX_CONTENT_LENGTH"], old = 2048, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = _upload(client, setup.today.id, PDF + b"0" * 4096, "riesig.pdf")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = old
    assert response.status_code == 302
    assert "zu groß" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _count() == 0


def test_other_organisation_cannot_download(app, setup, login_as, world):
    client = login_as(world.organiser_a)
    _upload(client, setup.today.id, PDF, "scan.pdf")
    document = db.session.scalar(select(SessionDocument))
    other = app.test_client()
    login(other, world.organiser_b)
    assert other.get(f"/termine/{setup.today.id}/dokumente/{document.id}").status_code == 404
    # a document id under another session of the right organisation is not found either
    assert client.get(f"/termine/{setup.future.id}/dokumente/{document.id}").status_code == 404
    admin = app.test_client()
    login(admin, world.admin)
    assert admin.get(f"/termine/{setup.today.id}/dokumente/{document.id}").status_code == 200
