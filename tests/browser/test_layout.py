"""A 360 px phone: pages never scroll sideways; wide tables scroll inside their .table-responsive wrapper."""
from __future__ import annotations

from datetime import time, timedelta

import pytest

from coaching.core import clock
from coaching.extensions import db
from tests import factories

pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (test extra)")

# Every shown table sits in a .table-responsive that scrolls (overflow-x auto) whenever the table is wider
# (tables only for screen readers, .visually-hidden, take no room).
TABLES = """() => [...document.querySelectorAll("main table")]
  .filter(t => !t.closest(".visually-hidden")).map(table => {
    const wrapper = table.closest(".table-responsive");
    if (!wrapper) { return {id: table.id || table.className, wrapped: false}; }
    const tooWide = table.scrollWidth > wrapper.clientWidth + 1;
    wrapper.scrollLeft = 40;  // does it really scroll sideways on its own?
    const scrolls = wrapper.scrollLeft > 0 && ["auto", "scroll"].includes(getComputedStyle(wrapper).overflowX);
    wrapper.scrollLeft = 0;
    return {id: table.id || table.className, wrapped: true, tooWide, scrolls,
            wrapperRight: wrapper.getBoundingClientRect().right};
})"""


@pytest.fixture
def busy_month(world):
    """Sessions in the coming days with long names, so that tables have something wide to show."""
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    cohort.name = "Beiratsqualifizierung Elternbegleitung Dresden-Neustadt Frühjahr"
    for n in range(4):
        person = factories.person(world.org_a, first_name=f"Mustafa-Alexander{n}",
                                  last_name="Abdelrahman-Schwarzenberger")
        factories.enrol(cohort, person)
    today = clock.today_local()
    for days, topic in [(0, "Das duale Ausbildungssystem und Berufsorientierungsmöglichkeiten"),
                        (1, "Bewerbungsunterlagen"), (2, "Ausbildungsplatzsuche")]:
        factories.session(cohort, day=today + timedelta(days=days), at=time(18, 0), topic=topic)
    db.session.commit()


@pytest.mark.parametrize("path", ["/", "/kalender", "/kalender?view=liste"])
def test_no_sideways_scrolling_at_360px(world, busy_month, new_page, sign_in, screenshot, path):
    page = new_page(width=360, height=740, touch=True)
    sign_in(page, world.organiser_a)
    page.goto(path)
    page.wait_for_load_state("load")
    screenshot(page)
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path}: the page is {width[0]} px wide on a {width[1]} px screen"
    tables = page.evaluate(TABLES)
    if path.startswith("/kalender"):
        assert tables, "the calendar shows a table"
    for table in tables:
        assert table["wrapped"], f"{path}: table {table['id']} is not inside .table-responsive"
        assert table["wrapperRight"] <= width[1], f"{path}: {table}"
        if table["tooWide"]:
            assert table["scrolls"], f"{path}: table {table['id']} is wider than its wrapper but does not scroll"


@pytest.mark.parametrize("width", [1200, 1280])
@pytest.mark.parametrize("role", ["admin", "organiser_a"])
def test_navigation_fits_desktop_widths(world, new_page, sign_in, role, width):
    """The admin's navigation has the most entries: it must not push the page wider than the window."""
    page = new_page(width=width, height=800, touch=False)
    sign_in(page, getattr(world, role))
    for path in ("/", "/kohorten"):
        page.goto(path)
        page.wait_for_load_state("load")
        scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{role} {path} at {width} px: the page is {scroll} px wide"
        assert page.get_by_role("button", name="Abmelden").is_visible()


def test_cohort_page_at_360px_does_not_scroll_sideways(world, busy_month, new_page, sign_in):
    from coaching.cohorts.models import Cohort

    cohort = db.session.query(Cohort).first()
    page = new_page(width=360, height=740, touch=True)
    sign_in(page, world.organiser_a)
    page.goto(f"/kohorten/{cohort.id}")
    page.wait_for_load_state("load")
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"the cohort page is {scroll} px wide on a {inner} px screen"
