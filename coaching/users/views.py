from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coaching.accounts.models import User
from coaching.core.errors import DomainError
from coaching.core.permissions import admin_required
from coaching.extensions import db
from coaching.organisations.models import Organisation
from coaching.users import services
from coaching.users.forms import ROLE_LABELS, UserForm

bp = Blueprint("users", __name__, url_prefix="/verwaltung/konten")


@bp.get("/")
@admin_required
def index():
    users = db.session.scalars(select(User).options(joinedload(User.organisation)).order_by(User.email)).all()
    return render_template("users/index.html", users=users, role_labels=ROLE_LABELS)


@bp.route("/neu", methods=["GET", "POST"])
@admin_required
def create():
    form = UserForm()
    form.organisation_id.choices = [(0, _("– keine (nur für Admins) –"))] + [
        (o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))]
    if form.validate_on_submit():
        try:
            services.create_account(current_user, form.data)
        except DomainError as err:
            getattr(form, err.field).errors.append(err.message)
        else:
            flash(_("Das Konto wurde angelegt."), "success")
            return redirect(url_for("users.index"))
    return render_template("users/edit.html", form=form)


@bp.post("/<int:user_id>/aktiv")
@admin_required
def toggle_active(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    try:
        services.set_active(current_user, user, not user.active)
    except DomainError as err:
        flash(err.message, "danger")
    return redirect(url_for("users.index"))
