"""`flask demo-data`: load the demo programme and print the demo logins."""
from __future__ import annotations

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import inspect

from coaching.core.i18n import use_language
from coaching.demo.data import DEMO_LOGINS, ORGANISATIONS, USERS
from coaching.demo.loader import STEPS, load_demo_data
from coaching.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(demo_data_command)


def _login_label(role: str, email: str) -> str:
    """"Organisator/in (BWTW)": the role, and for organisation accounts which organisation."""
    labels = {"admin": _("Programmkoordination"), "organiser": _("Organisator/in"), "coach": _("Coach")}
    short_names = {org.key: org.short_name for org in ORGANISATIONS}
    org = next((short_names.get(u.org) for u in USERS if u.email == email and u.org), None)
    label = labels.get(role, role)
    return f"{label} ({org})" if org else label


def _summary(counts: dict[str, int]) -> str:
    return _(
        "Demo-Daten geladen: %(organisations)s Organisationen, %(regions)s Regionen, %(councils)s Beiräte, "
        "%(users)s Konten, %(people)s Personen, %(programmes)s Programme, %(cohorts)s Kohorten, "
        "%(sessions)s Termine, %(pairings)s Tandems, %(meetings)s Mentoring-Treffen, "
        "%(materials)s Materialien (%(created)s Datensätze neu angelegt).",
        **counts,
    )


@click.command("demo-data", help="Lädt Demo-Daten (Elternarbeit@Ost). Mehrfach ausführbar, ohne Dubletten.")
@with_appcontext
def demo_data_command() -> None:
    had_locale = "locale" in g
    # No request here: fix the language of the output (the locale selector would look at a request).
    use_language(current_app.config["BABEL_DEFAULT_LOCALE"])
    try:
        if not inspect(db.engine).has_table("organisation"):
            raise click.ClickException(
                _("Die Datenbank ist noch nicht eingerichtet. Bitte zuerst „flask db upgrade“ ausführen."))
        with click.progressbar(length=len(STEPS), label=_("Demo-Daten werden geladen")) as bar:
            counts = load_demo_data(on_step=lambda _step: bar.update(1))
        click.echo(_summary(counts))
        click.echo(_("Anmeldedaten (nur für die Demo):"))
        for role, email, password in DEMO_LOGINS:
            click.echo(f"  {_login_label(role, email):<36} {email:<30} {password}")
    finally:
        if not had_locale:
            g.pop("locale", None)
