"""Staff pages of mentoring (organisers of the pairing's organisation; admins see all)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from coaching.core import clock
from coaching.core.errors import DomainError
from coaching.core.permissions import get_scoped_or_404, scoped, staff_required
from coaching.core.urls import db_int
from coaching.extensions import db
from coaching.mentoring import links, services
from coaching.mentoring.forms import (
    KIND_LABELS,
    MeetingForm,
    MentorProfileForm,
    PairingForm,
    StatusFilterForm,
    split_list,
)
from coaching.mentoring.lifecycle import (
    MEETING_LABELS,
    NEEDS_ACTION,
    PAIRING_ACTIONS,
    PAIRING_LABELS,
    allowed_pairing_targets,
)
from coaching.mentoring.models import (
    MeetingStatus,
    MentoringMeeting,
    MentorProfile,
    Pairing,
    PairingKind,
    PairingStatus,
)
from coaching.mentoring.portal import meeting_view
from coaching.mentoring.suggestions import profiles_with_load, suggest_mentors
from coaching.mentoring.views_portal import bp as portal_bp
from coaching.organisations.models import Region
from coaching.people.models import Person

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")
# The participant-facing pages (/mentor/…, /mentee/…) are a blueprint of their own, without staff login.
bp.record_once(lambda state: state.app.register_blueprint(portal_bp))

LIST_LIMIT = 200


@bp.context_processor
def _labels() -> dict:
    return {
        "pairing_labels": PAIRING_LABELS,
        "meeting_labels": MEETING_LABELS,
        "pairing_actions": PAIRING_ACTIONS,
        "kind_labels": KIND_LABELS,
    }


PAIRING_LOAD = (joinedload(Pairing.mentor), joinedload(Pairing.mentee))


def _org_filter():
    return None if current_user.is_admin else current_user.organisation_id


def _pairing(pairing_id: int) -> Pairing:
    return get_scoped_or_404(Pairing, pairing_id, current_user, options=PAIRING_LOAD)


def _meeting(meeting_id: int) -> MentoringMeeting:
    return get_scoped_or_404(
        MentoringMeeting,
        meeting_id,
        current_user,
        organisation_of=lambda m: m.pairing.organisation_id,
        options=[
            joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentor),
            joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentee),
            selectinload(MentoringMeeting.options),
        ],
    )


def _show_error(form, err: DomainError) -> None:
    target = getattr(form, err.field, None) if err.field else None
    if target is not None and hasattr(target, "errors") and isinstance(target.errors, list):
        target.errors.append(err.message)
    else:
        flash(err.message, "error")


def _proposal(form: MeetingForm) -> services.Proposal:
    return services.Proposal(
        options=form.option_entries(),
        venue=form.venue.data or None,
        online_url=form.online_url.data or None,
        message=form.message.data or None,
    )


@bp.get("/")
@staff_required
def index():
    return redirect(url_for(".pairings"))


@bp.get("/mentoren")
@staff_required
def mentors():
    rows = db.session.execute(profiles_with_load(_org_filter()).limit(LIST_LIMIT)).all()
    with_profile = select(MentorProfile.person_id)
    candidates = db.session.scalars(
        scoped(select(Person), Person.organisation_id, current_user)
        .where(Person.erased_at.is_(None), Person.id.not_in(with_profile))
        .order_by(Person.last_name, Person.first_name)
        .limit(500)
    ).all()
    return render_template("mentoring/mentors.html", rows=rows, candidates=candidates)


@bp.get("/mentoren/neu")
@staff_required
def mentor_new():
    person_id = request.args.get("person_id", type=db_int)
    if not person_id:
        flash(_("Bitte wählen Sie die Person, für die Sie ein Mentor-Profil anlegen möchten."), "warning")
        return redirect(url_for(".mentors"))
    return redirect(url_for(".mentor_edit", person_id=person_id))


@bp.route("/mentoren/<int:person_id>", methods=["GET", "POST"])
@staff_required
def mentor_edit(person_id: int):
    person = get_scoped_or_404(Person, person_id, current_user)
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.person_id == person.id))
    form = MentorProfileForm(
        obj=profile, data=None if profile else {"languages": [person.preferred_language]}
    )
    if profile is not None and request.method == "GET":
        form.topics.data = ", ".join(profile.topics or [])
    form.region_id.choices = [(0, _("— keine —"))] + [
        (r.id, r.name) for r in db.session.scalars(select(Region).order_by(Region.name))
    ]
    if form.validate_on_submit():
        data = services.ProfileData(
            languages=form.languages.data,
            topics=split_list(form.topics.data),
            region_id=form.region_id.data or None,
            capacity=form.capacity.data,
            active=form.active.data,
            notes=form.notes.data,
        )
        try:
            services.save_mentor_profile(current_user, person, data)
        except DomainError as err:
            _show_error(form, err)
        else:
            flash(_("Das Mentor-Profil wurde gespeichert."), "success")
            return redirect(url_for(".mentors"))
    return render_template("mentoring/mentor_edit.html", person=person, profile=profile, form=form)


@bp.get("/paare")
@staff_required
def pairings():
    form = StatusFilterForm(request.args)
    query = scoped(select(Pairing), Pairing.organisation_id, current_user).options(*PAIRING_LOAD)
    if form.validate() and form.status.data:
        query = query.where(Pairing.status == PairingStatus(form.status.data))
    rows = db.session.scalars(query.order_by(Pairing.created_at.desc()).limit(LIST_LIMIT)).all()
    return render_template("mentoring/pairings.html", pairings=rows, form=form, limit=LIST_LIMIT)


@bp.route("/paare/neu", methods=["GET", "POST"])
@staff_required
def pairing_new():
    mentee_id = request.args.get("mentee", type=db_int)
    if mentee_id is None:
        mentees = db.session.scalars(
            scoped(select(Person), Person.organisation_id, current_user)
            .where(Person.erased_at.is_(None))
            .order_by(Person.last_name, Person.first_name)
            .limit(500)
        ).all()
        return render_template("mentoring/pairing_pick_mentee.html", mentees=mentees)
    mentee = get_scoped_or_404(Person, mentee_id, current_user)
    topics = split_list(request.args.get("themen"))
    suggestions = suggest_mentors(mentee, topics=topics)
    form = PairingForm()
    form.mentor_id.choices = [(s.person.id, s.person.full_name) for s in suggestions]
    if form.validate_on_submit():
        mentor = next(s.person for s in suggestions if s.person.id == form.mentor_id.data)
        try:
            pairing = services.create_pairing(
                current_user,
                mentor=mentor,
                mentee=mentee,
                kind=PairingKind(form.kind.data),
                planned_end_on=form.planned_end_on.data,
                override_reason=form.override_reason.data,
            )
        except DomainError as err:
            _show_error(form, err)
        else:
            flash(_("Das Paar wurde angelegt."), "success")
            return redirect(url_for(".pairing", pairing_id=pairing.id))
    return render_template(
        "mentoring/pairing_new.html",
        mentee=mentee,
        suggestions=suggestions,
        form=form,
        topics=", ".join(topics),
    )


@bp.get("/paare/<int:pairing_id>")
@staff_required
def pairing(pairing_id: int):
    pairing = _pairing(pairing_id)
    meetings = db.session.scalars(
        select(MentoringMeeting)
        .where(MentoringMeeting.pairing_id == pairing.id)
        .options(selectinload(MentoringMeeting.options))
        .order_by(MentoringMeeting.created_at.desc())
    ).all()
    return render_template(
        "mentoring/pairing.html",
        pairing=pairing,
        meetings=meetings,
        targets=allowed_pairing_targets(pairing.status),
        mentee_link=links.mentee_proposal_url(pairing),
    )


@bp.post("/paare/<int:pairing_id>/status")
@staff_required
def pairing_status(pairing_id: int):
    pairing = _pairing(pairing_id)
    try:
        services.change_pairing_status(current_user, pairing, PairingStatus(request.form.get("status", "")))
    except ValueError:
        flash(_("Unbekannter Status."), "error")
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(_("Der Status wurde geändert."), "success")
    return redirect(url_for(".pairing", pairing_id=pairing.id))


@bp.route("/paare/<int:pairing_id>/treffen/neu", methods=["GET", "POST"])
@staff_required
def meeting_new(pairing_id: int):
    pairing = _pairing(pairing_id)
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = services.propose_meeting(current_user, pairing, _proposal(form))
        except DomainError as err:
            _show_error(form, err)
        else:
            flash(_("Die Anfrage wurde an %(name)s geschickt.", name=pairing.mentor.full_name), "success")
            return redirect(url_for(".meeting", meeting_id=meeting.id))
    return render_template("mentoring/meeting_form.html", pairing=pairing, form=form, meeting=None)


@bp.get("/treffen/<int:meeting_id>")
@staff_required
def meeting(meeting_id: int):
    meeting = _meeting(meeting_id)
    return render_template("mentoring/meeting.html", meeting=meeting, view=meeting_view(meeting))


@bp.route("/treffen/<int:meeting_id>/neu-vorschlagen", methods=["GET", "POST"])
@staff_required
def meeting_repropose(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = MeetingForm(data={"venue": meeting.venue, "online_url": meeting.online_url})
    if form.validate_on_submit():
        try:
            services.repropose_meeting(current_user, meeting, _proposal(form))
        except DomainError as err:
            _show_error(form, err)
        else:
            flash(
                _("Die neuen Termine wurden an %(name)s geschickt.", name=meeting.pairing.mentor.full_name),
                "success",
            )
            return redirect(url_for(".meeting", meeting_id=meeting.id))
    return render_template("mentoring/meeting_form.html", pairing=meeting.pairing, form=form, meeting=meeting)


def _meeting_step(meeting_id: int, service, done: str):
    meeting = _meeting(meeting_id)
    try:
        service(current_user, meeting)
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for(".meeting", meeting_id=meeting.id))


@bp.post("/treffen/<int:meeting_id>/absagen")
@staff_required
def meeting_cancel(meeting_id: int):
    return _meeting_step(meeting_id, services.cancel_meeting, _("Das Treffen wurde abgesagt."))


@bp.post("/treffen/<int:meeting_id>/vorschlag-annehmen")
@staff_required
def meeting_accept(meeting_id: int):
    return _meeting_step(meeting_id, services.accept_counter_proposal, _("Das Treffen ist bestätigt."))


@bp.get("/offen")
@staff_required
def open_items():
    days = min(max(request.args.get("tage", 3, type=int), 0), 365)  # a huge number overflows timedelta
    since = clock.now() - timedelta(days=days)
    query = (
        scoped(select(MentoringMeeting).join(MentoringMeeting.pairing), Pairing.organisation_id, current_user)
        .where(
            or_(
                MentoringMeeting.status.in_(NEEDS_ACTION),
                # Rows without proposed_at (older data): the creation time stands in, as in the reminders.
                and_(MentoringMeeting.status == MeetingStatus.PROPOSED,
                     func.coalesce(MentoringMeeting.proposed_at, MentoringMeeting.created_at) < since),
            )
        )
        .options(
            joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentor),
            joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentee),
        )
        .order_by(MentoringMeeting.updated_at)
        .limit(LIST_LIMIT)
    )
    return render_template("mentoring/open.html", meetings=db.session.scalars(query).all(), days=days)
