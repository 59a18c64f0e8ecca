"""Pages for mentors and mentees behind signed links: no login, no staff navigation, in their language.

GET only shows; POST acts. Links that expired or were sent before a change show a page that mails a
fresh link to the address on file.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coaching.core.errors import DomainError
from coaching.core.i18n import use_language
from coaching.core.limits import LINK_LIMIT
from coaching.extensions import db, limiter
from coaching.mentoring import links, services
from coaching.mentoring.forms import ConfirmForm, DeclineForm, LogForm, MeetingForm, SuggestForm, split_list
from coaching.mentoring.links import LinkState, MeetingLink
from coaching.mentoring.models import MentoringMeeting, Pairing
from coaching.mentoring.portal import meeting_view, portal_overview

bp = Blueprint("mentor_portal", __name__)


def _link_problem(link: MeetingLink, purpose: str):
    """Expired or stale link: explain, and on POST mail a fresh one to the mentor's address on file."""
    sent = None
    if request.method == "POST" and request.form.get("action") == "fresh":
        sent = services.request_fresh_link(link.meeting, purpose) or link.mentor.can_receive_email
    return render_template(
        "mentoring/portal_link_problem.html",
        state=link.state,
        sent=sent,
        has_email=link.mentor.can_receive_email,
    ), (200 if request.method == "GET" else 202)


@bp.route("/mentor/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def home(token: str):
    person, _payload, state = links.open_person_link(links.PORTAL_PURPOSE, token)
    use_language(person.preferred_language)
    if state is not LinkState.VALID:
        sent = None
        if request.method == "POST" and request.form.get("action") == "fresh":
            sent = services.request_fresh_portal_link(person) or person.can_receive_email
        return render_template(
            "mentoring/portal_link_problem.html", state=state, sent=sent, has_email=person.can_receive_email
        )
    if request.method == "POST":
        abort(405)
    return render_template("mentoring/portal_home.html", person=person, **portal_overview(person))


@bp.route("/mentor/treffen/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def meeting(token: str):
    link = links.open_meeting_link(links.MEETING_PURPOSE, token)
    use_language(link.mentor.preferred_language)
    if link.state is not LinkState.VALID:
        return _link_problem(link, links.MEETING_PURPOSE)
    forms = {
        "confirm": ConfirmForm(prefix="confirm"),
        "decline": DeclineForm(prefix="decline"),
        "suggest": SuggestForm(prefix="suggest"),
    }
    forms["confirm"].option.choices = [
        (o.id, o.id) for o in link.meeting.options if not o.suggested_by_mentor
    ]
    action = request.form.get("action") if request.method == "POST" else None
    outcome, error = None, None
    if action in forms and forms[action].validate_on_submit():
        try:
            outcome = _answer(link, action, forms[action])
        except DomainError as err:
            error = err.message
    elif action is not None:
        error = _("Bitte prüfen Sie Ihre Angaben.")
    status = 400 if error else 200
    return render_template(
        "mentoring/portal_meeting.html",
        link=link,
        forms=forms,
        action=action,
        outcome=outcome,
        error=error,
        view=meeting_view(link.meeting),
    ), status


def _answer(link: MeetingLink, action: str, form) -> str:
    if action == "confirm":
        return services.confirm_meeting(link.mentor, link.meeting, form.option.data)
    if action == "decline":
        return services.decline_meeting(link.mentor, link.meeting, form.note.data)
    return services.suggest_other_time(
        link.mentor, link.meeting, form.day.data, form.time.data, form.minutes.data, form.note.data
    )


@bp.route("/mentor/protokoll/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def log(token: str):
    link = links.open_meeting_link(links.LOG_PURPOSE, token)
    use_language(link.mentor.preferred_language)
    if link.state is not LinkState.VALID:
        return _link_problem(link, links.LOG_PURPOSE)
    meeting = link.meeting
    form = LogForm(data=_log_defaults(meeting))
    saved, error = False, None
    if form.validate_on_submit():
        entry = services.MeetingLog(
            took_place=form.took_place.data == "yes",
            duration_minutes=form.duration_minutes.data,
            topics=split_list(form.topics.data),
            parents_counselled=form.parents_counselled.data,
            private_notes=form.private_notes.data,
        )
        try:
            services.log_meeting(link.mentor, meeting, entry)
            saved = True
        except DomainError as err:
            error = err.message
    status = 400 if error or form.errors else 200
    return render_template(
        "mentoring/portal_log.html",
        link=link,
        form=form,
        saved=saved,
        error=error,
        view=meeting_view(meeting),
    ), status


def _log_defaults(meeting: MentoringMeeting) -> dict:
    if meeting.logged_at is None:
        minutes = (
            int((meeting.ends_at - meeting.starts_at).total_seconds() // 60) if meeting.starts_at else None
        )
        return {"duration_minutes": minutes}
    return {
        "took_place": "yes" if meeting.took_place else "no",
        "duration_minutes": meeting.duration_minutes,
        "topics": ", ".join(meeting.topics or []),
        "parents_counselled": meeting.parents_counselled,
        "private_notes": meeting.private_notes,
    }


@bp.route("/mentee/<token>/treffen", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def mentee_propose(token: str):
    person, payload, state = links.open_person_link(links.MENTEE_PURPOSE, token)
    pairing = db.session.scalar(
        select(Pairing)
        .where(Pairing.id == payload.get("pr"))
        .options(joinedload(Pairing.mentor), joinedload(Pairing.mentee))
    )
    if pairing is None or pairing.mentee_id != person.id:
        abort(404)
    use_language(person.preferred_language)
    form = MeetingForm()
    sent, error = None, None
    if state is LinkState.VALID and form.validate_on_submit():
        proposal = services.Proposal(
            options=form.option_entries(),
            venue=form.venue.data or None,
            online_url=form.online_url.data or None,
            message=form.message.data or None,
        )
        try:
            sent = services.propose_meeting(None, pairing, proposal, by_mentee=True)
        except DomainError as err:
            error = err.message
    return render_template(
        "mentoring/portal_mentee.html", pairing=pairing, form=form, state=state, sent=sent, error=error
    ), (400 if error or form.errors else 200)
