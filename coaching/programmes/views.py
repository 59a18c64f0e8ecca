"""Programmes: everyone on the staff reads them; the programme coordination (admins) writes them."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coaching.cohorts import services as cohort_services
from coaching.core.errors import DomainError
from coaching.core.permissions import admin_required, staff_required
from coaching.extensions import db
from coaching.programmes import services
from coaching.programmes.forms import ProgrammeForm
from coaching.programmes.models import Programme

bp = Blueprint("programmes", __name__, url_prefix="/programme")


def _load(programme_id: int) -> Programme:
    # Programmes are shared by all partner organisations, so there is no organisation scope here.
    return db.get_or_404(Programme, programme_id)


def _save(form: ProgrammeForm, action) -> Programme | None:
    try:
        return action()
    except DomainError as err:
        db.session.rollback()
        getattr(form, err.field or "name").errors.append(err.message)
        return None


@bp.get("")
@staff_required
def index():
    return render_template("programmes/index.html", rows=services.list_programmes(current_user))


@bp.get("/<int:programme_id>")
@staff_required
def show(programme_id: int):
    programme = _load(programme_id)
    page = cohort_services.list_cohorts(current_user, {"programme": programme.id}, page=1, per_page=200)
    return render_template("programmes/show.html", programme=programme, page=page,
                           percent=services.certificate_percent(programme))


@bp.route("/neu", methods=["GET", "POST"])
@admin_required
def create():
    form = ProgrammeForm()
    if form.validate_on_submit():
        programme = _save(form, lambda: services.create_programme(form.programme_data(), current_user))
        if programme is not None:
            flash(_("Das Programm wurde angelegt."), "success")
            return redirect(url_for("programmes.show", programme_id=programme.id))
    return render_template("programmes/form.html", form=form, programme=None)


@bp.route("/<int:programme_id>/bearbeiten", methods=["GET", "POST"])
@admin_required
def edit(programme_id: int):
    programme = _load(programme_id)
    form = ProgrammeForm(obj=programme)
    if not form.is_submitted():
        form.certificate_percent.data = services.certificate_percent(programme)
    if form.validate_on_submit():
        if _save(form, lambda: services.update_programme(programme, form.programme_data(), current_user)):
            flash(_("Die Änderungen wurden gespeichert."), "success")
            return redirect(url_for("programmes.show", programme_id=programme.id))
    return render_template("programmes/form.html", form=form, programme=programme)
