from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coaching.accounts.models import Role, User
from coaching.cohorts.models import Cohort
from coaching.core import clock
from coaching.core.errors import DomainError
from coaching.core.permissions import get_scoped_or_404, member_required, staff_required
from coaching.core.templating import local_datetime
from coaching.core.urls import db_int
from coaching.extensions import db
from coaching.scheduling import calendar_view, services
from coaching.scheduling.forms import CancelForm, CoachForm, MoveForm, RescheduleForm, SeriesForm, TopicForm
from coaching.scheduling.models import CoachingSession, SessionChange, SessionStatus
from coaching.scheduling.series import Frequency, Pattern, PlannedSession

bp = Blueprint("scheduling", __name__)


@bp.app_template_filter("change_value")
def change_value(value, name: str) -> str:
    """One before/after value of a SessionChange, readable (times in Berlin, status in words)."""
    if value in (None, ""):
        return "–"
    if name in ("starts_at", "ends_at"):
        return local_datetime(datetime.fromisoformat(value), "short")
    if name == "status":
        return _("abgesagt") if value == SessionStatus.CANCELLED else _("geplant")
    return str(value)


def _language() -> str:
    return str(get_locale() or "de")


def _show_error(form, err: DomainError) -> None:
    """Put a service's message on the field it concerns, or above the form."""
    target = getattr(form, err.field, None) if err.field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, str(err.message)]
    else:
        flash(str(err.message), "danger")


def _cohort_or_404(cohort_id: int) -> Cohort:
    return get_scoped_or_404(Cohort, cohort_id, current_user,
                             options=[joinedload(Cohort.programme), joinedload(Cohort.region)])


def _session_or_404(session_id: int) -> CoachingSession:
    return get_scoped_or_404(
        CoachingSession, session_id, current_user, organisation_of=lambda s: s.cohort.organisation_id,
        options=[joinedload(CoachingSession.cohort).joinedload(Cohort.programme),
                 joinedload(CoachingSession.cohort).joinedload(Cohort.region),
                 joinedload(CoachingSession.coach)],
    )


# ---------------------------------------------------------------------------------------------- series


def _place(form) -> services.Place:
    return services.Place(form.venue_name.data, form.venue_address.data, form.room.data, form.online_url.data)


def _settings(form: SeriesForm) -> services.SeriesSettings:
    return services.SeriesSettings(form.minutes.data, _place(form), form.coach_id.data)


def _pattern(form: SeriesForm) -> Pattern:
    return Pattern(Frequency(form.frequency.data), form.start_day.data, form.count.data, form.until.data,
                   form.ordinal.data, form.weekday.data)


def _submitted_rows(form: SeriesForm) -> list[PlannedSession]:
    return [PlannedSession(day=e.day.data, start_time=e.start_time.data, minutes=form.minutes.data or 0,
                           topic=e.topic.data or "", auto_topic=e.auto_topic.data,
                           skip=bool(e.skip.data)) for e in form.rows]


def _series_step(cohort: Cohort, form: SeriesForm, rows: list[PlannedSession]) -> bool:
    """Generate rows from the pattern, re-check edited rows, or save them (True); DomainError if wrong."""
    if rows and form.save.data:
        services.save_series(cohort, rows, _settings(form), current_user, _language())
        return True
    if rows and form.check.data:
        services.check_series(cohort, rows, _settings(form), _language())
    else:
        rows[:] = services.propose_series(cohort, _pattern(form), form.start_time.data, _settings(form),
                                          _language())
    form.replace_rows(rows)  # the checks may have moved curriculum topics to other rows
    return False


def _after_series(cohort: Cohort, first: date) -> str:
    """Back to the cohort page where its sessions are listed (the calendar if that page is missing)."""
    if "cohorts.show" in current_app.view_functions:
        return url_for("cohorts.show", cohort_id=cohort.id)
    return url_for(".calendar", view="liste", cohort=cohort.id, date=first.isoformat())


