from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from coaching.accounts.models import Role
from coaching.accounts.passwords import MIN_LENGTH

ROLE_LABELS = {Role.ADMIN: _l("Programmkoordination (Admin)"), Role.ORGANISER: _l("Organisator/in"),
               Role.COACH: _l("Coach")}


class UserForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Email(check_deliverability=False)])
    role = SelectField(_l("Rolle"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    language = SelectField(_l("Sprache der Oberfläche"), choices=[("de", "Deutsch"), ("en", "English")])
    password = PasswordField(_l("Erstes Passwort"), validators=[DataRequired(), Length(min=MIN_LENGTH, max=200)],
                             description=_l("Mindestens %(n)s Zeichen. Die Person kann es später ändern.",
                                            n=MIN_LENGTH))
    submit = SubmitField(_l("Konto anlegen"))
