"""Materials of two organisations (published, draft, retired) and a session of organisation A."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from coaching.cohorts.models import Cohort
from coaching.extensions import db
from coaching.materials.models import Audience, Material, MaterialFile, MaterialStatus
from coaching.scheduling.models import CoachingSession
from tests import factories


def material(org, slug: str, topic: str = "Ausbildung", audience: Audience = Audience.PARENTS,
             status: MaterialStatus = MaterialStatus.PUBLISHED, languages: tuple[str, ...] = ()) -> Material:
    m = Material(organisation_id=org.id, slug=slug, title=f"Handreichung {slug}", topic=topic, audience=audience,
                 status=status)
    for n, language in enumerate(languages):
        m.files.append(MaterialFile(language=language, stored_name=f"{slug}-{n}", original_name=f"{slug}.pdf",
                                    content_type="application/pdf", size=10, sha256="0" * 64))
    db.session.add(m)
    db.session.flush()
    return m


@dataclass
class Materials:
    world: factories.World
    cohort: Cohort
    session: CoachingSession
    handout: Material  # A, published, files in de and ar
    flyer: Material  # A, published, no file yet
    draft: Material  # A
    retired: Material  # A
    foreign: Material  # B, published
    foreign_session: CoachingSession


@pytest.fixture
def mats(world) -> Materials:
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    cohort_b = factories.cohort(world.org_b, world.programme, world.region)
    m = Materials(
        world=world, cohort=cohort, session=factories.session(cohort),
        handout=material(world.org_a, "duale-ausbildung", languages=("de", "ar")),
        flyer=material(world.org_a, "bewerbung-flyer", topic="Bewerbung", audience=Audience.BEIRAT_MEMBERS),
        draft=material(world.org_a, "entwurf", status=MaterialStatus.DRAFT),
        retired=material(world.org_a, "alt", status=MaterialStatus.RETIRED),
        foreign=material(world.org_b, "fremd"),
        foreign_session=factories.session(cohort_b),
    )
    db.session.commit()
    return m
