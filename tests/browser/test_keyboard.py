"""Keyboard only: the skip link shows on focus and leads into the form; Tab order; Enter logs in."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.factories import PASSWORD

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (test extra)")
expect = sync_api.expect

FOCUSED = """() => {
    const el = document.activeElement;
    return el.id || `${el.tagName.toLowerCase()}[type=${el.getAttribute("type")}]:${el.textContent.trim()}`;
}"""


def _width(locator) -> float:
    box = locator.bounding_box()
    return box["width"] if box else 0


def test_login_with_the_keyboard_only(world, page, screenshot):
    user = world.organiser_a
    page.goto("/konto/anmelden")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert _width(skip) <= 1, "the skip link is visible before it has focus"

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    assert _width(skip) > 20, "the skip link stays invisible when focused"
    screenshot(page, "skip-link")

    page.keyboard.press("Enter")  # skip the navigation: the next Tab lands in the content
    expected = ["email", "password", "remember", "button[type=submit]:Anmelden"]
    seen = []
    for _ in expected:
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    assert seen == expected

    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("#remember")).to_be_checked()
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_contain_text(user.display_name)
    assert urlsplit(page.url).path == "/"
    assert "remember_token" in {c["name"] for c in page.context.cookies()}
    screenshot(page, "logged-in")

