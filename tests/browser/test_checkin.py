"""Check-in on a phone: one tap saves one outcome in the background, the page stays where it is."""
from __future__ import annotations

import re
from datetime import time

import pytest
from sqlalchemy import select

from coaching.attendance.models import Attendance, Outcome
from coaching.core import clock
from coaching.extensions import db
from tests import factories

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (test extra)")
expect = sync_api.expect


@pytest.fixture
def today(world):
    """A session today (Berlin), with two enrolled people; nothing is frozen: the browser runs in real time."""
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    ayse = factories.person(world.org_a, first_name="Ayşe", last_name="Yılmaz", language="tr")
    juergen = factories.person(world.org_a, first_name="Jürgen", last_name="Müller")
    for person in (ayse, juergen):
        factories.enrol(cohort, person)
    session = factories.session(cohort, day=clock.today_local(), at=time(9, 0), topic="Bewerbung")
    db.session.commit()
    return session, ayse, juergen


def _outcome(session, person) -> Outcome | None:
    db.session.expire_all()
    return db.session.scalar(select(Attendance.outcome).where(Attendance.session_id == session.id,
                                                              Attendance.person_id == person.id))


@pytest.mark.parametrize("csrf", [False, True], ids=["csrf-off", "csrf-on"])
def test_tap_saves_without_reload(app, world, today, new_page, sign_in, screenshot, monkeypatch, csrf):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", csrf)
    session, ayse, juergen = today
    page = new_page(width=390, height=844, touch=True)
    sign_in(page, world.coach_a)
    page.goto(f"/termine/{session.id}/checkin")
    counts = page.locator("#checkin-counts")
    expect(counts.locator('[data-count="attended"]')).to_have_text("0")
    expect(counts.locator('[data-count="total"]')).to_have_text("2")
    page.evaluate("window.__marker = 1")

    button = page.locator(f"#person-{ayse.id} button[value=attended]")
    with page.expect_response(lambda r: r.request.method == "POST" and "/checkin/" in r.url) as answer:
        button.tap()
    response = answer.value
    assert response.status == 200 and response.json()["ok"] is True
    if csrf:  # the token travels in the header the script sets from <meta name="csrf-token">
        token = page.locator('meta[name="csrf-token"]').get_attribute("content")
        assert token and response.request.headers.get("x-csrftoken") == token

    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_class(re.compile(r"\bbtn-success\b"))
    expect(page.locator(f"#person-{ayse.id} button[value=no_show]")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#checkin-status")).to_have_text("anwesend")
    expect(counts.locator('[data-count="attended"]')).to_have_text("1")
    expect(counts.locator('[data-count="total"]')).to_have_text("2")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    screenshot(page)

    assert _outcome(session, ayse) == Outcome.ATTENDED
    assert _outcome(session, juergen) is None


def test_csrf_is_enforced_for_the_script_path(app, world, today, page, sign_in, monkeypatch):
    """With CSRF on, the same request without the token is refused: the header above is what lets it through."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    session, ayse, _juergen = today
    sign_in(page, world.coach_a)
    page.goto(f"/termine/{session.id}/checkin")
    status = page.evaluate(
        """async (url) => {
            const body = new FormData(); body.set("outcome", "attended");
            const r = await fetch(url, {method: "POST", body, headers: {"Accept": "application/json"}});
            return r.status;
        }""",
        f"/termine/{session.id}/checkin/{ayse.id}",
    )
    assert status == 400
    assert _outcome(session, ayse) is None
