"""The demo content, declared once: who, where, which programmes, cohorts, series and pairings.

Based on the KAUSA-Transfer project "Elternarbeit@Ost" (Dresden, Erfurt, Rostock; 2022–2023) and an invented
nationwide follow-on programme. Every person is fictional; emails use only example.org / example.net and phone
numbers come from the Berlin range reserved for fiction (030 23125 xxx).

Dates are either fixed (`date`) or relative to the demo's "today" (`int` = days, `Series.weeks_before_today`),
so the follow-on programme always looks live, and the same day always gives the same data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from coaching.accounts.models import Role
from coaching.cohorts.models import CohortStatus, TargetGroup
from coaching.materials.models import Audience
from coaching.mentoring.models import MeetingStatus, PairingKind, PairingStatus
from coaching.organisations.models import FederalState
from coaching.people.models import PersonKind

# Demo only: printed by `flask demo-data` and shown in the README. Never used outside the demo data.
DEMO_PASSWORD = "Elternarbeit-2026!"

BMBF_LINE = ("Gefördert vom Bundesministerium für Bildung und Forschung (BMBF) im Rahmen der Initiative "
             "Bildungsketten, begleitet von KAUSA im BIBB")


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    short_name: str
    funder_line: str = BMBF_LINE


ORGANISATIONS = (
    OrgSpec("lt", "Bildungszentrum Lernen+Technik gGmbH Dresden", "L+T Dresden"),
    OrgSpec("bwtw", "Bildungswerk der Thüringer Wirtschaft e. V.", "BWTW"),
    OrgSpec("bzi", "Förderverein des Bundeszuwanderungs- und Integrationsrats e. V.", "BZI-Förderverein"),
)

REGIONS: tuple[tuple[str, FederalState], ...] = (
    ("Dresden", FederalState.SN),
    ("Erfurt", FederalState.TH),
    ("Rostock", FederalState.MV),
    ("Leipzig", FederalState.SN),
    ("Jena", FederalState.TH),
    ("Magdeburg", FederalState.ST),
    ("Schwerin", FederalState.MV),
    ("Berlin", FederalState.BE),
)

# (region, council name, contact email)
COUNCILS: tuple[tuple[str, str, str | None], ...] = (
    ("Dresden", "Ausländerbeirat Dresden", "auslaenderbeirat.dresden@example.org"),
    ("Erfurt", "Integrationsbeirat Erfurt", "integrationsbeirat.erfurt@example.org"),
    ("Rostock", "Migrantenbeirat Rostock", "migrantenbeirat.rostock@example.org"),
    ("Leipzig", "Migrantenbeirat Leipzig", "migrantenbeirat.leipzig@example.org"),
    ("Jena", "Ausländerbeirat Jena", None),
    ("Magdeburg", "Integrationsbeirat Magdeburg", "integrationsbeirat.magdeburg@example.net"),
    ("Schwerin", "Migrantenbeirat Schwerin", None),
    ("Berlin", "Integrationsbeirat Berlin-Mitte", "integrationsbeirat.mitte@example.net"),
)

# (region, venue name, address, room) where each region's sessions take place.
VENUES: dict[str, tuple[str, str, str | None]] = {
    "Dresden": ("Bildungszentrum Lernen+Technik", "Beispielstraße 12, 01069 Dresden", "Seminarraum 2"),
    "Erfurt": ("Bildungswerk, Haus der Wirtschaft", "Musterweg 5, 99084 Erfurt", "Raum 104"),
    "Rostock": ("Begegnungszentrum am Hafen", "Hafenstraße 3, 18055 Rostock", None),
    "Leipzig": ("Stadtteilzentrum Ost", "Musterplatz 8, 04315 Leipzig", "Saal"),
}


@dataclass(frozen=True)
class PersonSpec:
    key: str  # handle used below; not stored
    org: str
    kind: PersonKind
    first_name: str
    last_name: str
    language: str = "de"
    email: str | None = None
    phone: str | None = None
    region: str | None = None
    council: str | None = None


_B, _P, _C, _M = PersonKind.BEIRAT_MEMBER, PersonKind.PARENT, PersonKind.COACH, PersonKind.MENTOR
_AB_DD, _IB_EF, _MB_HRO = "Ausländerbeirat Dresden", "Integrationsbeirat Erfurt", "Migrantenbeirat Rostock"

PEOPLE = (
    # Coaches (two of them have a login)
    PersonSpec("sabine", "lt", _C, "Sabine", "Wolf", "de", "sabine.wolf@example.org", region="Dresden"),
    PersonSpec("jens", "bwtw", _C, "Jens", "Hartmann", "de", "jens.hartmann@example.org", region="Erfurt"),
    PersonSpec("nadia", "bzi", _C, "Nadia", "Karimi", "fa", "nadia.karimi@example.org", region="Rostock"),
    # Mentors: experienced Beirat members
    PersonSpec("mehmet", "lt", _M, "Mehmet", "Yılmaz", "tr", "mehmet.yilmaz@example.net", "+49 30 23125 101",
               "Dresden", _AB_DD),
    PersonSpec("amal", "bwtw", _M, "Amal", "Haddad", "ar", "amal.haddad@example.net", region="Erfurt",
               council=_IB_EF),
    PersonSpec("olga", "bzi", _M, "Olga", "Schneider", "ru", "olga.schneider@example.org", region="Rostock",
               council=_MB_HRO),
    PersonSpec("hassan", "bzi", _M, "Hassan", "Nouri", "fa", "hassan.nouri@example.net", region="Magdeburg",
               council="Integrationsbeirat Magdeburg"),
    # Beirat members, Dresden and Leipzig (L+T Dresden)
    PersonSpec("irina", "lt", _B, "Ирина", "Смирнова", "ru", "irina.smirnova@example.net", region="Dresden",
               council=_AB_DD),
    PersonSpec("lan", "lt", _B, "Thi Lan", "Nguyen", "en", "lan.nguyen@example.org", region="Dresden",
               council=_AB_DD),
    PersonSpec("karim", "lt", _B, "كريم", "منصور", "ar", "karim.mansour@example.net", region="Dresden",
               council=_AB_DD),
    PersonSpec("oksana", "lt", _B, "Oksana", "Petrenko", "uk", "oksana.petrenko@example.org",
               region="Dresden", council=_AB_DD),
    PersonSpec("lukas", "lt", _B, "Lukas", "Berger", "de", "lukas.berger@example.org", region="Dresden",
               council=_AB_DD),
    PersonSpec("aylin", "lt", _B, "Aylin", "Kaya", "tr", "aylin.kaya@example.net", "+49 30 23125 102",
               "Dresden", _AB_DD),
    PersonSpec("viktor", "lt", _B, "Віктор", "Шевченко", "uk", "viktor.shevchenko@example.net",
               region="Leipzig", council="Migrantenbeirat Leipzig"),
    # Beirat members, Erfurt and Jena (BWTW)
    PersonSpec("fatemeh", "bwtw", _B, "Fatemeh", "Rahimi", "fa", "fatemeh.rahimi@example.org",
               region="Erfurt", council=_IB_EF),
    PersonSpec("ahmad", "bwtw", _B, "Ahmad", "Sultani", "fa", "ahmad.sultani@example.net", region="Erfurt",
               council=_IB_EF),
    PersonSpec("abdullah", "bwtw", _B, "عبدالله", "عثمان", "ar", "abdullah.osman@example.net",
               region="Erfurt", council=_IB_EF),
    PersonSpec("kateryna", "bwtw", _B, "Катерина", "Бондар", "uk", "kateryna.bondar@example.org",
               region="Erfurt", council=_IB_EF),
    PersonSpec("stefanie", "bwtw", _B, "Stefanie", "Roth", "de", "stefanie.roth@example.org", region="Erfurt",
               council=_IB_EF),
    PersonSpec("nour", "bwtw", _B, "Nour", "Al-Khatib", "ar", "nour.alkhatib@example.net", region="Jena",
               council="Ausländerbeirat Jena"),
    PersonSpec("tamara", "bwtw", _B, "Тамара", "Лебедева", "ru", "tamara.lebedeva@example.org", region="Jena",
               council="Ausländerbeirat Jena"),
    # Beirat members, Rostock (BZI-Förderverein)
    PersonSpec("jamal", "bzi", _B, "Jamal", "Ibrahim", "ar", "jamal.ibrahim@example.net", region="Rostock",
               council=_MB_HRO),
    PersonSpec("svetlana", "bzi", _B, "Светлана", "Морозова", "ru", "svetlana.morozova@example.org",
               region="Rostock", council=_MB_HRO),
    PersonSpec("emre", "bzi", _B, "Emre", "Demir", "tr", "emre.demir@example.org", region="Rostock",
               council=_MB_HRO),
    PersonSpec("grace", "bzi", _B, "Grace", "Mensah", "en", "grace.mensah@example.net", region="Rostock",
               council=_MB_HRO),
    PersonSpec("nasrin", "bzi", _B, "نسرین", "احمدی", "fa", "nasrin.ahmadi@example.net", region="Rostock",
               council=_MB_HRO),
    # Parents: some reachable by phone only
    PersonSpec("maryam", "lt", _P, "مريم", "خليل", "ar", None, "+49 30 23125 201", "Dresden"),
    PersonSpec("youssef", "lt", _P, "يوسف", "العلي", "ar", "youssef.alali@example.net", region="Dresden"),
    PersonSpec("andrii", "lt", _P, "Андрій", "Мельник", "uk", None, "+49 30 23125 202", "Dresden"),
    PersonSpec("ali", "lt", _P, "علی", "رضایی", "fa", None, "+49 30 23125 203", "Dresden"),
    PersonSpec("ayse", "lt", _P, "Ayşe", "Öztürk", "tr", "ayse.oeztuerk@example.org", region="Dresden"),
    PersonSpec("natalia", "lt", _P, "Наталья", "Соколова", "ru", "natalia.sokolova@example.net",
               region="Dresden"),
    PersonSpec("john", "lt", _P, "John", "Okafor", "en", "john.okafor@example.org", region="Dresden"),
    PersonSpec("khaled", "bwtw", _P, "خالد", "درويش", "ar", None, "+49 30 23125 204", "Erfurt"),
    PersonSpec("olena", "bzi", _P, "Олена", "Коваленко", "uk", "olena.kovalenko@example.net",
               region="Rostock"),
)

# person key → (languages, topics, capacity, region)
MENTOR_PROFILES: dict[str, tuple[list[str], list[str], int, str]] = {
    "mehmet": (["tr", "de"], ["Duale Ausbildung", "Bewerbung", "Elterngespräche"], 3, "Dresden"),
    "amal": (["ar", "de", "en"], ["Duale Ausbildung", "Anerkennung von Abschlüssen"], 2, "Erfurt"),
    "olga": (["ru", "uk", "de"], ["Berufsorientierung", "Elterngespräche"], 2, "Rostock"),
    "hassan": (["fa", "ar", "de"], ["Netzwerke vor Ort", "Bewerbung"], 2, "Magdeburg"),
}


@dataclass(frozen=True)
class UserSpec:
    role: Role
    email: str
    display_name: str
    org: str | None = None
    person: str | None = None


USERS = (
    UserSpec(Role.ADMIN, "koordination@example.org", "Programmkoordination"),
    UserSpec(Role.ORGANISER, "planung.dresden@example.org", "Katrin Vogel", "lt"),
    UserSpec(Role.ORGANISER, "planung.erfurt@example.org", "Thomas Keller", "bwtw"),
    UserSpec(Role.ORGANISER, "planung.bzi@example.org", "Leyla Demir", "bzi"),
    UserSpec(Role.COACH, "sabine.wolf@example.org", "Sabine Wolf", "lt", "sabine"),
    UserSpec(Role.COACH, "jens.hartmann@example.org", "Jens Hartmann", "bwtw", "jens"),
)

# (role, email, password) of every demo account, for the command's output, the README and the run script.
DEMO_LOGINS: tuple[tuple[str, str, str], ...] = tuple((u.role.value, u.email, DEMO_PASSWORD) for u in USERS)


@dataclass(frozen=True)
class ProgrammeSpec:
    key: str
    name: str
    starts_on: date
    ends_on: date
    funder_line: str
    bilingual_emails: bool = False


PROGRAMMES = (
    ProgrammeSpec("ost", "KAUSA-Transfer Elternarbeit@Ost", date(2022, 5, 1), date(2023, 10, 31), BMBF_LINE),
    ProgrammeSpec("bund", "Elternarbeit bundesweit 2026/27", date(2026, 1, 1), date(2027, 12, 31),
                  "Fortgeführt vom Förderverein des Bundeszuwanderungs- und Integrationsrats e. V.",
                  bilingual_emails=True),
)
# The programme whose sessions are placed around today.
LIVE_PROGRAMME = "bund"


@dataclass(frozen=True)
class Series:
    """One session per curriculum topic, every `every_weeks` weeks at the same local time.

    Starts on `first_day`, or `weeks_before_today` weeks before the demo's today on `weekday` (Monday = 0).
    Public holidays of the region are skipped (the series moves on by one interval).
    """

    first_day: date | None = None
    weeks_before_today: int = 0
    weekday: int = 1
    every_weeks: int = 1
    at: time = time(18, 0)
    minutes: int = 120


@dataclass(frozen=True)
class ExtraSession:
    """A session outside the series, e.g. a public parents' evening.

    On `day`, or on `weekday` of the week `weeks_from_today` weeks from the demo's today: a weekday the
    series does not use, so the two never clash (a public holiday moves it to the day before).
    """

    topic: str
    day: date | None = None
    weeks_from_today: int = 0
    weekday: int = 2
    at: time = time(18, 0)
    minutes: int = 120
    is_public: bool = False
    is_headcount: bool = False
    headcount: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class CohortSpec:
    programme: str
    org: str
    region: str
    name: str
    target_group: TargetGroup
    languages: list[str]
    curriculum: list[str]
    coaches: tuple[str, ...]
    participants: tuple[str, ...]
    series: Series | None = None
    status: CohortStatus = CohortStatus.PUBLISHED
    capacity: int | None = 16
    description: str | None = None
    online_topics: frozenset[str] = frozenset()
    cancelled_topic: str | None = None
    extras: tuple[ExtraSession, ...] = field(default_factory=tuple)


BEIRAT_CURRICULUM = [
    "Das duale Ausbildungssystem",
    "Bewerbung und Ausbildungssuche",
    "Beratungsgespräche mit Eltern führen",
    "Netzwerke vor Ort",
]
LIVE_CURRICULUM = [
    "Das duale Ausbildungssystem",
    "Berufe und Branchen in der Region",
    "Bewerbung und Ausbildungssuche",
    "Beratungsgespräche mit Eltern führen",
    "Praktikum und Berufsorientierung",
    "Finanzielle Unterstützung während der Ausbildung",
    "Netzwerke vor Ort",
    "Abschluss und Ausblick",
]
PARENT_CURRICULUM = [
    "Ausbildung in Deutschland – ein Überblick",
    "Wie finde ich einen Ausbildungsplatz?",
    "Gespräche mit Betrieb und Berufsschule",
    "Geld und Förderung während der Ausbildung",
]
_DD = ("irina", "lan", "karim", "oksana", "lukas", "aylin")
_EF = ("fatemeh", "ahmad", "abdullah", "kateryna", "stefanie", "nour", "tamara")
_HRO = ("jamal", "svetlana", "emre", "grace", "nasrin")
_BEIRAT, _PARENTS = TargetGroup.BEIRAT_MEMBERS, TargetGroup.PARENTS

COHORTS = (
    # The funded project 2022–2023: finished, attendance recorded.
    CohortSpec("ost", "lt", "Dresden", "Beiratscoaching Dresden 2022", _BEIRAT, ["de", "ru", "ar"],
               BEIRAT_CURRICULUM, ("sabine",), _DD[:5], Series(date(2022, 9, 12), every_weeks=2),
               CohortStatus.ARCHIVED),
    CohortSpec("ost", "bwtw", "Erfurt", "Beiratscoaching Erfurt 2022", _BEIRAT, ["de", "fa"],
               BEIRAT_CURRICULUM, ("jens",), _EF[:5], Series(date(2022, 10, 5)), CohortStatus.ARCHIVED),
    CohortSpec("ost", "bzi", "Rostock", "Beiratscoaching Rostock 2023", _BEIRAT, ["de", "ru"],
               BEIRAT_CURRICULUM, ("nadia",), _HRO, Series(date(2023, 3, 2), every_weeks=2),
               CohortStatus.ARCHIVED),
    # The follow-on programme: a weekly series around today, one session online, one cancelled.
    CohortSpec("bund", "lt", "Dresden", "Beiratscoaching Dresden 2026/27", _BEIRAT, ["de", "ar", "uk"],
               LIVE_CURRICULUM, ("sabine",), _DD + ("viktor",), Series(weeks_before_today=4, weekday=1),
               description="Wöchentliche Coachingreihe für Mitglieder des Ausländerbeirats Dresden.",
               online_topics=frozenset({"Bewerbung und Ausbildungssuche"}),
               cancelled_topic="Netzwerke vor Ort"),
    # Weekly 18:00 series across the end of summer time (25 October 2026) ...
    CohortSpec("bund", "bwtw", "Erfurt", "Beiratscoaching Erfurt Herbst 2026", _BEIRAT, ["de", "fa", "ar"],
               ["Das duale Ausbildungssystem", "Berufe und Branchen in der Region",
                "Bewerbung und Ausbildungssuche", "Beratungsgespräche mit Eltern führen",
                "Netzwerke vor Ort", "Abschluss und Ausblick"],
               ("jens",), _EF, Series(date(2026, 10, 8))),
    # ... and across the start of summer time (28 March 2027).
    CohortSpec("bund", "bzi", "Rostock", "Beiratscoaching Rostock Frühjahr 2027", _BEIRAT, ["de", "ru", "en"],
               ["Das duale Ausbildungssystem", "Bewerbung und Ausbildungssuche",
                "Beratungsgespräche mit Eltern führen", "Netzwerke vor Ort",
                "Praktikum und Berufsorientierung", "Abschluss und Ausblick"],
               ("nadia",), _HRO, Series(date(2027, 3, 10))),
    # A parents' group with a public parents' evening (counted by head) and an upcoming public one.
    CohortSpec("bund", "lt", "Dresden", "Elterngruppe Dresden 2026/27", _PARENTS, ["de", "ar", "uk", "fa"],
               PARENT_CURRICULUM, ("sabine",),
               ("maryam", "youssef", "andrii", "ali", "ayse", "natalia", "john"),
               Series(weeks_before_today=3, weekday=3, every_weeks=2, at=time(17, 0), minutes=90),
               capacity=20,
               extras=(
                   ExtraSession("Elternabend: Duale Ausbildung – Chancen für Ihr Kind", weeks_from_today=-2,
                                is_public=True, is_headcount=True, headcount=23,
                                description="Offener Elternabend mit Dolmetschung (Arabisch, Ukrainisch)."),
                   ExtraSession("Infoabend für Eltern: Ausbildungsmesse vorbereiten", weeks_from_today=2,
                                is_public=True, is_headcount=True,
                                description="Offener Infoabend für Eltern und Jugendliche."),
               )),
    # Planned, not yet published: no sessions.
    CohortSpec("bund", "lt", "Leipzig", "Beiratscoaching Leipzig 2027", _BEIRAT, ["de", "uk"],
               BEIRAT_CURRICULUM, ("sabine",), ("viktor",), status=CohortStatus.DRAFT),
)

ONLINE_URL = "https://meet.example.org/elternarbeit-dresden"
CANCEL_REASON = "Der Raum steht an diesem Abend nicht zur Verfügung."


@dataclass(frozen=True)
class PairingSpec:
    key: str
    programme: str
    org: str
    mentor: str
    mentee: str
    kind: PairingKind
    status: PairingStatus
    started_on: date | int | None = None
    planned_end_on: date | int | None = None
    ended_on: date | int | None = None


PAIRINGS = (
    PairingSpec("mehmet-aylin", "bund", "lt", "mehmet", "aylin", PairingKind.BEIRAT_PEER,
                PairingStatus.ACTIVE, -42, 90),
    PairingSpec("olga-olena", "bund", "bzi", "olga", "olena", PairingKind.BEIRAT_PARENT, PairingStatus.ACTIVE,
                -30, 120),
    PairingSpec("jens-fatemeh", "bund", "bwtw", "jens", "fatemeh", PairingKind.COACH_BEIRAT,
                PairingStatus.PROPOSED, planned_end_on=150),
    PairingSpec("amal-khaled", "ost", "bwtw", "amal", "khaled", PairingKind.BEIRAT_PARENT,
                PairingStatus.COMPLETED, date(2023, 2, 1), date(2023, 6, 30), date(2023, 6, 28)),
)


@dataclass(frozen=True)
class MeetingLog:
    took_place: bool
    duration_minutes: int
    topics: list[str]
    parents_counselled: int


@dataclass(frozen=True)
class MeetingSpec:
    pairing: str
    message: str  # with the pairing, identifies the meeting on a re-run
    status: MeetingStatus
    day: date | int | None = None  # the confirmed slot (None while proposed)
    at: time = time(17, 0)
    minutes: int = 90
    venue: str | None = None
    online_url: str | None = None
    options: tuple[tuple[int, time], ...] = ()  # proposed slots: (days from today, local time)
    log: MeetingLog | None = None


MEETINGS = (
    MeetingSpec("mehmet-aylin", "Erstes Treffen: Kennenlernen und Ziele", MeetingStatus.HELD, -14,
                venue="Bildungszentrum Lernen+Technik, Beispielstraße 12, Dresden",
                log=MeetingLog(True, 90, ["Duale Ausbildung", "Erstes Elterngespräch vorbereiten"], 2)),
    MeetingSpec("mehmet-aylin", "Elterngespräch gemeinsam auswerten", MeetingStatus.CONFIRMED, 7,
                venue="Café im Stadtteilhaus, Musterstraße 4, Dresden"),
    MeetingSpec("mehmet-aylin", "Vorbereitung der Ausbildungsmesse", MeetingStatus.PROPOSED,
                online_url="https://meet.example.org/tandem-dresden",
                options=((10, time(16, 0)), (12, time(18, 0)))),
    MeetingSpec("olga-olena", "Beratung: Ausbildungsplatz für den Sohn", MeetingStatus.HELD, -7, time(10, 0),
                60, venue="Begegnungszentrum am Hafen, Rostock",
                log=MeetingLog(True, 60, ["Berufsorientierung", "Bewerbung"], 1)),
)


@dataclass(frozen=True)
class MaterialSpec:
    slug: str
    org: str
    title: str
    topic: str
    audience: Audience
    description: str


MATERIALS = (
    MaterialSpec("leitfaden-elterngespraech", "lt", "Leitfaden für Elterngespräche zur dualen Ausbildung",
                 "Beratungsgespräche mit Eltern führen", Audience.BEIRAT_MEMBERS,
                 "Gesprächsleitfaden mit Fragen, Tipps und Hinweisen für Beiratsmitglieder."),
    MaterialSpec("infoblatt-duale-ausbildung", "bwtw", "Infoblatt: Das duale Ausbildungssystem",
                 "Das duale Ausbildungssystem", Audience.PARENTS,
                 "Das Wichtigste zur dualen Ausbildung auf zwei Seiten, für Eltern."),
    MaterialSpec("checkliste-netzwerke", "bzi", "Checkliste: Netzwerke vor Ort aufbauen",
                 "Netzwerke vor Ort", Audience.BEIRAT_MEMBERS,
                 "Welche Stellen helfen Eltern vor Ort weiter? Eine Checkliste für Beiräte."),
)
