"""Programmes: created and edited by the programme coordination (admins)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from coaching.audit import services as audit
from coaching.cohorts.models import Cohort
from coaching.core.errors import DomainError
from coaching.core.permissions import scoped
from coaching.extensions import db
from coaching.programmes.models import DEFAULT_RULES, NotificationRule, Programme


def _apply(programme: Programme, data: dict) -> None:
    name = (data["name"] or "").strip()
    if not name:
        raise DomainError(_("Bitte einen Namen angeben."), field="name")
    if data["ends_on"] < data["starts_on"]:
        raise DomainError(_("Das Ende liegt vor dem Beginn."), field="ends_on")
    clash = select(Programme.id).where(func.lower(Programme.name) == name.lower())
    if programme.id is not None:
        clash = clash.where(Programme.id != programme.id)
    if db.session.scalar(clash) is not None:
        raise DomainError(_("Es gibt schon ein Programm mit diesem Namen."), field="name")
    programme.name = name
    programme.starts_on = data["starts_on"]
    programme.ends_on = data["ends_on"]
    programme.funder_line = (data.get("funder_line") or "").strip() or None
    programme.bilingual_emails = bool(data.get("bilingual_emails"))
    programme.certificate_threshold = Decimal(int(data["certificate_percent"])) / 100


def ensure_default_rules(programme: Programme) -> int:
    """Add the default notification rules a programme lacks (no commit: the caller commits)."""
    existing = {(rule.kind, rule.offset_minutes) for rule in programme.rules}
    missing = [(kind, offset) for kind, offset in DEFAULT_RULES if (kind, offset) not in existing]
    for kind, offset in missing:
        programme.rules.append(NotificationRule(kind=kind, offset_minutes=offset, enabled=True))
    return len(missing)


def create_programme(data: dict, actor) -> Programme:
    programme = Programme()
    _apply(programme, data)
    # Every programme starts with the usual reminders and follow-ups; they can be tuned later.
    ensure_default_rules(programme)
    db.session.add(programme)
    db.session.flush()
    audit.record(actor, "programme.create", "programme", programme.id, name=programme.name)
    db.session.commit()
    return programme


def update_programme(programme: Programme, data: dict, actor) -> Programme:
    _apply(programme, data)
    audit.record(actor, "programme.update", "programme", programme.id)
    db.session.commit()
    return programme


def certificate_percent(programme: Programme) -> int:
    return int(round(float(programme.certificate_threshold or 0) * 100))


def list_programmes(user) -> list[tuple[Programme, int]]:
    """Programmes with the number of cohorts the user can see in each (one query)."""
    counts = (
        scoped(select(Cohort.programme_id, func.count(Cohort.id).label("n")), Cohort.organisation_id, user)
        .group_by(Cohort.programme_id).subquery()
    )
    rows = db.session.execute(
        select(Programme, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.programme_id == Programme.id)
        .order_by(Programme.starts_on.desc(), Programme.name)
    ).all()
    return [(programme, n) for programme, n in rows]
