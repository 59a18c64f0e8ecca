"""Staff lists and the mentor's page make the same number of queries whatever the amount of data."""
from __future__ import annotations

from urllib.parse import urlsplit

from coaching.mentoring import links, services
from tests import factories
from tests.mentoring.conftest import FIRST, pairing
from tests.querycount import count_queries

PAGES = ("/mentoring/paare", "/mentoring/mentoren", "/mentoring/offen")


def _add(cast, n: int) -> None:
    for _ in range(n):
        pair = pairing(cast.world, cast.arabic_far, factories.person(cast.world.org_a))
        services.propose_meeting(cast.world.organiser_a, pair, services.Proposal(options=[FIRST], venue="X"))


def _counts(client, paths) -> list[int]:
    counts = []
    for path in paths:
        with count_queries() as counter:
            assert client.get(path).status_code == 200, path
        counts.append(counter.count)
    return counts


def test_page_queries_do_not_grow_with_data(cast, client, login_as):
    login_as(cast.world.organiser_a)
    portal = urlsplit(links.mentor_portal_url(cast.arabic_far)).path
    _add(cast, 1)
    few = _counts(client, (*PAGES, portal))
    _add(cast, 6)
    assert _counts(client, (*PAGES, portal)) == few
