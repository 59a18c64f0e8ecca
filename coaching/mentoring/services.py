"""Mentor profiles and pairings, and the two jobs the worker runs (expiry, follow-ups).

Meeting services live in `meetings.py` and are re-exported here, so callers find every mentoring rule
through one module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import joinedload

from coaching.audit import services as audit
from coaching.core import clock
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.materials.models import Audience, Material, MaterialStatus
from coaching.mentoring import notices
from coaching.mentoring.lifecycle import OCCUPYING, check_pairing_transition
from coaching.mentoring.meetings import (  # noqa: F401  (re-exported: the service API of mentoring)
    MeetingLog,
    Outcome,
    Proposal,
    accept_counter_proposal,
    cancel_meeting,
    confirm_meeting,
    decline_meeting,
    log_meeting,
    propose_meeting,
    repropose_meeting,
    request_fresh_link,
    request_fresh_portal_link,
    suggest_other_time,
)
from coaching.mentoring.models import (
    MeetingStatus,
    MentoringMeeting,
    MentorProfile,
    Pairing,
    PairingKind,
    PairingStatus,
)
from coaching.mentoring.suggestions import normalise_topics, used_places
from coaching.people.models import LANGUAGES, Person, PersonKind


@dataclass
class ProfileData:
    languages: list[str]
    topics: list[str]
    region_id: int | None
    capacity: int
    active: bool = True
    notes: str | None = None


def save_mentor_profile(user, person: Person, data: ProfileData) -> MentorProfile:
    if not 0 <= data.capacity <= 20:
        raise DomainError(_("Bitte geben Sie zwischen 0 und 20 Plätze an."), field="capacity")
    unknown = [code for code in data.languages if code not in LANGUAGES]
    if unknown:
        raise DomainError(_("Unbekannte Sprache: %(codes)s", codes=", ".join(unknown)), field="languages")
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.person_id == person.id))
    if profile is None:
        profile = MentorProfile(person_id=person.id)
        db.session.add(profile)
    profile.languages = list(dict.fromkeys(data.languages))
    profile.topics = normalise_topics(data.topics)
    profile.region_id, profile.capacity = data.region_id, data.capacity
    profile.active, profile.notes = data.active, data.notes or None
    db.session.flush()
    audit.record(user, "mentor_profile_saved", "mentor_profile", profile.id, person_id=person.id)
    db.session.commit()
    return profile


def create_pairing(
    user,
    *,
    mentor: Person,
    mentee: Person,
    kind: PairingKind,
    planned_end_on: date | None = None,
    override_reason: str | None = None,
    programme_id: int | None = None,
) -> Pairing:
    """Pair a mentor with a mentee. A mentor without a free place needs an override with a reason."""
    if mentor.id == mentee.id:
        raise DomainError(_("Mentor/in und Mentee müssen verschiedene Personen sein."), field="mentor_id")
    if mentor.organisation_id != mentee.organisation_id:
        raise DomainError(
            _("Mentor/in und Mentee müssen zur selben Organisation gehören."), field="mentor_id"
        )
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.person_id == mentor.id))
    if profile is None or not profile.active:
        raise DomainError(_("Diese Person hat kein aktives Mentor-Profil."), field="mentor_id")
    if kind == PairingKind.BEIRAT_PARENT and mentee.kind != PersonKind.PARENT:
        raise DomainError(
            _("Bei „Beirat mit Elternfamilie“ muss die Mentee eine Elternfamilie sein."), field="kind"
        )
    if planned_end_on is not None and planned_end_on < clock.today_local():
        raise DomainError(
            _("Das geplante Ende darf nicht in der Vergangenheit liegen."), field="planned_end_on"
        )
    open_pair = db.session.scalar(
        select(Pairing.id).where(
            Pairing.mentor_id == mentor.id, Pairing.mentee_id == mentee.id, Pairing.status.in_(OCCUPYING)
        )
    )
    if open_pair is not None:
        raise DomainError(_("Diese beiden sind bereits ein Paar."), field="mentor_id")
    reason = (override_reason or "").strip() or None
    used = used_places(mentor.id)
    if used >= profile.capacity and reason is None:
        raise DomainError(
            _(
                "%(name)s ist ausgelastet (%(used)s von %(capacity)s Plätzen belegt). "
                "Zum Überschreiben bitte einen Grund angeben.",
                name=mentor.full_name,
                used=used,
                capacity=profile.capacity,
            ),
            field="override_reason",
        )
    pairing = Pairing(
        organisation_id=mentee.organisation_id,
        programme_id=programme_id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        kind=kind,
        status=PairingStatus.PROPOSED,
        planned_end_on=planned_end_on,
        capacity_override_reason=reason if used >= profile.capacity else None,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(pairing)
    db.session.flush()
    audit.record(
        user,
        "pairing_created",
        "pairing",
        pairing.id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        override=pairing.capacity_override_reason,
    )
    db.session.commit()
    return pairing


def change_pairing_status(user, pairing: Pairing, target: PairingStatus) -> Pairing:
    """One step of the lifecycle; ending a pairing cancels its open meetings (and their calendar entries)."""
    check_pairing_transition(pairing.status, target)
    today = clock.today_local()
    if target == PairingStatus.ACTIVE and pairing.started_on is None:
        pairing.started_on = today
    if target in (PairingStatus.COMPLETED, PairingStatus.CANCELLED):
        pairing.ended_on = today
        _close_open_meetings(pairing)
    previous, pairing.status = pairing.status, target
    audit.record(user, "pairing_status", "pairing", pairing.id, old=previous.value, new=target.value)
    db.session.commit()
    return pairing


def _close_open_meetings(pairing: Pairing) -> None:
    now = clock.now()
    meetings = db.session.scalars(
        select(MentoringMeeting).where(
            MentoringMeeting.pairing_id == pairing.id,
            or_(
                MentoringMeeting.status.in_((MeetingStatus.PROPOSED, MeetingStatus.COUNTER_PROPOSED)),
                and_(MentoringMeeting.status == MeetingStatus.CONFIRMED, MentoringMeeting.starts_at > now),
            ),
        )
    ).all()
    for meeting in meetings:
        was_confirmed = meeting.status == MeetingStatus.CONFIRMED
        meeting.status = MeetingStatus.CANCELLED
        meeting.ical_sequence += 1
        if was_confirmed:
            notices.meeting_cancellations(meeting)


def expire_stale_meetings(now: datetime | None = None) -> int:
    """Worker job: unanswered requests past their expiry become `expired` (one UPDATE). Returns the count."""
    now = now or clock.now()
    result = db.session.execute(
        update(MentoringMeeting)
        .where(MentoringMeeting.status == MeetingStatus.PROPOSED, MentoringMeeting.expires_at < now)
        .values(status=MeetingStatus.EXPIRED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0


def _followup_materials(organisation_id: int) -> list[Material]:
    return list(
        db.session.scalars(
            select(Material)
            .where(
                Material.organisation_id == organisation_id,
                Material.status == MaterialStatus.PUBLISHED,
                Material.audience.in_((Audience.BEIRAT_MEMBERS, Audience.PARENTS)),
            )
            .order_by(Material.updated_at.desc())
            .limit(5)
        )
    )


def queue_meeting_followups(now: datetime | None = None, batch: int = 500) -> int:
    """Worker job: after a confirmed meeting ends, ask the mentor for the log and send the mentee materials.

    Set-based: one query for the due meetings, one for materials per organisation, one UPDATE marking
    them; `followup_sent_at` and the outbox keys make a second run (or a second worker) a no-op.
    """
    now = now or clock.now()
    due = db.session.scalars(
        select(MentoringMeeting)
        .where(
            MentoringMeeting.status == MeetingStatus.CONFIRMED,
            MentoringMeeting.ends_at <= now,
            MentoringMeeting.followup_sent_at.is_(None),
        )
        .options(
            joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentor),
            joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentee),
        )
        .order_by(MentoringMeeting.ends_at)
        .limit(batch)
    ).all()
    if not due:
        return 0
    materials: dict[int, list[Material]] = {}
    for meeting in due:
        org = meeting.pairing.organisation_id
        if org not in materials:
            materials[org] = _followup_materials(org)
        notices.meeting_followups(meeting, materials[org])
    db.session.execute(
        update(MentoringMeeting)
        .where(MentoringMeeting.id.in_([m.id for m in due]), MentoringMeeting.followup_sent_at.is_(None))
        .values(followup_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return len(due)
