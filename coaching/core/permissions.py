"""Who may see what. Every view loads its object through here: load-or-404, then check the scope.

Organisers and coaches see their own organisation's data only. Objects of another organisation answer 404,
so ids of other organisations cannot even be probed.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from coaching.accounts.models import Role
from coaching.extensions import db


def roles_required(*roles: Role) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = roles_required(Role.ADMIN)
staff_required = roles_required(Role.ADMIN, Role.ORGANISER)
member_required = roles_required(Role.ADMIN, Role.ORGANISER, Role.COACH)


def can_see_organisation(user, organisation_id: int | None) -> bool:
    return user.is_admin or (organisation_id is not None and user.organisation_id == organisation_id)


def scoped(query, organisation_column, user):
    """Restrict a select() to the user's organisation (admins see everything)."""
    if user.is_admin:
        return query
    return query.where(organisation_column == user.organisation_id)


def get_scoped_or_404(model, object_id: int, user, organisation_of: Callable | None = None, options=()):
    """Load by primary key and check the organisation; 404 for both missing and foreign objects."""
    obj = db.session.get(model, object_id, options=list(options))
    if obj is None:
        abort(404)
    organisation_id = organisation_of(obj) if organisation_of else obj.organisation_id
    if not can_see_organisation(user, organisation_id):
        abort(404)
    return obj
