"""Shape of cohort input; the rules (organisation, capacity, coaches) live in services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from coaching.cohorts.models import CohortStatus, TargetGroup
from coaching.people.forms import LANGUAGE_LABELS, optional_int
from coaching.people.models import LANGUAGES

TARGET_GROUP_LABELS = {
    TargetGroup.BEIRAT_MEMBERS: _l("Beiratsmitglieder"),
    TargetGroup.PARENTS: _l("Eltern"),
    TargetGroup.MIXED: _l("gemischt"),
}
STATUS_LABELS = {
    CohortStatus.DRAFT: _l("Entwurf"),
    CohortStatus.PUBLISHED: _l("veröffentlicht"),
    CohortStatus.ARCHIVED: _l("archiviert"),
}


class CohortForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=optional_int, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    programme_id = SelectField(_l("Programm"), coerce=optional_int, validators=[DataRequired()])
    region_id = SelectField(_l("Region"), coerce=optional_int, validators=[DataRequired()])
    target_group = SelectField(_l("Zielgruppe"),
                               choices=[(k.value, v) for k, v in TARGET_GROUP_LABELS.items()])
    coach_ids = SelectMultipleField(_l("Coaches"), coerce=int, validators=[Optional()],
                                    description=_l("Mehrfachauswahl mit Strg bzw. Cmd."))
    languages = SelectMultipleField(
        _l("Sprachen"), choices=[(code, LANGUAGE_LABELS[code]) for code in LANGUAGES],
        validators=[DataRequired(message=_l("Bitte mindestens eine Sprache wählen."))],
    )
    capacity = IntegerField(_l("Plätze"), validators=[Optional(), NumberRange(min=1, max=10000)],
                            description=_l("Leer lassen, wenn es keine Obergrenze gibt."))
    curriculum = TextAreaField(
        _l("Themen der Reihe"), validators=[Optional(), Length(max=10000)],
        description=_l("Ein Thema pro Zeile, z. B. „Das duale Ausbildungssystem“."),
        render_kw={"rows": 6},
    )
    description = TextAreaField(_l("Beschreibung"), validators=[Optional(), Length(max=5000)])

    def set_choices(self, organisations, programmes, regions, coaches, show_organisation: bool) -> None:
        self.programme_id.choices = [(p.id, p.name) for p in programmes]
        self.region_id.choices = [(r.id, r.name) for r in regions]
        self.coach_ids.choices = [
            (c.id, f"{c.full_name} ({c.organisation.short_name})" if show_organisation else c.full_name)
            for c in coaches
        ]
        if show_organisation:
            self.organisation_id.choices = [(o.id, o.name) for o in organisations]
        else:
            del self.organisation_id

    def cohort_data(self) -> dict:
        data = {name: getattr(self, name).data for name in (
            "name", "programme_id", "region_id", "target_group", "coach_ids", "languages", "capacity",
            "description")}
        lines = (self.curriculum.data or "").splitlines()
        data["curriculum"] = [line.strip() for line in lines if line.strip()]
        if "organisation_id" in self:
            data["organisation_id"] = self.organisation_id.data
        return data


class CohortFilterForm(FlaskForm):
    class Meta:
        csrf = False

    programme = SelectField(_l("Programm"), coerce=optional_int, validators=[Optional()])
    region = SelectField(_l("Region"), coerce=optional_int, validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()],
                         choices=[("", _l("alle"))] + [(k.value, v) for k, v in STATUS_LABELS.items()])


class EnrolExistingForm(FlaskForm):
    person_id = HiddenField(validators=[InputRequired()])


class ImportUploadForm(FlaskForm):
    file = FileField(_l("Tabelle (CSV oder Excel .xlsx)"),
                     validators=[FileRequired(message=_l("Bitte eine Datei auswählen."))])


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[InputRequired()])