@bp.route("/kohorten/<int:cohort_id>/serie", methods=["GET", "POST"])
@staff_required
def plan_series(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    coaches = services.coach_options(cohort.organisation_id, cohort.id)
    form = SeriesForm(coach_choices=coaches, coach_id=coaches[0][0] if coaches else None,
                      start_day=clock.today_local())
    rows = _submitted_rows(form) if form.rows.entries and not form.generate.data else []
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            if _series_step(cohort, form, rows):
                kept = [r for r in rows if not r.skip]
                flash(_("Die Serie mit %(n)s Terminen wurde gespeichert.", n=len(kept)), "success")
                return redirect(_after_series(cohort, kept[0].day))
            status = 200
        except DomainError as err:
            if rows:
                form.replace_rows(rows)  # show the topics that saving would use
            _show_error(form, err)
    return render_template("scheduling/series.html", form=form, cohort=cohort, rows=rows), status


# ---------------------------------------------------------------------------------------------- one session


def _session_page(session: CoachingSession, status: int = 200, **forms):
    coaches = services.coach_options(session.cohort.organisation_id, session.cohort_id)
    local_start = clock.to_local(session.starts_at)
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    defaults = {
        "reschedule": lambda: RescheduleForm(prefix="reschedule", day=local_start.date(),
                                             start_time=local_start.time(), minutes=minutes),
        "move": lambda: MoveForm(prefix="move", obj=session),
        "coach": lambda: CoachForm(prefix="coach", coach_choices=coaches, coach_id=session.coach_id),
        "topic": lambda: TopicForm(prefix="topic", topic=session.topic),
        "cancel": lambda: CancelForm(prefix="cancel"),
    }
    forms = {name: forms.get(name) or make() for name, make in defaults.items()}
    changes = db.session.execute(
        select(SessionChange, User.display_name)
        .outerjoin(User, User.id == SessionChange.changed_by_id)
        .where(SessionChange.session_id == session.id)
        .order_by(SessionChange.created_at.desc(), SessionChange.id.desc())
    ).all()
    can_edit = current_user.role in (Role.ADMIN, Role.ORGANISER)
    people = dict(coaches) | ({session.coach_id: session.coach.full_name} if session.coach else {})
    return render_template("scheduling/session.html", session=session, changes=changes, forms=forms,
                           can_edit=can_edit, minutes=minutes, now=clock.now(), people=people), status


@bp.get("/termine/<int:session_id>")
@member_required
def session_detail(session_id: int):
    return _session_page(_session_or_404(session_id))


def _act(session: CoachingSession, name: str, form, action, done: str):
    """Validate one edit form, run its service, and come back to the session page with the outcome."""
    if form.validate_on_submit():
        try:
            warnings = action()
        except DomainError as err:
            _show_error(form, err)
        else:
            flash(done, "success")
            for warning in warnings or []:
                flash(warning, "warning")
            return redirect(url_for(".session_detail", session_id=session.id))
    return _session_page(session, 400, **{name: form})


@bp.post("/termine/<int:session_id>/verschieben")
@staff_required
def reschedule(session_id: int):
    session = _session_or_404(session_id)
    form = RescheduleForm(prefix="reschedule")
    return _act(session, "reschedule", form, lambda: services.reschedule_session(
        session, form.day.data, form.start_time.data, form.minutes.data, current_user, _language()),
        _("Der Termin wurde verschoben. Die Teilnehmenden werden benachrichtigt."))


@bp.post("/termine/<int:session_id>/ort")
@staff_required
def move(session_id: int):
    session = _session_or_404(session_id)
    form = MoveForm(prefix="move")
    return _act(session, "move", form,
                lambda: services.move_session(session, _place(form), current_user, _language()),
                _("Der Ort wurde geändert. Die Teilnehmenden werden benachrichtigt."))


@bp.post("/termine/<int:session_id>/coach")
@staff_required
def change_coach(session_id: int):
    session = _session_or_404(session_id)
    coaches = services.coach_options(session.cohort.organisation_id, session.cohort_id)
    form = CoachForm(prefix="coach", coach_choices=coaches)
    return _act(session, "coach", form, lambda: services.change_coach(
        session, form.coach_id.data, current_user, _language()), _("Der Coach wurde geändert."))


@bp.post("/termine/<int:session_id>/thema")
@staff_required
def edit_topic(session_id: int):
    session = _session_or_404(session_id)
    form = TopicForm(prefix="topic")
    return _act(session, "topic", form, lambda: services.edit_topic(session, form.topic.data, current_user),
                _("Das Thema wurde geändert."))


@bp.post("/termine/<int:session_id>/absagen")
@staff_required
def cancel(session_id: int):
    session = _session_or_404(session_id)
    form = CancelForm(prefix="cancel")

    def run() -> None:
        if form.scope.data == "rest":
            count = services.cancel_rest_of_series(session, current_user, form.reason.data)
            flash(_("%(n)s Termine wurden abgesagt.", n=count), "info")
        else:
            services.cancel_session(session, current_user, form.reason.data)

    return _act(session, "cancel", form, run, _("Die Absage wird an die Teilnehmenden verschickt."))


# ---------------------------------------------------------------------------------------------- calendar


def _anchor() -> date:
    raw = request.args.get("date")
    if not raw:
        return clock.today_local()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        flash(_("Das Datum „%(raw)s“ verstehen wir nicht; wir zeigen heute.", raw=raw[:20]), "warning")
        return clock.today_local()


@bp.get("/kalender")
@member_required
def calendar():
    view = request.args.get("view") if request.args.get("view") in calendar_view.VIEWS else "monat"
    filters = {name: request.args.get(name, type=db_int) for name in calendar_view.FILTERS}
    if current_user.role == Role.COACH and "coach" not in request.args:
        filters["coach"] = current_user.person_id  # a coach starts with their own schedule; "alle" shows all
    win = calendar_view.window(view, _anchor(), {k: v for k, v in filters.items() if v})
    return render_template(
        "scheduling/calendar.html", win=win, sessions=calendar_view.sessions_in(win, current_user),
        options=calendar_view.filter_options(current_user), today=clock.today_local(),
        weekdays=calendar_view.weekday_names(_language()),
        weekdays_short=calendar_view.weekday_names(_language(), "abbreviated"),
        per_day=calendar_view.PER_DAY_IN_MONTH, max_in_view=calendar_view.MAX_IN_VIEW,
    )
