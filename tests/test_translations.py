"""Message catalogues: every participant-facing string is translated, catalogues follow the code, and emails and
pages behind email links speak the person's language (script, direction, localised dates).

The .mo files are generated and git-ignored: this module compiles missing or stale ones when it is imported, i.e.
at collection, before any test of the process asks Flask-Babel (which caches catalogues for the whole process).
"""
from __future__ import annotations

import os
import re
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import pytest
import time_machine
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from sqlalchemy import select

from coaching.attendance.models import Attendance
from coaching.calendar import rsvp
from coaching.calendar.invitations import publish_cohort
from coaching.extensions import db
from coaching.mail.models import OutboxMessage
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "coaching" / "translations"
LANGUAGES = ("en", "ar", "fa", "uk", "ru", "tr")  # de is the source language
NOW = datetime(2026, 1, 10, 9, 0, tzinfo=factories.clock.UTC)

# Where participants, mentors and mentees meet our words: every email, the pages behind email links, the error
# page and layout, and the Python modules whose strings end up in those (calendar entries, form labels, errors).
PARTICIPANT_PREFIXES = (
    "templates/emails/",
    "templates/notifications/_email_",
    "templates/notifications/unsubscribe",
    "templates/base.html",
    "templates/errors/error.html",
    "templates/macros/forms.html",
    "templates/calendar/rsvp",
    "templates/calendar/link_sent.html",
    "templates/calendar/renew_feed.html",
    "templates/calendar/feed_links.html",
    "templates/calendar/_add_links.html",
    "templates/calendar/_answer_label.html",
    "templates/calendar/_feed_links.html",
    "templates/calendar/_session_facts.html",
    "templates/mentoring/portal_",
    "templates/mentoring/_macros.html",
    "templates/mentoring/_meeting_fields.html",
    "templates/pdf/certificate.html",
    "templates/materials/public",
    "coaching/core/errors.py",
    "coaching/core/tokens.py",
    "coaching/calendar/events.py",
    "coaching/calendar/feeds.py",
    "coaching/calendar/links.py",
    "coaching/calendar/rsvp.py",
    "coaching/calendar/views.py",
    "coaching/notifications/content.py",
    "coaching/notifications/links.py",
    "coaching/mentoring/forms.py",
    "coaching/mentoring/lifecycle.py",
    "coaching/mentoring/links.py",
    "coaching/mentoring/meetings.py",
    "coaching/mentoring/notices.py",
    "coaching/mentoring/portal.py",
    "coaching/mentoring/views_portal.py",
    "coaching/attendance/certificates.py",
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def _po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def compile_catalogues() -> None:
    """Write each missing or stale .mo (as `pybabel compile` would, without fuzzy entries), atomically:
    several test processes may do this at the same moment."""
    for language in LANGUAGES:
        po = _po_path(language)
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        tmp = mo.with_name(f".messages.{os.getpid()}.mo")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog)
        os.replace(tmp, mo)


compile_catalogues()


def _catalogue(language: str) -> Catalog:
    with _po_path(language).open("rb") as fh:
        return read_po(fh, locale=language)


def _participant_facing(locations) -> bool:
    return any(str(path).replace(os.sep, "/").startswith(PARTICIPANT_PREFIXES) for path, *_ in locations)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _key(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple | list) else msgid


def _untranslated(catalog: Catalog, msgids) -> list[str]:
    missing = []
    for msgid in msgids:
        message = catalog.get(msgid)
        if message is None or message.fuzzy or not all(s.strip() for s in _strings(message)):
            missing.append(_key(msgid))
    return missing


# --------------------------------------------------------------------------------------------- catalogues


def test_the_participant_prefixes_name_real_files():
    """A renamed template must not silently drop out of the check."""
    for prefix in PARTICIPANT_PREFIXES:
        folder, _sep, start = prefix.rpartition("/")
        assert any(p.name.startswith(start) for p in (ROOT / folder).iterdir()), prefix


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_participant_facing_string_is_translated(language):
    with (TRANSLATIONS / "messages.pot").open("rb") as fh:
        template = read_po(fh)
    wanted = [m.id for m in template if m.id and _participant_facing(m.locations)]
    assert len(wanted) > 200  # the prefixes still match the .pot's references
    missing = _untranslated(_catalogue(language), wanted)
    assert not missing, f"{language}: {len(missing)} participant-facing strings without translation:\n" + "\n".join(
        missing)


def test_english_has_every_string():
    """The organiser interface will be offered in English too: no German left in the English catalogue."""
    catalog = _catalogue("en")
    missing = _untranslated(catalog, [m.id for m in catalog if m.id])
    assert not missing, f"en: {len(missing)} strings without translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match(language):
    """`_("… %(name)s …", name=x)` formats the translation: another or a stray placeholder breaks the page."""
    wrong = []
    for message in _catalogue(language):
        if not message.id:
            continue
        wanted = {frozenset(PLACEHOLDER.findall(i)) for i in _ids(message)}
        uses_variables = any(wanted)
        for text in filter(None, _strings(message)):
            if uses_variables and frozenset(PLACEHOLDER.findall(text)) not in wanted:
                wrong.append(f"{_key(message.id)!r} → {text!r}")
            elif uses_variables and "%" in PLACEHOLDER.sub("", text).replace("%%", ""):
                wrong.append(f"stray % in {text!r}")
    assert not wrong, f"{language}:\n" + "\n".join(wrong)


