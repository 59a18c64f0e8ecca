"""Cohorts: create/edit, the list with counts and filters, the cohort page and its query count."""
from __future__ import annotations

from sqlalchemy import select

from coaching.attendance.models import Answer, Attendance
from coaching.cohorts.models import Cohort, CohortStatus, EnrolmentRole, TargetGroup
from coaching.extensions import db
from coaching.people.models import PersonKind
from coaching.scheduling.models import SessionStatus
from tests import factories
from tests.cohorts.helpers import active_members, count, soup
from tests.querycount import count_queries

TOPICS = ["Das duale Ausbildungssystem", "Bewerbung", "Beratungsgespräche mit Eltern führen"]


def cohort_form(world, **overrides) -> dict:
    data = {"name": "Dresden Frühjahr", "programme_id": str(world.programme.id),
            "region_id": str(world.region.id), "target_group": "beirat_members", "languages": ["de", "ar"],
            "capacity": "12", "description": "Abendreihe",
            "curriculum": "\r\n".join([TOPICS[0], "", *TOPICS[1:]])}
    data.update(overrides)
    return data


def test_organiser_creates_cohort_with_coaches(client, login_as, world):
    coach = factories.person(world.org_a, kind=PersonKind.COACH)
    factories.person(world.org_b, kind=PersonKind.COACH)
    db.session.commit()
    login_as(world.organiser_a)
    form = soup(client.get("/kohorten/neu"))
    assert [o["value"] for o in form.select("#coach_ids option")] == [str(coach.id)]  # own organisation only
    assert form.select_one("#organisation_id") is None
    response = client.post("/kohorten/neu", data=cohort_form(world, coach_ids=[str(coach.id)]))
    assert response.status_code == 302
    cohort = db.session.scalar(select(Cohort))
    assert cohort.organisation_id == world.org_a.id
    assert cohort.languages == ["de", "ar"] and cohort.capacity == 12
    assert cohort.curriculum == TOPICS
    assert active_members(cohort) == {coach.id}
    page = soup(client.get(response.headers["Location"]))
    assert [li.text for li in page.select("#curriculum li")][1] == "Bewerbung"
    assert coach.full_name in page.select_one("#members").text


def test_bad_cohort_input_changes_nothing(client, login_as, world):
    foreign_coach = factories.person(world.org_b, kind=PersonKind.COACH)
    factories.cohort(world.org_a, world.programme, world.region).name = "Schon da"
    db.session.commit()
    login_as(world.organiser_a)
    before = count(Cohort)
    no_lang = client.post("/kohorten/neu", data=cohort_form(world, languages=[]))
    assert soup(no_lang).select_one("#languages-error") is not None
    foreign = client.post("/kohorten/neu", data=cohort_form(world, coach_ids=[str(foreign_coach.id)]))
    assert soup(foreign).select_one("#coach_ids-error") is not None
    dup = client.post("/kohorten/neu", data=cohort_form(world, name="Schon da"))
    assert "schon eine Kohorte mit diesem Namen" in soup(dup).select_one("#name-error").text
    assert count(Cohort) == before


def test_edit_cohort_replaces_coaches(client, login_as, world):
    first, second = (factories.person(world.org_a, kind=PersonKind.COACH) for _ in range(2))
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    factories.enrol(cohort, first, role=EnrolmentRole.COACH)
    db.session.commit()
    login_as(world.organiser_a)
    form = soup(client.get(f"/kohorten/{cohort.id}/bearbeiten"))
    assert form.select_one(f"#coach_ids option[value='{first.id}']").has_attr("selected")
    assert "Bewerbung" in form.select_one("#curriculum").text
    response = client.post(f"/kohorten/{cohort.id}/bearbeiten",
                           data=cohort_form(world, coach_ids=[str(second.id)], target_group="mixed"))
    assert response.status_code == 302
    assert active_members(cohort) == {second.id}
    assert cohort.target_group == TargetGroup.MIXED


def test_list_counts_filters_and_scope(client, login_as, world):
    other_region = factories.region("Erfurt")
    busy = factories.cohort(world.org_a, world.programme, world.region)
    quiet = factories.cohort(world.org_a, world.programme, other_region)
    factories.cohort(world.org_b, world.programme, world.region)
    for _ in range(3):
        factories.enrol(busy, factories.person(world.org_a))
    factories.enrol(busy, factories.person(world.org_a, kind=PersonKind.COACH), role=EnrolmentRole.COACH)
    factories.session(busy)
    factories.session(busy, topic="Bewerbung", status=SessionStatus.CANCELLED)
    quiet.status = CohortStatus.PUBLISHED
    db.session.commit()
    login_as(world.organiser_a)
    rows = soup(client.get("/kohorten")).select("#cohorts tbody tr")
    counts = {int(r["data-cohort-id"]): (r.select_one(".members").text, r.select_one(".sessions").text)
              for r in rows}
    assert counts == {busy.id: ("3", "1"), quiet.id: ("0", "0")}
    by_region = soup(client.get(f"/kohorten?region={other_region.id}")).select("#cohorts tbody tr")
    assert [int(r["data-cohort-id"]) for r in by_region] == [quiet.id]
    drafts = soup(client.get("/kohorten?status=draft")).select("#cohorts tbody tr")
    assert [int(r["data-cohort-id"]) for r in drafts] == [busy.id]
    assert client.get("/kohorten?region=abc&status=nonsense&page=99").status_code == 200


