from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ProgrammeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(_l("Beginn"), validators=[DataRequired(message=_l("Bitte ein Datum angeben."))])
    ends_on = DateField(_l("Ende"), validators=[DataRequired(message=_l("Bitte ein Datum angeben."))])
    funder_line = StringField(
        _l("Förderhinweis"), validators=[Optional(), Length(max=300)],
        description=_l("Erscheint auf Unterschriftenlisten und Zertifikaten, z. B. „Gefördert vom BMBF“."),
    )
    bilingual_emails = BooleanField(_l("E-Mails an Teilnehmende zweisprachig (Deutsch und ihre Sprache)"))
    certificate_percent = IntegerField(
        _l("Mindestteilnahme für ein Zertifikat (%)"), default=75,
        validators=[DataRequired(),
                    NumberRange(min=1, max=100, message=_l("Bitte eine Zahl von 1 bis 100."))],
    )

    def programme_data(self) -> dict:
        return {
            "name": self.name.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "funder_line": self.funder_line.data,
            "bilingual_emails": self.bilingual_emails.data,
            "certificate_percent": self.certificate_percent.data,
        }
