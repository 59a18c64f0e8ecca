"""The lifecycle of a pairing and of a meeting: which status may follow which.

One table per object keeps the rules in one place; services call `check_*` before changing a status, so an
invalid step is refused with a message that says what is possible instead.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coaching.core.errors import DomainError
from coaching.mentoring.models import MeetingStatus, PairingStatus

P = PairingStatus
PAIRING_TRANSITIONS: dict[PairingStatus, frozenset[PairingStatus]] = {
    P.PROPOSED: frozenset({P.ACTIVE, P.CANCELLED}),
    P.ACTIVE: frozenset({P.PAUSED, P.COMPLETED, P.CANCELLED}),
    P.PAUSED: frozenset({P.ACTIVE, P.COMPLETED, P.CANCELLED}),
    P.COMPLETED: frozenset(),
    P.CANCELLED: frozenset(),
}

# Pairings that take up one of a mentor's places.
OCCUPYING = (P.PROPOSED, P.ACTIVE, P.PAUSED)
# Pairings in which meetings can still be arranged.
MEETING_ALLOWED = (P.PROPOSED, P.ACTIVE)

PAIRING_LABELS = {
    P.PROPOSED: _l("vorgeschlagen"),
    P.ACTIVE: _l("aktiv"),
    P.PAUSED: _l("pausiert"),
    P.COMPLETED: _l("abgeschlossen"),
    P.CANCELLED: _l("abgebrochen"),
}

# The button that leads into a status, as the organiser reads it.
PAIRING_ACTIONS = {
    P.ACTIVE: _l("Aktivieren"),
    P.PAUSED: _l("Pausieren"),
    P.COMPLETED: _l("Abschließen"),
    P.CANCELLED: _l("Abbrechen"),
}

M = MeetingStatus
MEETING_TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    M.PROPOSED: frozenset({M.CONFIRMED, M.DECLINED, M.COUNTER_PROPOSED, M.EXPIRED, M.CANCELLED, M.PROPOSED}),
    M.DECLINED: frozenset({M.PROPOSED, M.CANCELLED}),
    M.COUNTER_PROPOSED: frozenset({M.PROPOSED, M.CONFIRMED, M.CANCELLED}),
    M.EXPIRED: frozenset({M.PROPOSED, M.CANCELLED}),
    M.CONFIRMED: frozenset({M.HELD, M.NOT_HELD, M.CANCELLED, M.PROPOSED}),
    # A log may be corrected: held ↔ not held.
    M.HELD: frozenset({M.HELD, M.NOT_HELD}),
    M.NOT_HELD: frozenset({M.HELD, M.NOT_HELD}),
    M.CANCELLED: frozenset(),
}

MEETING_LABELS = {
    M.PROPOSED: _l("angefragt"),
    M.CONFIRMED: _l("bestätigt"),
    M.DECLINED: _l("abgelehnt"),
    M.COUNTER_PROPOSED: _l("anderer Termin vorgeschlagen"),
    M.EXPIRED: _l("abgelaufen"),
    M.CANCELLED: _l("abgesagt"),
    M.HELD: _l("stattgefunden"),
    M.NOT_HELD: _l("nicht stattgefunden"),
}

# Meetings the organiser has to act on (besides requests that wait too long).
NEEDS_ACTION = (M.EXPIRED, M.DECLINED, M.COUNTER_PROPOSED)


def allowed_pairing_targets(current: PairingStatus) -> list[PairingStatus]:
    return [s for s in PAIRING_ACTIONS if s in PAIRING_TRANSITIONS[current]]


def check_pairing_transition(current: PairingStatus, target: PairingStatus) -> None:
    if target not in PAIRING_TRANSITIONS[current]:
        possible = ", ".join(str(PAIRING_LABELS[s]) for s in allowed_pairing_targets(current))
        raise DomainError(
            _(
                "Ein Paar im Status „%(current)s“ kann nicht auf „%(target)s“ gesetzt werden. %(hint)s",
                current=PAIRING_LABELS[current],
                target=PAIRING_LABELS[target],
                hint=(
                    _("Möglich ist: %(states)s.", states=possible)
                    if possible
                    else _("Dieser Status ist endgültig.")
                ),
            )
        )


def check_meeting_transition(current: MeetingStatus, target: MeetingStatus) -> None:
    if target not in MEETING_TRANSITIONS[current]:
        raise DomainError(
            _(
                "Ein Treffen im Status „%(current)s“ kann nicht auf „%(target)s“ gesetzt werden.",
                current=MEETING_LABELS[current],
                target=MEETING_LABELS[target],
            )
        )
