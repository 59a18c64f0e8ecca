"""The one module that builds email content: subject, text and HTML from one template pair per email.

`templates/emails/<name>.txt` holds `{% block subject %}` and the plain text; `<name>.html` the HTML body.
Rendering happens in the recipient's language (Flask-Babel `force_locale`).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from jinja2 import Template

from coaching.core.i18n import text_direction


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    language: str


def _block(template_name: str, block: str, context: dict) -> str:
    from flask import current_app

    template: Template = current_app.jinja_env.get_template(template_name)
    ctx = template.new_context(context)
    return "".join(template.blocks[block](ctx)).strip()


def render_email(name: str, language: str, **context) -> RenderedEmail:
    context = {**context, "language": language, "direction": text_direction(language)}
    with force_locale(language):
        subject = " ".join(_block(f"emails/{name}.txt", "subject", context).split())
        text = render_template(f"emails/{name}.txt", **context).strip() + "\n"
        html = render_template(f"emails/{name}.html", **context)
    return RenderedEmail(subject=subject, text=text, html=html, language=language)
