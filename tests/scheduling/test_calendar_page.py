"""The calendar: month grid (Monday first, German names), week, agenda, filters, scope, query count."""
from __future__ import annotations

from datetime import date, time, timedelta

from bs4 import BeautifulSoup

from coaching.extensions import db
from coaching.people.models import PersonKind
from coaching.scheduling.models import SessionStatus
from tests import factories
from tests.querycount import count_queries
from tests.scheduling.conftest import booked


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _events_on(page, day: str) -> list[str]:
    return [a.get_text(" ", strip=True) for a in page.select(f"td[data-date='{day}'] a.cal-event")]


def test_month_grid_starts_on_monday_with_german_names(plan, login_as):
    booked(plan.cohort, date(2026, 3, 5), time(18, 0), topic="Bewerbung")
    db.session.commit()
    page = _page(login_as(plan.world.organiser_a), "/kalender?date=2026-03-15")
    titles = [abbr["title"] for abbr in page.select("table.cal-month thead abbr")]
    assert titles == ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
    cells = page.select("table.cal-month tbody td")
    assert cells[0]["data-date"] == "2026-02-23" and cells[-1]["data-date"] == "2026-04-05"
    assert len(cells) % 7 == 0
    assert "März 2026" in page.select_one("#cal-heading").get_text()
    assert _events_on(page, "2026-03-05") == [f"18:00 {plan.cohort.name}: Bewerbung"]
    assert page.select_one("a[rel=prev]")["href"].endswith("date=2026-02-01")
    assert page.select_one("a[rel=next]")["href"].endswith("date=2026-04-01")


def test_cancelled_sessions_are_struck_through(plan, login_as):
    booked(plan.cohort, date(2026, 3, 5), time(18, 0), status=SessionStatus.CANCELLED)
    db.session.commit()
    page = _page(login_as(plan.world.organiser_a), "/kalender?date=2026-03-01")
    [event] = page.select("td[data-date='2026-03-05'] a.cal-event")
    assert "cancelled" in event["class"] and "abgesagt" in event.get_text()
    agenda = _page(login_as(plan.world.organiser_a), "/kalender?view=liste&date=2026-03-01")
    assert agenda.select_one("tr.cancelled del a") is not None


def test_sessions_show_on_their_local_day(plan, login_as):
    booked(plan.cohort, date(2026, 3, 6), time(0, 30))  # 23:30 UTC the day before
    db.session.commit()
    page = _page(login_as(plan.world.organiser_a), "/kalender?date=2026-03-01")
    assert _events_on(page, "2026-03-05") == [] and len(_events_on(page, "2026-03-06")) == 1


def test_organisers_see_only_their_organisation_admins_see_all(plan, login_as, client):
    foreign = factories.cohort(plan.world.org_b, plan.world.programme, plan.world.region)
    booked(foreign, date(2026, 3, 5), time(10, 0), topic="Fremd")
    booked(plan.cohort, date(2026, 3, 5), time(18, 0), topic="Eigen")
    db.session.commit()
    page = _page(login_as(plan.world.organiser_a), "/kalender?date=2026-03-01")
    assert [e.split(": ")[1] for e in _events_on(page, "2026-03-05")] == ["Eigen"]
    assert foreign.name not in page.get_text()  # not even in the filter choices
    client.post("/konto/abmelden")
    page = _page(login_as(plan.world.admin), "/kalender?date=2026-03-01")
    assert [e.split(": ")[1] for e in _events_on(page, "2026-03-05")] == ["Fremd", "Eigen"]


def test_filters_by_cohort_coach_region_and_programme(plan, login_as):
    other_coach = factories.person(plan.world.org_a, PersonKind.COACH)
    other = factories.cohort(plan.world.org_a, plan.world.programme, factories.region("Erfurt"))
    booked(plan.cohort, date(2026, 3, 5), time(18, 0), topic="Eins", coach_id=plan.coach.id)
    booked(other, date(2026, 3, 5), time(10, 0), topic="Zwei", coach_id=other_coach.id)
    db.session.commit()
    client = login_as(plan.world.organiser_a)
    for query, expected in [
        (f"cohort={plan.cohort.id}", ["Eins"]),
        (f"coach={other_coach.id}", ["Zwei"]),
        (f"region={other.region_id}", ["Zwei"]),
        (f"programme={plan.world.programme.id}", ["Zwei", "Eins"]),
        ("cohort=abc", ["Zwei", "Eins"]),
    ]:
        page = _page(client, f"/kalender?date=2026-03-01&{query}")
        assert [e.split(": ")[1] for e in _events_on(page, "2026-03-05")] == expected, query
    page = _page(client, f"/kalender?date=2026-03-01&cohort={plan.cohort.id}")
    assert page.select_one("#filter-cohort option[selected]")["value"] == str(plan.cohort.id)
    assert f"cohort={plan.cohort.id}" in page.select_one("a[rel=next]")["href"]


