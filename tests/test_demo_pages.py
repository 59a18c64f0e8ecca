"""With the demo data loaded, every page opens for every staff role: no server error, no missing object.

The demo data is what a new user sees first; this walks the URL map, so new pages are covered too.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coaching.accounts.models import Role, User
from coaching.attendance.models import SessionDocument
from coaching.cohorts.models import Cohort
from coaching.demo.loader import load_demo_data
from coaching.extensions import db
from coaching.mail.models import OutboxMessage
from coaching.materials.models import Material
from coaching.mentoring.models import MentoringMeeting, Pairing
from coaching.organisations.models import Council, Organisation, Region
from coaching.people.models import Person
from coaching.programmes.models import Programme
from coaching.scheduling.models import CoachingSession
from tests.conftest import login
from tests.querycount import count_queries

SKIP_ARGS = {"token", "name", "kind"}
MAX_QUERIES = 12
OWNED = {
    "cohort_id": (Cohort, Cohort.organisation_id),
    "person_id": (Person, Person.organisation_id),
    "pairing_id": (Pairing, Pairing.organisation_id),
    "material_id": (Material, Material.organisation_id),
    "message_id": (OutboxMessage, OutboxMessage.organisation_id),
}


def _ids(user: User) -> dict[str, int | None]:
    def first(model, column=None, *where):
        query = select(model.id)
        if column is not None and not user.is_admin:
            query = query.where(column == user.organisation_id)
        return db.session.scalar(query.where(*where).order_by(model.id).limit(1))

    ids = {arg: first(model, column) for arg, (model, column) in OWNED.items()}
    ids["session_id"] = first(CoachingSession, Cohort.organisation_id) if user.is_admin else db.session.scalar(
        select(CoachingSession.id).join(Cohort).where(Cohort.organisation_id == user.organisation_id).limit(1))
    ids["meeting_id"] = db.session.scalar(select(MentoringMeeting.id).join(Pairing).where(
        Pairing.organisation_id == (user.organisation_id or Pairing.organisation_id)).limit(1))
    ids["document_id"] = db.session.scalar(select(SessionDocument.id).limit(1))
    ids.update(programme_id=first(Programme), region_id=first(Region), council_id=first(Council),
               organisation_id=first(Organisation), user_id=user.id)
    return ids


@pytest.mark.parametrize(("role", "at_least"), [(Role.ADMIN, 30), (Role.ORGANISER, 30), (Role.COACH, 8)])
def test_every_page_opens_with_demo_data(app, client, role, at_least):
    load_demo_data()
    user = db.session.scalars(select(User).where(User.role == role).order_by(User.id)).first()
    login(client, user, password="Elternarbeit-2026!")
    ids = _ids(user)
    opened = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or SKIP_ARGS & set(rule.arguments):
            continue
        if any(ids.get(arg) is None for arg in rule.arguments):
            continue  # the demo has no such object for this role (e.g. no uploaded scan)
        url = rule.build({arg: ids[arg] for arg in rule.arguments}, append_unknown=False)[1]
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code in (200, 302, 403), f"{url} → {response.status_code}"
        # A small constant number per page (login and session loading included); N+1 shows up here.
        assert queries.count <= MAX_QUERIES, (url, queries.count, queries.statements)
        opened += response.status_code == 200
    assert opened >= at_least, opened


def test_dashboard_counts_match_the_lists_they_link_to(client):
    """"3 open mentoring requests" must lead to a list of those 3 (and the same for failed emails)."""
    from bs4 import BeautifulSoup

    load_demo_data()
    user = db.session.scalars(select(User).where(User.role == Role.ORGANISER).order_by(User.id)).first()
    login(client, user, password="Elternarbeit-2026!")
    board = BeautifulSoup(client.get("/").data, "html.parser")
    badge = board.find(attrs={"data-figure": "open-meetings"})
    link = badge.find_previous_sibling("a")
    assert int(badge.text) > 0 and link is not None
    listed = BeautifulSoup(client.get(link["href"]).data, "html.parser").select("tr[data-meeting]")
    assert len(listed) == int(badge.text)
