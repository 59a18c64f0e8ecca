"""PDF rendering with WeasyPrint: signature sheets and certificates, from templates under templates/pdf/.

Fonts come from the system (DejaVu Sans covers Latin incl. Turkish, Cyrillic and Arabic; Noto if installed).
Right-to-left names get `dir="rtl"` so WeasyPrint lays them out (and shapes them) correctly.
"""
from __future__ import annotations

import re

from flask import current_app, render_template
from flask_babel import gettext as _

from coaching.core.templating import local_date, local_time
from coaching.scheduling.models import CoachingSession

# Arabic (with supplements and presentation forms) and Hebrew: written right to left.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def text_direction_of(text: str | None) -> str:
    """'rtl' for text in a right-to-left script, else 'ltr' (for names, whose language we do not know)."""
    return "rtl" if text and _RTL.search(text) else "ltr"


def funder_line(session_or_cohort) -> str:
    """The programme's funder line, else the organisation's ("gefördert vom …")."""
    cohort = getattr(session_or_cohort, "cohort", session_or_cohort)
    return cohort.programme.funder_line or cohort.organisation.funder_line or ""


def place(session: CoachingSession) -> str:
    room = _("Raum %(room)s", room=session.room) if session.room else None
    parts = [session.venue_name, room, session.venue_address]
    text = ", ".join(p for p in parts if p)
    return text or (_("Online") if session.online_url else "")


def when(session: CoachingSession) -> str:
    return _("%(day)s, %(start)s–%(end)s Uhr", day=local_date(session.starts_at, "full"),
             start=local_time(session.starts_at), end=local_time(session.ends_at))


def render_pdf(template: str, **context) -> bytes:
    """HTML from a template, then PDF (imported lazily: WeasyPrint loads Pango, which takes a moment)."""
    from weasyprint import HTML

    html = render_template(template, **context)
    return HTML(string=html, base_url=current_app.root_path).write_pdf()
