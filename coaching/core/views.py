from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coaching.core import dashboard, health

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    board = dashboard.build_dashboard(current_user, request.args.get("organisation_id", "").strip())
    if board.filter_refused:
        flash(_("Diese Organisation gibt es nicht; es werden alle Organisationen gezeigt."), "warning")
    return render_template("core/home.html", board=board, worker=dashboard.describe_worker(health.check()))


@bp.get("/healthz")
def healthz():
    report = health.check()
    return jsonify(report), (200 if report["database"] == "ok" else 503)
