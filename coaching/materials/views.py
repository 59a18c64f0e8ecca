"""The public download area (no login) and attaching materials to a session (staff)."""
from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coaching.core.errors import DomainError
from coaching.core.permissions import get_scoped_or_404, staff_required
from coaching.extensions import db
from coaching.materials import services
from coaching.materials.forms import AttachForm, public_filters
from coaching.materials.models import Audience
from coaching.scheduling.models import CoachingSession

bp = Blueprint("materials", __name__)


@bp.app_template_global()
def session_materials(session: CoachingSession) -> services.SessionMaterials:
    """For the session page's materials panel (one query)."""
    return services.session_materials(session)


@bp.app_template_filter("native_language")
def native_language(code: str) -> str:
    """A language named in itself ("Deutsch", "Türkçe"): readable by whoever looks for their language."""
    try:
        return Locale.parse(code).get_display_name(code) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


# ----------------------------------------------------------------------------------------------- public


@bp.get("/materialien")
def public_index():
    topics = services.public_topics()
    topic, audience = public_filters(request.args, topics)
    return render_template("materials/public_index.html", materials=services.public_materials(topic, audience),
                           topics=topics, audiences=list(Audience), topic=topic, audience=audience)


@bp.get("/materialien/<slug>")
def public_detail(slug: str):
    material = services.published_material(slug) or abort(404)
    return render_template("materials/public_detail.html", material=material)


# ------------------------------------------------------------------------------------ session (staff)


def _session_or_404(session_id: int) -> CoachingSession:
    return get_scoped_or_404(CoachingSession, session_id, current_user,
                             organisation_of=lambda s: s.cohort.organisation_id)


def _back(session: CoachingSession):
    return redirect(url_for("scheduling.session_detail", session_id=session.id, _anchor="materials-heading"))


@bp.post("/termine/<int:session_id>/materialien")
@staff_required
def attach(session_id: int):
    session = _session_or_404(session_id)
    form = AttachForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Bitte ein Material wählen."), field="material_id")
        material = services.attach_material(session, form.material_id.data, current_user)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "danger")
    else:
        flash(_("„%(title)s“ gehört jetzt zum Termin.", title=material.title), "success")
    return _back(session)


@bp.post("/termine/<int:session_id>/materialien/<int:material_id>/entfernen")
@staff_required
def detach(session_id: int, material_id: int):
    session = _session_or_404(session_id)
    material = services.detach_material(session, material_id, current_user)
    flash(_("„%(title)s“ wurde vom Termin entfernt.", title=material.title), "success")
    return _back(session)