def test_cohort_page_shows_members_with_answers(client, login_as, world):
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    with_mail = factories.person(world.org_a, first_name="Dilan", language="tr")
    without = factories.person(world.org_a, kind=PersonKind.PARENT, email=None, first_name="Amal")
    for p in (with_mail, without):
        factories.enrol(cohort, p)
    sessions = [factories.session(cohort, topic=f"Thema {i}") for i in range(3)]
    for s, answer in zip(sessions, [Answer.ACCEPTED, Answer.ACCEPTED, Answer.DECLINED], strict=True):
        db.session.add(Attendance(session_id=s.id, person_id=with_mail.id, answer=answer))
    db.session.commit()
    login_as(world.organiser_a)
    page = soup(client.get(f"/kohorten/{cohort.id}"))
    rows = {int(r["data-person-id"]): [td.get_text(" ", strip=True) for td in r.select("td")]
            for r in page.select("#member-table tbody tr")}
    assert rows[with_mail.id][1:5] == ["Beiratsmitglied", "Türkisch", with_mail.email,
                                       "2 zugesagt, 1 abgesagt"]
    assert rows[without.id][1:5] == ["Elternteil", "Deutsch", "keine E-Mail", "0 zugesagt, 0 abgesagt"]
    assert all(f"Thema {i}" in page.select_one("#sessions").text for i in range(3))


def test_publish_button_only_when_the_endpoint_exists(client, login_as, world, app):
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    db.session.commit()
    login_as(world.organiser_a)
    form = soup(client.get(f"/kohorten/{cohort.id}")).select_one("#publish-form")
    assert (form is not None) == ("calendar.publish_cohort" in app.view_functions)


def test_other_organisations_cohorts_answer_404(client, login_as, world):
    foreign = factories.cohort(world.org_b, world.programme, world.region)
    person = factories.person(world.org_b)
    factories.enrol(foreign, person)
    db.session.commit()
    login_as(world.organiser_a)
    for url in ("", "/bearbeiten", "/aufnehmen"):
        assert client.get(f"/kohorten/{foreign.id}{url}").status_code == 404
    for url in ("/bearbeiten", "/aufnehmen", "/neue-person", f"/mitglieder/{person.id}/austragen", "/import",
                "/import/bestaetigen"):
        assert client.post(f"/kohorten/{foreign.id}{url}", data={"person_id": person.id}).status_code == 404
    assert active_members(foreign) == {person.id}


def build_cohort(world, members: int, sessions: int):
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    coach = factories.person(world.org_a, kind=PersonKind.COACH)
    factories.enrol(cohort, coach, role=EnrolmentRole.COACH)
    people = [factories.person(world.org_a, email=None if i % 3 == 0 else "auto") for i in range(members)]
    for p in people:
        factories.enrol(cohort, p)
    for i in range(sessions):
        s = factories.session(cohort, topic=f"Thema {i}", coach_id=coach.id)
        db.session.add_all(Attendance(session_id=s.id, person_id=p.id, answer=Answer.ACCEPTED)
                           for p in people)
    db.session.commit()
    return cohort


def page_queries(client, cohort) -> tuple[int, list[str], object]:
    url = f"/kohorten/{cohort.id}"
    client.get(url)  # warm up (login, caches)
    db.session.expire_all()
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count, counter.statements, soup(response)


def test_cohort_page_makes_the_same_few_queries_for_3_and_300_members(client, login_as, world):
    small, big = build_cohort(world, 3, 2), build_cohort(world, 300, 40)
    login_as(world.organiser_a)
    small_count, _, small_page = page_queries(client, small)
    big_count, statements, big_page = page_queries(client, big)
    assert len(small_page.select("#member-table tbody tr")) == 3
    assert len(big_page.select("#member-table tbody tr")) == 300
    assert "300 zugesagt" not in big_page.text and "40 zugesagt, 0 abgesagt" in big_page.text
    assert big_count == small_count and big_count <= 8, statements


def test_coaches_and_anonymous_users_are_turned_away(client, login_as, world):
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    db.session.commit()
    assert client.get(f"/kohorten/{cohort.id}").status_code == 302  # to the login page
    login_as(world.coach_a)
    assert client.get(f"/kohorten/{cohort.id}").status_code == 403
