"""Every template compiles, and every user-facing string can be extracted for translation."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_template_compiles(app):
    names = app.jinja_env.list_templates()
    assert "base.html" in names
    for name in names:
        app.jinja_env.get_template(name)


def test_messages_extract_with_german_source_strings(tmp_path):
    pot = tmp_path / "messages.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-o", str(pot), "."],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    text = pot.read_text()
    assert 'msgid "Anmelden"' in text
    assert 'msgid "E-Mail-Adresse oder Passwort ist falsch."' in text


def test_error_pages_render_in_layout(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht (mehr)." in response.get_data(as_text=True)
    assert client.get("/gibt-es-nicht", headers={"Accept": "application/json"}).get_json()["status"] == 404


def test_unexpected_error_shows_the_500_page_and_rolls_back(database_url):
    from coaching import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_TEST_ERRORS": False,
                                 "PROPAGATE_EXCEPTIONS": False})

    def boom():
        raise RuntimeError("boom")

    app.add_url_rule("/boom", "boom", boom)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Ein interner Fehler ist aufgetreten." in response.get_data(as_text=True)


def test_a_broken_email_link_answers_in_the_browser_language(client):
    from bs4 import BeautifulSoup

    response = client.get("/antwort/kaputt", headers={"Accept-Language": "ar,en;q=0.5"})
    assert response.status_code == 404
    soup = BeautifulSoup(response.data, "html.parser")
    assert (soup.html["lang"], soup.html["dir"]) == ("ar", "rtl")
    assert "Diese Seite gibt es nicht" not in soup.get_text()
    german = BeautifulSoup(client.get("/antwort/kaputt").data, "html.parser")
    assert german.html["lang"] == "de" and "Diese Seite gibt es nicht" in german.get_text()
