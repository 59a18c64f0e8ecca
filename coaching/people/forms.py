"""Shape of person input; the rules (duplicates, organisation) live in services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from coaching.people.models import LANGUAGES, PersonKind

KIND_LABELS = {
    PersonKind.BEIRAT_MEMBER: _l("Beiratsmitglied"),
    PersonKind.PARENT: _l("Elternteil"),
    PersonKind.COACH: _l("Coach"),
    PersonKind.MENTOR: _l("Mentor/in"),
    PersonKind.STAFF: _l("Mitarbeiter/in"),
}

LANGUAGE_LABELS = {
    "de": _l("Deutsch"),
    "en": _l("Englisch"),
    "ar": _l("Arabisch"),
    "fa": _l("Persisch (Farsi/Dari)"),
    "uk": _l("Ukrainisch"),
    "ru": _l("Russisch"),
    "tr": _l("Türkisch"),
}


def optional_int(value) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class PersonForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=optional_int, validators=[DataRequired()])
    kind = SelectField(_l("Art"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    first_name = StringField(_l("Vorname"), validators=[DataRequired(), Length(max=120)])
    last_name = StringField(_l("Nachname"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[Optional(), Length(max=254), Email(
            check_deliverability=False, message=_l("Bitte eine gültige E-Mail-Adresse angeben."))],
        description=_l("Freiwillig: Eltern haben oft keine E-Mail-Adresse."),
    )
    phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=40)])
    postal_address = TextAreaField(_l("Postanschrift"), validators=[Optional(), Length(max=400)])
    preferred_language = SelectField(
        _l("Bevorzugte Sprache"), choices=[(code, LANGUAGE_LABELS[code]) for code in LANGUAGES]
    )
    region_id = SelectField(_l("Region"), coerce=optional_int, validators=[Optional()])
    council_id = SelectField(_l("Beirat"), coerce=optional_int, validators=[Optional()])

    def set_choices(self, organisations, regions, councils, show_organisation: bool) -> None:
        none = [(None, "—")]
        self.region_id.choices = none + [(r.id, r.name) for r in regions]
        self.council_id.choices = none + [(c.id, f"{c.name} ({c.region.name})") for c in councils]
        if show_organisation:
            self.organisation_id.choices = [(o.id, o.name) for o in organisations]
        else:
            del self.organisation_id

    def person_data(self) -> dict:
        return {
            name: getattr(self, name).data
            for name in ("kind", "first_name", "last_name", "email", "phone", "postal_address",
                         "preferred_language", "region_id", "council_id")
        }
