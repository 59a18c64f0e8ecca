"""People: list and search, person page, create and edit (staff; own organisation only)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from coaching.core.errors import DomainError
from coaching.core.permissions import get_scoped_or_404, staff_required
from coaching.core.urls import db_int
from coaching.extensions import db
from coaching.people import services
from coaching.people.forms import KIND_LABELS, LANGUAGE_LABELS, PersonForm
from coaching.people.models import Person

bp = Blueprint("people", __name__, url_prefix="/personen")
PER_PAGE = 50


@bp.app_context_processor
def person_labels() -> dict:
    return {"person_kind_labels": KIND_LABELS, "language_labels": LANGUAGE_LABELS}


def person_form(obj: Person | None = None) -> PersonForm:
    form = PersonForm(obj=obj)
    form.set_choices(**services.form_choices(), show_organisation=current_user.is_admin and obj is None)
    return form


def organisation_for(form) -> int:
    """Admins choose the organisation on the form (the field is only added for them); others use their own."""
    return form.organisation_id.data if "organisation_id" in form else current_user.organisation_id


def save_or_show_errors(form, action):
    """Run a service; a broken rule lands on its form field (or in a message) and nothing changes."""
    try:
        return action()
    except DomainError as err:
        db.session.rollback()
        field = getattr(form, err.field, None) if err.field else None
        if field is None:
            flash(err.message, "error")
        else:
            field.errors.append(err.message)
        return None


@bp.get("")
@staff_required
def index():
    q = request.args.get("q", "").strip()
    page = db.paginate(services.search_query(current_user, q, request.args.get("art")),
                       page=request.args.get("page", 1, type=db_int), per_page=PER_PAGE, error_out=False)
    return render_template("people/index.html", page=page, q=q)


@bp.route("/neu", methods=["GET", "POST"])
@staff_required
def create():
    form = person_form()
    if form.validate_on_submit():
        person = save_or_show_errors(
            form, lambda: services.create_person(form.person_data(), organisation_for(form), current_user))
        if person is not None:
            flash(_("%(name)s wurde angelegt.", name=person.full_name), "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/form.html", form=form, person=None)


@bp.get("/<int:person_id>")
@staff_required
def show(person_id: int):
    person = get_scoped_or_404(Person, person_id, current_user, options=[
        joinedload(Person.organisation), joinedload(Person.region), joinedload(Person.council)])
    return render_template("people/show.html", person=person, **services.person_overview(person))


@bp.route("/<int:person_id>/bearbeiten", methods=["GET", "POST"])
@staff_required
def edit(person_id: int):
    person = get_scoped_or_404(Person, person_id, current_user)
    form = person_form(person)
    if form.validate_on_submit():
        saved = save_or_show_errors(
            form, lambda: services.update_person(person, form.person_data(), current_user))
        if saved is not None:
            flash(_("Die Angaben wurden gespeichert."), "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/form.html", form=form, person=person)
