from __future__ import annotations

from flask_babel import gettext as _

from coaching.accounts import services as accounts
from coaching.accounts.models import Role, User
from coaching.audit import services as audit
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.organisations.models import Organisation


def create_account(actor: User, data: dict) -> User:
    role = Role(data["role"])
    organisation_id = data.get("organisation_id") or None
    if role != Role.ADMIN and (organisation_id is None or db.session.get(Organisation, organisation_id) is None):
        raise DomainError(_("Organisator/innen und Coaches gehören zu einer Organisation."), field="organisation_id")
    user = accounts.create_user(
        email=data["email"], password=data["password"], role=role, display_name=data["display_name"].strip(),
        organisation_id=None if role == Role.ADMIN else organisation_id, language=data.get("language", "de"),
    )
    db.session.flush()
    audit.record(actor, "user_created", "user", user.id, role=role.value)
    db.session.commit()
    return user


def set_active(actor: User, user: User, active: bool) -> None:
    if user.id == actor.id and not active:
        raise DomainError(_("Sie können Ihr eigenes Konto nicht deaktivieren."))
    user.active = active
    user.auth_version += 1  # ends the user's open sessions either way
    audit.record(actor, "user_activated" if active else "user_deactivated", "user", user.id)
    db.session.commit()
