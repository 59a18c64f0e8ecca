"""Spreadsheet parsing and preview: encodings, delimiters, xlsx, bad columns, bad rows, matching."""
from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from coaching.cohorts.models import TargetGroup
from coaching.core.errors import DomainError
from coaching.people import importing
from coaching.people.models import PersonKind
from tests import factories
from tests.people.sheets import csv_bytes, xlsx_bytes


@pytest.fixture(autouse=True)
def _request(app):
    """Messages are translated, which needs a request (the locale)."""
    with app.test_request_context():
        yield


@pytest.fixture
def cohort(world):
    c = factories.cohort(world.org_a, world.programme, world.region, target_group=TargetGroup.MIXED)
    factories.council(world.region, "Integrationsbeirat Dresden")
    return c


ROWS = [
    ["Jürgen", "Müßig", "juergen@example.org", "0351 123", "Deutsch", "Beiratsmitglied",
     "Integrationsbeirat Dresden"],
    ["Amal", "Haddad", "", "0176 555", "Arabisch", "Elternteil", ""],
    ["Olena", "Kovalenko", "olena@example.org", "", "uk", "Elternteil", ""],
]


def by_line(preview):
    return {row.line: row for row in preview.rows}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_in_excel_encodings_and_delimiters(cohort, encoding, delimiter):
    data = csv_bytes(ROWS, delimiter=delimiter, encoding=encoding)
    preview = importing.parse("liste.csv", data, cohort)
    rows = by_line(preview)
    assert [r.status for r in preview.rows] == ["new", "new", "new"]
    assert (rows[2].first_name, rows[2].last_name) == ("Jürgen", "Müßig")
    assert rows[2].council_id is not None and rows[2].kind == PersonKind.BEIRAT_MEMBER
    assert rows[3].email is None and rows[3].language == "ar" and rows[3].kind == PersonKind.PARENT
    assert rows[4].language == "uk"


def test_xlsx_with_numbers_and_english_headers(cohort):
    header = ["First Name", " last name ", "EMAIL", "Phone", "Language", "Type"]
    data = xlsx_bytes([["Ayşe", "Yılmaz", "ayse@example.org", 1761234567, "Türkisch", "parent"]],
                      header=header)
    preview = importing.parse("Liste.XLSX", data, cohort)
    (row,) = preview.rows
    assert (row.first_name, row.last_name, row.phone, row.language, row.kind) == (
        "Ayşe", "Yılmaz", "1761234567", "tr", "parent")
    assert row.status == "new"


def test_broken_rows_are_reported_with_line_and_reason(cohort):
    rows = [
        ["Anna", "A", "anna@example.org", "", "de", "Elternteil", ""],
        ["", "OhneVorname", "", "", "de", "Elternteil", ""],
        ["Bert", "B", "kein-at-zeichen", "", "de", "Elternteil", ""],
        ["Cem", "C", "", "", "xx", "Elternteil", ""],
        ["Dana", "D", "", "", "de", "Lehrer", ""],
        ["Emil", "E", "", "", "de", "", ""],
        ["Fritz", "F", "ANNA@example.org", "", "de", "Elternteil", ""],
        ["Gül", "G", "", "", "de", "Elternteil", "Beirat Nirgendwo"],
    ]
    preview = importing.parse("liste.csv", csv_bytes(rows), cohort)
    errors = {row.line: " ".join(row.errors) for row in preview.rows}
    assert errors[2] == ""
    assert "Zeile 3: Vorname und Nachname werden gebraucht" in errors[3]
    assert errors[4] == "Zeile 4: E-Mail-Adresse „kein-at-zeichen“ ungültig"
    assert "Zeile 5: Sprache „xx“ unbekannt" in errors[5]
    assert "Art „Lehrer“ unbekannt" in errors[6]
    assert "Art fehlt" in errors[7]  # a mixed cohort needs the kind
    assert "dieselbe Person steht schon in Zeile 2" in errors[8]
    assert "Beirat „Beirat Nirgendwo“ unbekannt" in errors[9]
    assert preview.count("error") == 7 and preview.count("new") == 1


