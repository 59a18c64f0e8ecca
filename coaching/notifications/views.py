from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from coaching.core import tokens
from coaching.core.errors import DomainError
from coaching.core.i18n import use_language
from coaching.core.limits import LINK_LIMIT
from coaching.core.permissions import admin_required, get_scoped_or_404, staff_required
from coaching.core.urls import safe_next
from coaching.extensions import csrf, db, limiter
from coaching.notifications import links, planned, services
from coaching.notifications.forms import KIND_LABELS, RuleActionForm, RuleForm
from coaching.programmes.models import Programme
from coaching.scheduling.models import CoachingSession

bp = Blueprint("notifications", __name__)


def _rules_page(programme: Programme, form: RuleForm, status: int = 200):
    return render_template(
        "notifications/rules.html", programme=programme, rules=services.programme_rules(programme.id),
        form=form, labels=KIND_LABELS, describe=services.describe_offset,
    ), status



@bp.app_template_global()
def mail_plan(session):
    """The session page's "automatic emails" box: planned reminders and follow-ups, and what went out."""
    return planned.plan_for(session)

@bp.get("/programme/<int:programme_id>/benachrichtigungen")
@staff_required
def rules(programme_id: int):
    return _rules_page(db.get_or_404(Programme, programme_id), RuleForm(formdata=None))


@bp.post("/programme/<int:programme_id>/benachrichtigungen")
@admin_required
def add_rule(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = RuleForm()
    if form.validate_on_submit():
        try:
            services.add_rule(programme, form.rule_kind, services.signed_offset(form.rule_kind, form.minutes),
                              current_user)
        except DomainError as err:
            form[err.field or "amount"].errors.append(err.message)
        else:
            flash(_("Die Regel wurde hinzugefügt."), "success")
            return redirect(url_for(".rules", programme_id=programme.id))
    return _rules_page(programme, form, 400)


@bp.post("/programme/<int:programme_id>/benachrichtigungen/regel")
@admin_required
def change_rule(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = RuleActionForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Diese Änderung ist nicht möglich."))
        if form.action.data == "delete":
            services.remove_rule(programme, form.rule_id.data, current_user)
        else:
            enable = form.action.data == "enable"
            services.set_rule_enabled(programme, form.rule_id.data, enable, current_user)
    except DomainError as err:
        flash(err.message, "danger")
    else:
        flash(_("Die Regel wurde geändert."), "success")
    return redirect(url_for(".rules", programme_id=programme.id))


@bp.post("/programme/<int:programme_id>/benachrichtigungen/standard")
@admin_required
def default_rules(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    added = services.restore_default_rules(programme, current_user)
    flash(ngettext("%(num)s Standardregel ergänzt.", "%(num)s Standardregeln ergänzt.", added), "success")
    return redirect(url_for(".rules", programme_id=programme.id))


@bp.post("/termine/<int:session_id>/erinnerung")
@staff_required
def send_reminder_now(session_id: int):
    session = get_scoped_or_404(CoachingSession, session_id, current_user,
                                organisation_of=lambda s: s.cohort.organisation_id)
    try:
        count = services.send_reminder_now(session, current_user)
    except DomainError as err:
        flash(err.message, "danger")
    else:
        flash(ngettext("%(num)s Erinnerung wird verschickt.",
                       "%(num)s Erinnerungen werden verschickt.", count), "success")
    return redirect(safe_next(request.form.get("next")) or _session_page(session_id))


def _session_page(session_id: int) -> str:
    if "scheduling.session_detail" in current_app.view_functions:
        return url_for("scheduling.session_detail", session_id=session_id)
    return url_for("core.home")


# RFC 8058: mail clients POST the one-click unsubscribe without any CSRF token.
@bp.route("/abmelden/<token>", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(LINK_LIMIT)
def unsubscribe(token: str):
    try:
        person = services.person_for_unsubscribe_token(token)
    except tokens.TokenInvalid:
        abort(404)
    except tokens.TokenExpired as exc:
        expired_for = services.person_for_expired_token(exc)
        use_language(expired_for.preferred_language if expired_for else None)
        return render_template("notifications/unsubscribe.html", state="expired",
                               mailto=links.unsubscribe_mailto()), 410
    use_language(person.preferred_language)
    if request.method == "POST":
        services.unsubscribe(person)
        return render_template("notifications/unsubscribe.html", state="done", person=person)
    state = "already" if person.unsubscribed_at else "confirm"
    return render_template("notifications/unsubscribe.html", state=state, person=person)
