"""Enrolling one by one: search (htmx fragment or plain page), enrol, create-and-enrol, capacity, withdraw."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coaching.cohorts import services as cohort_services
from coaching.cohorts.models import Enrolment, EnrolmentStatus
from coaching.extensions import db
from coaching.people.models import Person
from tests import factories
from tests.cohorts.helpers import active_members, count, flashes, soup


@pytest.fixture
def synced(monkeypatch):
    """Record calls of the calendar hook that must run before every membership commit."""
    calls = []
    monkeypatch.setattr(cohort_services, "sync_cohort", lambda cohort, actor=None: calls.append(cohort.id))
    return calls


@pytest.fixture
def cohort(world):
    c = factories.cohort(world.org_a, world.programme, world.region)
    db.session.commit()
    return c


def test_search_returns_a_fragment_for_htmx_and_a_page_without_js(client, login_as, world, cohort):
    leyla = factories.person(world.org_a, first_name="Leyla", last_name="Aydın")
    member = factories.person(world.org_a, first_name="Leyla", last_name="Schon")
    factories.enrol(cohort, member)
    factories.person(world.org_b, first_name="Leyla", last_name="Fremd")
    db.session.commit()
    login_as(world.organiser_a)
    fragment = client.get(f"/kohorten/{cohort.id}/aufnehmen?q=leyla", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html
    ids = [int(i["value"]) for i in soup(fragment).select("#search-results input[name=person_id]")]
    assert ids == [leyla.id]  # not the member, not the other organisation's person
    page = soup(client.get(f"/kohorten/{cohort.id}/aufnehmen?q=leyla"))
    assert page.select_one("html") and [int(i["value"]) for i in page.select("input[name=person_id]")] == ids
    assert page.select_one("form[action$='/neue-person']") is not None


def test_enrol_existing_person(client, login_as, world, cohort, synced):
    person = factories.person(world.org_a)
    db.session.commit()
    login_as(world.organiser_a)
    response = client.post(f"/kohorten/{cohort.id}/aufnehmen", data={"person_id": person.id},
                           follow_redirects=True)
    assert "wurde aufgenommen" in flashes(soup(response))
    assert active_members(cohort) == {person.id} and synced == [cohort.id]
    again = client.post(f"/kohorten/{cohort.id}/aufnehmen", data={"person_id": person.id},
                        follow_redirects=True)
    assert "schon in dieser Kohorte" in flashes(soup(again))
    assert synced == [cohort.id]


def test_foreign_or_missing_person_cannot_be_enrolled(client, login_as, world, cohort):
    foreign = factories.person(world.org_b)
    db.session.commit()
    login_as(world.organiser_a)
    assert client.post(f"/kohorten/{cohort.id}/aufnehmen", data={"person_id": foreign.id}).status_code == 404
    bad = client.post(f"/kohorten/{cohort.id}/aufnehmen", data={"person_id": "x"}, follow_redirects=True)
    assert "Bitte eine Person auswählen" in flashes(soup(bad))
    assert active_members(cohort) == set()


def test_capacity_is_enforced_with_a_clear_message(client, login_as, world, cohort, synced):
    cohort.capacity = 1
    factories.enrol(cohort, factories.person(world.org_a))
    extra = factories.person(world.org_a)
    db.session.commit()
    login_as(world.organiser_a)
    response = client.post(f"/kohorten/{cohort.id}/aufnehmen", data={"person_id": extra.id},
                           follow_redirects=True)
    assert "Die Kohorte ist voll: 1 Plätze, davon noch 0 frei" in flashes(soup(response))
    assert extra.id not in active_members(cohort) and synced == []
    before = count(Person)
    new = client.post(f"/kohorten/{cohort.id}/neue-person", data={
        "kind": "parent", "first_name": "Neu", "last_name": "Person", "preferred_language": "de",
        "region_id": "None", "council_id": "None"})
    assert "Die Kohorte ist voll" in flashes(soup(new)) and count(Person) == before


def test_create_and_enrol_new_person(client, login_as, world, cohort, synced):
    existing = factories.person(world.org_a, email="taken@example.org")
    db.session.commit()
    login_as(world.organiser_a)
    data = {"kind": "parent", "first_name": "Amal", "last_name": "Haddad", "email": "",
            "preferred_language": "ar", "region_id": "None", "council_id": "None"}
    dup = client.post(f"/kohorten/{cohort.id}/neue-person", data={**data, "email": "TAKEN@example.org"})
    assert dup.status_code == 400 and existing.full_name in soup(dup).select_one("#email-error").text
    assert active_members(cohort) == set()
    response = client.post(f"/kohorten/{cohort.id}/neue-person", data=data)
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.last_name == "Haddad"))
    assert person.email is None and person.organisation_id == world.org_a.id
    assert active_members(cohort) == {person.id} and synced == [cohort.id]


def test_withdraw_and_enrol_again(client, login_as, world, cohort, synced):
    person = factories.person(world.org_a)
    factories.enrol(cohort, person)
    db.session.commit()
    login_as(world.organiser_a)
    assert client.get(f"/kohorten/{cohort.id}/mitglieder/{person.id}/austragen").status_code == 405
    response = client.post(f"/kohorten/{cohort.id}/mitglieder/{person.id}/austragen", follow_redirects=True)
    assert "ausgetragen" in flashes(soup(response))
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.status == EnrolmentStatus.WITHDRAWN and enrolment.withdrawn_at is not None
    twice = client.post(f"/kohorten/{cohort.id}/mitglieder/{person.id}/austragen", follow_redirects=True)
    assert "nicht (mehr) in der Kohorte" in flashes(soup(twice))
    client.post(f"/kohorten/{cohort.id}/aufnehmen", data={"person_id": person.id})
    db.session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.withdrawn_at is None
    assert count(Enrolment) == 1 and synced == [cohort.id, cohort.id]


def test_search_ignores_case_beyond_ascii(client, login_as, world, cohort):
    anna = factories.person(world.org_a, first_name="Анна", last_name="Смирнова")
    emre = factories.person(world.org_a, first_name="Emre", last_name="Özdemir")
    db.session.commit()
    login_as(world.organiser_a)

    def found(q: str) -> list[int]:
        page = soup(client.get(f"/kohorten/{cohort.id}/aufnehmen", query_string={"q": q}))
        return [int(i["value"]) for i in page.select("#search-results input[name=person_id]")]

    assert found("смирнова") == [anna.id]
    assert found("СМИР") == [anna.id]
    assert found("özd") == [emre.id]
