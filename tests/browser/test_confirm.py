"""Withdrawing someone asks first: dismissing the question changes nothing, confirming withdraws."""
from __future__ import annotations

import pytest

from coaching.cohorts.models import Enrolment, EnrolmentStatus
from coaching.extensions import db
from tests import factories

pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (test extra)")


def _status(enrolment_id: int) -> EnrolmentStatus:
    db.session.expire_all()
    return db.session.get(Enrolment, enrolment_id).status


def test_withdrawing_asks_for_confirmation(world, page, sign_in):
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    person = factories.person(world.org_a, first_name="Lina", last_name="Weber")
    enrolment = factories.enrol(cohort, person)
    db.session.commit()
    sign_in(page, world.organiser_a)
    page.goto(f"/kohorten/{cohort.id}")
    button = page.locator("#member-table form[data-confirm] button")

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    button.click()
    assert questions and "Lina Weber" in questions[0]
    assert _status(enrolment.id) == EnrolmentStatus.ACTIVE

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        button.click()
    assert _status(enrolment.id) == EnrolmentStatus.WITHDRAWN
