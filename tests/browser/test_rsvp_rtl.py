"""A participant's answer page in Arabic: right-to-left layout, RTL Bootstrap, and the answer is recorded."""
from __future__ import annotations

from datetime import time, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from coaching.attendance.models import Answer, AnswerSource, Attendance
from coaching.calendar import rsvp
from coaching.calendar.invitations import publish_cohort
from coaching.core import clock
from coaching.extensions import db
from tests import factories

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (test extra)")
expect = sync_api.expect

# Where the heading's text sits inside its own box: the ink of a right-aligned line ends at the right edge.
TEXT_BOX = """el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect(), box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return {direction: style.direction, align: style.textAlign,
            gapLeft: text.left - (box.left + parseFloat(style.paddingLeft)),
            gapRight: (box.right - parseFloat(style.paddingRight)) - text.right};
}"""


def _arabic(app, text: str) -> str:
    with app.test_request_context(), force_locale("ar"):
        translated = gettext(text)
    assert translated != text, f"no Arabic translation for {text!r} (compile the catalogues)"
    return translated


@pytest.fixture
def invitation(world):
    """Invited the way the calendar tests do: a published cohort, a link for the invitation's SEQUENCE."""
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    omar = factories.person(world.org_a, first_name="عمر", last_name="الحسن", language="ar")
    factories.enrol(cohort, omar)
    factories.session(cohort, day=clock.today_local() + timedelta(days=7), at=time(18, 0))
    db.session.commit()
    publish_cohort(cohort, world.organiser_a)
    row = db.session.scalar(select(Attendance).where(Attendance.person_id == omar.id))
    assert row is not None and row.invited_sequence is not None
    return row, rsvp.make_token(row, row.invited_sequence)


def test_arabic_answer_page_is_right_to_left_and_records_the_answer(app, invitation, page, screenshot):
    row, token = invitation
    page.goto(f"/antwort/{token}")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    assert page.evaluate("""() => [...document.styleSheets].some(
        s => s.href && s.href.endsWith('/bootstrap.rtl.min.css') && s.cssRules.length > 0)"""), \
        "the RTL Bootstrap stylesheet is not loaded"
    expect(page.locator('link[href*="bootstrap.min.css"]')).to_have_count(0)

    heading = page.locator("main h1")
    expect(heading).to_have_text(_arabic(app, "Nehmen Sie teil?"))
    box = heading.evaluate(TEXT_BOX)
    assert box["direction"] == "rtl" and box["align"] in ("start", "right"), box
    assert abs(box["gapRight"]) < 1 and box["gapLeft"] > 50, f"heading is not right-aligned: {box}"
    screenshot(page, "question")

    accept = page.locator("button[name=antwort][value=accepted]")
    expect(accept).to_have_text(_arabic(app, "Ja, ich komme"))
    with page.expect_navigation():
        accept.click()
    expect(page.locator("main h1")).to_have_text(_arabic(app, "Danke für Ihre Antwort"))
    expect(page.locator("[data-testid=answer]")).to_be_visible()
    expect(html).to_have_attribute("dir", "rtl")
    screenshot(page, "done")

    db.session.expire_all()
    db.session.refresh(row)
    assert row.answer == Answer.ACCEPTED and row.answer_source == AnswerSource.LINK
