from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from coaching.organisations.models import FederalState

STATE_NAMES = {
    "BW": "Baden-Württemberg", "BY": "Bayern", "BE": "Berlin", "BB": "Brandenburg", "HB": "Bremen",
    "HH": "Hamburg", "HE": "Hessen", "MV": "Mecklenburg-Vorpommern", "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz", "SL": "Saarland", "SN": "Sachsen",
    "ST": "Sachsen-Anhalt", "SH": "Schleswig-Holstein", "TH": "Thüringen",
}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    short_name = StringField(_l("Kurzname"), validators=[DataRequired(), Length(max=60)])
    funder_line = StringField(_l("Förderhinweis"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Speichern"))


class RegionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    federal_state = SelectField(_l("Bundesland"), choices=[(s.value, STATE_NAMES[s.value]) for s in FederalState])
    submit = SubmitField(_l("Speichern"))


class CouncilForm(FlaskForm):
    name = StringField(_l("Name des Beirats"), validators=[DataRequired(), Length(max=200)])
    region_id = SelectField(_l("Region"), coerce=int)
    email = EmailField(_l("E-Mail-Adresse"), validators=[Optional(), Email(check_deliverability=False)])
    submit = SubmitField(_l("Speichern"))
