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


def _text_body(template_name: str, subject_raw: str, context: dict) -> str:
    """The text part: the `body` block if the template has one, else everything after the subject block."""
    from flask import current_app

    if "body" in current_app.jinja_env.get_template(template_name).blocks:
        return _block(template_name, "body", context)
    text = render_template(template_name, **context).strip()
    return text[len(subject_raw):].strip() if text.startswith(subject_raw) else text


def render_email(name: str, language: str, **context) -> RenderedEmail:
    context = {**context, "language": language, "direction": text_direction(language)}
    with force_locale(language):
        subject_raw = _block(f"emails/{name}.txt", "subject", context)
        text = _text_body(f"emails/{name}.txt", subject_raw, context) + "\n"
        html = render_template(f"emails/{name}.html", **context)
    return RenderedEmail(subject=" ".join(subject_raw.split()), text=text, html=html, language=language)
