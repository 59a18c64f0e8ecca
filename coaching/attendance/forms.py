"""Shape of attendance input; the rules (dates, who is on the list) live in services and rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from coaching.attendance import rules
from coaching.core.urls import MAX_DB_INT
from coaching.people.forms import KIND_LABELS, LANGUAGE_LABELS
from coaching.people.models import LANGUAGES, PersonKind


class OutcomeForm(FlaskForm):
    """One tap on the check-in page: the pressed button's value is the outcome."""

    outcome = SelectField(_l("Teilnahme"), choices=[(o.value, s.label) for o, s in rules.OUTCOMES.items()])


class AnswerForm(FlaskForm):
    answer = SelectField(_l("Antwort"),
                         choices=[(a.value, rules.ANSWERS[a].label) for a in rules.MANUAL_ANSWERS])
    submit = SubmitField(_l("Antwort speichern"))


class WalkInForm(FlaskForm):
    """A new person who came without being invited (name required; email and phone optional)."""

    first_name = StringField(_l("Vorname"), validators=[DataRequired(), Length(max=120)])
    last_name = StringField(_l("Nachname"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-Mail-Adresse (freiwillig)"), validators=[
        Optional(), Length(max=254),
        Email(check_deliverability=False, message=_l("Bitte eine gültige E-Mail-Adresse angeben."))])
    phone = StringField(_l("Telefon (freiwillig)"), validators=[Optional(), Length(max=40)])
    kind = SelectField(_l("Art"), choices=[(k.value, label) for k, label in KIND_LABELS.items()],
                       default=PersonKind.PARENT.value)
    preferred_language = SelectField(_l("Sprache"), choices=[(c, LANGUAGE_LABELS[c]) for c in LANGUAGES])
    submit = SubmitField(_l("Als anwesend eintragen"))

    def person_data(self) -> dict:
        data = {name: getattr(self, name).data for name in
                ("first_name", "last_name", "email", "phone", "kind", "preferred_language")}
        return data | {"postal_address": None, "region_id": None, "council_id": None}


class ExistingWalkInForm(FlaskForm):
    person_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_DB_INT)])


class HeadcountForm(FlaskForm):
    headcount = IntegerField(_l("Anzahl der Anwesenden"), validators=[
        InputRequired(message=_l("Bitte eine Zahl angeben.")),
        NumberRange(min=0, max=10000, message=_l("Bitte eine Zahl ab 0 angeben."))])
    submit = SubmitField(_l("Personenzahl speichern"))


class UploadForm(FlaskForm):
    file = FileField(_l("Unterschriebene Liste (Scan als PDF, JPEG oder PNG, höchstens 10 MB)"),
                     validators=[FileRequired(message=_l("Bitte eine Datei auswählen."))])
    submit = SubmitField(_l("Hochladen"))


class CertificateForm(FlaskForm):
    """Issuing is a POST with nothing to fill in."""
