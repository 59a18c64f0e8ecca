"""Which mentors suit a mentee, best first, and why.

Free places are counted by the database (one GROUP BY over the pairings that occupy a place); the ranking is
lexicographic so that its order is easy to explain: mentors with a free place first, then a shared language,
then the same region, then shared topics, then the most free places.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel import Locale
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager

from coaching.extensions import db
from coaching.mentoring.lifecycle import OCCUPYING
from coaching.mentoring.models import MentorProfile, Pairing
from coaching.people.models import Person


def occupied_places():
    """Subquery: mentor person id → number of pairings that take up a place."""
    return (
        select(Pairing.mentor_id, func.count(Pairing.id).label("used"))
        .where(Pairing.status.in_(OCCUPYING))
        .group_by(Pairing.mentor_id)
        .subquery()
    )


def profiles_with_load(organisation_id: int | None) -> Select:
    """MentorProfile rows (person eager-loaded) with their used places, for one organisation or all."""
    used = occupied_places()
    query = (
        select(MentorProfile, func.coalesce(used.c.used, 0).label("used"))
        .join(Person, MentorProfile.person_id == Person.id)
        .outerjoin(used, used.c.mentor_id == MentorProfile.person_id)
        .where(Person.erased_at.is_(None))
        .options(contains_eager(MentorProfile.person))
        .order_by(Person.last_name, Person.first_name)
    )
    if organisation_id is not None:
        query = query.where(Person.organisation_id == organisation_id)
    return query


def used_places(mentor_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Pairing.id)).where(
                Pairing.mentor_id == mentor_id, Pairing.status.in_(OCCUPYING)
            )
        )
        or 0
    )


def language_name(code: str) -> str:
    try:
        shown_in = str(get_locale() or "de") if has_request_context() else "de"
        return Locale.parse(code).get_display_name(shown_in) or code
    except (ValueError, TypeError):
        return code


def normalise_topics(topics) -> list[str]:
    return [t.strip() for t in (topics or []) if t and t.strip()]


@dataclass
class Suggestion:
    profile: MentorProfile
    used: int
    shares_language: bool
    same_region: bool
    shared_topics: list[str]
    reasons: list[str] = field(default_factory=list)

    @property
    def person(self) -> Person:
        return self.profile.person

    @property
    def free(self) -> int:
        return max(self.profile.capacity - self.used, 0)

    @property
    def full(self) -> bool:
        return self.used >= self.profile.capacity

    def sort_key(self) -> tuple:
        return (
            self.full,
            not self.shares_language,
            not self.same_region,
            -len(self.shared_topics),
            -self.free,
            self.person.last_name,
            self.person.first_name,
            self.person.id,
        )


def _reasons(s: Suggestion, mentee: Person) -> list[str]:
    reasons = []
    if s.shares_language:
        reasons.append(_("spricht %(language)s", language=language_name(mentee.preferred_language)))
    if s.same_region:
        reasons.append(_("gleiche Region"))
    if s.shared_topics:
        reasons.append(_("Themen: %(topics)s", topics=", ".join(s.shared_topics)))
    if s.full:
        reasons.append(
            _(
                "ausgelastet (%(used)s von %(capacity)s Plätzen belegt)",
                used=s.used,
                capacity=s.profile.capacity,
            )
        )
    else:
        reasons.append(_("%(free)s von %(capacity)s Plätzen frei", free=s.free, capacity=s.profile.capacity))
    return reasons


def suggest_mentors(
    mentee: Person, topics=(), include_full: bool = True, limit: int = 20
) -> list[Suggestion]:
    """Active mentors of the mentee's organisation, ranked, each with the reasons shown to the organiser."""
    wanted = {t.casefold(): t for t in normalise_topics(topics)}
    query = profiles_with_load(mentee.organisation_id).where(
        MentorProfile.active.is_(True), MentorProfile.person_id != mentee.id
    )
    suggestions = []
    for profile, used in db.session.execute(query):
        region_id = profile.region_id or profile.person.region_id
        offered = {t.casefold() for t in normalise_topics(profile.topics)}
        s = Suggestion(
            profile=profile,
            used=used,
            shares_language=mentee.preferred_language in (profile.languages or []),
            same_region=region_id is not None and region_id == mentee.region_id,
            shared_topics=[original for key, original in wanted.items() if key in offered],
        )
        if s.full and not include_full:
            continue
        s.reasons = _reasons(s, mentee)
        suggestions.append(s)
    suggestions.sort(key=Suggestion.sort_key)
    return suggestions[:limit]
