"""Another organisation's organiser gets 404 on pairings, meetings and mentor profiles; coaches get 403."""

from __future__ import annotations

import pytest

from coaching.extensions import db
from coaching.mentoring import services
from coaching.mentoring.models import MentorProfile
from tests.mentoring.conftest import FIRST, pairing


@pytest.fixture
def objects(cast):
    pair = pairing(cast.world, cast.arabic_far, cast.mentee)
    meeting = services.propose_meeting(
        cast.world.organiser_a, pair, services.Proposal(options=[FIRST], venue="X")
    )
    return pair, meeting


def _urls(cast, pair, meeting):
    return [
        ("GET", f"/mentoring/paare/{pair.id}"),
        ("POST", f"/mentoring/paare/{pair.id}/status"),
        ("GET", f"/mentoring/paare/{pair.id}/treffen/neu"),
        ("GET", f"/mentoring/treffen/{meeting.id}"),
        ("GET", f"/mentoring/treffen/{meeting.id}/neu-vorschlagen"),
        ("POST", f"/mentoring/treffen/{meeting.id}/absagen"),
        ("GET", f"/mentoring/mentoren/{cast.arabic_far.id}"),
        ("POST", f"/mentoring/mentoren/{cast.arabic_far.id}"),
        ("GET", f"/mentoring/paare/neu?mentee={cast.mentee.id}"),
    ]


def test_other_organisation_gets_404(cast, objects, client, login_as):
    login_as(cast.world.organiser_b)
    for method, url in _urls(cast, *objects):
        assert client.open(url, method=method, data={"status": "cancelled"}).status_code == 404, url
    lists = [
        client.get(u).get_data(as_text=True)
        for u in ("/mentoring/paare", "/mentoring/mentoren", "/mentoring/offen")
    ]
    assert not any("Samira" in page or "Omar" in page for page in lists)


def test_own_organisation_and_admin_see_them(cast, objects, client, login_as):
    login_as(cast.world.organiser_a)
    for method, url in _urls(cast, *objects):
        if method == "GET":
            assert client.get(url).status_code == 200, url


def test_coaches_are_not_staff(cast, objects, client, login_as):
    login_as(cast.world.coach_a)
    assert client.get(f"/mentoring/paare/{objects[0].id}").status_code == 403


def test_organiser_creates_and_edits_a_mentor_profile(cast, client, login_as):
    login_as(cast.world.organiser_a)
    person = cast.busy_mentee
    assert client.get(f"/mentoring/mentoren/{person.id}").status_code == 200
    bad = client.post(
        f"/mentoring/mentoren/{person.id}", data={"languages": ["xx"], "region_id": "0", "capacity": "3"}
    )
    assert (
        bad.status_code == 200 and db.session.query(MentorProfile).filter_by(person_id=person.id).count() == 0
    )
    ok = client.post(
        f"/mentoring/mentoren/{person.id}",
        data={
            "languages": ["de", "tr"],
            "region_id": "0",
            "capacity": "3",
            "topics": "Bewerbung, Praktikum",
            "active": "y",
        },
    )
    assert ok.status_code == 302
    saved = db.session.query(MentorProfile).filter_by(person_id=person.id).one()
    assert (saved.languages, saved.topics, saved.capacity) == (["de", "tr"], ["Bewerbung", "Praktikum"], 3)
