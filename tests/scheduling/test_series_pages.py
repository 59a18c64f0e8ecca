"""The series page: form → preview (parsed HTML) → save; everything re-checked on save."""
from __future__ import annotations

from datetime import date, time

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from coaching.core import clock
from coaching.extensions import db
from coaching.scheduling.models import ChangeKind, CoachingSession, SessionChange
from tests.scheduling.conftest import booked, series_form


def _url(plan) -> str:
    return f"/kohorten/{plan.cohort.id}/serie"


def _rows(html: str):
    return BeautifulSoup(html, "html.parser").select("#preview tbody tr.preview-row")


def _session_count() -> int:
    return db.session.scalar(select(func.count(CoachingSession.id)))


def _preview_rows_as_form(html: str) -> dict:
    """What the browser would send back: every input of the preview, as rendered."""
    data = {}
    for field in BeautifulSoup(html, "html.parser").select("#preview input"):
        if field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[field["name"]] = "y"
        else:
            data[field["name"]] = field.get("value", "")
    return data


def test_get_shows_the_form_with_the_cohort_coach_chosen(plan, login_as):
    client = login_as(plan.world.organiser_a)
    page = BeautifulSoup(client.get(_url(plan)).get_data(as_text=True), "html.parser")
    assert page.select_one("#coach_id option[selected]")["value"] == str(plan.coach.id)
    weekdays = [o.get_text() for o in page.select("#weekday option")]
    assert weekdays[0] == "Montag" and weekdays[1] == "Dienstag"
    for field in page.select("form input:not([type=hidden]):not([type=submit]), form select"):
        assert page.select_one(f"label[for='{field['id']}']"), field["id"]


def test_preview_shows_holiday_warning_in_the_right_row(plan, login_as):
    client = login_as(plan.world.organiser_a)
    # Saturdays 26.9., 3.10. (Tag der Deutschen Einheit), 10.10.
    response = client.post(_url(plan), data=series_form(start_day="2026-09-26"))
    assert response.status_code == 200
    rows = _rows(response.get_data(as_text=True))
    assert len(rows) == 3
    notes = [row.select_one("td.notes").get_text(" ", strip=True) for row in rows]
    assert "Tag der Deutschen Einheit" in notes[1]
    assert "Feiertag" not in notes[0] and "Feiertag" not in notes[2]
    assert "table-warning" in rows[1]["class"]
    assert [r.select_one("input[name$=topic]")["value"] for r in rows] == [
        "Das duale Ausbildungssystem", "Bewerbung", "Praktikum"]
    assert _session_count() == 0  # a preview saves nothing


def test_save_creates_the_sessions_with_uid_sequence_and_change_log(plan, login_as):
    client = login_as(plan.world.organiser_a)
    preview = client.post(_url(plan), data=series_form(coach_id=str(plan.coach.id))).get_data(as_text=True)
    data = series_form(coach_id=str(plan.coach.id)) | _preview_rows_as_form(preview)
    data.pop("generate")
    data["rows-1-skip"] = "y"
    data["rows-2-topic"] = "Elternabend: Praktikum"
    data["rows-2-start_time"] = "17:30"
    response = client.post(_url(plan), data=data | {"save": "Serie speichern"})
    assert response.status_code == 302
    sessions = db.session.scalars(select(CoachingSession).order_by(CoachingSession.starts_at)).all()
    local = [clock.to_local(s.starts_at) for s in sessions]
    assert [(start.date(), start.time(), s.topic) for start, s in zip(local, sessions, strict=True)] == [
        (date(2026, 3, 5), time(18, 0), "Das duale Ausbildungssystem"),
        (date(2026, 3, 19), time(17, 30), "Elternabend: Praktikum"),
    ]
    for s in sessions:
        assert s.ical_sequence == 0
        assert s.ical_uid.startswith("session-") and s.ical_uid.endswith("@coaching.example.org")
        assert (s.venue_name, s.room, s.coach_id) == ("Bürgerhaus", "Saal 2", plan.coach.id)
        assert (s.ends_at - s.starts_at).total_seconds() == 90 * 60
    assert len({s.ical_uid for s in sessions}) == 2
    changes = db.session.scalars(select(SessionChange)).all()
    assert {(c.kind, c.sequence, c.changed_by_id) for c in changes} == {
        (ChangeKind.CREATED, 0, plan.world.organiser_a.id)}


