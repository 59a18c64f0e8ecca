"""Importing a participant list on the cohort page: preview first, write on confirm, bad files refused."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from coaching.cohorts import services as cohort_services
from coaching.cohorts.models import TargetGroup
from coaching.extensions import db
from coaching.people.models import Person, PersonKind
from tests import factories
from tests.cohorts.helpers import active_members, count, flashes, soup
from tests.people.sheets import csv_bytes, xlsx_bytes

ROWS = [
    ["Jürgen", "Müßig", "juergen@example.org", "0351 123", "Deutsch", "Beiratsmitglied", ""],
    ["Amal", "Haddad", "", "0176 555", "Arabisch", "Elternteil", ""],
    ["Olena", "Kovalenko", "OLENA@example.org", "", "uk", "Elternteil", ""],
    ["Bert", "Kaputt", "kein-at", "", "de", "Elternteil", ""],
    ["Cem", "Sprachlos", "", "", "xx", "Elternteil", ""],
]


@pytest.fixture
def cohort(world):
    c = factories.cohort(world.org_a, world.programme, world.region, target_group=TargetGroup.MIXED)
    db.session.commit()
    return c


@pytest.fixture
def synced(monkeypatch):
    calls = []
    monkeypatch.setattr(cohort_services, "sync_cohort", lambda cohort, actor=None: calls.append(cohort.id))
    return calls


def upload(client, cohort, data: bytes, filename: str):
    return client.post(f"/kohorten/{cohort.id}/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def confirm(client, cohort, token: str):
    return client.post(f"/kohorten/{cohort.id}/import/bestaetigen", data={"token": token},
                       follow_redirects=True)


def preview_rows(page) -> dict[int, tuple[str, str]]:
    return {int(tr["data-line"]): (tr["data-status"], tr.select("td")[1].get_text(" ", strip=True))
            for tr in page.select("#import-rows tbody tr")}


@pytest.mark.parametrize(("filename", "data"), [
    ("liste.csv", csv_bytes(ROWS, encoding="utf-8")),
    ("liste.csv", csv_bytes(ROWS, encoding="cp1252", delimiter=",")),
    ("liste.xlsx", xlsx_bytes(ROWS)),
])
def test_preview_then_confirm(client, login_as, world, cohort, synced, filename, data):
    existing = factories.person(world.org_a, email="olena@example.org", first_name="Olena", last_name="K.")
    db.session.commit()
    login_as(world.organiser_a)
    people_before = count(Person)
    response = upload(client, cohort, data, filename)
    assert response.status_code == 200
    page = soup(response)
    rows = preview_rows(page)
    assert [status for status, _ in rows.values()] == ["new", "new", "match", "error", "error"]
    assert rows[5] == ("error", "Zeile 5: E-Mail-Adresse „kein-at“ ungültig")
    assert rows[6] == ("error", "Zeile 6: Sprache „xx“ unbekannt")
    assert "Olena K." in rows[4][1]
    assert page.select_one("main form button[type=submit]").get_text(strip=True) == "3 Personen übernehmen"
    assert count(Person) == people_before and active_members(cohort) == set()  # nothing written yet

    token = page.select_one("input[name=token]")["value"]
    done = confirm(client, cohort, token)
    assert "3 Personen aufgenommen, davon 2 neu angelegt; 2 Zeilen übersprungen" in flashes(soup(done))
    assert count(Person) == people_before + 2
    juergen = db.session.scalar(select(Person).where(Person.last_name == "Müßig"))
    amal = db.session.scalar(select(Person).where(Person.last_name == "Haddad"))
    assert (juergen.email, juergen.kind, juergen.preferred_language) == (
        "juergen@example.org", PersonKind.BEIRAT_MEMBER, "de")
    assert (amal.email, amal.kind, amal.preferred_language, amal.phone) == (
        None, PersonKind.PARENT, "ar", "0176 555")
    assert active_members(cohort) == {juergen.id, amal.id, existing.id}
    assert synced == [cohort.id]

    # The preview is used up: a second confirm writes nothing.
    again = confirm(client, cohort, token)
    assert "abgelaufen" in flashes(soup(again)) and count(Person) == people_before + 2


def test_importing_the_same_list_twice_creates_no_duplicates(client, login_as, world, cohort):
    login_as(world.organiser_a)
    data = csv_bytes(ROWS[:3])
    for _ in range(2):
        token = soup(upload(client, cohort, data, "l.csv")).select_one("input[name=token]")
        if token is None:
            break
        client.post(f"/kohorten/{cohort.id}/import/bestaetigen", data={"token": token["value"]})
    assert count(Person) == 3
    second = soup(upload(client, cohort, data, "l.csv"))
    assert [s for s, _ in preview_rows(second).values()] == ["member"] * 3
    assert second.select_one("input[name=token]") is None


def test_tampered_token_writes_nothing(client, login_as, world, cohort):
    login_as(world.organiser_a)
    token = soup(upload(client, cohort, csv_bytes(ROWS), "l.csv")).select_one("input[name=token]")["value"]
    response = client.post(f"/kohorten/{cohort.id}/import/bestaetigen", data={"token": token[:-2] + "xx"},
                           follow_redirects=True)
    assert "abgelaufen" in flashes(soup(response)) and count(Person) == 0


def test_capacity_on_confirm_writes_nothing(client, login_as, world, cohort):
    cohort.capacity = 1
    db.session.commit()
    login_as(world.organiser_a)
    token = soup(upload(client, cohort, csv_bytes(ROWS[:3]), "l.csv")).select_one("input[name=token]")
    response = confirm(client, cohort, token["value"])
    assert "Zu wenig Plätze: 1 frei, aber 3 Personen" in flashes(soup(response))
    assert count(Person) == 0 and active_members(cohort) == set()


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("liste.csv", csv_bytes([["a", "b"]], header=["Name", "Mail"]), "Erwartete Spalten: Vorname, Nachname"),
    ("liste.xlsx", b"definitely not a zip", "keine gültige Excel-Datei"),
    ("liste.csv", b"x" * (20 * 1024 * 1024), "höchstens 2 MB"),
])
def test_bad_files_get_a_clear_message(client, login_as, world, cohort, filename, data, message):
    login_as(world.organiser_a)
    response = upload(client, cohort, data, filename)
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one("#file-error").text
    assert page.select_one("h1").text == cohort.name and count(Person) == 0


def test_missing_file(client, login_as, world, cohort):
    login_as(world.organiser_a)
    response = client.post(f"/kohorten/{cohort.id}/import", data={}, content_type="multipart/form-data")
    assert "Bitte eine Datei auswählen" in soup(response).select_one("#file-error").text


def test_request_over_the_app_limit_is_answered_nicely(client, login_as, world, cohort, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    login_as(world.organiser_a)
    response = upload(client, cohort, b"x" * (1024 * 1024 + 10), "liste.csv")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/kohorten/{cohort.id}")
    assert "höchstens 2 MB" in flashes(soup(client.get(response.headers["Location"])))
