from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, NumberRange

from coaching.core.urls import MAX_DB_INT
from coaching.programmes.models import RuleKind

UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 24 * 60}
KIND_LABELS = {
    RuleKind.SESSION_REMINDER: _l("Erinnerung vor einem Termin"),
    RuleKind.SESSION_FOLLOWUP: _l("Nachricht nach einem Termin"),
    RuleKind.MENTOR_REMINDER: _l("Erinnerung an Mentor/innen ohne Antwort"),
    RuleKind.MEETING_FOLLOWUP: _l("Nachricht nach einem Mentoring-Treffen"),
}


class RuleForm(FlaskForm):
    kind = SelectField(
        _l("Art der Nachricht"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
        validators=[InputRequired()],
    )
    amount = IntegerField(
        _l("Wie viel"),
        validators=[InputRequired(_l("Bitte geben Sie eine ganze Zahl ein.")),
                    NumberRange(min=1, max=999, message=_l("Bitte eine Zahl von 1 bis 999."))],
        description=_l("Erinnerungen gehen vor dem Termin hinaus, alle anderen Nachrichten danach."),
    )
    unit = SelectField(
        _l("Einheit"),
        choices=[SelectChoice("days", _l("Tage")), SelectChoice("hours", _l("Stunden")),
                 SelectChoice("minutes", _l("Minuten"))],
        validators=[InputRequired()],
    )
    submit = SubmitField(_l("Regel hinzufügen"))

    @property
    def minutes(self) -> int:
        return self.amount.data * UNIT_MINUTES[self.unit.data]

    @property
    def rule_kind(self) -> RuleKind:
        return RuleKind(self.kind.data)


class RuleActionForm(FlaskForm):
    rule_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_DB_INT)])
    action = HiddenField(validators=[AnyOf(["enable", "disable", "delete"])])
