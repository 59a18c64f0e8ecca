"""Enrolment search on the cohort page: htmx shows matches while typing; enrolling adds to the member list."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coaching.cohorts.models import Enrolment
from coaching.extensions import db
from tests import factories

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (test extra)")
expect = sync_api.expect


def test_typing_finds_people_and_enrolling_adds_them(world, page, sign_in, screenshot):
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    member = factories.person(world.org_a, first_name="Olga", last_name="Schewtschenko")
    factories.enrol(cohort, member)
    olena = factories.person(world.org_a, first_name="Olena", last_name="Schewtschenko")
    factories.person(world.org_a, first_name="Jürgen", last_name="Müller")
    factories.person(world.org_b, first_name="Oleg", last_name="Schewtschenko")  # another organisation's
    db.session.commit()

    sign_in(page, world.organiser_a)
    page.goto(f"/kohorten/{cohort.id}")
    members = page.locator("#member-table tbody tr")
    expect(members).to_have_count(1)
    page.evaluate("window.__marker = 1")

    results = page.locator("#search-results li")
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true" and "q=schew" in r.url):
        page.locator("#enrol-q").press_sequentially("schew")
    expect(results).to_have_count(1)  # not the member, not the other organisation's person
    expect(results.first).to_contain_text("Schewtschenko, Olena")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    screenshot(page, "results")

    with page.expect_navigation():
        results.first.get_by_role("button", name="Aufnehmen").click()
    expect(members).to_have_count(2)
    expect(page.locator(f'#member-table tr[data-person-id="{olena.id}"]')).to_contain_text("Schewtschenko, Olena")
    expect(page.locator(".alert-success")).to_contain_text("Olena Schewtschenko")
    screenshot(page, "enrolled")

    db.session.expire_all()
    assert db.session.scalar(select(Enrolment).where(Enrolment.cohort_id == cohort.id,
                                                     Enrolment.person_id == olena.id)) is not None
