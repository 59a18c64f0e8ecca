"""Cohorts: list, create/edit, the cohort page, enrolling and withdrawing members, spreadsheet import."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import TemplateNotFound
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import RequestEntityTooLarge

from coaching.cohorts import services
from coaching.cohorts.forms import (
    STATUS_LABELS,
    TARGET_GROUP_LABELS,
    CohortFilterForm,
    CohortForm,
    EnrolExistingForm,
    ImportConfirmForm,
    ImportUploadForm,
)
from coaching.cohorts.models import Cohort
from coaching.core.errors import DomainError
from coaching.core.permissions import get_scoped_or_404, staff_required
from coaching.core.urls import db_int
from coaching.extensions import db
from coaching.people import importing
from coaching.people.models import Person
from coaching.people.views import organisation_for, person_form, save_or_show_errors

bp = Blueprint("cohorts", __name__, url_prefix="/kohorten")
SESSIONS_PARTIAL = "scheduling/_cohort_sessions.html"


@bp.app_context_processor
def cohort_labels() -> dict:
    return {"cohort_status_labels": STATUS_LABELS, "target_group_labels": TARGET_GROUP_LABELS}


def _load(cohort_id: int) -> Cohort:
    return get_scoped_or_404(Cohort, cohort_id, current_user,
                             options=[joinedload(Cohort.programme), joinedload(Cohort.region)])


def _to_cohort(cohort_id: int):
    return redirect(url_for("cohorts.show", cohort_id=cohort_id))


def _has_template(name: str) -> bool:
    try:
        current_app.jinja_env.get_template(name)
    except TemplateNotFound:
        return False
    return True


def _cohort_form(cohort: Cohort | None = None) -> CohortForm:
    form = CohortForm(obj=cohort)
    org_id = cohort.organisation_id if cohort else current_user.organisation_id  # None for admins: all
    form.set_choices(**services.form_choices(current_user, org_id),
                     show_organisation=current_user.is_admin and cohort is None)
    if cohort is not None and not form.is_submitted():
        form.curriculum.data = "\n".join(cohort.curriculum or [])
        form.coach_ids.data = services.coach_ids(cohort)
    return form


def _cohort_page(cohort: Cohort, status: int = 200, upload_form: ImportUploadForm | None = None):
    return render_template(
        "cohorts/show.html", cohort=cohort, has_sessions_partial=_has_template(SESSIONS_PARTIAL),
        upload_form=upload_form or ImportUploadForm(), **services.page_data(cohort),
    ), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc):
    flash(importing.too_big_message(), "error")
    cohort_id = (request.view_args or {}).get("cohort_id")
    return redirect(url_for("cohorts.show", cohort_id=cohort_id) if cohort_id else url_for("cohorts.index"))


@bp.get("")
@staff_required
def index():
    filters = CohortFilterForm(formdata=request.args)
    choices = services.lookup_lists()
    filters.programme.choices = [(None, _("alle"))] + [(p.id, p.name) for p in choices["programmes"]]
    filters.region.choices = [(None, _("alle"))] + [(r.id, r.name) for r in choices["regions"]]
    filters.validate()
    # A value that is not one of the choices (a stale link, a typed URL) filters nothing.
    wanted = {k: None if filters[k].errors else filters[k].data for k in ("programme", "region", "status")}
    page = services.list_cohorts(current_user, wanted, page=request.args.get("page", 1, type=db_int))
    return render_template("cohorts/index.html", filters=filters, page=page)


@bp.route("/neu", methods=["GET", "POST"])
@staff_required
def create():
    form = _cohort_form()
    if form.validate_on_submit():
        cohort = save_or_show_errors(
            form, lambda: services.create_cohort(form.cohort_data(), organisation_for(form), current_user))
        if cohort is not None:
            flash(_("Die Kohorte wurde angelegt."), "success")
            return _to_cohort(cohort.id)
    return render_template("cohorts/form.html", form=form, cohort=None)


@bp.route("/<int:cohort_id>/bearbeiten", methods=["GET", "POST"])
@staff_required
def edit(cohort_id: int):
    cohort = _load(cohort_id)
    form = _cohort_form(cohort)
    if form.validate_on_submit():
        saved = save_or_show_errors(
            form, lambda: services.update_cohort(cohort, form.cohort_data(), current_user))
        if saved is not None:
            flash(_("Die Änderungen wurden gespeichert."), "success")
            return _to_cohort(cohort.id)
    return render_template("cohorts/form.html", form=form, cohort=cohort)


@bp.get("/<int:cohort_id>")
@staff_required
def show(cohort_id: int):
    return _cohort_page(_load(cohort_id))


@bp.get("/<int:cohort_id>/aufnehmen")
@staff_required
def enrol(cohort_id: int):
    cohort = _load(cohort_id)
    q = request.args.get("q", "").strip()
    results = services.candidates(cohort, current_user, q)
    if request.headers.get("HX-Request"):
        return render_template("cohorts/_search_results.html", cohort=cohort, q=q, results=results)
    return render_template("cohorts/enrol.html", cohort=cohort, q=q, results=results, form=person_form())


@bp.post("/<int:cohort_id>/aufnehmen")
@staff_required
def enrol_existing(cohort_id: int):
    cohort = _load(cohort_id)
    form = EnrolExistingForm()
    if not form.validate_on_submit() or not form.person_id.data.isdigit():
        flash(_("Bitte eine Person auswählen."), "error")
        return redirect(url_for("cohorts.enrol", cohort_id=cohort.id))
    person = get_scoped_or_404(Person, int(form.person_id.data), current_user)
    try:
        services.enrol_person(cohort, person, current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        flash(_("%(name)s wurde aufgenommen.", name=person.full_name), "success")
    return _to_cohort(cohort.id)


@bp.post("/<int:cohort_id>/neue-person")
@staff_required
def enrol_new(cohort_id: int):
    cohort = _load(cohort_id)
    form = person_form()
    if form.validate_on_submit():
        person = save_or_show_errors(
            form, lambda: services.create_and_enrol(cohort, form.person_data(), current_user))
        if person is not None:
            flash(_("%(name)s wurde angelegt und aufgenommen.", name=person.full_name), "success")
            return _to_cohort(cohort.id)
    return render_template("cohorts/enrol.html", cohort=cohort, q="", results=[], form=form), 400


@bp.post("/<int:cohort_id>/mitglieder/<int:person_id>/austragen")
@staff_required
def withdraw(cohort_id: int, person_id: int):
    cohort = _load(cohort_id)
    try:
        enrolment = services.withdraw_person(cohort, person_id, current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        flash(_("%(name)s wurde aus der Kohorte ausgetragen.", name=enrolment.person.full_name), "success")
    return _to_cohort(cohort.id)


@bp.post("/<int:cohort_id>/import")
@staff_required
def import_upload(cohort_id: int):
    cohort = _load(cohort_id)
    form = ImportUploadForm()
    if form.validate_on_submit():
        try:
            data = importing.read_upload(form.file.data)
            preview = importing.parse(form.file.data.filename, data, cohort)
        except DomainError as err:
            form.file.errors.append(err.message)
        else:
            token = importing.store(preview, cohort, current_user)
            return render_template("cohorts/import_preview.html", cohort=cohort, preview=preview,
                                   form=ImportConfirmForm(token=token))
    return _cohort_page(cohort, 400, upload_form=form)


@bp.post("/<int:cohort_id>/import/bestaetigen")
@staff_required
def import_confirm(cohort_id: int):
    cohort = _load(cohort_id)
    form = ImportConfirmForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Die Vorschau ist abgelaufen. Bitte laden Sie die Datei noch einmal hoch."))
        result = services.import_members(cohort, importing.load(form.token.data, cohort, current_user),
                                         current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        importing.discard(form.token.data, cohort, current_user)
        flash(_("Import abgeschlossen: %(enrolled)s Personen aufgenommen, davon %(created)s neu angelegt; "
                "%(skipped)s Zeilen übersprungen.", enrolled=result.enrolled, created=result.created,
                skipped=result.skipped), "success")
    return _to_cohort(cohort.id)
