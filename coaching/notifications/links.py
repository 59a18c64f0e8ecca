"""Links that notification emails carry: unsubscribe (signed, own salt), materials, feedback."""
from __future__ import annotations

from urllib.parse import quote

from flask import current_app

from coaching.core import tokens
from coaching.core.urls import external_url
from coaching.people.models import Person

UNSUBSCRIBE_PURPOSE = "unsubscribe"
DEFAULT_UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600


def unsubscribe_max_age() -> int:
    return int(current_app.config.get("UNSUBSCRIBE_MAX_AGE", DEFAULT_UNSUBSCRIBE_MAX_AGE))


def unsubscribe_token(person: Person) -> str:
    return tokens.sign(UNSUBSCRIBE_PURPOSE, {"p": person.id})


def unsubscribe_url(person: Person) -> str:
    return external_url("notifications.unsubscribe", token=unsubscribe_token(person))


def unsubscribe_mailto() -> str:
    return f"mailto:{current_app.config['MAIL_REPLY_ADDRESS']}?subject=unsubscribe"


def unsubscribe_headers(https_link: str) -> dict[str, str]:
    """RFC 2369/8058 headers: mail clients offer a one-click unsubscribe that POSTs to the https link."""
    return {
        "List-Unsubscribe": f"<{https_link}>, <{unsubscribe_mailto()}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def material_url(slug: str) -> str:
    # The public download area owns /materialien/<slug>; built from the base URL so it works in the worker.
    return f"{current_app.config['APP_BASE_URL'].rstrip('/')}/materialien/{quote(slug)}"


def feedback_url(subject: str) -> str:
    """A short feedback reply to the planning mailbox, prefilled with the session it is about."""
    return f"mailto:{current_app.config['MAIL_REPLY_ADDRESS']}?subject={quote(subject)}"
