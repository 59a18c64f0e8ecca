from __future__ import annotations

from datetime import time, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from coaching.attendance.models import Answer, Attendance, Outcome
from coaching.cohorts.models import Enrolment, EnrolmentStatus
from coaching.extensions import db
from coaching.materials.models import Audience, Material, MaterialFile, MaterialStatus, SessionMaterial
from coaching.notifications.scheduler import run_due
from tests import factories
from tests.notifications.conftest import END, SESSION_DAY, at, queued

DUE = END + timedelta(hours=2, minutes=1)  # default follow-up rule: 2 hours after the end


def record(session, person, outcome=None, answer=Answer.ACCEPTED) -> Attendance:
    row = Attendance(session_id=session.id, person_id=person.id, answer=answer, outcome=outcome)
    db.session.add(row)
    return row


def material(org, slug: str, languages=("de", "ar"), status=MaterialStatus.PUBLISHED) -> Material:
    m = Material(organisation_id=org.id, slug=slug, title=f"Handreichung {slug}", topic="Ausbildung",
                 audience=Audience.PARENTS, status=status)
    for n, language in enumerate(languages):
        m.files.append(MaterialFile(language=language, stored_name=f"{slug}-{n}", original_name=f"{slug}.pdf",
                                    content_type="application/pdf", size=10, sha256="0" * 64))
    db.session.add(m)
    db.session.flush()
    return m


@pytest.fixture
def outcomes(setup):
    s = setup
    attended, no_show, excused, declined, open_ = (s.people[0], s.add_participant(), s.add_participant(),
                                                   s.add_participant(), s.add_participant())
    record(s.session, attended, Outcome.ATTENDED)
    record(s.session, no_show, Outcome.NO_SHOW)
    record(s.session, excused, Outcome.EXCUSED)
    record(s.session, declined, answer=Answer.DECLINED)
    record(s.session, open_)  # accepted, but no outcome recorded yet
    handout = material(s.world.org_a, "duale-ausbildung-eltern")
    draft = material(s.world.org_a, "entwurf", status=MaterialStatus.DRAFT)
    for m in (handout, draft):
        db.session.add(SessionMaterial(session_id=s.session.id, material_id=m.id))
    nxt = factories.session(s.cohort, SESSION_DAY + timedelta(days=7), time(18, 0), topic="Bewerbung")
    db.session.commit()
    return {"attended": attended, "no_show": no_show, "excused": excused, "declined": declined,
            "open": open_, "next": nxt}


def _followup_for(person):
    (message,) = [m for m in queued("session_followup") if m.recipient_person_id == person.id]
    return message, BeautifulSoup(message.body_html, "html.parser")


def test_followup_is_due_two_hours_after_the_end(setup, outcomes):
    with at(END + timedelta(hours=1, minutes=59)):
        assert run_due()["session_followups"] == 0
    with at(DUE):
        assert run_due()["session_followups"] == 4
        assert run_due()["session_followups"] == 0


def test_followup_content_differs_by_outcome(setup, outcomes):
    with at(DUE):
        run_due()

    message, soup = _followup_for(outcomes["attended"])
    lead = soup.find(attrs={"data-role": "lead"}).get_text()
    assert "vielen Dank" in lead and "vermisst" not in lead
    links = [a["href"] for a in soup.find(attrs={"data-role": "materials"}).find_all("a")]
    assert links == ["http://coaching.test/materialien/duale-ausbildung-eltern"]  # the draft is not offered
    assert soup.find(attrs={"data-role": "feedback"}).find("a")["href"].startswith("mailto:")
    assert "Bewerbung" in soup.find(attrs={"data-role": "next-session"}).get_text()
    assert "http://coaching.test/materialien/duale-ausbildung-eltern" in message.body_text
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    for name in ("no_show", "excused"):
        message, soup = _followup_for(outcomes[name])
        assert "vermisst" in soup.find(attrs={"data-role": "lead"}).get_text()
        assert "vermisst" in message.subject
        assert soup.find(attrs={"data-role": "materials"}) is not None
        assert soup.find(attrs={"data-role": "feedback"}) is None
        assert "Bewerbung" in soup.find(attrs={"data-role": "next-session"}).get_text()

    message, soup = _followup_for(outcomes["declined"])
    lead = soup.find(attrs={"data-role": "lead"}).get_text()
    assert "abgesagt" in lead and "vermisst" not in lead and "vielen Dank" not in lead
    assert not [m for m in queued("session_followup") if m.recipient_person_id == outcomes["open"].id]


def test_outcome_recorded_later_sends_then_and_a_changed_outcome_never_sends_twice(setup, outcomes):
    with at(DUE):
        run_due()
    attendance = db.session.scalars(select(Attendance).where(
        Attendance.person_id == outcomes["attended"].id)).one()
    assert attendance.followup_sent_at == DUE

    open_row = db.session.scalars(select(Attendance).where(Attendance.person_id == outcomes["open"].id)).one()
    open_row.outcome = Outcome.ATTENDED
    attendance.outcome = Outcome.NO_SHOW  # corrected after the thank-you went out
    db.session.commit()
    with at(DUE + timedelta(days=1)):
        assert run_due()["session_followups"] == 1
    assert len(queued("session_followup")) == 5
    message, _soup = _followup_for(outcomes["attended"])
    assert "Danke" in message.subject


def test_no_followup_for_sessions_older_than_two_weeks(setup, outcomes):
    with at(END + timedelta(days=15)):
        assert run_due()["session_followups"] == 0


def test_no_followup_for_unsubscribed_undeliverable_or_withdrawn(setup, outcomes):
    outcomes["no_show"].unsubscribed_at = END
    outcomes["attended"].email = None
    excused_id = outcomes["excused"].id
    enrolment = db.session.scalars(select(Enrolment).where(Enrolment.person_id == excused_id)).one()
    enrolment.status = EnrolmentStatus.WITHDRAWN
    db.session.commit()
    with at(DUE):
        assert run_due()["session_followups"] == 1
    assert [m.recipient_person_id for m in queued("session_followup")] == [outcomes["declined"].id]
