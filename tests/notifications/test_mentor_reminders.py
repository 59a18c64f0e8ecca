from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from coaching.core import tokens
from coaching.extensions import db
from coaching.mentoring.models import (
    MeetingOption,
    MeetingStatus,
    MentoringMeeting,
    Pairing,
    PairingKind,
    PairingStatus,
)
from coaching.notifications.scheduler import mentor_link_builder, run_due
from coaching.people.models import PersonKind
from tests import factories
from tests.notifications.conftest import START, at, queued

PROPOSED = START - timedelta(days=10)


@pytest.fixture
def meeting(setup):
    world = setup.world
    mentor = factories.person(world.org_a, PersonKind.MENTOR, first_name="Olena", language="uk")
    mentee = factories.person(world.org_a, first_name="Samir", last_name="Haddad")
    pairing = Pairing(organisation_id=world.org_a.id, programme_id=setup.programme.id, mentor_id=mentor.id,
                      mentee_id=mentee.id, kind=PairingKind.BEIRAT_PEER, status=PairingStatus.ACTIVE)
    db.session.add(pairing)
    db.session.flush()
    m = MentoringMeeting(pairing_id=pairing.id, status=MeetingStatus.PROPOSED,
                         ical_uid=tokens.new_uid("meeting"), created_at=PROPOSED, proposed_at=PROPOSED,
                         venue="Rathaus", topics=[])
    m.options = [MeetingOption(starts_at=START, ends_at=START + timedelta(hours=1))]
    db.session.add(m)
    db.session.commit()
    return m


def test_one_reminder_to_a_mentor_who_has_not_answered(setup, meeting):
    assert mentor_link_builder() is not None, "coaching.mentoring.links.mentor_meeting_url is expected"
    with at(PROPOSED + timedelta(days=2) - timedelta(minutes=1)):
        assert run_due()["mentor_reminders"] == 0
    with at(PROPOSED + timedelta(days=2)):
        assert run_due()["mentor_reminders"] == 1
    with at(PROPOSED + timedelta(days=4)):
        assert run_due()["mentor_reminders"] == 0

    (message,) = queued("mentor_reminder")
    assert message.meeting_id == meeting.id and message.language == "uk"
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    soup = BeautifulSoup(message.body_html, "html.parser")
    assert "Samir Haddad" in soup.get_text()
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert any("/abmelden/" in h for h in hrefs)
    assert any(h.startswith("http://coaching.test/") and "/abmelden/" not in h for h in hrefs)
    db.session.expire_all()
    assert db.session.get(MentoringMeeting, meeting.id).reminder_sent_at == PROPOSED + timedelta(days=2)


def test_no_reminder_once_answered_or_when_the_request_was_sent_again_recently(setup, meeting):
    meeting.proposed_at = PROPOSED + timedelta(days=3)  # new times were proposed
    db.session.commit()
    with at(PROPOSED + timedelta(days=4)):
        assert run_due()["mentor_reminders"] == 0
    meeting.status = MeetingStatus.CONFIRMED
    db.session.commit()
    with at(PROPOSED + timedelta(days=6)):
        assert run_due()["mentor_reminders"] == 0
