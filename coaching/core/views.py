from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user

from coaching.core import health

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render_template("core/home.html")


@bp.get("/healthz")
def healthz():
    report = health.check()
    return jsonify(report), (200 if report["database"] == "ok" else 503)
