"""Mailbox page (what the dev mail catcher received) and the sending status page."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coaching.core.errors import DomainError
from coaching.core.permissions import admin_required, get_scoped_or_404, staff_required
from coaching.core.urls import db_int
from coaching.mail import mailbox as maildir
from coaching.mail import services
from coaching.mail.forms import STATUS_LABELS, RetryForm, StatusFilterForm
from coaching.mail.models import OutboxMessage, OutboxStatus

bp = Blueprint("mail", __name__)


def mailbox_enabled(view: Callable) -> Callable:
    """The Mailbox page does not exist where MAILBOX_PAGE_ENABLED is off (production): 404 for everyone."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_app.config.get("MAILBOX_PAGE_ENABLED"):
            abort(404)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/postfach")
@mailbox_enabled
@admin_required
def mailbox():
    page = request.args.get("page", 1, type=db_int) or 1
    messages, total = maildir.list_messages(current_app.config["MAIL_CATCHER_DIR"], page)
    pages = max((total + maildir.PER_PAGE - 1) // maildir.PER_PAGE, 1)
    return render_template("mail/mailbox.html", messages=messages, total=total, page=page, pages=pages)


@bp.get("/postfach/<name>")
@mailbox_enabled
@admin_required
def mailbox_message(name: str):
    detail = maildir.read_message(current_app.config["MAIL_CATCHER_DIR"], name)
    if detail is None:
        abort(404)
    return render_template("mail/mailbox_message.html", mail=detail)


@bp.get("/versand")
@staff_required
def status():
    form = StatusFilterForm(formdata=request.args)
    if not form.validate():
        flash(_("Der Filter war ungültig; es werden alle Probleme gezeigt."), "warning")
    status_value = form.status.data if not form.status.errors else ""
    session_id = form.session_id.data if not form.session_id.errors else None
    overview = services.delivery_overview(current_user, session_id)
    if request.headers.get("HX-Request"):
        return render_template("mail/_status_summary.html", overview=overview, labels=STATUS_LABELS)
    statuses = (OutboxStatus(status_value),) if status_value else services.PROBLEM_STATUSES
    page = services.message_page(current_user, statuses, session_id,
                                 form.page.data if not form.page.errors and form.page.data else 1)
    return render_template("mail/status.html", form=form, overview=overview, page=page,
                           labels=STATUS_LABELS, retry_form=RetryForm())


@bp.post("/versand/<int:message_id>/erneut")
@staff_required
def retry(message_id: int):
    message = get_scoped_or_404(OutboxMessage, message_id, current_user)
    if RetryForm().validate_on_submit():
        try:
            services.retry_message(message, current_user)
            flash(_("Die Nachricht an %(to)s wird erneut gesendet.", to=message.recipient_email), "success")
        except DomainError as err:
            flash(err.message, "error")
    return redirect(url_for("mail.status", status=request.args.get("status", "")))
