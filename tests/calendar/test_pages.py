"""Staff pages: feed links per person and cohort, publishing, .ics download; organisation scope."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from flask import render_template_string
from sqlalchemy import func, select

from coaching.cohorts.models import CohortStatus
from coaching.extensions import db
from coaching.mail.models import OutboxMessage


def test_person_calendar_page_shows_links_once_and_renews(login_as, series, world):
    client = login_as(world.organiser_a)
    ana = series.participants[0]
    page = BeautifulSoup(client.get(f"/personen/{ana.id}/kalender").data, "html.parser")
    assert page.select_one("[data-testid=feed-links]") is None
    page = BeautifulSoup(client.post(f"/personen/{ana.id}/kalender").data, "html.parser")
    webcal = page.select_one("[data-testid=webcal]")["href"]
    google = page.select_one("[data-testid=google]")["href"]
    assert webcal.startswith("webcal://coaching.test/kalender/") and webcal.endswith(".ics")
    assert parse_qs(urlsplit(google).query)["cid"] == [webcal]
    feed_path = urlsplit(webcal).path
    assert client.get(feed_path).status_code == 200
    client.post(f"/personen/{ana.id}/kalender")
    assert client.get(feed_path).status_code == 404


def test_other_organisation_gets_404(login_as, series, world):
    client = login_as(world.organiser_b)
    ana = series.participants[0]
    assert client.get(f"/personen/{ana.id}/kalender").status_code == 404
    assert client.post(f"/kohorten/{series.cohort.id}/veroeffentlichen").status_code == 404
    assert client.get(f"/termine/{series.sessions[0].id}/termin.ics").status_code == 404


def test_publish_button_invites(login_as, series, world):
    client = login_as(world.organiser_a)
    page = BeautifulSoup(client.get(f"/kohorten/{series.cohort.id}/kalender").data, "html.parser")
    form = page.select_one(f"form[action='/kohorten/{series.cohort.id}/veroeffentlichen']")
    response = client.post(form["action"])
    assert response.status_code == 302
    assert series.cohort.status == CohortStatus.PUBLISHED
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 9


def test_staff_session_ics_download(login_as, series, world):
    client = login_as(world.organiser_a)
    response = client.get(f"/termine/{series.sessions[1].id}/termin.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]


def test_add_links_include(app, series):
    with app.test_request_context("/"):
        html = render_template_string('{% include "calendar/_add_links.html" %}', session=series.sessions[1])
    links = [a["href"] for a in BeautifulSoup(html, "html.parser").select("a")]
    google = parse_qs(urlsplit(links[0]).query)
    assert google["dates"] == ["20260329T080000Z/20260329T093000Z"]
    assert parse_qs(urlsplit(links[1]).query)["startdt"] == ["2026-03-29T08:00:00Z"]
    assert links[2] == f"/termine/{series.sessions[1].id}/termin.ics"


def test_public_feed_page(client, series, world):
    page = BeautifulSoup(client.get("/kalender/oeffentlich").data, "html.parser")
    assert page.select_one("[data-testid=webcal]")["href"] == f"webcal://coaching.test/kalender/region/{world.region.id}.ics"
