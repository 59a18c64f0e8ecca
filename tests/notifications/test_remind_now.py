def test_session_page_offers_remind_now_to_staff_only(setup, client, login_as):
    from bs4 import BeautifulSoup

    action = f"/termine/{setup.session.id}/erinnerung"
    login_as(setup.world.organiser_a)
    soup = BeautifulSoup(client.get(f"/termine/{setup.session.id}").data, "html.parser")
    assert soup.find("form", action=action) is not None
    client.post("/konto/abmelden")
    login_as(setup.world.coach_a)
    soup = BeautifulSoup(client.get(f"/termine/{setup.session.id}").data, "html.parser")
    assert soup.find("form", action=action) is None
