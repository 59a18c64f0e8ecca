"""What the notification rules plan for one session: shown on the session page, before anything is due.

Reminders and follow-ups are computed when due (nothing waits in memory or as pre-made rows), so this
derives the dates from the rules and counts what has already been queued for the session.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from coaching.cohorts.models import CohortStatus
from coaching.core import clock
from coaching.extensions import db
from coaching.mail.models import OutboxMessage
from coaching.notifications.scheduler import FOLLOWUP_KIND, REMINDER_KIND
from coaching.programmes.models import NotificationRule, RuleKind
from coaching.scheduling.models import CoachingSession


@dataclass(frozen=True)
class PlannedMail:
    kind: RuleKind
    offset_minutes: int
    at: datetime

    @property
    def is_past(self) -> bool:
        return self.at <= clock.now()


@dataclass(frozen=True)
class SessionMailPlan:
    planned: list[PlannedMail]
    queued: dict[str, int]  # outbox kind → messages queued or sent for this session
    published: bool


def plan_for(session: CoachingSession) -> SessionMailPlan:
    """Two queries: the programme's enabled rules and the outbox counts of this session."""
    rules = db.session.execute(
        select(NotificationRule.kind, NotificationRule.offset_minutes)
        .where(NotificationRule.programme_id == session.cohort.programme_id, NotificationRule.enabled.is_(True),
               NotificationRule.kind.in_((RuleKind.SESSION_REMINDER, RuleKind.SESSION_FOLLOWUP)))
    ).all()
    planned = sorted(
        (PlannedMail(kind, offset, (session.starts_at if kind == RuleKind.SESSION_REMINDER else session.ends_at)
                     + timedelta(minutes=offset)) for kind, offset in rules),
        key=lambda mail: mail.at,
    )
    queued = dict(db.session.execute(
        select(OutboxMessage.kind, func.count())
        .where(OutboxMessage.session_id == session.id, OutboxMessage.kind.in_((REMINDER_KIND, FOLLOWUP_KIND)))
        .group_by(OutboxMessage.kind)
    ).all())
    return SessionMailPlan(planned, queued, session.cohort.status == CohortStatus.PUBLISHED)
