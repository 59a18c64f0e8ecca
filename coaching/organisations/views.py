"""Admin pages for reference data: one list page with the three tables, and a form per kind."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coaching.core.errors import DomainError
from coaching.core.permissions import admin_required
from coaching.extensions import db
from coaching.organisations import services
from coaching.organisations.forms import CouncilForm, OrganisationForm, RegionForm
from coaching.organisations.models import Council, Organisation, Region
from coaching.people.models import Person

bp = Blueprint("organisations", __name__, url_prefix="/verwaltung")

KINDS = {
    "organisation": (Organisation, OrganisationForm, services.save_organisation),
    "region": (Region, RegionForm, services.save_region),
    "beirat": (Council, CouncilForm, services.save_council),
}


@bp.get("/")
@admin_required
def index():
    people_per_org = dict(db.session.execute(
        select(Person.organisation_id, func.count()).group_by(Person.organisation_id)).all())
    return render_template(
        "organisations/index.html",
        organisations=db.session.scalars(select(Organisation).order_by(Organisation.name)).all(),
        regions=db.session.scalars(select(Region).order_by(Region.name)).all(),
        councils=db.session.scalars(select(Council).options(joinedload(Council.region))
                                    .order_by(Council.name)).all(),
        people_per_org=people_per_org,
    )


def _edit(kind: str, object_id: int | None):
    if kind not in KINDS:
        abort(404)
    model, form_cls, save = KINDS[kind]
    obj = db.session.get(model, object_id) if object_id else None
    if object_id and obj is None:
        abort(404)
    form = form_cls(obj=obj)
    if hasattr(form, "region_id"):
        form.region_id.choices = [(r.id, r.name) for r in db.session.scalars(select(Region).order_by(Region.name))]
    if form.validate_on_submit():
        try:
            save(current_user, form.data, obj)
        except DomainError as err:
            getattr(form, err.field).errors.append(err.message)
        else:
            flash(_("Gespeichert."), "success")
            return redirect(url_for("organisations.index"))
    return render_template("organisations/edit.html", form=form, kind=kind, obj=obj)


@bp.route("/<kind>/neu", methods=["GET", "POST"])
@admin_required
def create(kind: str):
    return _edit(kind, None)


@bp.route("/organisation/<int:organisation_id>", methods=["GET", "POST"])
@admin_required
def edit_organisation(organisation_id: int):
    return _edit("organisation", organisation_id)


@bp.route("/region/<int:region_id>", methods=["GET", "POST"])
@admin_required
def edit_region(region_id: int):
    return _edit("region", region_id)


@bp.route("/beirat/<int:council_id>", methods=["GET", "POST"])
@admin_required
def edit_council(council_id: int):
    return _edit("beirat", council_id)
