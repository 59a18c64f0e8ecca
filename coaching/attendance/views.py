"""Attendance pages: the session's list, check-in, signature sheet, scans, certificates, figures."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import RequestEntityTooLarge

from coaching.accounts.models import Role
from coaching.attendance import certificates, pdf, rules, services, uploads
from coaching.attendance.forms import (
    AnswerForm,
    CertificateForm,
    ExistingWalkInForm,
    HeadcountForm,
    OutcomeForm,
    UploadForm,
    WalkInForm,
)
from coaching.attendance.models import SessionDocument
from coaching.cohorts.models import Cohort
from coaching.core import clock
from coaching.core.errors import DomainError
from coaching.core.permissions import get_scoped_or_404, member_required, staff_required
from coaching.extensions import db
from coaching.people.models import Person
from coaching.scheduling.models import CoachingSession

bp = Blueprint("attendance", __name__)
bp.add_app_template_filter(pdf.text_direction_of, "text_dir")


@bp.app_template_global()
def attendance_summary(session: CoachingSession) -> dict[str, int]:
    """Counts for the panel on the session page (one GROUP BY query)."""
    return services.summary(session.id)


@bp.app_context_processor
def attendance_labels() -> dict:
    return {"answer_status": rules.ANSWERS, "outcome_status": rules.OUTCOMES, "answer_sources": rules.SOURCES}


def _session_or_404(session_id: int) -> CoachingSession:
    return get_scoped_or_404(CoachingSession, session_id, current_user,
                             organisation_of=lambda s: s.cohort.organisation_id,
                             options=services.session_options())


def _cohort_or_404(cohort_id: int) -> Cohort:
    return get_scoped_or_404(Cohort, cohort_id, current_user,
                             options=[joinedload(Cohort.programme), joinedload(Cohort.organisation)])


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _is_staff() -> bool:
    return current_user.role in (Role.ADMIN, Role.ORGANISER)


def _pdf(data: bytes, name: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc):
    flash(_("Die Datei ist zu groß: höchstens %(mb)s MB.", mb=uploads.max_bytes() // (1024 * 1024)), "danger")
    session_id = (request.view_args or {}).get("session_id")
    return redirect(url_for(".session_page", session_id=session_id) if session_id else url_for("core.home"))


# ------------------------------------------------------------------------------------- the session's list


def _session_page(session: CoachingSession, status: int = 200, upload_form: UploadForm | None = None):
    return render_template(
        "attendance/session.html", session=session, rows=services.session_rows(session),
        counts=services.summary(session.id), documents=services.documents(session.id),
        can_edit=_is_staff(), answer_form=AnswerForm(), upload_form=upload_form or UploadForm(),
        outcomes_open=rules.outcomes_open(session.starts_at, session.is_cancelled),
    ), status


@bp.get("/termine/<int:session_id>/anwesenheit")
@member_required
def session_page(session_id: int):
    return _session_page(_session_or_404(session_id))


@bp.post("/termine/<int:session_id>/anwesenheit/<int:person_id>/antwort")
@staff_required
def record_answer(session_id: int, person_id: int):
    session = _session_or_404(session_id)
    form = AnswerForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Bitte eine Antwort wählen."))
        services.record_answer(session, person_id, form.answer.data, current_user)
        flash(_("Die Antwort wurde gespeichert."), "success")
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    return redirect(url_for(".session_page", session_id=session.id, _anchor=f"person-{person_id}"))


# ------------------------------------------------------------------------------------- check-in on the day


def _checkin_page(session: CoachingSession, status: int = 200, walk_in: WalkInForm | None = None):
    q, search = request.args.get("q", "").strip(), request.args.get("suche", "").strip()
    return render_template(
        "attendance/checkin.html", session=session, rows=services.session_rows(session, q), q=q,
        counts=services.summary(session.id), walk_in=walk_in or WalkInForm(), search=search,
        candidates=services.walk_in_candidates(session, search),
        headcount_form=HeadcountForm(headcount=session.headcount),
        outcomes_open=rules.outcomes_open(session.starts_at, session.is_cancelled),
    ), status


@bp.get("/termine/<int:session_id>/checkin")
@member_required
def checkin(session_id: int):
    return _checkin_page(_session_or_404(session_id))


@bp.post("/termine/<int:session_id>/checkin/<int:person_id>")
@member_required
def checkin_person(session_id: int, person_id: int):
    """One tap: saved on its own; JSON for the page's script, a redirect for plain forms."""
    session = _session_or_404(session_id)
    form = OutcomeForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Bitte anwesend, entschuldigt oder nicht erschienen wählen."))
        row = services.record_outcome(session, person_id, form.outcome.data, current_user)
    except DomainError as err:
        db.session.rollback()
        if _wants_json():
            return jsonify(ok=False, error=str(err.message)), 400
        flash(err.message, "danger")
    else:
        if _wants_json():
            return jsonify(ok=True, person_id=person_id, outcome=row.outcome.value,
                           label=str(rules.OUTCOMES[row.outcome].label), counts=services.summary(session.id))
        flash(_("Gespeichert."), "success")
    return redirect(url_for(".checkin", session_id=session.id, _anchor=f"person-{person_id}"))