def test_save_rechecks_the_rows_and_saves_nothing_when_one_is_wrong(plan, login_as):
    client = login_as(plan.world.organiser_a)
    preview = client.post(_url(plan), data=series_form()).get_data(as_text=True)
    data = series_form() | _preview_rows_as_form(preview)
    data.pop("generate")
    data["rows-1-day"] = "2029-03-12"  # after the programme (ends 2027)
    response = client.post(_url(plan), data=data | {"save": "Serie speichern"})
    assert response.status_code == 400
    rows = _rows(response.get_data(as_text=True))
    assert "Programmzeitraum" in rows[1].select_one("td.notes").get_text()
    assert "table-danger" in rows[1]["class"]
    assert rows[1].select_one("input[name='rows-1-day']")["value"] == "2029-03-12"  # edits are kept
    assert _session_count() == 0


def test_spring_gap_time_is_refused_on_save(plan, login_as):
    client = login_as(plan.world.organiser_a)
    data = series_form(start_day="2026-03-22", start_time="02:30")  # Sundays; 29 March 02:30 does not exist
    preview = client.post(_url(plan), data=data).get_data(as_text=True)
    notes = [r.select_one("td.notes").get_text() for r in _rows(preview)]
    assert "Sommerzeit" in notes[1] and "Sommerzeit" not in notes[0]
    data = data | _preview_rows_as_form(preview)
    data.pop("generate")
    response = client.post(_url(plan), data=data | {"save": "Serie speichern"})
    assert response.status_code == 400
    assert _session_count() == 0
    # Skipping the impossible one saves the rest.
    response = client.post(_url(plan), data=data | {"rows-1-skip": "y", "save": "Serie speichern"})
    assert response.status_code == 302
    assert _session_count() == 2


def test_400_sessions_are_refused_with_a_clear_message(plan, login_as):
    client = login_as(plan.world.organiser_a)
    response = client.post(_url(plan), data=series_form(count="400"))
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "höchstens 100" in page.select_one("#count-error").get_text()
    assert not page.select("#preview")


def test_more_than_100_posted_rows_are_refused_on_save(plan, login_as):
    client = login_as(plan.world.organiser_a)
    data = series_form(save="Serie speichern")
    data.pop("generate")
    for i in range(150):
        data |= {f"rows-{i}-day": "2026-06-01", f"rows-{i}-start_time": "18:00", f"rows-{i}-topic": "x"}
    response = client.post(_url(plan), data=data)
    assert response.status_code == 400
    assert "höchstens 100" in response.get_data(as_text=True)
    assert _session_count() == 0


def test_bad_input_gets_messages(plan, login_as):
    client = login_as(plan.world.organiser_a)
    for overrides, field, text in [
        ({"minutes": "0"}, "minutes", "größer als null"),
        ({"start_day": "1900-05-01"}, "start_day", "außerhalb"),
        ({"start_day": "kein Datum"}, "start_day", "gültiges Datum"),
        ({"until": "2026-03-01", "count": ""}, "until", "vor dem Startdatum"),
        ({"venue_name": "", "online_url": ""}, "venue_name", "Ort oder einen Online-Link"),
        ({"venue_name": "", "online_url": "javascript:alert(1)"}, "online_url", "https://"),
    ]:
        response = client.post(_url(plan), data=series_form(**overrides))
        assert response.status_code == 400, overrides
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert text in page.select_one(f"#{field}-error").get_text(), overrides
    assert _session_count() == 0


def test_monthly_online_series(plan, login_as):
    client = login_as(plan.world.organiser_a)
    data = series_form(frequency="monthly", start_day="2026-04-01", ordinal="2", weekday="1", count="3",
                       venue_name="", venue_address="", room="", online_url="https://meet.example.org/abc")
    rows = _rows(client.post(_url(plan), data=data).get_data(as_text=True))
    days = [r.select_one("input[name$=day]")["value"] for r in rows]
    assert days == ["2026-04-14", "2026-05-12", "2026-06-09"]  # second Tuesdays


def test_other_organisations_cohort_is_404(plan, login_as):
    client = login_as(plan.world.organiser_b)
    assert client.get(_url(plan)).status_code == 404
    assert client.post(_url(plan), data=series_form()).status_code == 404
    assert client.get("/kohorten/999999/serie").status_code == 404


def test_admin_may_plan_any_cohort_and_coach_user_may_not(plan, login_as, client):
    assert login_as(plan.world.admin).get(_url(plan)).status_code == 200
    client.post("/konto/abmelden")
    assert login_as(plan.world.coach_a).get(_url(plan)).status_code == 403


def test_cohort_page_lists_sessions_and_offers_series_planning(plan, login_as, app):
    if "cohorts.show" not in app.view_functions:
        pytest.skip("cohort page not there yet")
    session = booked(plan.cohort, date(2026, 3, 5), time(18, 0), topic="Bewerbung")
    db.session.commit()
    page = BeautifulSoup(login_as(plan.world.organiser_a).get(f"/kohorten/{plan.cohort.id}").get_data(
        as_text=True), "html.parser")
    row = page.select_one(f"#cohort-sessions tr[data-session='{session.id}']")
    assert row.select_one("a")["href"] == f"/termine/{session.id}"
    assert "Do., 05.03.2026" in row.get_text()
    assert page.find("a", string="Serie planen")["href"] == _url(plan)


