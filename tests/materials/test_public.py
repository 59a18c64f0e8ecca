"""The public download area: published materials only, filters, detail page, constant queries."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.materials.conftest import material
from tests.querycount import count_queries


def _rows(response) -> dict[str, BeautifulSoup]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    return {row["data-slug"]: row for row in soup.select("#materials tbody tr")}


def test_list_shows_published_materials_only_without_login(client, mats):
    rows = _rows(client.get("/materialien"))
    assert set(rows) == {"duale-ausbildung", "bewerbung-flyer", "fremd"}
    cells = [td.get_text(" ", strip=True) for td in rows["duale-ausbildung"].find_all("td")]
    assert cells[0] == "Handreichung duale-ausbildung"
    assert cells[1:3] == ["Ausbildung", "Eltern"]
    assert "Deutsch" in cells[3] and "العربية" in cells[3]
    assert cells[4] == "Freie Nutzung für nicht-kommerzielle Zwecke"
    assert rows["bewerbung-flyer"].find(attrs={"data-role": "no-file"}).get_text() == "Datei folgt"
    assert rows["duale-ausbildung"].find("a")["href"] == "/materialien/duale-ausbildung"


@pytest.mark.parametrize(("query", "expected"), [
    ({"topic": "Bewerbung"}, {"bewerbung-flyer"}),
    ({"audience": "parents"}, {"duale-ausbildung", "fremd"}),
    ({"topic": "Ausbildung", "audience": "beirat_members"}, set()),
    ({"topic": "gibt es nicht", "audience": "hacker"}, {"duale-ausbildung", "bewerbung-flyer", "fremd"}),
])
def test_filters_by_topic_and_audience_and_ignores_invalid_values(client, mats, query, expected):
    assert set(_rows(client.get("/materialien", query_string=query))) == expected


def test_filter_form_offers_only_public_topics(client, mats):
    material(mats.world.org_a, "geheim", topic="Nur im Entwurf", status="draft")
    soup = BeautifulSoup(client.get("/materialien", query_string={"topic": "Bewerbung"}).data, "html.parser")
    options = soup.select("#filter-topic option")
    assert [o["value"] for o in options] == ["", "Ausbildung", "Bewerbung"]
    assert soup.select_one("#filter-topic option[selected]")["value"] == "Bewerbung"
    assert soup.find("label", attrs={"for": "filter-audience"}) is not None


def test_list_makes_a_constant_number_of_queries(client, mats):
    with count_queries() as few:
        client.get("/materialien")
    for n in range(5):
        material(mats.world.org_a, f"mehr-{n}", languages=("de", "tr"))
    with count_queries() as many:
        client.get("/materialien")
    assert many.count == few.count <= 4


def test_detail_page(client, mats):
    response = client.get("/materialien/duale-ausbildung")
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.find("h1").get_text() == "Handreichung duale-ausbildung"
    details = soup.find(id="material-details").get_text(" ", strip=True)
    assert "Eltern" in details and "Freie Nutzung für nicht-kommerzielle Zwecke" in details
    assert "Deutsch" in soup.find(id="material-languages").get_text()


def test_detail_of_a_material_without_file_says_the_file_follows(client, mats):
    soup = BeautifulSoup(client.get("/materialien/bewerbung-flyer").data, "html.parser")
    assert soup.find(id="material-languages").get_text(strip=True) == "Datei folgt"


@pytest.mark.parametrize("slug", ["entwurf", "alt", "gibt-es-nicht"])
def test_drafts_retired_and_unknown_materials_answer_404(client, mats, slug):
    assert client.get(f"/materialien/{slug}").status_code == 404


def test_public_pages_speak_the_requested_language(client, mats):
    soup = BeautifulSoup(client.get("/materialien", query_string={"lang": "en"}).data, "html.parser")
    assert soup.find("html")["lang"] == "en"
    assert "Free use for non-commercial purposes" in soup.find(id="materials").get_text()
