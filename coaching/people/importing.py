"""Spreadsheet import of participants: read CSV/XLSX, check every row, match existing people, keep a preview.

Organisers keep their lists in Excel, often saved as CSV in Windows encoding with semicolons. Nothing is
written here: the preview is stored server-side (a JSON file named by a random id, referenced by a signed
token) until the organiser confirms, so re-posted row data is never trusted.
"""
from __future__ import annotations

import csv
import io
import json
import re
import secrets
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import func, select

from coaching.cohorts.models import Cohort, Enrolment, EnrolmentStatus, TargetGroup
from coaching.core import clock, tokens
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.organisations.models import Council
from coaching.people.models import LANGUAGES, Person, PersonKind

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
TOKEN_PURPOSE = "people-import"
TOKEN_MAX_AGE = 4 * 3600
CHUNK = 500

COLUMNS = {  # field → accepted headers, compared without case, spaces, dashes, dots and underscores
    "first_name": ("vorname", "firstname", "givenname", "first"),
    "last_name": ("nachname", "lastname", "surname", "familyname", "familienname"),
    "email": ("email", "emailadresse", "mail", "emailaddress"),
    "phone": ("telefon", "telefonnummer", "tel", "phone", "phonenumber", "mobil", "handy"),
    "language": ("sprache", "language", "bevorzugtesprache"),
    "kind": ("art", "kind", "type", "rolle", "role", "typ"),
    "council": ("beirat", "council"),
}
REQUIRED = ("first_name", "last_name")
EXPECTED_HEADERS = "Vorname, Nachname, E-Mail, Telefon, Sprache, Art, Beirat"

LANGUAGE_NAMES = {
    "de": ("deutsch", "german"),
    "en": ("englisch", "english"),
    "ar": ("arabisch", "arabic", "العربية"),
    "fa": ("persisch", "farsi", "dari", "persian", "فارسی"),
    "uk": ("ukrainisch", "ukrainian", "українська"),
    "ru": ("russisch", "russian", "русский"),
    "tr": ("türkisch", "tuerkisch", "turkish", "türkçe"),
}
KIND_NAMES = {
    PersonKind.BEIRAT_MEMBER: ("beiratsmitglied", "beiratsmitglieder", "beirat", "mitglied", "councilmember",
                               "member"),
    PersonKind.PARENT: ("elternteil", "eltern", "mutter", "vater", "parent", "parents"),
}
DEFAULT_KIND = {TargetGroup.BEIRAT_MEMBERS: PersonKind.BEIRAT_MEMBER, TargetGroup.PARENTS: PersonKind.PARENT}


