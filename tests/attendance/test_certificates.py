"""Certificates: threshold over held sessions, numbering, bilingual PDF; cohort and person figures."""
from __future__ import annotations

import re
from datetime import date, time

import pytest
from bs4 import BeautifulSoup
from flask_babel import force_locale, gettext
from sqlalchemy import select

from coaching.attendance import certificates
from coaching.attendance.models import Answer, Attendance, Certificate, Outcome
from coaching.extensions import db
from coaching.scheduling.models import SessionStatus
from tests import factories
from tests.attendance.conftest import NAMES
from tests.attendance.test_documents import pdf_text


@pytest.fixture
def history(setup):
    """Four held sessions (plus a cancelled one, an open evening and the future one, which never count)."""
    held = [setup.today] + [factories.session(setup.cohort, day=date(2026, 11, d), at=time(18, 0),
                                              topic=f"T{d}") for d in (5, 12, 19)]
    factories.session(setup.cohort, day=date(2026, 11, 26), status=SessionStatus.CANCELLED, topic="abgesagt")
    factories.session(setup.cohort, day=date(2026, 11, 27), is_headcount=True, headcount=40, topic="Abend")
    arabic, ukrainian, turkish, german = setup.people
    plan = {arabic: 4, ukrainian: 3, turkish: 2, german: 0}  # sessions attended out of 4 held
    for person, attended in plan.items():
        for i, session in enumerate(held):
            outcome = Outcome.ATTENDED if i < attended else Outcome.NO_SHOW
            db.session.add(Attendance(session_id=session.id, person_id=person.id, answer=Answer.ACCEPTED,
                                      outcome=outcome))
    db.session.add(Attendance(session_id=setup.future.id, person_id=turkish.id, outcome=Outcome.ATTENDED))
    setup.cohort.programme.certificate_threshold = 0.75
    db.session.commit()
    return setup


def test_threshold_counts_only_held_named_sessions(history):
    result = {c.person.id: (c.attended, c.held, c.eligible) for c in certificates.candidates(history.cohort)}
    arabic, ukrainian, turkish, german = history.people
    assert result == {arabic.id: (4, 4, True), ukrainian.id: (3, 4, True), turkish.id: (2, 4, False),
                      german.id: (0, 4, False)}


def test_list_page_shows_counts_in_one_grouped_query(history, login_as):
    client = login_as(history.world.organiser_a)
    soup = BeautifulSoup(client.get(f"/kohorten/{history.cohort.id}/teilnahmebescheinigungen").data,
                         "html.parser")
    rows = {r["data-person-id"]: r for r in soup.select("#certificate-table tr[data-person-id]")}
    assert rows[str(history.people[0].id)].select_one(".attended").get_text(strip=True) == "4 / 4"
    assert "eligible" in rows[str(history.people[1].id)]["class"]
    assert "not-eligible" in rows[str(history.people[2].id)]["class"]


def test_issue_all_makes_one_bilingual_pdf_with_numbers(history, login_as):
    client = login_as(history.world.organiser_a)
    response = client.post(f"/kohorten/{history.cohort.id}/teilnahmebescheinigungen")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    issued = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert {c.person_id for c in issued} == {history.people[0].id, history.people[1].id}
    assert all(re.fullmatch(r"EAO-2026-\d{6}", c.number) for c in issued)
    arabic = next(c for c in issued if c.person_id == history.people[0].id)
    assert (arabic.sessions_attended, arabic.sessions_held) == (4, 4)
    text = pdf_text(response.data)
    assert "محمد" in text and "الأحمد" in text and "Олена" in text and "Шевченко" in text
    assert NAMES[2][0] not in text  # not eligible
    # German on every certificate, plus the participant's language (Arabic and Ukrainian here).
    assert text.count("Teilnahmebescheinigung") == 2
    with force_locale("uk"):
        assert gettext("Teilnahmebescheinigung") in text
    assert arabic.number in text and "an 4 von 4 Terminen" in " ".join(text.split())


def test_issue_one_again_keeps_the_number(history, login_as):
    client = login_as(history.world.organiser_a)
    url = f"/kohorten/{history.cohort.id}/teilnahmebescheinigungen/{history.people[1].id}"
    first = client.post(url)
    assert first.status_code == 200
    number = db.session.scalar(select(Certificate.number))
    assert client.post(url).status_code == 200
    assert db.session.scalars(select(Certificate.number)).all() == [number]
    assert number in pdf_text(first.data)


def test_not_eligible_gets_a_message_and_no_certificate(history, login_as):
    client = login_as(history.world.organiser_a)
    response = client.post(f"/kohorten/{history.cohort.id}/teilnahmebescheinigungen/{history.people[2].id}",
                           follow_redirects=True)
    assert "Voraussetzungen" in response.get_data(as_text=True)
    assert db.session.scalar(select(Certificate)) is None


def test_cohort_page_chart_and_table(history, login_as):
    client = login_as(history.world.organiser_a)
    soup = BeautifulSoup(client.get(f"/kohorten/{history.cohort.id}/anwesenheit").data, "html.parser")
    bars = soup.select("#rate-chart g.bar")
    assert len(bars) == 4  # held named sessions; the open evening is in the table only
    rows = soup.select("#rate-table tbody tr")
    assert len(rows) == 5
    rates = [r.select_one(".rate").get_text(strip=True) for r in rows if r.select_one(".rate")]
    # oldest first (5, 12, 19 Nov, 3 Dec): the fixture gives today's session the first place in each plan
    assert rates == ["75 %", "50 %", "25 %", "75 %"]
    assert "40" in rows[-2].get_text() or "40" in soup.select_one("#rate-table").get_text()


def test_person_page_per_cohort(history, login_as):
    client = login_as(history.world.organiser_a)
    person = history.people[1]
    soup = BeautifulSoup(client.get(f"/personen/{person.id}/anwesenheit").data, "html.parser")
    row = soup.select_one(f"#person-cohorts tr[data-cohort-id='{history.cohort.id}']")
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert cells[1:] == ["4", "3", "0", "1", "75 %"]
    assert len(soup.select("#person-records tbody tr")) == 4