def _after_walk_in(session: CoachingSession, action) -> Response | None:
    try:
        row = action()
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
        return None
    flash(_("%(name)s ist als anwesend eingetragen.", name=row.person.full_name), "success")
    return redirect(url_for(".checkin", session_id=session.id, _anchor=f"person-{row.person_id}"))


@bp.post("/termine/<int:session_id>/checkin/neu")
@member_required
def walk_in_new(session_id: int):
    session = _session_or_404(session_id)
    form = WalkInForm()
    if form.validate_on_submit():
        done = _after_walk_in(session,
                              lambda: services.add_walk_in(session, current_user, data=form.person_data()))
        if done is not None:
            return done
    return _checkin_page(session, 400, walk_in=form)


@bp.post("/termine/<int:session_id>/checkin/bekannt")
@member_required
def walk_in_existing(session_id: int):
    session = _session_or_404(session_id)
    form = ExistingWalkInForm()
    if not form.validate_on_submit():
        flash(_("Bitte eine Person auswählen."), "danger")
        return redirect(url_for(".checkin", session_id=session.id))
    person = get_scoped_or_404(Person, form.person_id.data, current_user)
    done = _after_walk_in(session, lambda: services.add_walk_in(session, current_user, person=person))
    return done or redirect(url_for(".checkin", session_id=session.id))


@bp.post("/termine/<int:session_id>/checkin/personenzahl")
@member_required
def headcount(session_id: int):
    session = _session_or_404(session_id)
    form = HeadcountForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(next(iter(form.headcount.errors), _("Bitte eine Zahl ab 0 angeben.")))
        services.record_headcount(session, form.headcount.data, current_user)
        flash(_("Die Personenzahl wurde gespeichert."), "success")
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    return redirect(url_for(".checkin", session_id=session.id))


# ------------------------------------------------------------------------------------- sheets and scans


@bp.get("/termine/<int:session_id>/unterschriftenliste.pdf")
@member_required
def signature_sheet(session_id: int):
    session = _session_or_404(session_id)
    data = pdf.render_pdf("pdf/signature_sheet.html", session=session, people=services.participants(session),
                          funder_line=pdf.funder_line(session), place=pdf.place(session),
                          when=pdf.when(session), blank_rows=range(services.BLANK_SIGNATURE_ROWS))
    return _pdf(data, f"unterschriftenliste-{clock.local_date(session.starts_at).isoformat()}.pdf")


@bp.post("/termine/<int:session_id>/dokumente")
@member_required
def upload(session_id: int):
    session = _session_or_404(session_id)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            uploads.store_document(session, form.file.data.stream, form.file.data.filename, current_user)
        except DomainError as err:
            db.session.rollback()
            form.file.errors.append(err.message)
        else:
            flash(_("Der Scan wurde gespeichert."), "success")
            return redirect(url_for(".session_page", session_id=session.id, _anchor="documents"))
    return _session_page(session, 400, upload_form=form)


@bp.get("/termine/<int:session_id>/dokumente/<int:document_id>")
@member_required
def download(session_id: int, document_id: int):
    session = _session_or_404(session_id)
    document = db.session.get(SessionDocument, document_id)
    path = uploads.document_path(document) if document and document.session_id == session.id else None
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, mimetype=document.content_type, as_attachment=True,
                         download_name=document.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------------------------- cohorts and people


@bp.get("/kohorten/<int:cohort_id>/anwesenheit")
@staff_required
def cohort_page(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    return render_template("attendance/cohort.html", cohort=cohort, rates=services.cohort_rates(cohort))


@bp.get("/personen/<int:person_id>/anwesenheit")
@staff_required
def person_page(person_id: int):
    person = get_scoped_or_404(Person, person_id, current_user)
    figures, records = services.person_figures(person)
    return render_template("attendance/person.html", person=person, figures=figures, records=records)


@bp.get("/kohorten/<int:cohort_id>/teilnahmebescheinigungen")
@staff_required
def certificate_list(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    return render_template("attendance/certificates.html", cohort=cohort, form=CertificateForm(),
                           candidates=certificates.candidates(cohort))


def _issue(cohort: Cohort, person_ids: list[int] | None, name: str):
    if not CertificateForm().validate_on_submit():
        abort(400)
    try:
        issued = certificates.issue(cohort, current_user, person_ids)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
        return redirect(url_for(".certificate_list", cohort_id=cohort.id))
    return _pdf(certificates.render(cohort, issued), name)


@bp.post("/kohorten/<int:cohort_id>/teilnahmebescheinigungen")
@staff_required
def issue_all(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    return _issue(cohort, None, f"teilnahmebescheinigungen-{cohort.id}.pdf")


@bp.post("/kohorten/<int:cohort_id>/teilnahmebescheinigungen/<int:person_id>")
@staff_required
def issue_one(cohort_id: int, person_id: int):
    cohort = _cohort_or_404(cohort_id)
    get_scoped_or_404(Person, person_id, current_user)
    return _issue(cohort, [person_id], f"teilnahmebescheinigung-{cohort.id}-{person_id}.pdf")