def test_catalogues_follow_the_code():
    """A new participant-facing string without translation fails here: run scripts/translations.sh, translate."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    extracted: dict[str, tuple] = {}
    for filename, _lineno, msgid, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        if _participant_facing([(filename,)]) and msgid:
            extracted[_key(msgid)] = msgid if isinstance(msgid, str) else tuple(msgid)
    assert len(extracted) > 200
    for language in LANGUAGES:
        missing = _untranslated(_catalogue(language), extracted.values())
        assert not missing, (f"{language}: not in the catalogue or untranslated (run scripts/translations.sh and "
                             f"translate, see docs/translations.md):\n" + "\n".join(missing))


# ----------------------------------------------------------------------------------- emails and pages


@pytest.fixture
def published(world):
    """A published cohort with one participant per language; the clock stands before its sessions."""
    with time_machine.travel(NOW, tick=False):
        cohort = factories.cohort(world.org_a, world.programme, world.region)
        people = {lang: factories.person(world.org_a, language=lang, first_name=f"P{lang}")
                  for lang in ("de", *LANGUAGES)}
        for person in people.values():
            factories.enrol(cohort, person)
        session = factories.session(cohort, day=date(2026, 2, 10), at=dtime(18, 0), topic="Duale Ausbildung")
        db.session.commit()
        publish_cohort(cohort, world.organiser_a)
        yield cohort, session, people


def _invitation(person) -> OutboxMessage:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_person_id == person.id,
                                                         OutboxMessage.kind == "session_invitation"))


def _translation(language: str, msgid: str) -> str:
    return _catalogue(language).get(msgid).string


@pytest.mark.parametrize("language", LANGUAGES)
def test_invitation_speaks_the_persons_language(published, language):
    _cohort, _session, people = published
    message = _invitation(people[language])
    subject_start = _translation(language, "Einladung: %(topic)s am %(day)s").split("%(")[0].strip()
    assert message.language == language
    assert subject_start and subject_start in message.subject
    html = BeautifulSoup(message.body_html, "html.parser").html
    assert html["lang"] == language
    assert html["dir"] == ("rtl" if language in ("ar", "fa") else "ltr")
    assert _translation(language, "Bitte sagen Sie uns, ob Sie kommen:") in message.body_text


def test_arabic_invitation_has_arabic_text_rtl_and_a_localised_date(published):
    message = _invitation(published[2]["ar"])
    assert ARABIC_SCRIPT.search(message.subject) and ARABIC_SCRIPT.search(message.body_text)
    page = BeautifulSoup(message.body_html, "html.parser")
    assert page.html["dir"] == "rtl" and ARABIC_SCRIPT.search(page.get_text())
    assert "فبراير" in message.body_text  # 10 February 2026, month named by Babel's Arabic locale
    assert "Februar" not in message.body_text


def test_ukrainian_invitation_is_cyrillic(published):
    message = _invitation(published[2]["uk"])
    assert CYRILLIC.search(message.subject) and CYRILLIC.search(message.body_text)
    assert "лютого" in message.body_text  # 10 лютого 2026
    assert BeautifulSoup(message.body_html, "html.parser").html["dir"] == "ltr"


def test_german_invitation_stays_german(published):
    message = _invitation(published[2]["de"])
    assert message.subject.startswith("Einladung:") and "Februar" in message.body_text


def _rsvp_url(session, person) -> str:
    row = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                     Attendance.person_id == person.id))
    return f"/antwort/{rsvp.make_token(row, row.invited_sequence)}"


def test_rsvp_page_for_an_arabic_person_is_rtl(client, published):
    _cohort, session, people = published
    with time_machine.travel(NOW, tick=False):
        response = client.get(_rsvp_url(session, people["ar"]))
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert any(href.endswith("bootstrap.rtl.min.css") for href in stylesheets)
    assert page.h1.get_text(strip=True) == _translation("ar", "Nehmen Sie teil?")
    buttons = [b.get_text(strip=True) for b in page.select("button[name=antwort]")]
    assert _translation("ar", "Ja, ich komme") in buttons


def test_german_organiser_pages_stay_german(client, published, login_as, world):
    cohort, session, people = published
    with time_machine.travel(NOW, tick=False):
        client.get(_rsvp_url(session, people["ar"]))  # a participant page in Arabic first, same browser
        login_as(world.organiser_a)
        response = client.get(f"/kohorten/{cohort.id}/kalender")
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert page.html["lang"] == "de" and page.html["dir"] == "ltr"
    assert not any("rtl" in link["href"] for link in page.select("link[rel=stylesheet]"))
    assert page.select_one("nav") is not None and "Abmelden" in page.get_text()
