"""Reference data kept by admins: organisations, regions, councils. Names are unique: say so, change nothing."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from coaching.audit import services as audit
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.organisations.models import Council, Organisation, Region


def _ensure_unique(model, column, value: str, current_id: int | None, field: str, **scope) -> None:
    query = select(model.id).where(func.lower(column) == value.strip().lower())
    for name, scope_value in scope.items():
        query = query.where(getattr(model, name) == scope_value)
    existing = db.session.scalar(query)
    if existing is not None and existing != current_id:
        raise DomainError(_("Dieser Name ist bereits vergeben."), field=field)


def save_organisation(actor, data: dict, organisation: Organisation | None = None) -> Organisation:
    _ensure_unique(Organisation, Organisation.name, data["name"], getattr(organisation, "id", None), "name")
    organisation = organisation or Organisation()
    organisation.name = data["name"].strip()
    organisation.short_name = data["short_name"].strip()
    organisation.funder_line = (data.get("funder_line") or "").strip() or None
    db.session.add(organisation)
    db.session.flush()
    audit.record(actor, "organisation_saved", "organisation", organisation.id)
    db.session.commit()
    return organisation


def save_region(actor, data: dict, region: Region | None = None) -> Region:
    _ensure_unique(Region, Region.name, data["name"], getattr(region, "id", None), "name")
    region = region or Region()
    region.name = data["name"].strip()
    region.federal_state = data["federal_state"]
    db.session.add(region)
    db.session.flush()
    audit.record(actor, "region_saved", "region", region.id)
    db.session.commit()
    return region


def save_council(actor, data: dict, council: Council | None = None) -> Council:
    if db.session.get(Region, data["region_id"]) is None:
        raise DomainError(_("Bitte wählen Sie eine Region."), field="region_id")
    _ensure_unique(Council, Council.name, data["name"], getattr(council, "id", None), "name",
                   region_id=data["region_id"])
    council = council or Council()
    council.name = data["name"].strip()
    council.region_id = data["region_id"]
    council.email = (data.get("email") or "").strip().lower() or None
    db.session.add(council)
    db.session.flush()
    audit.record(actor, "council_saved", "council", council.id)
    db.session.commit()
    return council
