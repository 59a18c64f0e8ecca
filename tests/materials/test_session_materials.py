"""Attaching materials to a session, and the follow-up email's link into the public download area."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from coaching.attendance.models import Answer, Attendance, Outcome
from coaching.audit.models import AuditEntry
from coaching.cohorts.models import CohortStatus
from coaching.extensions import db
from coaching.materials.models import SessionMaterial
from coaching.notifications.scheduler import run_due
from coaching.programmes.services import ensure_default_rules
from tests import factories
from tests.notifications.conftest import END, at, path_of, queued
from tests.querycount import count_queries


def attached(session) -> set[int]:
    return set(db.session.scalars(select(SessionMaterial.material_id).where(SessionMaterial.session_id == session.id)))


def attach(client, session, material_id):
    return client.post(f"/termine/{session.id}/materialien", data={"material_id": material_id})


def detach(client, session, material):
    return client.post(f"/termine/{session.id}/materialien/{material.id}/entfernen")


def panel(client, session) -> BeautifulSoup:
    response = client.get(f"/termine/{session.id}")
    assert response.status_code == 200
    return BeautifulSoup(response.data, "html.parser").find(id="session-materials")


def test_organiser_attaches_and_detaches_through_the_session_page(client, mats, login_as):
    login_as(mats.world.organiser_a)
    offered = {int(o["value"]) for o in panel(client, mats.session).select("#attach-material option")}
    assert offered == {mats.handout.id, mats.flyer.id}  # published, own organisation

    response = attach(client, mats.session, mats.handout.id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/termine/{mats.session.id}#materials-heading")
    assert attach(client, mats.session, mats.handout.id).status_code == 302  # twice is harmless
    assert attached(mats.session) == {mats.handout.id}
    soup = panel(client, mats.session)
    assert [li["data-material-id"] for li in soup.select("li[data-material-id]")] == [str(mats.handout.id)]
    assert {int(o["value"]) for o in soup.select("#attach-material option")} == {mats.flyer.id}

    assert detach(client, mats.session, mats.handout).status_code == 302
    assert detach(client, mats.session, mats.handout).status_code == 302  # already gone: nothing happens
    assert attached(mats.session) == set()
    actions = db.session.scalars(select(AuditEntry.action)
                                 .where(AuditEntry.action.like("material.%")).order_by(AuditEntry.id)).all()
    assert actions == ["material.attached", "material.detached"]


def test_only_published_materials_can_be_attached(client, mats, login_as):
    login_as(mats.world.organiser_a)
    for m in (mats.draft, mats.retired):
        response = attach(client, mats.session, m.id)
        assert response.status_code == 302
    assert attached(mats.session) == set()
    assert "veröffentlichte" in panel(client, mats.session).find_previous(role="alert").get_text()


@pytest.mark.parametrize("value", ["", "abc", "-3", "99999999999999"])
def test_bad_material_id_changes_nothing(client, mats, login_as, value):
    login_as(mats.world.organiser_a)
    assert attach(client, mats.session, value).status_code == 302
    assert attached(mats.session) == set()


def test_unknown_material_answers_404(client, mats, login_as):
    login_as(mats.world.organiser_a)
    assert attach(client, mats.session, 987654).status_code == 404


@pytest.mark.parametrize("user", ["organiser_a", "admin"])
def test_another_organisations_material_or_session_answers_404(client, mats, login_as, user):
    login_as(getattr(mats.world, user))
    assert attach(client, mats.session, mats.foreign.id).status_code == 404  # material of B on A's session
    assert detach(client, mats.session, mats.foreign).status_code == 404
    if user == "organiser_a":
        assert attach(client, mats.foreign_session, mats.foreign.id).status_code == 404  # B's session
        assert detach(client, mats.foreign_session, mats.foreign).status_code == 404
    assert attach(client, mats.foreign_session, mats.handout.id).status_code == 404  # A's material on B's session
    assert attached(mats.session) == attached(mats.foreign_session) == set()


def test_coaches_see_the_materials_but_cannot_change_them(client, mats, login_as):
    db.session.add(SessionMaterial(session_id=mats.session.id, material_id=mats.handout.id))
    db.session.commit()
    login_as(mats.world.coach_a)
    soup = panel(client, mats.session)
    assert soup.find("a", string="Handreichung duale-ausbildung")["href"] == "/materialien/duale-ausbildung"
    assert soup.find("form") is None
    assert attach(client, mats.session, mats.flyer.id).status_code == 403
    assert detach(client, mats.session, mats.handout).status_code == 403


def test_panel_queries_do_not_grow_with_materials(client, mats, login_as):
    from tests.materials.conftest import material

    login_as(mats.world.organiser_a)
    with count_queries() as few:
        panel(client, mats.session)
    for n in range(4):
        m = material(mats.world.org_a, f"noch-{n}")
        db.session.add(SessionMaterial(session_id=mats.session.id, material_id=m.id))
    db.session.commit()
    with count_queries() as many:
        panel(client, mats.session)
    assert many.count == few.count


def test_followup_email_links_to_the_public_page(app, client, mats, login_as):
    ensure_default_rules(mats.cohort.programme)
    mats.cohort.status = CohortStatus.PUBLISHED
    person = factories.person(mats.world.org_a, first_name="Amira")
    factories.enrol(mats.cohort, person)
    db.session.add(Attendance(session_id=mats.session.id, person_id=person.id, answer=Answer.ACCEPTED,
                              outcome=Outcome.ATTENDED))
    db.session.commit()
    login_as(mats.world.organiser_a)
    attach(client, mats.session, mats.handout.id)

    with at(END + timedelta(hours=2, minutes=1)):
        assert run_due()["session_followups"] == 1
    (message,) = queued("session_followup")
    links = [a["href"] for a in BeautifulSoup(message.body_html, "html.parser")
             .find(attrs={"data-role": "materials"}).find_all("a")]
    assert links == ["http://coaching.test/materialien/duale-ausbildung"]

    response = app.test_client().get(path_of(links[0]))  # a participant, not signed in
    assert response.status_code == 200
    assert BeautifulSoup(response.data, "html.parser").find("h1").get_text() == "Handreichung duale-ausbildung"
    assert db.session.scalar(select(func.count()).select_from(SessionMaterial)) == 1
