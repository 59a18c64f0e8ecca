"""Browser tests: the session's test app served on a loopback port, driven by Debian's Chromium (Playwright).

The server runs in a thread of the test process, so it shares the test's database: build data with
`tests.factories`, commit, then navigate. One browser per session, one context per test; requests that leave
the test server are refused and recorded (no CDN ever), uncaught page errors fail the test.
"""
from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import factories

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - CI installs it (test extra)
    sync_playwright = None

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 5000


def _missing() -> str | None:
    if sync_playwright is None:
        return "playwright is not installed: pip install -e '.[test]'"
    if shutil.which(CHROMIUM) is None:
        return f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        pytest.skip(f"browser tests need Chromium and Playwright: {reason}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_server(app, browser) -> Iterator[str]:
    """The test app on 127.0.0.1; port 0 lets the OS pick a free port when the socket is bound."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """Open a page in a fresh context (own cookies); `new_page(width=390, height=844, touch=True)` for a phone."""
    contexts, errors, external = [], [], []

    def refuse_external(route) -> None:
        if route.request.url.startswith(live_server + "/"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    def open_page(width: int = 1280, height: int = 800, touch: bool = False):
        context = browser.new_context(base_url=live_server, locale="de-DE", timezone_id="Europe/Berlin",
                                      viewport={"width": width, "height": height}, has_touch=touch,
                                      is_mobile=touch)
        context.set_default_timeout(TIMEOUT_MS)
        context.route(re.compile(r".*"), refuse_external)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield open_page
    for context in contexts:
        try:
            context.close()
        except PlaywrightError:
            pass
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not external, f"the page tried to load from elsewhere: {external}"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def sign_in() -> Callable:
    def _sign_in(page, user, password: str = factories.PASSWORD) -> None:
        page.goto("/konto/anmelden")
        page.fill("#email", user.email)
        page.fill("#password", password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert "/konto/anmelden" not in page.url, page.locator("main").inner_text()

    return _sign_in


@pytest.fixture
def screenshot(request) -> Callable:
    """Save the page under test-artifacts/ as <test name>[-label].png."""
    def _shoot(page, label: str = "") -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_") + (f"-{label}" if label else "")
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path

    return _shoot
