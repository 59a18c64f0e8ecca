"""Programmes: admins create and edit them, organisers read them."""
from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from coaching.extensions import db
from coaching.programmes.models import DEFAULT_RULES, Programme
from tests import factories


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def data(**overrides) -> dict:
    values = {"name": "Elternarbeit@Ost", "starts_on": "2022-05-01", "ends_on": "2023-10-31",
              "funder_line": "Gefördert vom BMBF", "bilingual_emails": "y", "certificate_percent": "80"}
    values.update(overrides)
    return values


def test_admin_creates_programme_with_default_rules(client, login_as, world):
    login_as(world.admin)
    response = client.post("/programme/neu", data=data())
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme).where(Programme.name == "Elternarbeit@Ost"))
    assert programme.bilingual_emails is True
    assert Decimal(programme.certificate_threshold) == Decimal("0.80")
    assert len(programme.rules) == len(DEFAULT_RULES)
    page = soup(client.get(response.headers["Location"]))
    assert "80 %" in page.select_one("#programme-data").text


def test_bad_period_and_duplicate_name_change_nothing(client, login_as, world):
    login_as(world.admin)
    before = db.session.scalar(select(func.count(Programme.id)))
    bad = client.post("/programme/neu", data=data(ends_on="2022-01-01"))
    assert "Das Ende liegt vor dem Beginn." in soup(bad).select_one("#ends_on-error").text
    dup = client.post("/programme/neu", data=data(name=world.programme.name.upper()))
    assert "schon ein Programm" in soup(dup).select_one("#name-error").text
    pct = client.post("/programme/neu", data=data(certificate_percent="150"))
    assert soup(pct).select_one("#certificate_percent-error") is not None
    assert db.session.scalar(select(func.count(Programme.id))) == before


def test_admin_edits_programme(client, login_as, world):
    login_as(world.admin)
    form = soup(client.get(f"/programme/{world.programme.id}/bearbeiten"))
    assert form.select_one("#certificate_percent")["value"] == "75"
    response = client.post(f"/programme/{world.programme.id}/bearbeiten",
                           data=data(name="Neu", bilingual_emails=""))
    assert response.status_code == 302
    db.session.refresh(world.programme)
    assert (world.programme.name, world.programme.bilingual_emails) == ("Neu", False)


def test_organisers_read_but_do_not_write(client, login_as, world):
    factories.cohort(world.org_a, world.programme, world.region)
    factories.cohort(world.org_b, world.programme, world.region)
    db.session.commit()
    login_as(world.organiser_a)
    listing = soup(client.get("/programme"))
    row = listing.select_one("#programmes tbody tr")
    assert row.select("td")[2].text == "1"  # only their own organisation's cohorts are counted
    page = client.get(f"/programme/{world.programme.id}")
    assert page.status_code == 200 and len(soup(page).select("#cohorts tbody tr")) == 1
    assert client.get("/programme/neu").status_code == 403
    assert client.post(f"/programme/{world.programme.id}/bearbeiten", data=data()).status_code == 403
    assert client.get("/programme/99999").status_code == 404
