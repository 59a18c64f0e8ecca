"""Organisation scoping over every route that exists: organiser/coach of A never reach B's objects.

Walks the URL map, so new routes are covered automatically. A route argument this test does not know fails
the test: add B's object for it below.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from coaching.attendance.models import Attendance, SessionDocument
from coaching.core import clock, tokens
from coaching.extensions import db
from coaching.mail.models import OutboxMessage
from coaching.materials.models import Audience, Material
from coaching.mentoring.models import MentoringMeeting, Pairing, PairingKind
from coaching.people.models import PersonKind
from tests import factories

SECRET = "Zzyzx"  # appears only in organisation B's data
# Objects that are not owned by one organisation (shared reference data); access to them is role-based.
GLOBAL_ARGS = {"programme_id", "region_id", "organisation_id", "council_id", "kind", "name"}
# Endpoints anyone may open (token links authenticate by their token).
PUBLIC_PREFIXES = ("static", "core.healthz", "accounts.", "materials.public", "calendar.region_feed",
                   "calendar.public_feeds", "notifications.unsubscribe")


def _b_objects(world) -> dict[str, int]:
    org_b = world.org_b
    mentor = factories.person(org_b, PersonKind.MENTOR, first_name=f"{SECRET}Mentor")
    mentee = factories.person(org_b, first_name=f"{SECRET}Person")
    cohort = factories.cohort(org_b, world.programme, world.region)
    cohort.name = f"{SECRET} Kohorte"
    factories.enrol(cohort, mentee)
    session = factories.session(cohort, topic=f"{SECRET} Thema")
    db.session.add(Attendance(session_id=session.id, person_id=mentee.id))
    pairing = Pairing(organisation_id=org_b.id, mentor_id=mentor.id, mentee_id=mentee.id,
                      kind=PairingKind.BEIRAT_PEER)
    db.session.add(pairing)
    db.session.flush()
    start = clock.now() + timedelta(days=3)
    meeting = MentoringMeeting(pairing_id=pairing.id, ical_uid=tokens.new_uid("meeting"), starts_at=start,
                               ends_at=start + timedelta(hours=1))
    material = Material(organisation_id=org_b.id, slug=f"{SECRET.lower()}-material",
                        title=f"{SECRET} Material", topic="Ausbildung", audience=Audience.PARENTS)
    message = OutboxMessage(idempotency_key=f"{SECRET}:1", kind="test", organisation_id=org_b.id,
                            recipient_email=mentee.email, recipient_person_id=mentee.id,
                            sender="x@example.org", subject=f"{SECRET} Betreff", send_after=clock.now())
    document = SessionDocument(session_id=session.id, stored_name=f"{SECRET}.pdf",
                               original_name="scan.pdf", content_type="application/pdf", size=10)
    db.session.add_all([meeting, material, message, document])
    council = factories.council(world.region)
    db.session.commit()
    return {
        "cohort_id": cohort.id,
        "session_id": session.id,
        "person_id": mentee.id,
        "pairing_id": pairing.id,
        "meeting_id": meeting.id,
        "material_id": material.id,
        "message_id": message.id,
        "user_id": world.organiser_b.id,
        "document_id": document.id,
        "programme_id": world.programme.id,
        "region_id": world.region.id,
        "organisation_id": world.org_b.id,
        "council_id": council.id,
        "kind": "region",
        "name": "missing-mail",
    }


def _rules():
    """Every route of the app, collected once at import so that each is its own test case."""
    from coaching import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted((rule for rule in app.url_map.iter_rules()
                   if not rule.endpoint.startswith(PUBLIC_PREFIXES) and "token" not in rule.arguments),
                  key=lambda rule: rule.rule)


RULES = _rules()


def _url(rule, ids: dict[str, int]) -> str:
    unknown = set(rule.arguments) - set(ids)
    assert not unknown, f"{rule.rule}: unknown route argument(s) {unknown}; add B's object in test_access.py"
    return rule.build({name: ids[name] for name in rule.arguments}, append_unknown=False)[1]


def _filters(ids):
    keys = ("cohort", "cohort_id", "person", "person_id", "coach", "session", "pairing", "mentee", "mentor",
            "organisation_id", "programme", "region")
    value = {"cohort": ids["cohort_id"], "cohort_id": ids["cohort_id"], "session": ids["session_id"],
             "pairing": ids["pairing_id"], "organisation_id": ids["organisation_id"]}
    return {k: value.get(k, ids["person_id"]) for k in keys}


@pytest.mark.parametrize("role", ["organiser_a", "coach_a"])
@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.endpoint}")
def test_nothing_of_organisation_b_is_reachable(client, world, login_as, role, rule):
    ids = _b_objects(world)
    login_as(getattr(world, role))
    url = _url(rule, ids)
    own_args = set(rule.arguments) - GLOBAL_ARGS
    for method in sorted(rule.methods & {"GET", "POST"}):
        if method == "GET" and not rule.arguments:
            response = client.get(url, query_string=_filters(ids))
            assert response.status_code in (200, 302, 400, 403, 404), (url, response.status_code)
            assert SECRET not in response.get_data(as_text=True), f"{url} shows organisation B's data"
        elif own_args:
            response = client.open(url, method=method, data={})
            assert response.status_code in (403, 404), f"{method} {url} → {response.status_code}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.endpoint}")
def test_anonymous_visitors_are_sent_to_login(client, world, rule):
    url = _url(rule, _b_objects(world))
    for method in sorted(rule.methods & {"GET", "POST"}):
        response = client.open(url, method=method)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/konto/anmelden"), url
        else:
            assert response.status_code in (401, 403, 404), f"{method} {url} → {response.status_code}"


def test_every_route_is_checked():
    assert len(RULES) > 50


def test_admin_pages_refuse_organisers(app, client, world, login_as):
    login_as(world.organiser_a)
    response = client.get("/")
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.find(string=lambda s: s and "Postfach (Test)" in s) is None
