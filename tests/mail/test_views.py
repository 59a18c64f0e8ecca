"""Mailbox page (fed by the real mail catcher) and the sending status page."""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from coaching.accounts.models import Role
from coaching.extensions import db
from coaching.mail import catcher, worker
from coaching.mail.models import AddressSuppression, OutboxMessage, OutboxStatus
from config import ProductionConfig
from tests import factories
from tests.conftest import login
from tests.querycount import count_queries

from .conftest import free_port
from .support import queue


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_catcher_stores_what_the_worker_sends_and_the_mailbox_shows_it(app, world, login_as, monkeypatch):
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    server = catcher.controller(app.config["MAIL_CATCHER_DIR"], port=port)
    server.start()
    try:
        queue(1, ical_method="REQUEST", kind="invitation", prefix="anna")
        assert worker.run_once(app)["sent"] == 1
    finally:
        server.stop()

    client = login_as(world.admin)
    rows = _soup(client.get("/postfach")).select("#mailbox tbody tr")
    assert len(rows) >= 1
    row = next(r for r in rows if "anna0@example.org" in r.get_text())
    assert "Einladung 0: Größe & Übersicht" in row.get_text() and "invitation" in row.get_text()

    page = _soup(client.get(row.find("a")["href"]))
    headers = {th.get_text(): td.get_text() for th, td in
               (tr.find_all(["th", "td"]) for tr in page.select("#headers tr"))}
    assert headers["Delivered-To"] == "anna0@example.org"
    assert headers["Return-Path"] == f"<{app.config['MAIL_REPLY_ADDRESS']}>"
    calendar = page.select_one("#calendar").get_text(" ", strip=True)
    assert "REQUEST" in calendar and "Das duale Ausbildungssystem" in calendar
    assert "18:00" in calendar  # 17:00 UTC shown in Berlin time
    assert "invite.ics" in page.select_one("#attachments").get_text()
    iframe = page.find("iframe")
    assert iframe["sandbox"] in ("", []) and "<b>willkommen</b>" in iframe["srcdoc"]
    assert "Hallo 0" in page.select_one("#text-body").get_text()


def test_mailbox_is_for_admins_and_absent_in_production(app, world, login_as, monkeypatch):
    client = login_as(world.organiser_a)
    assert client.get("/postfach").status_code == 403
    assert client.get("/postfach/abc").status_code == 403
    assert ProductionConfig.MAILBOX_PAGE_ENABLED is False
    monkeypatch.setitem(app.config, "MAILBOX_PAGE_ENABLED", False)
    assert client.get("/postfach").status_code == 404
    admin = app.test_client()
    login(admin, world.admin)
    assert admin.get("/postfach").status_code == 404


def test_unknown_mailbox_name_is_404(world, login_as):
    client = login_as(world.admin)
    assert client.get("/postfach/..%2F..%2Fconfig.py").status_code == 404
    assert client.get("/postfach/nope").status_code == 404


def _failed_messages(world):
    queue(2, organisation_id=world.org_a.id, prefix="a")
    queue(1, organisation_id=world.org_b.id, prefix="b")
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    for row in rows:
        row.status, row.last_error, row.attempts = OutboxStatus.FAILED, "550 5.1.1 User unknown", 1
    rows[1].status = OutboxStatus.SENT
    db.session.add(AddressSuppression(email="a0@example.org", reason="550 5.1.1 User unknown"))
    db.session.commit()
    return rows


def test_status_page_shows_only_own_organisation(app, world, login_as):
    a0, _a1, b0 = _failed_messages(world)
    page = _soup(login_as(world.organiser_a).get("/versand"))
    counts = {li["data-status"]: int(li.find("strong").get_text()) for li in page.select("#status-counts li")}
    assert counts["failed"] == 1 and counts["sent"] == 1 and counts["pending"] == 0
    listed = [tr["data-message"] for tr in page.select("#messages tbody tr")]
    assert listed == [str(a0.id)]
    assert "550 5.1.1 User unknown" in page.select_one("#messages .reason").get_text()
    assert page.select_one("#messages form button")  # retry button

    admin = app.test_client()
    login(admin, world.admin)
    admin_page = _soup(admin.get("/versand?status=failed"))
    assert {tr["data-message"] for tr in admin_page.select("#messages tbody tr")} == {str(a0.id), str(b0.id)}


def test_retry_requeues_and_lifts_suppression(world, login_as, smtp, app):
    a0, _a1, b0 = _failed_messages(world)
    client = login_as(world.organiser_a)
    assert client.post(f"/versand/{b0.id}/erneut").status_code == 404  # another organisation's
    response = client.post(f"/versand/{a0.id}/erneut")
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(OutboxMessage, a0.id)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.PENDING, 0, None)
    assert db.session.get(AddressSuppression, "a0@example.org") is None
    assert worker.run_once(app)["sent"] == 1
    assert smtp.handler.recipients() == ["a0@example.org"]
    # Retrying something that is not failed says why and changes nothing.
    page = _soup(client.post(f"/versand/{a0.id}/erneut", follow_redirects=True))
    assert "Nur fehlgeschlagene" in page.get_text()


def test_status_filter_sessions_polling_fragment_and_bad_input(world, login_as):
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    session = factories.session(cohort)
    db.session.commit()
    queue(3, organisation_id=world.org_a.id, session_id=session.id, prefix="s")
    client = login_as(world.organiser_a)

    page = _soup(client.get("/versand?status=pending"))
    assert len(page.select("#messages tbody tr")) == 3
    row = page.select_one(f'#session-counts tr[data-session="{session.id}"]')
    cells = {td["data-status"]: td.get_text() for td in row.select("td[data-status]")}
    assert cells["pending"] == "3"

    fragment = client.get("/versand", headers={"HX-Request": "true"})
    soup = _soup(fragment)
    summary = soup.select_one("#delivery-summary")
    assert summary["hx-trigger"] == "every 5s" and soup.find("html") is None

    bad = _soup(client.get("/versand?status=kaputt&session_id=x"))
    assert bad.select_one(".alert-warning") is not None
    assert bad.select_one("#status") is not None and bad.select(".invalid-feedback")


def test_status_page_query_count_is_constant(world, login_as):
    client = login_as(world.organiser_a)
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    sessions = [factories.session(cohort, topic=f"Thema {i}") for i in range(3)]
    db.session.commit()
    queue(2, organisation_id=world.org_a.id, session_id=sessions[0].id, prefix="x")
    with count_queries() as small:
        client.get("/versand?status=pending")
    for i, s in enumerate(sessions):
        queue(20, organisation_id=world.org_a.id, session_id=s.id, prefix=f"y{i}-")
    with count_queries() as large:
        client.get("/versand?status=pending")
    assert small.count == large.count <= 8


def test_status_page_needs_staff(world, login_as):
    coach = factories.user(Role.COACH, world.org_a)
    db.session.commit()
    assert login_as(coach).get("/versand").status_code == 403
