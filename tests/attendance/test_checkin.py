"""Check-in on the day through the endpoints the page uses: one tap per POST, JSON or plain redirect."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from coaching.attendance.models import Answer, AnswerSource, Attendance, Outcome
from coaching.cohorts.models import Enrolment
from coaching.core import clock
from coaching.extensions import db
from coaching.people.models import Person
from coaching.scheduling.models import CoachingSession
from tests import factories
from tests.attendance.conftest import members
from tests.conftest import login
from tests.querycount import count_queries

JSON = {"Accept": "application/json"}


def _row(session_id: int, person_id: int) -> Attendance | None:
    db.session.expire_all()
    return db.session.scalar(select(Attendance).where(Attendance.session_id == session_id,
                                                      Attendance.person_id == person_id))


def test_tap_saves_one_outcome_as_json(setup, login_as):
    client = login_as(setup.world.coach_a)
    person = setup.people[0]
    response = client.post(f"/termine/{setup.today.id}/checkin/{person.id}", data={"outcome": "attended"},
                           headers=JSON)
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] and body["outcome"] == "attended" and body["label"] == "anwesend"
    assert body["counts"]["attended"] == 1
    row = _row(setup.today.id, person.id)
    assert row.outcome == Outcome.ATTENDED and row.recorded_by_id == setup.world.coach_a.id
    assert row.outcome_recorded_at == clock.now() and not row.walk_in
    assert db.session.get(CoachingSession, setup.today.id).attendance_recorded_at == clock.now()


def test_plain_form_without_js_redirects_back_to_the_list(setup, login_as):
    client = login_as(setup.world.organiser_a)
    person = setup.people[1]
    response = client.post(f"/termine/{setup.today.id}/checkin/{person.id}", data={"outcome": "no_show"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/termine/{setup.today.id}/checkin#person-{person.id}")
    page = BeautifulSoup(client.get(response.headers["Location"]).data, "html.parser")
    pressed = page.select_one(f"#person-{person.id} button[aria-pressed=true]")
    assert pressed["value"] == "no_show"


def test_check_in_page_is_usable_without_js_and_loads_the_script(setup, login_as):
    client = login_as(setup.world.coach_a)
    soup = BeautifulSoup(client.get(f"/termine/{setup.today.id}/checkin").data, "html.parser")
    forms = soup.select("#checkin-list form[data-checkin]")
    assert len(forms) == len(setup.people)
    for form in forms:
        assert form["method"] == "post" and form.select_one("input[name=csrf_token]")
        assert [b["value"] for b in form.select("button[name=outcome]")] == ["attended", "excused", "no_show"]
    assert soup.find("script", src="/static/js/checkin.js") is not None
    assert not [s for s in soup.find_all("script") if not s.get("src")], "no inline scripts (CSP)"
    arabic = soup.find(string=lambda s: s and "محمد" in s)
    assert arabic.find_parent(attrs={"dir": "rtl"}) is not None


def test_search_filters_the_list_on_the_server(setup, login_as):
    client = login_as(setup.world.coach_a)
    soup = BeautifulSoup(client.get(f"/termine/{setup.today.id}/checkin", query_string={"q": "yılmaz"}).data,
                         "html.parser")
    assert [li["data-person-id"] for li in soup.select("#checkin-list li[data-person-id]")] == [
        str(setup.people[2].id)]


def test_csrf_header_is_accepted_and_missing_token_refused(app, setup, login_as):
    client = login_as(setup.world.coach_a)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = BeautifulSoup(client.get(f"/termine/{setup.today.id}/checkin").data, "html.parser")
        token = page.find("meta", attrs={"name": "csrf-token"})["content"]
        url = f"/termine/{setup.today.id}/checkin/{setup.people[0].id}"
        refused = client.post(url, data={"outcome": "attended"}, headers=JSON)
        assert refused.status_code == 400 and _row(setup.today.id, setup.people[0].id) is None
        accepted = client.post(url, data={"outcome": "excused"}, headers=JSON | {"X-CSRFToken": token})
        assert accepted.status_code == 200 and accepted.get_json()["outcome"] == "excused"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _row(setup.today.id, setup.people[0].id).outcome == Outcome.EXCUSED


def test_future_session_refused_with_a_clear_message(setup, login_as):
    client = login_as(setup.world.organiser_a)
    response = client.post(f"/termine/{setup.future.id}/checkin/{setup.people[0].id}",
                           data={"outcome": "attended"}, headers=JSON)
    assert response.status_code == 400
    assert "Zukunft" in response.get_json()["error"]
    assert _row(setup.future.id, setup.people[0].id) is None
    assert db.session.get(CoachingSession, setup.future.id).attendance_recorded_at is None


def test_bad_outcome_and_stranger_refused(setup, login_as, world):
    client = login_as(world.organiser_a)
    bad = client.post(f"/termine/{setup.today.id}/checkin/{setup.people[0].id}", data={"outcome": "maybe"},
                      headers=JSON)
    assert bad.status_code == 400 and bad.get_json()["ok"] is False
    stranger = factories.person(world.org_a)
    db.session.commit()
    response = client.post(f"/termine/{setup.today.id}/checkin/{stranger.id}", data={"outcome": "attended"},
                           headers=JSON)
    assert response.status_code == 400 and "nicht auf der Liste" in response.get_json()["error"]


def test_changing_outcome_after_followup_keeps_followup_sent_at(setup, login_as):
    person = setup.people[0]
    sent = clock.now() - timedelta(minutes=5)
    db.session.add(Attendance(session_id=setup.today.id, person_id=person.id, answer=Answer.ACCEPTED,
                              outcome=Outcome.NO_SHOW, followup_sent_at=sent))
    db.session.commit()
    client = login_as(setup.world.organiser_a)
    client.post(f"/termine/{setup.today.id}/checkin/{person.id}", data={"outcome": "attended"}, headers=JSON)
    row = _row(setup.today.id, person.id)
    assert row.outcome == Outcome.ATTENDED and row.followup_sent_at == sent
    assert row.answer == Answer.ACCEPTED  # the answer is what they said; the outcome what happened


def test_manual_answer_by_staff_only(app, setup, login_as, world):
    person = setup.people[3]
    url = f"/termine/{setup.future.id}/anwesenheit/{person.id}/antwort"
    coach = app.test_client()
    login(coach, world.coach_a)
    assert coach.post(url, data={"answer": "accepted"}).status_code == 403
    client = login_as(world.organiser_a)
    assert client.post(url, data={"answer": "declined"}).status_code == 302
    row = _row(setup.future.id, person.id)
    assert (row.answer, row.answer_source, row.answered_at) == (
        Answer.DECLINED, AnswerSource.MANUAL, clock.now())
    page = BeautifulSoup(client.get(f"/termine/{setup.future.id}/anwesenheit").data, "html.parser")
    assert "abgesagt" in page.select_one(f"#person-{person.id} .answer").get_text()
    assert "von Hand" in page.select_one(f"#person-{person.id} .answer").get_text()


def test_walk_in_new_person_is_not_enrolled(setup, login_as, world):
    client = login_as(world.coach_a)
    response = client.post(f"/termine/{setup.today.id}/checkin/neu", data={
        "first_name": "Fatma", "last_name": "Öztürk", "email": "", "phone": "0351 123",
        "kind": "parent", "preferred_language": "tr"})
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.last_name == "Öztürk"))
    assert person.organisation_id == world.org_a.id and person.phone == "0351 123"
    row = _row(setup.today.id, person.id)
    assert row.walk_in and row.outcome == Outcome.ATTENDED
    assert db.session.scalar(select(Enrolment).where(Enrolment.person_id == person.id)) is None


def test_walk_in_new_person_needs_a_name(setup, login_as, world):
    client = login_as(world.coach_a)
    before = db.session.scalar(select(db.func.count(Person.id)))
    response = client.post(f"/termine/{setup.today.id}/checkin/neu", data={
        "first_name": "", "last_name": "Öztürk", "kind": "parent", "preferred_language": "tr"})
    assert response.status_code == 400
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.select_one("#first_name-error") is not None
    assert db.session.scalar(select(db.func.count(Person.id))) == before


def test_walk_in_existing_person_and_foreign_person(setup, login_as, world):
    known = factories.person(world.org_a, first_name="Bekannte", last_name="Nachbarin")
    foreign = factories.person(world.org_b, first_name="Fremde")
    db.session.commit()
    client = login_as(world.organiser_a)
    page = client.get(f"/termine/{setup.today.id}/checkin", query_string={"suche": "nachbar"})
    soup = BeautifulSoup(page.data, "html.parser")
    assert soup.select_one("#walkin-candidates input[name=person_id]")["value"] == str(known.id)
    url = f"/termine/{setup.today.id}/checkin/bekannt"
    assert client.post(url, data={"person_id": known.id}).status_code == 302
    row = _row(setup.today.id, known.id)
    assert row.walk_in and row.outcome == Outcome.ATTENDED
    assert client.post(url, data={"person_id": foreign.id}).status_code == 404
    assert _row(setup.today.id, foreign.id) is None


def test_walk_in_of_a_member_is_not_a_walk_in(setup, login_as, world):
    client = login_as(world.organiser_a)
    client.post(f"/termine/{setup.today.id}/checkin/bekannt", data={"person_id": setup.people[0].id})
    row = _row(setup.today.id, setup.people[0].id)
    assert row.outcome == Outcome.ATTENDED and not row.walk_in


@pytest.fixture
def evening(setup):
    session = factories.session(setup.cohort, day=setup.today.starts_at.date(), topic="Offener Elternabend",
                                is_headcount=True)
    db.session.commit()
    return session


def test_headcount_recorded_and_negative_refused(evening, login_as, world):
    client = login_as(world.coach_a)
    url = f"/termine/{evening.id}/checkin/personenzahl"
    assert client.post(url, data={"headcount": "23"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CoachingSession, evening.id).headcount == 23
    response = client.post(url, data={"headcount": "-4"}, follow_redirects=True)
    assert "Bitte eine Zahl ab 0 angeben." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CoachingSession, evening.id).headcount == 23


def test_headcount_only_for_open_evenings(setup, login_as, world):
    client = login_as(world.organiser_a)
    response = client.post(f"/termine/{setup.today.id}/checkin/personenzahl", data={"headcount": "5"},
                           follow_redirects=True)
    assert "keine Personenzahl" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CoachingSession, setup.today.id).headcount is None


def test_session_panel_counts_and_links(setup, login_as, world):
    db.session.add_all([
        Attendance(session_id=setup.today.id, person_id=setup.people[0].id, answer=Answer.ACCEPTED,
                   outcome=Outcome.ATTENDED),
        Attendance(session_id=setup.today.id, person_id=setup.people[1].id, answer=Answer.DECLINED,
                   outcome=Outcome.EXCUSED)])
    db.session.commit()
    client = login_as(world.coach_a)
    soup = BeautifulSoup(client.get(f"/termine/{setup.today.id}").data, "html.parser")
    panel = soup.select_one("#attendance-panel")
    text = panel.get_text(" ", strip=True)
    # Everyone enrolled is on the list; the two without a record count as "no answer".
    assert f"{len(setup.people)} auf der Liste" in text and "1 zugesagt" in text and "1 anwesend" in text
    assert f"{len(setup.people) - 2} ohne Antwort" in text
    links = {a["href"] for a in panel.find_all("a")}
    assert {f"/termine/{setup.today.id}/checkin", f"/termine/{setup.today.id}/anwesenheit"} <= links


def _queries(client, url: str) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_check_in_list_query_count_is_constant(setup, login_as, world):
    """10 people or 300 people: the check-in page and the attendance page make the same few queries."""
    client = login_as(world.organiser_a)
    pages = [f"/termine/{setup.today.id}/checkin", f"/termine/{setup.today.id}/anwesenheit"]
    members(setup.cohort, 6, world.org_a)
    db.session.commit()
    small = [_queries(client, url) for url in pages]
    people = members(setup.cohort, 290, world.org_a)
    db.session.add_all([Attendance(session_id=setup.today.id, person_id=p.id, answer=Answer.ACCEPTED,
                                   outcome=Outcome.ATTENDED if i % 2 else None)
                        for i, p in enumerate(people)])
    db.session.commit()
    assert [_queries(client, url) for url in pages] == small
    assert small[0] <= 6


def test_counts_cover_everyone_on_the_list(setup, login_as):
    """Members not yet invited are on the list as "no answer"; the counts and the list agree."""
    client = login_as(setup.world.coach_a)
    body = client.post(f"/termine/{setup.today.id}/checkin/{setup.people[0].id}", data={"outcome": "attended"},
                       headers=JSON).get_json()
    listed = BeautifulSoup(client.get(f"/termine/{setup.today.id}/checkin").data, "html.parser")
    rows = listed.select("[id^=person-]")
    assert body["counts"]["total"] == len(setup.people) == len(rows)
    assert body["counts"]["needs_action"] == len(setup.people)  # nobody answered an invitation
    assert body["counts"]["attended"] == 1


def test_search_ignores_case_beyond_ascii(setup, login_as, world):
    """The members' list and the walk-in search find Cyrillic and umlaut names typed in any case."""
    emre = factories.person(world.org_a, first_name="Emre", last_name="Özdemir")
    db.session.commit()
    client = login_as(setup.world.coach_a)
    url = f"/termine/{setup.today.id}/checkin"
    for q in ("шевченко", "ШЕВЧЕНКО", "оЛЕНА"):
        soup = BeautifulSoup(client.get(url, query_string={"q": q}).data, "html.parser")
        assert [li["data-person-id"] for li in soup.select("#checkin-list li[data-person-id]")] == [
            str(setup.people[1].id)], q
    soup = BeautifulSoup(client.get(url, query_string={"q": "MÜLLER"}).data, "html.parser")
    assert [li["data-person-id"] for li in soup.select("#checkin-list li[data-person-id]")] == [
        str(setup.people[3].id)]
    client = login_as(world.organiser_a)
    soup = BeautifulSoup(client.get(url, query_string={"suche": "özd"}).data, "html.parser")
    assert [i["value"] for i in soup.select("#walkin-candidates input[name=person_id]")] == [str(emre.id)]
