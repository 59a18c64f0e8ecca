"""Numbers beyond what the database can hold never reach it: no route answers 500 to a 25-digit id."""
from __future__ import annotations

import pytest

from tests.test_access import RULES

HUGE = str(10**25)
QUERY_KEYS = ("page", "cohort", "coach", "region", "programme", "person_id", "mentee", "tage", "session_id")


@pytest.mark.parametrize("rule", [r for r in RULES if any(a.endswith("_id") for a in r.arguments)],
                         ids=lambda rule: rule.endpoint)
def test_huge_ids_in_the_path_are_not_found(client, world, login_as, rule):
    login_as(world.admin)
    url = rule.rule
    for argument in rule.arguments:
        url = url.replace(f"<int:{argument}>", HUGE).replace(f"<{argument}>", HUGE)
    for method in sorted(rule.methods & {"GET", "POST"}):
        assert client.open(url, method=method).status_code in (404, 405), (method, url)


@pytest.mark.parametrize("value", [HUGE, "-1", "abc", "1e9", "²"])
def test_hostile_query_values_on_list_pages(client, world, login_as, value):
    login_as(world.admin)
    for rule in RULES:
        if rule.arguments or "GET" not in rule.methods:
            continue
        response = client.get(rule.rule, query_string={key: value for key in QUERY_KEYS})
        assert response.status_code < 500, (rule.rule, value, response.status_code)