def test_week_and_agenda_views(plan, login_as):
    booked(plan.cohort, date(2026, 3, 5), time(18, 0), topic="Bewerbung")
    booked(plan.cohort, date(2026, 3, 20), time(18, 0), topic="Praktikum")
    db.session.commit()
    client = login_as(plan.world.organiser_a)
    week = _page(client, "/kalender?view=woche&date=2026-03-05")
    days = [row["data-date"] for row in week.select("table.cal-week tr")]
    assert days[0] == "2026-03-02" and days[-1] == "2026-03-08"
    assert week.select_one("tr[data-date='2026-03-02'] th").get_text().startswith("Montag")
    assert "Bewerbung" in week.select_one("tr[data-date='2026-03-05']").get_text()
    agenda = _page(client, "/kalender?view=liste&date=2026-03-01")
    rows = agenda.select("table.cal-agenda tr[data-session]")
    assert [row.select("td")[3].get_text(strip=True) for row in rows] == ["Bewerbung", "Praktikum"]


def test_bad_date_gets_a_message_and_today(plan, login_as):
    page = _page(login_as(plan.world.organiser_a), "/kalender?date=2026-13-45")
    assert "verstehen wir nicht" in page.select_one(".alert-warning").get_text()
    assert "Januar 2026" in page.select_one("#cal-heading").get_text()
    assert _page(login_as(plan.world.organiser_a), "/kalender?date=1900-01-01")  # clamped, no crash


def test_nav_has_a_calendar_link(plan, login_as):
    page = _page(login_as(plan.world.organiser_a), "/")
    assert page.select_one("nav a[href='/kalender']").get_text(strip=True) == "Kalender"


def _queries(client) -> tuple[int, int]:
    """Statements for the month view and the agenda (which also shows coaches and places)."""
    counts = []
    for url in ("/kalender?date=2026-03-01", "/kalender?view=liste&date=2026-03-01"):
        db.session.expire_all()
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    return counts[0], counts[1]


def test_month_view_query_count_is_constant(plan, login_as):
    client = login_as(plan.world.organiser_a)
    cohorts = [factories.cohort(plan.world.org_a, plan.world.programme, plan.world.region) for _ in range(5)]
    coaches = [factories.person(plan.world.org_a, PersonKind.COACH) for _ in range(5)]
    for i in range(5):
        booked(cohorts[i], date(2026, 3, 2) + timedelta(days=i), time(18, 0), coach_id=coaches[i].id)
    db.session.commit()
    few = _queries(client)
    for i in range(195):
        booked(cohorts[i % 5], date(2026, 3, 1) + timedelta(days=i % 31), time(8 + i % 12, 0),
               coach_id=coaches[i % 5].id)
    db.session.commit()
    page = BeautifulSoup(client.get("/kalender?date=2026-03-01").get_data(as_text=True), "html.parser")
    cells = page.select("td[data-date]")
    # A busy day shows 4 sessions and "+N weitere" (to its week); none is lost.
    assert all(len(td.select("a.cal-event")) <= 4 for td in cells)
    more = sum(int(a.get_text().split()[0].lstrip("+")) for a in page.select("td[data-date] a.small"))
    assert len(page.select("a.cal-event")) + more == 200
    assert _queries(client) == few
    assert max(few) <= 8


def test_a_coach_starts_with_their_own_schedule_and_can_see_all(plan, login_as):
    other_coach = factories.person(plan.world.org_a, PersonKind.COACH)
    booked(plan.cohort, date(2026, 3, 5), time(18, 0), topic="Eigener", coach_id=plan.coach.id)
    booked(plan.cohort, date(2026, 3, 5), time(10, 0), topic="Fremder", coach_id=other_coach.id)
    plan.world.coach_a.person_id = plan.coach.id
    db.session.commit()
    client = login_as(plan.world.coach_a)
    page = _page(client, "/kalender?date=2026-03-01")
    assert [e.split(": ")[1] for e in _events_on(page, "2026-03-05")] == ["Eigener"]
    assert page.select_one("#filter-coach option[selected]")["value"] == str(plan.coach.id)
    page = _page(client, "/kalender?date=2026-03-01&coach=")
    assert [e.split(": ")[1] for e in _events_on(page, "2026-03-05")] == ["Fremder", "Eigener"]


def test_a_view_with_too_many_sessions_says_so(plan, login_as, monkeypatch):
    from coaching.scheduling import calendar_view

    monkeypatch.setattr(calendar_view, "MAX_IN_VIEW", 3)
    for day in range(2, 7):
        booked(plan.cohort, date(2026, 3, day), time(18, 0))
    db.session.commit()
    page = _page(login_as(plan.world.organiser_a), "/kalender?view=liste&date=2026-03-02")
    assert len(page.select("tr[data-session]")) == 3
    assert page.find(attrs={"data-testid": "truncated"}) is not None
