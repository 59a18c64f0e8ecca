from __future__ import annotations

from bs4 import BeautifulSoup

from coaching.mentoring.suggestions import suggest_mentors
from tests import factories
from tests.mentoring.conftest import pairing
from tests.querycount import count_queries


def test_shared_language_beats_region_and_full_mentors_come_last(cast):
    ranked = suggest_mentors(cast.mentee)
    assert [s.person.id for s in ranked] == [cast.arabic_far.id, cast.german_near.id, cast.arabic_full.id]
    first, second, last = ranked
    assert first.reasons == ["spricht Arabisch", "3 von 3 Plätzen frei"]
    assert second.reasons == ["gleiche Region", "2 von 2 Plätzen frei"]
    assert last.full and "ausgelastet (1 von 1 Plätzen belegt)" in last.reasons
    assert "spricht Arabisch" in last.reasons and "gleiche Region" in last.reasons


def test_full_mentors_can_be_left_out_and_topics_count(cast):
    ranked = suggest_mentors(cast.mentee, topics=["bewerbung"], include_full=False)
    assert cast.arabic_full.id not in [s.person.id for s in ranked]
    assert ranked[0].shared_topics == ["bewerbung"]
    assert "Themen: bewerbung" in ranked[0].reasons


def test_free_places_are_counted_by_the_database_in_constant_queries(cast):
    with count_queries() as few:
        suggest_mentors(cast.mentee)
    for _ in range(5):
        pairing(cast.world, cast.german_near, factories.person(cast.world.org_a))
    with count_queries() as more:
        ranked = suggest_mentors(cast.mentee)
    assert more.count == few.count
    assert any("GROUP BY" in s.upper() for s in more.statements)
    german = next(s for s in ranked if s.person.id == cast.german_near.id)
    assert german.used == 5 and german.full


def test_new_pairing_page_shows_ranked_suggestions_with_reasons(cast, client, login_as):
    login_as(cast.world.organiser_a)
    response = client.get(f"/mentoring/paare/neu?mentee={cast.mentee.id}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    items = soup.select("[data-testid=suggestion]")
    assert [int(i["data-person"]) for i in items] == [
        cast.arabic_far.id,
        cast.german_near.id,
        cast.arabic_full.id,
    ]
    assert "spricht Arabisch" in items[0].select_one("[data-testid=reasons]").text
    assert items[2]["data-full"] == "true"
