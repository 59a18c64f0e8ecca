"""Shape of materials input: the public list's filters and the session page's attach form."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from coaching.core.urls import MAX_DB_INT
from coaching.materials.models import Audience


class AttachForm(FlaskForm):
    material_id = IntegerField(_l("Material"), validators=[
        InputRequired(_l("Bitte ein Material wählen.")), NumberRange(min=1, max=MAX_DB_INT)])


def public_filters(args: Mapping[str, str], topics: list[str]) -> tuple[str | None, Audience | None]:
    """Topic and audience from the query string; unknown values are ignored (the whole list is shown)."""
    topic = args.get("topic")
    try:
        audience = Audience(args.get("audience", ""))
    except ValueError:
        audience = None
    return (topic if topic in topics else None), audience
