"""Materials: what the public download area lists, and which materials a session hands out.

A session's attached materials are linked in its follow-up email (see notifications.scheduler), so attaching is
limited to published materials of the session's own organisation.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import selectinload

from coaching.audit.services import record
from coaching.core.errors import DomainError
from coaching.core.permissions import can_see_organisation
from coaching.extensions import db
from coaching.materials.models import Audience, Material, MaterialStatus, SessionMaterial
from coaching.scheduling.models import CoachingSession


@dataclass(frozen=True)
class SessionMaterials:
    attached: list[Material]
    attachable: list[Material]


def _published() -> Select:
    return select(Material).where(Material.status == MaterialStatus.PUBLISHED)


def public_topics() -> list[str]:
    return list(db.session.scalars(
        select(Material.topic).where(Material.status == MaterialStatus.PUBLISHED).distinct().order_by(Material.topic)
    ))


def public_materials(topic: str | None = None, audience: Audience | None = None) -> list[Material]:
    """Published materials with their files (one extra query for all files), filtered when asked."""
    query = _published().options(selectinload(Material.files)).order_by(Material.title, Material.id)
    if topic:
        query = query.where(Material.topic == topic)
    if audience:
        query = query.where(Material.audience == audience)
    return list(db.session.scalars(query))


def published_material(slug: str) -> Material | None:
    """Drafts and retired materials are not public: callers answer 404 for them as for unknown slugs."""
    return db.session.scalars(
        _published().where(Material.slug == slug).options(selectinload(Material.files))
    ).one_or_none()


def session_materials(session: CoachingSession) -> SessionMaterials:
    """Attached materials and the published ones of the session's organisation that could be attached (1 query)."""
    organisation_id = session.cohort.organisation_id
    rows = db.session.execute(
        select(Material, SessionMaterial.session_id)
        .outerjoin(SessionMaterial, and_(SessionMaterial.material_id == Material.id,
                                         SessionMaterial.session_id == session.id))
        .where(or_(SessionMaterial.session_id.is_not(None),
                   and_(Material.organisation_id == organisation_id, Material.status == MaterialStatus.PUBLISHED)))
        .order_by(Material.title, Material.id)
    ).all()
    return SessionMaterials(attached=[m for m, attached in rows if attached is not None],
                            attachable=[m for m, attached in rows if attached is None])


def _material_for(session: CoachingSession, material_id: int, user) -> Material:
    """The material, only if it belongs to the session's organisation and the user may act there; else 404."""
    material = db.session.get(Material, material_id)
    organisation_id = session.cohort.organisation_id
    if (material is None or material.organisation_id != organisation_id
            or not can_see_organisation(user, organisation_id)):
        abort(404)
    return material


def _link(session: CoachingSession, material: Material) -> SessionMaterial | None:
    return db.session.get(SessionMaterial, (session.id, material.id))


def attach_material(session: CoachingSession, material_id: int, user) -> Material:
    """Attach a published material; attaching it again changes nothing. Commits."""
    material = _material_for(session, material_id, user)
    if material.status != MaterialStatus.PUBLISHED:
        raise DomainError(_("Nur veröffentlichte Materialien können an einen Termin gehängt werden."),
                          field="material_id")
    if _link(session, material) is None:
        db.session.add(SessionMaterial(session_id=session.id, material_id=material.id))
        record(user, "material.attached", "session", session.id, material_id=material.id)
    db.session.commit()
    return material


def detach_material(session: CoachingSession, material_id: int, user) -> Material:
    """Remove a material from the session; removing one that is not attached changes nothing. Commits."""
    material = _material_for(session, material_id, user)
    link = _link(session, material)
    if link is not None:
        db.session.delete(link)
        record(user, "material.detached", "session", session.id, material_id=material.id)
    db.session.commit()
    return material
