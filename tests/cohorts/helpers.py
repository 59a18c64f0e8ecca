from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from coaching.cohorts.models import Enrolment, EnrolmentStatus
from coaching.extensions import db


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def flashes(page) -> str:
    return " ".join(alert.get_text(" ", strip=True) for alert in page.select("main .alert"))


def active_members(cohort) -> set[int]:
    return set(db.session.scalars(select(Enrolment.person_id).where(
        Enrolment.cohort_id == cohort.id, Enrolment.status == EnrolmentStatus.ACTIVE)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))
