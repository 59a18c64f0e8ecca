"""Shapes of mentoring input; rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from coaching.mentoring.lifecycle import PAIRING_LABELS
from coaching.mentoring.models import PairingKind
from coaching.people.models import LANGUAGES

DURATIONS = [(m, _l("%(n)s Minuten", n=m)) for m in (30, 45, 60, 90, 120, 180)]
KIND_LABELS = {
    PairingKind.BEIRAT_PEER: _l("Neues Beiratsmitglied mit erfahrenem Mitglied"),
    PairingKind.COACH_BEIRAT: _l("Beiratsmitglied mit Coach"),
    PairingKind.BEIRAT_PARENT: _l("Beiratsmitglied mit Elternfamilie"),
}


def split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


class MentorProfileForm(FlaskForm):
    languages = SelectMultipleField(
        _l("Sprachen"),
        choices=[(c, c) for c in LANGUAGES],
        validators=[DataRequired(_l("Bitte mindestens eine Sprache wählen."))],
    )
    topics = StringField(
        _l("Themen"),
        validators=[Optional(), Length(max=500)],
        description=_l("Durch Kommas getrennt, z. B. Duale Ausbildung, Bewerbung"),
    )
    region_id = SelectField(_l("Region"), coerce=int, validate_choice=True)
    capacity = IntegerField(
        _l("Plätze für Mentees"), default=2, validators=[InputRequired(), NumberRange(min=0, max=20)]
    )
    active = BooleanField(_l("Nimmt Mentees an"), default=True)
    notes = TextAreaField(_l("Notizen"), validators=[Optional(), Length(max=2000)])


class PairingForm(FlaskForm):
    mentor_id = RadioField(
        _l("Mentor/in"),
        coerce=int,
        validators=[InputRequired(_l("Bitte wählen Sie eine Mentorin oder einen Mentor."))],
    )
    kind = SelectField(_l("Art des Paares"), choices=[(k.value, v) for k, v in KIND_LABELS.items()])
    planned_end_on = DateField(_l("Geplantes Ende"), validators=[Optional()])
    override_reason = StringField(
        _l("Grund für die Überschreitung der Plätze"),
        validators=[Optional(), Length(max=300)],
        description=_l("Nur nötig, wenn die Mentorin oder der Mentor ausgelastet ist."),
    )


class StatusFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[("", _l("alle"))] + [(s.value, v) for s, v in PAIRING_LABELS.items()],
        validators=[Optional()],
    )


class OptionForm(Form):
    day = DateField(_l("Datum"), validators=[Optional()])
    time = TimeField(_l("Uhrzeit"), validators=[Optional()])
    minutes = SelectField(_l("Dauer"), choices=DURATIONS, coerce=int, default=60)


class MeetingForm(FlaskForm):
    option1 = FormField(OptionForm, label=_l("Terminvorschlag 1"))
    option2 = FormField(OptionForm, label=_l("Terminvorschlag 2 (optional)"))
    option3 = FormField(OptionForm, label=_l("Terminvorschlag 3 (optional)"))
    venue = StringField(_l("Ort"), validators=[Optional(), Length(max=300)])
    online_url = URLField(_l("Link für ein Online-Treffen"), validators=[Optional(), URL(), Length(max=500)])
    message = TextAreaField(
        _l("Nachricht an die Mentorin oder den Mentor"), validators=[Optional(), Length(max=2000)]
    )

    def option_entries(self) -> list[tuple[object, object, int]]:
        return [
            (o.day.data, o.time.data, o.minutes.data)
            for o in (self.option1, self.option2, self.option3)
            if o.day.data or o.time.data
        ]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for sub in (self.option1, self.option2, self.option3):
            if bool(sub.day.data) != bool(sub.time.data):
                sub.time.errors.append(_l("Bitte Datum und Uhrzeit angeben."))
                ok = False
        if not self.option_entries():
            self.option1.day.errors.append(_l("Bitte mindestens einen Termin angeben."))
            ok = False
        return ok


class ConfirmForm(FlaskForm):
    option = RadioField(_l("Termin"), coerce=int, validators=[Optional()])


class DeclineForm(FlaskForm):
    note = TextAreaField(_l("Nachricht (optional)"), validators=[Optional(), Length(max=1000)])


class SuggestForm(FlaskForm):
    day = DateField(_l("Datum"), validators=[InputRequired(_l("Bitte ein Datum angeben."))])
    time = TimeField(_l("Uhrzeit"), validators=[InputRequired(_l("Bitte eine Uhrzeit angeben."))])
    minutes = SelectField(_l("Dauer"), choices=DURATIONS, coerce=int, default=60)
    note = TextAreaField(_l("Nachricht (optional)"), validators=[Optional(), Length(max=1000)])


class LogForm(FlaskForm):
    took_place = RadioField(
        _l("Hat das Treffen stattgefunden?"),
        choices=[("yes", _l("Ja")), ("no", _l("Nein"))],
        validators=[InputRequired(_l("Bitte wählen Sie Ja oder Nein."))],
    )
    duration_minutes = IntegerField(
        _l("Dauer in Minuten"), validators=[Optional(), NumberRange(min=1, max=600)]
    )
    topics = StringField(
        _l("Themen"), validators=[Optional(), Length(max=500)], description=_l("Durch Kommas getrennt")
    )
    parents_counselled = IntegerField(
        _l("Wie viele Eltern wurden beraten?"), validators=[Optional(), NumberRange(min=0, max=500)]
    )
    private_notes = TextAreaField(
        _l("Private Notizen (nur für Sie und das Projektteam)"), validators=[Optional(), Length(max=4000)]
    )
