from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from coaching.extensions import db
from coaching.notifications import services
from coaching.programmes.models import DEFAULT_RULES, NotificationRule, RuleKind
from coaching.programmes.services import ensure_default_rules
from tests import factories


def _url(programme):
    return f"/programme/{programme.id}/benachrichtigungen"


def _rules(programme) -> set[tuple[str, int, bool]]:
    db.session.expire_all()
    return {(r.kind.value, r.offset_minutes, r.enabled) for r in db.session.scalars(
        select(NotificationRule).where(NotificationRule.programme_id == programme.id))}


def test_ensure_default_rules_adds_only_what_is_missing(world):
    programme = factories.programme()
    assert ensure_default_rules(programme) == len(DEFAULT_RULES)
    assert ensure_default_rules(programme) == 0
    db.session.commit()
    assert len(_rules(programme)) == len(DEFAULT_RULES)


def test_admin_adds_toggles_and_removes_rules(world, login_as):
    programme = world.programme
    client = login_as(world.admin)
    page = BeautifulSoup(client.get(_url(programme)).data, "html.parser")
    assert page.find("select", attrs={"name": "kind"}) and page.find("label", attrs={"for": "amount"})

    response = client.post(_url(programme), data={"kind": "session_reminder", "amount": "1", "unit": "days"})
    assert response.status_code == 302
    assert _rules(programme) == {("session_reminder", -1440, True)}
    response = client.post(_url(programme), data={"kind": "session_followup", "amount": "3", "unit": "hours"})
    assert _rules(programme) == {("session_reminder", -1440, True), ("session_followup", 180, True)}

    rule_id = db.session.scalar(select(NotificationRule.id).where(NotificationRule.offset_minutes == 180))
    client.post(_url(programme) + "/regel", data={"rule_id": rule_id, "action": "disable"})
    assert ("session_followup", 180, False) in _rules(programme)
    client.post(_url(programme) + "/regel", data={"rule_id": rule_id, "action": "delete"})
    assert _rules(programme) == {("session_reminder", -1440, True)}

    client.post(_url(programme) + "/standard")
    assert len(_rules(programme)) == len(DEFAULT_RULES) + 1

    page = BeautifulSoup(client.get(_url(programme)).data, "html.parser")
    texts = [row.get_text(" ", strip=True) for row in page.select("[data-testid=rules] tbody tr")]
    assert any("1 Tag vorher" in t for t in texts) and any("3 Stunden vorher" in t for t in texts)


def test_bad_input_gets_a_message_and_changes_nothing(world, login_as):
    programme = world.programme
    client = login_as(world.admin)
    services.add_rule(programme, RuleKind.SESSION_REMINDER, -180, world.admin)
    before = _rules(programme)
    cases = [
        {"kind": "session_reminder", "amount": "3", "unit": "hours"},  # exists already
        {"kind": "session_reminder", "amount": "40", "unit": "days"},  # beyond 30 days
        {"kind": "session_reminder", "amount": "5", "unit": "minutes"},  # too close to the start
        {"kind": "session_followup", "amount": "10", "unit": "days"},  # follow-ups only within a week
        {"kind": "session_reminder", "amount": "0", "unit": "days"},
        {"kind": "session_reminder", "amount": "drei", "unit": "days"},
        {"kind": "gibt_es_nicht", "amount": "3", "unit": "days"},
        {"kind": "session_reminder", "amount": "3", "unit": "wochen"},
    ]
    for data in cases:
        response = client.post(_url(programme), data=data)
        assert response.status_code == 400, data
        soup = BeautifulSoup(response.data, "html.parser")
        assert soup.select(".invalid-feedback"), data
    assert _rules(programme) == before
    response = client.post(_url(programme) + "/regel", data={"rule_id": 999999, "action": "delete"},
                           follow_redirects=True)
    assert "gibt es nicht" in BeautifulSoup(response.data, "html.parser").get_text()
    assert _rules(programme) == before


def test_organisers_read_coaches_and_strangers_cannot(world, login_as, client):
    programme = world.programme
    ensure_default_rules(programme)
    db.session.commit()
    assert client.get(_url(programme)).status_code == 302  # to the login page

    organiser = login_as(world.organiser_a)
    page = BeautifulSoup(organiser.get(_url(programme)).data, "html.parser")
    assert page.select("[data-testid=rules] tbody tr") and not page.find("form", action=_url(programme))
    assert organiser.post(_url(programme), data={"kind": "session_reminder", "amount": "1",
                                                 "unit": "days"}).status_code == 403
    assert organiser.post(_url(programme) + "/standard").status_code == 403
    assert organiser.get(f"/programme/{programme.id + 999}/benachrichtigungen").status_code == 404
    organiser.post("/konto/abmelden")
    assert login_as(world.coach_a).get(_url(programme)).status_code == 403
    assert len(_rules(programme)) == len(DEFAULT_RULES)