def _key(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", text.strip().casefold())


HEADER_LOOKUP = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
LANGUAGE_LOOKUP = {**{c: c for c in LANGUAGES},
                   **{_key(n): c for c, names in LANGUAGE_NAMES.items() for n in names}}
KIND_LOOKUP = {_key(n): kind for kind, names in KIND_NAMES.items() for n in names}


@dataclass
class ImportRow:
    line: int
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    raw_email: str | None = None  # as typed, shown in the preview when it was refused
    phone: str | None = None
    language: str = "de"
    kind: str | None = None
    council_id: int | None = None
    errors: list[str] = field(default_factory=list)
    status: str = "new"  # new | match | member | error
    person_id: int | None = None
    person_name: str | None = None


@dataclass
class Preview:
    filename: str
    rows: list[ImportRow]
    ignored_columns: list[str]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


# --- reading the file -------------------------------------------------------------------------------


def read_upload(storage) -> bytes:
    """The uploaded bytes, refusing more than MAX_IMPORT_BYTES before anything is parsed."""
    data = storage.stream.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise DomainError(too_big_message(), field="file")
    if not data.strip():
        raise DomainError(_("Die Datei ist leer."), field="file")
    return data


def too_big_message() -> str:
    return _("Die Datei ist zu groß: höchstens %(mb)s MB. Teilen Sie die Liste bitte auf.",
             mb=MAX_IMPORT_BYTES // (1024 * 1024))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # phone numbers typed into Excel come back as floats
    return str(value).strip()


def _xlsx_rows(data: bytes) -> list[list[str]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DomainError(_("Die Datei ist keine gültige Excel-Datei (.xlsx). Speichern Sie sie bitte in "
                            "Excel neu als .xlsx oder als CSV."), field="file")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise DomainError(_("Die Excel-Datei lässt sich nicht lesen. Speichern Sie sie bitte neu als .xlsx "
                            "oder als CSV."), field="file") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(max_col=40, values_only=True):
            rows.append([_cell(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    # Excel on Windows saves "CSV" in cp1252; newer versions write UTF-8 with a BOM.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first_line = text.lstrip().split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = None
    if delimiter is None or delimiter not in first_line:
        # The header line holds no data commas, so it decides when the sniffer cannot.
        delimiter = max(";,\t", key=first_line.count)
    rows = []
    for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append([v.strip() for v in values])
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def read_table(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their line number in the spreadsheet (the header is line 1)."""
    suffix = Path(filename or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(data)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(data)
    elif suffix == ".xls":
        raise DomainError(_("Alte Excel-Dateien (.xls) gehen nicht. Speichern Sie sie bitte als .xlsx oder "
                            "als CSV."), field="file")
    else:
        raise DomainError(_("Bitte eine CSV- oder Excel-Datei (.xlsx) hochladen."), field="file")
    numbered = [(line, row) for line, row in enumerate(rows, start=1) if any(row)]
    if len(numbered) > MAX_ROWS + 1:
        raise DomainError(_("Die Tabelle hat mehr als %(n)s Zeilen. Teilen Sie sie bitte auf.", n=MAX_ROWS),
                          field="file")
    if not numbered:
        raise DomainError(_("Die Tabelle ist leer."), field="file")
    return numbered


# --- checking rows ----------------------------------------------------------------------------------


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored = []
    for index, title in enumerate(header):
        name = HEADER_LOOKUP.get(_key(title))
        if name is None:
            if title:
                ignored.append(title)
        elif name in columns:
            raise DomainError(_("Die Spalte „%(title)s“ kommt doppelt vor.", title=title), field="file")
        else:
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        found = ", ".join(h for h in header if h) or _("keine")
        raise DomainError(
            _("Die Tabelle braucht in der ersten Zeile die Spalten Vorname und Nachname. Erwartete Spalten: "
              "%(expected)s (E-Mail, Telefon, Sprache, Art und Beirat dürfen fehlen). Gefunden: %(found)s.",
              expected=EXPECTED_HEADERS, found=found),
            field="file",
        )
    return columns, ignored


class _RowChecker:
    """Turns raw cells into an ImportRow, collecting every problem of the row with its line number."""

    def __init__(self, cohort: Cohort):
        self.default_kind = DEFAULT_KIND.get(cohort.target_group)
        self.region_id = cohort.region_id
        self.councils: dict[str, list[Council]] = {}
        for council in db.session.scalars(select(Council)):
            self.councils.setdefault(_key(council.name), []).append(council)

    def check(self, line: int, cells: dict[str, str]) -> ImportRow:
        row = ImportRow(line=line, first_name=cells.get("first_name", ""),
                        last_name=cells.get("last_name", ""))
        problems = []
        if not row.first_name or not row.last_name:
            problems.append(_("Vorname und Nachname werden gebraucht"))
        if len(row.first_name) > 120 or len(row.last_name) > 120:
            problems.append(_("Name ist zu lang"))
        if cells.get("email"):
            row.raw_email = cells["email"]
            try:
                row.email = validate_email(cells["email"], check_deliverability=False).normalized
            except EmailNotValidError:
                problems.append(_("E-Mail-Adresse „%(value)s“ ungültig", value=cells["email"]))
        row.phone = cells.get("phone") or None
        if row.phone and len(row.phone) > 40:
            problems.append(_("Telefonnummer ist zu lang"))
        language = cells.get("language", "")
        row.language = LANGUAGE_LOOKUP.get(_key(language), "") if language else "de"
        if not row.language:
            problems.append(_("Sprache „%(value)s“ unbekannt", value=language))
        self._kind(row, cells.get("kind", ""), problems)
        self._council(row, cells.get("council", ""), problems)
        row.errors = [_("Zeile %(n)s: %(problem)s", n=line, problem=p) for p in problems]
        row.status = "error" if problems else "new"
        return row

    def _kind(self, row: ImportRow, value: str, problems: list[str]) -> None:
        kind = KIND_LOOKUP.get(_key(value)) if value else self.default_kind
        if kind is None and value:
            problems.append(_("Art „%(value)s“ unbekannt (Beiratsmitglied oder Elternteil)", value=value))
        elif kind is None:
            problems.append(_("Art fehlt (Beiratsmitglied oder Elternteil)"))
        row.kind = kind.value if kind else None

    def _council(self, row: ImportRow, value: str, problems: list[str]) -> None:
        if not value:
            return
        candidates = self.councils.get(_key(value), [])
        local = [c for c in candidates if c.region_id == self.region_id]
        chosen = local or candidates
        if len(chosen) == 1:
            row.council_id = chosen[0].id
        elif not chosen:
            problems.append(_("Beirat „%(value)s“ unbekannt", value=value))
        else:
            problems.append(_("Beirat „%(value)s“ gibt es in mehreren Regionen", value=value))


def _mark_duplicates_in_file(rows: list[ImportRow]) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        if row.status == "error":
            continue
        identity = ("email", row.email.lower()) if row.email else ("name", _key(row.first_name),
                                                                   _key(row.last_name))
        if identity in seen:
            row.errors.append(_("Zeile %(n)s: dieselbe Person steht schon in Zeile %(m)s",
                                n=row.line, m=seen[identity]))
            row.status = "error"
        else:
            seen[identity] = row.line


def parse(filename: str, data: bytes, cohort: Cohort) -> Preview:
    table = read_table(filename, data)
    columns, ignored = _columns(table[0][1])
    checker = _RowChecker(cohort)
    rows = []
    for line, values in table[1:]:
        cells = {name: (values[index] if index < len(values) else "") for name, index in columns.items()}
        rows.append(checker.check(line, cells))
    if not rows:
        raise DomainError(_("Die Tabelle enthält nur die Kopfzeile, aber keine Personen."), field="file")
    _mark_duplicates_in_file(rows)
    match(rows, cohort)
    return Preview(filename=filename, rows=rows, ignored_columns=ignored)


# --- matching existing people ----------------------------------------------------------------------


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def match(rows: list[ImportRow], cohort: Cohort) -> None:
    """Same email in the organisation, or same first+last name when the row has no email → existing person.

    A few chunked queries whatever the number of rows; run again on confirm, as data may have changed.
    """
    base = select(Person.id, Person.first_name, Person.last_name, func.lower(Person.email)).where(
        Person.organisation_id == cohort.organisation_id, Person.erased_at.is_(None))
    by_email: dict[str, tuple] = {}
    emails = sorted({row.email.lower() for row in rows if row.email and row.status != "error"})
    for chunk in _chunks(emails):
        for person in db.session.execute(base.where(func.lower(Person.email).in_(chunk)).order_by(Person.id)):
            by_email.setdefault(person[3], person)
    by_name: dict[tuple[str, str], tuple] = {}
    names = sorted({row.last_name.lower() for row in rows if not row.email and row.status != "error"})
    for chunk in _chunks(names):
        query = base.where(func.lower(Person.last_name).in_(chunk)).order_by(Person.id)
        for person in db.session.execute(query):
            by_name.setdefault((_key(person[1]), _key(person[2])), person)
    members = set(db.session.scalars(select(Enrolment.person_id).where(
        Enrolment.cohort_id == cohort.id, Enrolment.status == EnrolmentStatus.ACTIVE)))
    for row in rows:
        if row.status == "error":
            continue
        found = by_email.get(row.email.lower()) if row.email else by_name.get(
            (_key(row.first_name), _key(row.last_name)))
        row.person_id, row.person_name = (found[0], f"{found[1]} {found[2]}") if found else (None, None)
        row.status = "new" if found is None else ("member" if found[0] in members else "match")


# --- keeping the preview until the organiser confirms --------------------------------------------------


def _import_dir() -> Path:
    path = Path(current_app.config.get("IMPORT_DIR") or Path(current_app.instance_path) / "imports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _remove_stale(folder: Path) -> None:
    limit = clock.now().timestamp() - TOKEN_MAX_AGE
    for old in folder.glob("*.json"):
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)


def store(preview: Preview, cohort: Cohort, user) -> str:
    folder = _import_dir()
    _remove_stale(folder)
    name = secrets.token_hex(16)
    payload = {"filename": preview.filename, "rows": [asdict(row) for row in preview.rows]}
    (folder / f"{name}.json").write_text(json.dumps(payload), encoding="utf-8")
    return tokens.sign(TOKEN_PURPOSE, {"f": name, "c": cohort.id, "u": user.id})


def _expired() -> DomainError:
    return DomainError(_("Die Vorschau ist abgelaufen. Bitte laden Sie die Datei noch einmal hoch."))


def _path_for(token: str, cohort: Cohort, user) -> Path:
    expired = _expired()
    try:
        payload = tokens.verify(TOKEN_PURPOSE, token, TOKEN_MAX_AGE)
    except (tokens.TokenExpired, tokens.TokenInvalid) as exc:
        raise expired from exc
    if payload.get("c") != cohort.id or payload.get("u") != user.id or not re.fullmatch(r"[0-9a-f]{32}",
                                                                                       payload.get("f", "")):
        raise expired
    return _import_dir() / f"{payload['f']}.json"


def load(token: str, cohort: Cohort, user) -> Preview:
    path = _path_for(token, cohort, user)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _expired() from exc
    return Preview(filename=payload["filename"], rows=[ImportRow(**row) for row in payload["rows"]],
                   ignored_columns=[])


def discard(token: str, cohort: Cohort, user) -> None:
    try:
        _path_for(token, cohort, user).unlink(missing_ok=True)
    except DomainError:
        pass