def test_missing_kind_defaults_to_target_group(world):
    parents = factories.cohort(world.org_a, world.programme, world.region, target_group=TargetGroup.PARENTS)
    preview = importing.parse("l.csv", csv_bytes([["Amal", "H", "", "", "", "", ""]]), parents)
    assert preview.rows[0].kind == PersonKind.PARENT and preview.rows[0].language == "de"


def test_matches_existing_people_by_email_or_by_name_without_email(cohort, world):
    by_email = factories.person(world.org_a, email="Juergen@Example.org")
    by_name = factories.person(world.org_a, email=None, first_name="Amal", last_name="Haddad")
    factories.person(world.org_b, email="olena@example.org")  # another organisation: not a match
    factories.enrol(cohort, by_name)
    preview = importing.parse("liste.csv", csv_bytes(ROWS), cohort)
    rows = by_line(preview)
    assert (rows[2].status, rows[2].person_id) == ("match", by_email.id)
    assert (rows[3].status, rows[3].person_id) == ("member", by_name.id)
    assert rows[4].status == "new"


@pytest.mark.parametrize("header", [
    ["Name", "E-Mail", "Sprache"],
    ["Vorname", "Familie", "E-Mail"],
])
def test_wrong_or_missing_column_names_the_expected_ones(cohort, header):
    with pytest.raises(DomainError) as err:
        importing.parse("liste.csv", csv_bytes([["a", "b", "c"]], header=header), cohort)
    assert "Vorname, Nachname, E-Mail, Telefon, Sprache, Art, Beirat" in err.value.message
    assert "Gefunden: " + ", ".join(header) in err.value.message


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("liste.xlsx", b"Vorname;Nachname\r\nA;B\r\n", "keine gültige Excel-Datei"),
    ("liste.xlsx", b"PK\x03\x04 not really a zip", "keine gültige Excel-Datei"),
    ("liste.xls", b"\xd0\xcf\x11\xe0", ".xls"),
    ("liste.pdf", b"%PDF-1.4", "CSV- oder Excel-Datei"),
    ("liste.csv", b"Vorname;Nachname\r\n", "nur die Kopfzeile"),
])
def test_unreadable_files_get_a_clear_message(cohort, name, data, expected):
    with pytest.raises(DomainError) as err:
        importing.parse(name, data, cohort)
    assert expected in err.value.message


def test_too_big_upload_is_refused_before_parsing():
    big = FileStorage(stream=io.BytesIO(b"x" * (20 * 1024 * 1024)), filename="riesig.csv")
    with pytest.raises(DomainError) as err:
        importing.read_upload(big)
    assert "höchstens 2 MB" in err.value.message
    assert importing.read_upload(FileStorage(io.BytesIO(b"Vorname;Nachname\n"), "ok.csv"))


def test_ten_thousand_rows_parse(cohort):
    rows = [[f"Vor{i}", f"Nach{i}", f"p{i}@example.org", "", "de", "Elternteil", ""] for i in range(10_000)]
    data = xlsx_bytes(rows)
    assert len(data) < importing.MAX_IMPORT_BYTES
    preview = importing.parse("gross.xlsx", data, cohort)
    assert preview.count("new") == 10_000 and preview.rows[-1].line == 10_001


def test_preview_is_stored_server_side_and_bound_to_cohort_and_user(cohort, world):
    preview = importing.parse("liste.csv", csv_bytes(ROWS), cohort)
    token = importing.store(preview, cohort, world.organiser_a)
    loaded = importing.load(token, cohort, world.organiser_a)
    assert [r.first_name for r in loaded.rows] == ["Jürgen", "Amal", "Olena"]
    other = factories.cohort(world.org_a, world.programme, world.region)
    for args in ((token, other, world.organiser_a), (token, cohort, world.admin), (token + "x", cohort,
                                                                                    world.organiser_a)):
        with pytest.raises(DomainError):
            importing.load(*args)
    importing.discard(token, cohort, world.organiser_a)
    with pytest.raises(DomainError):
        importing.load(token, cohort, world.organiser_a)
