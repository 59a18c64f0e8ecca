"""Shape of the input for planning a series and editing a session; the rules live in services."""
from __future__ import annotations

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional

from coaching.scheduling.series import LAST, MAX_SESSIONS, Frequency


class _FriendlyParse:
    """Replace WTForms' English parse errors with one plain German sentence."""

    bad_input = _l("Bitte prüfen Sie die Eingabe.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(self.bad_input)) from exc


class DayField(_FriendlyParse, DateField):
    bad_input = _l("Bitte geben Sie ein gültiges Datum an.")


class ClockField(_FriendlyParse, TimeField):
    bad_input = _l("Bitte geben Sie eine gültige Uhrzeit an (z. B. 18:00).")


class NumberField(_FriendlyParse, IntegerField):
    bad_input = _l("Bitte geben Sie eine ganze Zahl an.")


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def _required(message):
    return InputRequired(message=message)


def place_fields(cls):
    """Venue and online link, shared by the series form and the move form."""
    cls.venue_name = StringField(_l("Ort (Name)"), validators=[Optional(), Length(max=200)])
    cls.venue_address = StringField(_l("Adresse"), validators=[Optional(), Length(max=300)])
    cls.room = StringField(_l("Raum"), validators=[Optional(), Length(max=100)])
    cls.online_url = StringField(_l("Online-Link"), validators=[Optional(), Length(max=500)],
                                 description=_l("Für Online-Termine, z. B. https://…"))
    return cls


class SessionRowForm(Form):
    """One editable row of the preview."""

    day = DayField(_l("Datum"), validators=[_required(_l("Bitte geben Sie ein Datum an."))])
    start_time = ClockField(_l("Beginn"), validators=[_required(_l("Bitte geben Sie eine Uhrzeit an."))])
    topic = StringField(_l("Thema"), validators=[Length(max=200)])
    auto_topic = HiddenField()  # the topic the planner gave; a different topic was typed by hand
    skip = BooleanField(_l("Auslassen"))


@place_fields
class SeriesForm(FlaskForm):
    frequency = SelectField(_l("Rhythmus"), choices=[
        (Frequency.WEEKLY.value, _l("wöchentlich")),
        (Frequency.BIWEEKLY.value, _l("alle zwei Wochen")),
        (Frequency.MONTHLY.value, _l("monatlich an einem Wochentag")),
    ])
    start_day = DayField(_l("Erster Termin am oder nach"),
                         validators=[_required(_l("Bitte geben Sie ein Startdatum an."))])
    ordinal = SelectField(_l("Woche im Monat (nur monatlich)"), coerce=int, choices=[
        (1, _l("1.")), (2, _l("2.")), (3, _l("3.")), (4, _l("4.")), (LAST, _l("letzte")),
    ])
    weekday = SelectField(_l("Wochentag (nur monatlich)"), coerce=int, choices=[])
    count = NumberField(_l("Anzahl der Termine"), validators=[Optional()],
                        description=_l("Höchstens %(n)s. Oder stattdessen ein Enddatum.", n=MAX_SESSIONS))
    until = DayField(_l("Letzter Termin spätestens am"), validators=[Optional()])
    start_time = ClockField(_l("Beginn (Ortszeit)"),
                            validators=[_required(_l("Bitte geben Sie eine Uhrzeit an."))])
    minutes = NumberField(_l("Dauer in Minuten"), default=90,
                          validators=[_required(_l("Bitte geben Sie die Dauer an."))])
    coach_id = SelectField(_l("Coach"), coerce=_optional_int, choices=[], validate_choice=False)
    # One more than allowed, so an oversized submission reaches the service and gets its clear message.
    rows = FieldList(FormField(SessionRowForm), max_entries=MAX_SESSIONS + 1)
    generate = SubmitField(_l("Termine berechnen"))
    check = SubmitField(_l("Änderungen prüfen"))
    save = SubmitField(_l("Serie speichern"))

    def __init__(self, *args, coach_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        days = get_day_names("wide", locale=str(get_locale() or "de"))
        self.weekday.choices = [(i, days[i]) for i in range(7)]
        self.coach_id.choices = [("", _l("– noch offen –")), *coach_choices]

    def replace_rows(self, rows) -> None:
        while self.rows.entries:
            self.rows.pop_entry()
        for row in rows:
            self.rows.append_entry({"day": row.day, "start_time": row.start_time, "topic": row.topic,
                                    "auto_topic": row.auto_topic, "skip": row.skip})


class RescheduleForm(FlaskForm):
    day = DayField(_l("Neues Datum"), validators=[_required(_l("Bitte geben Sie ein Datum an."))])
    start_time = ClockField(_l("Beginn (Ortszeit)"),
                            validators=[_required(_l("Bitte geben Sie eine Uhrzeit an."))])
    minutes = NumberField(_l("Dauer in Minuten"), validators=[_required(_l("Bitte geben Sie die Dauer an."))])
    submit = SubmitField(_l("Verschieben"))


@place_fields
class MoveForm(FlaskForm):
    submit = SubmitField(_l("Ort speichern"))


class CoachForm(FlaskForm):
    coach_id = SelectField(_l("Coach"), coerce=_optional_int, choices=[], validate_choice=False)
    submit = SubmitField(_l("Coach ändern"))

    def __init__(self, *args, coach_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.coach_id.choices = [("", _l("– noch offen –")), *coach_choices]


class TopicForm(FlaskForm):
    topic = StringField(_l("Thema"), validators=[_required(_l("Bitte geben Sie ein Thema an.")),
                                                 Length(max=200)])
    submit = SubmitField(_l("Thema speichern"))


class CancelForm(FlaskForm):
    scope = RadioField(_l("Was absagen?"), default="single", choices=[
        ("single", _l("nur diesen Termin")),
        ("rest", _l("diesen und alle folgenden Termine der Kohorte")),
    ])
    reason = TextAreaField(_l("Grund (optional, erscheint im Änderungsverlauf)"),
                           validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Absagen"))
