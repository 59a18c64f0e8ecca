"""Shape of the input on the sending status page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from coaching.core.urls import MAX_DB_INT
from coaching.mail.models import OutboxStatus

# "" = the default view: what needs attention.
STATUS_LABELS = {
    OutboxStatus.PENDING.value: _l("Wartet"),
    OutboxStatus.SENDING.value: _l("Wird gesendet"),
    OutboxStatus.SENT.value: _l("Gesendet"),
    OutboxStatus.RETRYING.value: _l("Neuer Versuch geplant"),
    OutboxStatus.FAILED.value: _l("Fehlgeschlagen"),
    OutboxStatus.CANCELLED.value: _l("Storniert"),
}


class StatusFilterForm(FlaskForm):
    """GET filter: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), default="", choices=[
        SelectChoice("", _l("Probleme (neuer Versuch / fehlgeschlagen)")),
        *(SelectChoice(value, label) for value, label in STATUS_LABELS.items()),
    ])
    session_id = IntegerField(_l("Termin-Nr."), validators=[Optional(), NumberRange(min=1, max=MAX_DB_INT)])
    page = IntegerField(_l("Seite"), validators=[Optional(), NumberRange(min=1, max=MAX_DB_INT // 100)], default=1)
    submit = SubmitField(_l("Filtern"))


class RetryForm(FlaskForm):
    submit = SubmitField(_l("Erneut senden"))
