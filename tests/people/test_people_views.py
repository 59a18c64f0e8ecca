"""People pages: search, person page, create and edit, organisation scope."""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from coaching.attendance.models import Answer, Attendance, Outcome
from coaching.extensions import db
from coaching.people.models import Person, PersonKind
from tests import factories


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def people_count() -> int:
    return db.session.scalar(select(func.count(Person.id)))


def names_in_list(response) -> list[str]:
    return [a.get_text(strip=True) for a in soup(response).select("#people tbody td:first-child a")]


def test_search_by_name_or_email_in_own_organisation_only(client, login_as, world):
    factories.person(world.org_a, first_name="Leyla", last_name="Aydın", email="leyla@example.org")
    factories.person(world.org_a, first_name="Karl", last_name="Becker", email="kb@verein.de")
    factories.person(world.org_b, first_name="Leyla", last_name="Fremd", email="leyla@b.example.org")
    db.session.commit()
    login_as(world.organiser_a)
    assert names_in_list(client.get("/personen?q=leyla")) == ["Aydın, Leyla"]
    assert names_in_list(client.get("/personen?q=verein")) == ["Becker, Karl"]
    assert len(names_in_list(client.get("/personen"))) == 2


def test_list_is_paginated(client, login_as, world):
    for i in range(55):
        factories.person(world.org_a, last_name=f"Name{i:02d}")
    db.session.commit()
    login_as(world.organiser_a)
    first, second = client.get("/personen"), client.get("/personen?page=2")
    assert len(names_in_list(first)) == 50 and len(names_in_list(second)) == 5
    assert soup(first).select_one("a[rel=next]") is not None


def form_data(**overrides) -> dict:
    data = {"kind": "parent", "first_name": "Amal", "last_name": "Haddad", "email": "", "phone": "0176 1",
            "postal_address": "Hauptstr. 1\n01067 Dresden", "preferred_language": "ar",
            "region_id": "None", "council_id": "None"}
    data.update(overrides)
    return data


def test_create_parent_without_email(client, login_as, world):
    login_as(world.organiser_a)
    response = client.post("/personen/neu", data=form_data())
    assert response.status_code == 302
    person = db.session.scalar(select(Person))
    assert (person.email, person.kind, person.organisation_id) == (None, PersonKind.PARENT, world.org_a.id)
    page = soup(client.get(response.headers["Location"]))
    assert "keine E-Mail" in page.select_one("#person-data").get_text()


def test_invalid_and_duplicate_email_get_a_clear_message_and_change_nothing(client, login_as, world):
    factories.person(world.org_a, email="amal@example.org", first_name="Amal", last_name="Erste")
    factories.person(world.org_b, email="other@example.org")
    db.session.commit()
    login_as(world.organiser_a)
    before = people_count()
    bad = client.post("/personen/neu", data=form_data(email="amal@"))
    assert bad.status_code == 200 and "gültige E-Mail-Adresse" in soup(bad).select_one("#email-error").text
    dup = client.post("/personen/neu", data=form_data(email="AMAL@example.org"))
    assert "gehört in Ihrer Organisation schon zu Amal Erste" in soup(dup).select_one("#email-error").text
    assert people_count() == before
    # The same address in another organisation is not a duplicate here.
    assert client.post("/personen/neu", data=form_data(email="other@example.org")).status_code == 302


def test_edit_person(client, login_as, world):
    person = factories.person(world.org_a, email="alt@example.org")
    db.session.commit()
    login_as(world.organiser_a)
    response = client.post(f"/personen/{person.id}/bearbeiten",
                           data=form_data(email="neu@example.org", kind="beirat_member"))
    assert response.status_code == 302
    db.session.refresh(person)
    assert (person.email, person.kind) == ("neu@example.org", PersonKind.BEIRAT_MEMBER)
    assert person.first_name == "Amal"


def test_person_page_shows_cohorts_and_attendance(client, login_as, world):
    person = factories.person(world.org_a)
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    factories.enrol(cohort, person)
    session = factories.session(cohort, topic="Bewerbung")
    db.session.add(Attendance(session_id=session.id, person_id=person.id, answer=Answer.ACCEPTED,
                              outcome=Outcome.ATTENDED))
    db.session.commit()
    login_as(world.organiser_a)
    page = soup(client.get(f"/personen/{person.id}"))
    assert cohort.name in page.select_one("#person-cohorts").text
    cells = [td.get_text(strip=True) for td in page.select("#person-attendance tbody td")]
    assert cells[1:] == [cohort.name, "Bewerbung", "zugesagt", "anwesend"]


def test_other_organisations_people_answer_404(client, login_as, world):
    foreign = factories.person(world.org_b)
    db.session.commit()
    login_as(world.organiser_a)
    assert client.get(f"/personen/{foreign.id}").status_code == 404
    assert client.get(f"/personen/{foreign.id}/bearbeiten").status_code == 404
    assert client.post(f"/personen/{foreign.id}/bearbeiten", data=form_data()).status_code == 404
    db.session.refresh(foreign)
    assert foreign.first_name != "Amal"


def test_admin_chooses_the_organisation(client, login_as, world):
    login_as(world.admin)
    response = client.post("/personen/neu", data=form_data(organisation_id=str(world.org_b.id)))
    assert response.status_code == 302
    assert db.session.scalar(select(Person.organisation_id)) == world.org_b.id


def test_coaches_cannot_manage_people(client, login_as, world):
    login_as(world.coach_a)
    assert client.get("/personen").status_code == 403


def test_search_ignores_case_beyond_ascii(client, login_as, world):
    """Cyrillic and umlauts fold too (SQLite's own lower() folds A–Z only)."""
    factories.person(world.org_a, first_name="Анна", last_name="Смирнова", email="anna@example.org")
    factories.person(world.org_a, first_name="Олена", last_name="Шевченко", email="olena@example.org")
    factories.person(world.org_a, first_name="Emre", last_name="Özdemir", email="emre@example.org")
    factories.person(world.org_a, first_name="Ute", last_name="Ähnlich", email="ute@example.org")
    db.session.commit()
    login_as(world.organiser_a)
    assert names_in_list(client.get("/personen?q=смирнова")) == ["Смирнова, Анна"]
    assert names_in_list(client.get("/personen?q=СМИРНОВА")) == ["Смирнова, Анна"]
    assert names_in_list(client.get("/personen?q=шевченко")) == ["Шевченко, Олена"]
    assert names_in_list(client.get("/personen?q=özd")) == ["Özdemir, Emre"]
    assert names_in_list(client.get("/personen?q=ÄHN")) == ["Ähnlich, Ute"]


def test_person_page_marks_cancelled_sessions(client, login_as, world):
    from coaching.scheduling.models import SessionStatus

    person = factories.person(world.org_a, first_name="Mira")
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    held = factories.session(cohort, topic="Findet statt")
    cancelled = factories.session(cohort, topic="Fällt aus")
    cancelled.status = SessionStatus.CANCELLED
    for session in (held, cancelled):
        db.session.add(Attendance(session_id=session.id, person_id=person.id, answer=Answer.ACCEPTED))
    db.session.commit()
    login_as(world.organiser_a)
    rows = BeautifulSoup(client.get(f"/personen/{person.id}").data, "html.parser").select("#person-attendance tbody tr")
    marked = {row.find_all("td")[2].get_text(strip=True): "Termin abgesagt" in row.get_text() for row in rows}
    assert marked == {"Findet statt": False, "Fällt aus": True}
