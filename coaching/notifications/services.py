"""Notification rules per programme, unsubscribing, and "send a reminder now". Each commits once."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from coaching.audit import services as audit
from coaching.core import clock, tokens
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.notifications import audience, links, scheduler
from coaching.people.models import Person
from coaching.programmes.models import NotificationRule, Programme, RuleKind
from coaching.programmes.services import ensure_default_rules
from coaching.scheduling.models import CoachingSession

DAY = 24 * 60
# Allowed offsets per kind in minutes (negative = before the session). Reminders must come before the
# session; follow-ups must fit the 14 days in which the scheduler still sends them.
OFFSET_LIMITS: dict[RuleKind, tuple[int, int]] = {
    RuleKind.SESSION_REMINDER: (-30 * DAY, -15),
    RuleKind.SESSION_FOLLOWUP: (0, 7 * DAY),
    RuleKind.MENTOR_REMINDER: (60, 14 * DAY),
    RuleKind.MEETING_FOLLOWUP: (0, 7 * DAY),
}


def restore_default_rules(programme: Programme, actor) -> int:
    added = ensure_default_rules(programme)
    audit.record(actor, "notification_rules_defaults", "programme", programme.id, added=added)
    db.session.commit()
    return added


def signed_offset(kind: RuleKind, minutes: int) -> int:
    """Reminders count back from the session start; everything else counts on from the event."""
    return -minutes if kind == RuleKind.SESSION_REMINDER else minutes


def add_rule(programme: Programme, kind: RuleKind, offset_minutes: int, actor) -> NotificationRule:
    low, high = OFFSET_LIMITS[kind]
    if not low <= offset_minutes <= high:
        raise DomainError(
            _("Dieser Zeitpunkt ist für diese Art nicht erlaubt (erlaubt: %(low)s bis %(high)s).",
              low=describe_offset(kind, low), high=describe_offset(kind, high)),
            field="amount",
        )
    if any(r.kind == kind and r.offset_minutes == offset_minutes for r in programme.rules):
        raise DomainError(_("Diese Regel gibt es schon."), field="amount")
    rule = NotificationRule(kind=kind, offset_minutes=offset_minutes, enabled=True)
    programme.rules.append(rule)
    db.session.flush()
    audit.record(actor, "notification_rule_added", "programme", programme.id,
                 kind=str(kind), offset_minutes=offset_minutes)
    db.session.commit()
    return rule


def _rule_of(programme: Programme, rule_id: int | None) -> NotificationRule:
    rule = next((r for r in programme.rules if r.id == rule_id), None)
    if rule is None:
        raise DomainError(_("Diese Regel gibt es nicht (mehr)."))
    return rule


def remove_rule(programme: Programme, rule_id: int | None, actor) -> None:
    rule = _rule_of(programme, rule_id)
    programme.rules.remove(rule)
    audit.record(actor, "notification_rule_removed", "programme", programme.id,
                 kind=str(rule.kind), offset_minutes=rule.offset_minutes)
    db.session.commit()


def set_rule_enabled(programme: Programme, rule_id: int | None, enabled: bool, actor) -> NotificationRule:
    rule = _rule_of(programme, rule_id)
    rule.enabled = enabled
    audit.record(actor, "notification_rule_enabled" if enabled else "notification_rule_disabled",
                 "programme", programme.id, rule_id=rule.id)
    db.session.commit()
    return rule


def describe_offset(kind: RuleKind, minutes: int) -> str:
    """Plain words for an offset: "3 Tage vorher", "2 Stunden nachher"."""
    amount = abs(minutes)
    if amount and amount % DAY == 0:
        text = ngettext("%(num)s Tag", "%(num)s Tage", amount // DAY)
    elif amount and amount % 60 == 0:
        text = ngettext("%(num)s Stunde", "%(num)s Stunden", amount // 60)
    else:
        text = ngettext("%(num)s Minute", "%(num)s Minuten", amount)
    return _("%(t)s vorher", t=text) if kind == RuleKind.SESSION_REMINDER else _("%(t)s nachher", t=text)


def person_for_unsubscribe_token(token: str) -> Person:
    """The person a link belongs to; TokenInvalid (→ 404) for tampered links, TokenExpired for old ones."""
    payload = tokens.verify(links.UNSUBSCRIBE_PURPOSE, token, links.unsubscribe_max_age())
    person = db.session.get(Person, payload.get("p")) if isinstance(payload, dict) else None
    if person is None or person.erased_at is not None:
        raise tokens.TokenInvalid()
    return person


def person_for_expired_token(exc: tokens.TokenExpired) -> Person | None:
    payload = exc.payload
    return db.session.get(Person, payload.get("p")) if isinstance(payload, dict) else None


def unsubscribe(person: Person) -> bool:
    """Stop reminders and follow-ups (invitations still go out). Idempotent; True if it changed something."""
    if person.unsubscribed_at is not None:
        return False
    person.unsubscribed_at = clock.now()
    audit.record(None, "unsubscribed", "person", person.id)
    db.session.commit()
    return True


def send_reminder_now(session: CoachingSession, actor) -> int:
    """Remind every invited participant now. Repeatable on purpose, but a double click within a minute
    queues nothing new (the minute is part of the idempotency key)."""
    now = clock.now()
    if session.is_cancelled:
        raise DomainError(_("Der Termin ist abgesagt. Es werden keine Erinnerungen verschickt."))
    if now >= session.starts_at:
        raise DomainError(_("Der Termin hat schon begonnen. Erinnerungen sind nicht mehr möglich."))
    version = f"manual-{clock.utc_stamp(now)[:13]}"
    rows = audience.invited_participants(CoachingSession.id == session.id)
    count = sum(scheduler.queue_session_reminder(s, cohort, programme, person, version, attendance)
                for s, cohort, programme, person, attendance in rows)
    audit.record(actor, "session_reminder_sent", "session", session.id, recipients=count)
    db.session.commit()
    return count


def programme_rules(programme_id: int) -> list[NotificationRule]:
    return list(db.session.scalars(
        select(NotificationRule).where(NotificationRule.programme_id == programme_id)
        .order_by(NotificationRule.kind, NotificationRule.offset_minutes)
    ))
