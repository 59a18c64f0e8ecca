from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.mentoring import services
from coaching.mentoring.lifecycle import PAIRING_TRANSITIONS, check_pairing_transition
from coaching.mentoring.models import Pairing, PairingKind, PairingStatus

P = PairingStatus


def test_transition_table_allows_the_lifecycle_and_refuses_the_rest(cast):
    pairing = services.create_pairing(
        cast.world.organiser_a, mentor=cast.arabic_far, mentee=cast.mentee, kind=PairingKind.BEIRAT_PEER
    )
    assert pairing.status == P.PROPOSED
    for target in (P.ACTIVE, P.PAUSED, P.ACTIVE, P.COMPLETED):
        services.change_pairing_status(cast.world.organiser_a, pairing, target)
        assert pairing.status == target
    assert pairing.started_on is not None and pairing.ended_on is not None
    with pytest.raises(DomainError, match="endgültig"):
        services.change_pairing_status(cast.world.organiser_a, pairing, P.ACTIVE)
    db.session.refresh(pairing)
    assert pairing.status == P.COMPLETED


@pytest.mark.parametrize("current,target", [(c, t) for c in P for t in P if t not in PAIRING_TRANSITIONS[c]])
def test_every_invalid_transition_is_refused_with_a_message(current, target):
    with pytest.raises(DomainError) as err:
        check_pairing_transition(current, target)
    assert "kann nicht" in err.value.message


def test_invalid_transition_from_the_page_changes_nothing(cast, client, login_as):
    pairing = db.session.get(
        Pairing,
        services.create_pairing(
            cast.world.organiser_a, mentor=cast.arabic_far, mentee=cast.mentee, kind=PairingKind.BEIRAT_PEER
        ).id,
    )
    login_as(cast.world.organiser_a)
    response = client.post(
        f"/mentoring/paare/{pairing.id}/status", data={"status": "paused"}, follow_redirects=True
    )
    soup = BeautifulSoup(response.data, "html.parser")
    assert "kann nicht" in soup.select_one(".alert-danger").text
    db.session.refresh(pairing)
    assert pairing.status == P.PROPOSED


def test_capacity_override_needs_a_reason(cast):
    with pytest.raises(DomainError) as err:
        services.create_pairing(
            cast.world.organiser_a,
            mentor=cast.arabic_full,
            mentee=cast.mentee,
            kind=PairingKind.BEIRAT_PEER,
            override_reason="  ",
        )
    assert err.value.field == "override_reason" and "ausgelastet" in err.value.message
    assert db.session.query(Pairing).filter_by(mentee_id=cast.mentee.id).count() == 0
    pairing = services.create_pairing(
        cast.world.organiser_a,
        mentor=cast.arabic_full,
        mentee=cast.mentee,
        kind=PairingKind.BEIRAT_PEER,
        override_reason="Spricht als Einziger Arabisch",
    )
    assert pairing.capacity_override_reason == "Spricht als Einziger Arabisch"


def test_capacity_override_from_the_form(cast, client, login_as):
    login_as(cast.world.organiser_a)
    url = f"/mentoring/paare/neu?mentee={cast.mentee.id}"
    refused = client.post(url, data={"mentor_id": cast.arabic_full.id, "kind": "beirat_peer"})
    soup = BeautifulSoup(refused.data, "html.parser")
    assert "ausgelastet" in soup.select_one("#override_reason-error").text
    assert db.session.query(Pairing).filter_by(mentee_id=cast.mentee.id).count() == 0
    accepted = client.post(
        url,
        data={
            "mentor_id": cast.arabic_full.id,
            "kind": "beirat_peer",
            "override_reason": "Wunsch der Familie",
        },
    )
    assert accepted.status_code == 302
    assert db.session.query(Pairing).filter_by(mentee_id=cast.mentee.id).one().capacity_override_reason


def test_mentor_with_free_place_is_paired_without_reason(cast, client, login_as):
    login_as(cast.world.organiser_a)
    response = client.post(
        f"/mentoring/paare/neu?mentee={cast.mentee.id}",
        data={"mentor_id": cast.arabic_far.id, "kind": "beirat_peer"},
    )
    assert response.status_code == 302
    pairing = db.session.query(Pairing).filter_by(mentee_id=cast.mentee.id).one()
    assert pairing.capacity_override_reason is None and pairing.status == P.PROPOSED