def test_saving_a_series_invites_a_published_cohort_or_hands_a_large_one_to_the_worker(app, plan, login_as,
                                                                                      monkeypatch):
    from coaching.calendar import invitations
    from coaching.mail.models import OutboxMessage
    from tests import factories

    for name in ("Ana", "Omar"):
        factories.enrol(plan.cohort, factories.person(plan.world.org_a, first_name=name))
    invitations.publish_cohort(plan.cohort, plan.world.organiser_a)  # no sessions yet: nothing sent
    client = login_as(plan.world.organiser_a)
    preview = client.post(_url(plan), data=series_form()).get_data(as_text=True)
    data = series_form() | _preview_rows_as_form(preview)
    data.pop("generate")
    # 3 sessions × (3 members + 1) possible messages is over this limit: the worker does it.
    monkeypatch.setitem(app.config, "INVITATIONS_INLINE_LIMIT", 10)
    assert client.post(_url(plan), data=data | {"save": "Serie speichern"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    db.session.refresh(plan.cohort)
    assert plan.cohort.invitations_requested_at is not None
    assert invitations.run_requested() == 9  # Ana, Omar and the coach, three sessions each


SIX_TOPICS = ["Duales System", "Berufsorientierung", "Bewerbung", "Praktikum", "Elternabend", "Abschluss"]


def _topics(html: str) -> list[str]:
    return [r.select_one("input[name$='-topic']")["value"] for r in _rows(html)]


def _saved_topics() -> list[str]:
    return list(db.session.scalars(select(CoachingSession.topic).order_by(CoachingSession.starts_at)))


@pytest.mark.parametrize("check_first", [True, False], ids=["check-then-save", "save-at-once"])
def test_skipping_a_row_does_not_skip_a_curriculum_topic(plan, login_as, check_first):
    plan.cohort.curriculum = SIX_TOPICS
    db.session.commit()
    client = login_as(plan.world.organiser_a)
    form = series_form(count="6")
    preview = client.post(_url(plan), data=form).get_data(as_text=True)
    assert _topics(preview) == SIX_TOPICS
    data = form | _preview_rows_as_form(preview)
    data.pop("generate")
    data["rows-3-skip"] = "y"
    if check_first:
        checked = client.post(_url(plan), data=data | {"check": "Änderungen prüfen"})
        assert checked.status_code == 200
        html = checked.get_data(as_text=True)
        held = [t for t, r in zip(_topics(html), _rows(html), strict=True)
                if not r.select_one("input[name$='-skip']").has_attr("checked")]
        assert held == SIX_TOPICS[:5]
        data = form | _preview_rows_as_form(html)
        data.pop("generate")
    response = client.post(_url(plan), data=data | {"save": "Serie speichern"})
    assert response.status_code == 302
    assert _saved_topics() == SIX_TOPICS[:5]  # the 4th topic is held on the 5th date; no "Termin N"


def test_hand_typed_topic_stays_and_placeholders_only_after_the_curriculum(plan, login_as):
    plan.cohort.curriculum = SIX_TOPICS[:3]
    db.session.commit()
    client = login_as(plan.world.organiser_a)
    form = series_form(count="5")
    preview = client.post(_url(plan), data=form).get_data(as_text=True)
    assert _topics(preview) == [*SIX_TOPICS[:3], "Termin 4", "Termin 5"]
    data = form | _preview_rows_as_form(preview)
    data.pop("generate")
    data["rows-0-skip"] = "y"
    data["rows-2-topic"] = "Besuch im Betrieb"
    html = client.post(_url(plan), data=data | {"check": "Änderungen prüfen"}).get_data(as_text=True)
    assert _topics(html)[1:] == ["Duales System", "Besuch im Betrieb", "Berufsorientierung", "Bewerbung"]
    data = form | _preview_rows_as_form(html)
    data.pop("generate")
    data.pop("rows-0-skip")  # taken back: every held date follows the curriculum again
    html = client.post(_url(plan), data=data | {"check": "Änderungen prüfen"}).get_data(as_text=True)
    assert _topics(html) == [*SIX_TOPICS[:2], "Besuch im Betrieb", SIX_TOPICS[2], "Termin 5"]
    data = form | _preview_rows_as_form(html)
    data.pop("generate")
    assert client.post(_url(plan), data=data | {"save": "Serie speichern"}).status_code == 302
    assert _saved_topics() == [*SIX_TOPICS[:2], "Besuch im Betrieb", SIX_TOPICS[2], "Termin 5"]
