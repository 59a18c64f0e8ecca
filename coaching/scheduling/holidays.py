"""Public holidays of a region's federal state, in the reader's language where the package has it."""
from __future__ import annotations

from datetime import date

import holidays as holiday_calendars

# The `holidays` package translates German holidays into these languages only.
_LANGUAGES = {"de": "de", "en": "en_US", "uk": "uk"}


def holidays_between(federal_state: str, first: date, last: date, language: str = "de") -> dict[date, str]:
    """Holiday names by day for the federal state (ISO code such as "SN") between two days, inclusive."""
    if last < first:
        return {}
    calendar = holiday_calendars.country_holidays(
        "DE",
        subdiv=str(federal_state),
        years=range(first.year, last.year + 1),
        language=_LANGUAGES.get(language, "de"),
    )
    return {day: name for day, name in calendar.items() if first <= day <= last}
