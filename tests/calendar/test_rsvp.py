"""Answers from email links: GET only shows, POST records, in the person's language; tampered → 404."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from coaching.attendance.models import Answer, AnswerSource, Attendance
from coaching.calendar import rsvp
from coaching.extensions import db
from coaching.mail.models import OutboxMessage


def _row(series, person, index: int = 0) -> Attendance:
    return db.session.scalar(select(Attendance).where(Attendance.session_id == series.sessions[index].id,
                                                      Attendance.person_id == person.id))


@pytest.fixture
def link(published):
    row = _row(published, published.participants[0])
    return row, f"/antwort/{rsvp.make_token(row, row.invited_sequence)}"


def test_get_shows_a_page_and_changes_nothing(client, link):
    row, url = link
    response = client.get(url + "?antwort=declined")
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    buttons = {b["value"]: b for b in page.select("form button[name=antwort]")}
    assert set(buttons) == {"accepted", "tentative", "declined"}
    assert "btn-danger" in buttons["declined"]["class"]  # the answer from the email is preselected
    assert page.select_one("[data-testid=add-links]") is not None
    db.session.refresh(row)
    assert row.answer == Answer.NEEDS_ACTION and row.answered_at is None
    assert client.head(url).status_code == 200


def test_post_records_and_is_idempotent(client, link):
    row, url = link
    for _ in range(2):
        response = client.post(url, data={"antwort": "accepted"})
        assert response.status_code == 200
    db.session.refresh(row)
    assert row.answer == Answer.ACCEPTED and row.answer_source == AnswerSource.LINK and row.answered_at
    client.post(url, data={"antwort": "declined"})
    db.session.refresh(row)
    assert row.answer == Answer.DECLINED


def test_bad_answer_changes_nothing(client, link):
    row, url = link
    assert client.post(url, data={"antwort": "maybe-later"}).status_code == 400
    db.session.refresh(row)
    assert row.answer == Answer.NEEDS_ACTION


def test_page_speaks_the_persons_language(client, published):
    omar = published.participants[1]
    row = _row(published, omar)
    page = BeautifulSoup(client.get(f"/antwort/{rsvp.make_token(row, 0)}").data, "html.parser")
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    assert page.select_one("nav") is None


def test_tampered_token_is_404(client, link):
    _row_, url = link
    assert client.get(url[:-3] + "xyz").status_code == 404
    assert client.post(url[:-3] + "xyz", data={"antwort": "accepted"}).status_code == 404


def test_outdated_link_shows_the_new_state_first(client, published):
    row = _row(published, published.participants[0])
    old_url = f"/antwort/{rsvp.make_token(row, 0)}"
    row.invited_sequence = 1
    db.session.commit()
    client.post(old_url, data={"antwort": "accepted"})
    db.session.refresh(row)
    assert row.answer == Answer.NEEDS_ACTION
    page = BeautifulSoup(client.get(old_url).data, "html.parser")
    assert "geändert" in page.select_one("[data-testid=state]").text
    form = page.select_one("form[method=post]")
    client.post(form["action"], data={"antwort": "accepted"})
    db.session.refresh(row)
    assert row.answer == Answer.ACCEPTED


def test_expired_link_offers_a_fresh_one(client, link, frozen):
    row, url = link
    row.session.starts_at += timedelta(days=300)  # still ahead when the link has expired
    row.session.ends_at += timedelta(days=300)
    db.session.commit()
    frozen.shift(timedelta(seconds=rsvp.RSVP_MAX_AGE + 60))
    page = BeautifulSoup(client.get(url).data, "html.parser")
    assert "abgelaufen" in page.select_one("[data-testid=state]").text
    client.post(url, data={"antwort": "accepted"})
    db.session.refresh(row)
    assert row.answer == Answer.NEEDS_ACTION
    before = db.session.query(OutboxMessage).count()
    client.post(page.select_one("form")["action"])
    assert db.session.query(OutboxMessage).count() == before + 1


def test_ics_download_from_the_link(client, link):
    _row_, url = link
    response = client.get(url + "/termin.ics")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"METHOD:PUBLISH" in response.data
