from bs4 import BeautifulSoup

from coaching.accounts.models import Role, User
from coaching.extensions import db
from coaching.organisations.models import Council, Organisation, Region
from tests import factories
from tests.conftest import login


def test_admin_creates_organisation_region_council_and_account(client, world, login_as):
    login_as(world.admin)
    assert client.post("/verwaltung/organisation/neu", data={
        "name": "Förderverein des Bundeszuwanderungs- und Integrationsrats e. V.", "short_name": "BZI"}
    ).status_code == 302
    assert client.post("/verwaltung/region/neu", data={"name": "Rostock", "federal_state": "MV"}).status_code == 302
    rostock = db.session.query(Region).filter_by(name="Rostock").one()
    assert rostock.federal_state.value == "MV"
    assert client.post("/verwaltung/beirat/neu", data={
        "name": "Migrantenbeirat Rostock", "region_id": rostock.id, "email": "Beirat@Example.org"}
    ).status_code == 302
    assert db.session.query(Council).filter_by(name="Migrantenbeirat Rostock").one().email == "beirat@example.org"

    org = db.session.query(Organisation).filter_by(short_name="BZI").one()
    response = client.post("/verwaltung/konten/neu", data={
        "display_name": "Neue Organisatorin", "email": "neu@example.org", "role": "organiser",
        "organisation_id": org.id, "language": "de", "password": "ein-gutes-passwort"})
    assert response.status_code == 302
    created = db.session.query(User).filter_by(email="neu@example.org").one()
    assert (created.role, created.organisation_id) == (Role.ORGANISER, org.id)
    client.post("/konto/abmelden")
    login(client, created, password="ein-gutes-passwort")

    page = BeautifulSoup(client.get("/verwaltung/").data, "html.parser")
    assert page.find("h1").text.strip() in ("Fehler 403",)


def test_duplicate_names_get_a_clear_message_and_change_nothing(client, world, login_as):
    login_as(world.admin)
    before = db.session.query(Region).count()
    response = client.post("/verwaltung/region/neu", data={"name": "dresden", "federal_state": "SN"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.find(id="name-error").text.strip() == "Dieser Name ist bereits vergeben."
    assert db.session.query(Region).count() == before


def test_organiser_account_needs_an_organisation(client, world, login_as):
    login_as(world.admin)
    response = client.post("/verwaltung/konten/neu", data={
        "display_name": "X", "email": "x@example.org", "role": "organiser", "organisation_id": 0,
        "language": "de", "password": "ein-gutes-passwort"})
    assert response.status_code == 200
    assert db.session.query(User).filter_by(email="x@example.org").count() == 0
    duplicate = client.post("/verwaltung/konten/neu", data={
        "display_name": "X", "email": world.organiser_a.email.upper(), "role": "admin", "organisation_id": 0,
        "language": "de", "password": "ein-gutes-passwort"})
    assert "Es gibt bereits ein Konto" in duplicate.get_data(as_text=True)


def test_deactivating_a_user_ends_their_sessions(app, client, world, login_as):
    other = app.test_client()
    login(other, world.organiser_a)
    assert other.get("/").status_code == 200
    login_as(world.admin)
    client.post(f"/verwaltung/konten/{world.organiser_a.id}/aktiv")
    assert other.get("/").status_code == 302
    assert db.session.get(User, world.organiser_a.id).active is False


def test_organisers_cannot_open_administration(client, world, login_as):
    login_as(world.organiser_a)
    for url in ("/verwaltung/", "/verwaltung/konten/", "/verwaltung/region/neu"):
        assert client.get(url).status_code == 403
    factories.council(world.region)
