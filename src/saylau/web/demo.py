"""The demonstration data that `make run` serves (`manage.py saylau_demo`).

Everything is made through the same services and import path as real data — so it is
checked by the domain, audited, and published on the public board — and every part is
idempotent: a part finds what an earlier run made (by code, user name or name) and adds only
what is missing, so re-running the loader (every `make run`) changes nothing. The synthetic
people (voters, candidates, commission members) come from seeded random generators: the same
seed gives the same people. Only the demo accounts' passwords are random (`secrets`).

**Every person in the demo is synthetic** (names drawn from short lists of common Kazakh
names; biographies say "demo data"). The political parties are the real registered parties
that ran in the Mazhilis election of 19 March 2023, but their registration dates here are
demo values (see `DEMO_PARTIES`), and their candidates are invented.

The parts, in order (`load_demo` runs them in one transaction, then writes the accounts file):

- `load_precincts`: Atyrau Region → Makhambet District → Saraishyk Rural District
  (`load_territory`) and the four synthetic precincts of Saraishyk (`DEMO_PRECINCT_ROWS`:
  numbers, addresses in kk/ru/en, step-free access); returns the checked domain `Territory`.
- `load_accounts`: the five demo accounts a visitor can log in with (`DEMO_ACCOUNTS`: a CEC
  member, the Makhambet chair, an AMANAT representative, an observer, a citizen) with random
  passwords set only when an account is created; `write_accounts` puts them, once, in
  `VAR_DIR/demo-accounts.txt` (mode 0600) — never in the database in the clear, never in a log.
- `load_commissions`: CEC → Atyrau territorial → Makhambet district → one precinct commission
  per demo precinct, each with a synthetic chair, secretary and member (the CEC member and the
  Makhambet chair are demo accounts); terms start on `TERMS_START`.
- `load_elections`: the election of the akim of Saraishyk and the party-list tier of the
  Mazhilis election of 19 March 2023 (nationwide; the last Mazhilis: the 2026 Constitution
  replaces it).
- `load_voters`: a synthetic roll (valid IINs from `domain.iin.make_iin`, adults only) of the
  precincts, imported as a CSV file through `domain.voters.import_roll` into
  `voters.services.DatabaseRoll` — the real import path.
- `load_parties`: the seven parties (`DEMO_PARTIES`), each with a representative.
- `load_party_lists`: the 2023 election replayed on its historical dates: called on 19 January
  2023, each party nominates five synthetic list candidates and files its list inside the
  nomination window, and the CEC (the demo CEC member) registers candidates and lists inside
  the registration window (`MAZHILIS_NOMINATING`, `MAZHILIS_REGISTERING`).
- `load_observers`: the demo observer (a public association) is accredited for the akim
  election by the Makhambet chair.
- `load_candidates`: the akim election replayed the same way, relative to the first run's
  `now`: it was called 45 days before a voting day one to two weeks after `now`
  (`akim_voting_day`); four synthetic candidates were nominated (two by parties, two
  self-nominated) with their evidence (small PDFs) and, after nomination closed, the Makhambet
  chair registered three and refused one, citing the pack's unmet rule
  (`eligibility.no_criminal_record`). At `now` the election is in its campaign.
- `advance_elections`: each election takes the steps of its lifecycle whose date has come
  (the 2023 election is replayed up to counting: the demo has no ballots, so no results).

Every replayed act happens at its own (past) time and only if that time has come and the
election is in the stage the act needs; a database made by an older version of the loader,
whose elections are past those stages, is left as it is and the report says so (remove the
database to rebuild the demo).
"""

from __future__ import annotations

import os
import random
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction

from saylau.domain.commissions import CommissionLevel, MemberRole
from saylau.domain.election import ElectionType, Stage
from saylau.domain.iin import Iin, Sex, make_iin
from saylau.domain.nomination import NominationStatus
from saylau.domain.observers import AccreditationStatus, ObserverKind
from saylau.domain.territory import AdminDistrictId, LocalityId, Precinct, PrecinctId, Territory
from saylau.domain.voters import ImportReport, import_roll
from saylau.web.candidates.models import (
    Candidate,
    CandidateDocument,
    DocumentKind,
    ListEntry,
    ListStatus,
    Party,
    PartyList,
)
from saylau.web.candidates.services import (
    Person,
    candidate_nominate,
    candidate_refuse,
    candidate_register,
    documents_submit,
    list_entry_add,
    list_register,
    list_submit,
    party_representatives_set,
    party_save,
)
from saylau.web.commissions.models import Commission, Membership
from saylau.web.commissions.services import commission_create, membership_add
from saylau.web.elections.models import Election, StageChange
from saylau.web.elections.services import election_advance, election_create
from saylau.web.observers.models import ObserverAccreditation
from saylau.web.observers.selectors import decider_levels
from saylau.web.observers.services import accreditation_decide, accreditation_request
from saylau.web.territory.mapping import precinct_to_domain, territory_from_units
from saylau.web.territory.models import Level, TerritorialUnit
from saylau.web.territory.models import Precinct as PrecinctRow
from saylau.web.territory.services import precinct_create, territorial_unit_create
from saylau.web.voters.models import Voter
from saylau.web.voters.services import DatabaseRoll

DEMO_SEED = 2026
"""The default seed of the synthetic people: the same seed, the same voters and candidates."""
DEMO_VOTERS = 2400
"""How many voters the demo roll has (at least 2,000: enough to page, search and count)."""
KZ = ZoneInfo("Asia/Almaty")
AKIM_CODE = "akim-saraishyk"
MAZHILIS_CODE = "mazhilis-2023-party-list"
ACCOUNTS_FILE = "demo-accounts.txt"
"""The demo accounts' file in `settings.VAR_DIR` (user name, role, password; mode 0600)."""

REGION, DISTRICT, LOCALITY = "atyrau", "makhambet", "saraishyk"
_UNITS = (  # code, level, kind, parent code, names kk / ru / en
    (REGION, Level.REGION, "oblast", None,
     "Атырау облысы", "Атырауская область", "Atyrau Region"),
    (DISTRICT, Level.DISTRICT, "district", REGION,
     "Махамбет ауданы", "Махамбетский район", "Makhambet District"),
    (LOCALITY, Level.LOCALITY, "rural_district", DISTRICT,
     "Сарайшық ауылдық округі", "Сарайшыкский сельский округ", "Saraishyk Rural District"),
)


@dataclass(frozen=True, slots=True)
class DemoPrecinct:
    code: str
    number: int
    address_kk: str
    address_ru: str
    address_en: str
    accessible: bool
    """Step-free access."""


DEMO_PRECINCT_ROWS = (
    DemoPrecinct("301-atyrau", 301, "Сарайшық ауылы, Мектеп көшесі, 1, орта мектеп",
                 "село Сарайшык, улица Мектеп, 1, средняя школа",
                 "Saraishyk village, 1 Mektep Street, secondary school", True),
    DemoPrecinct("302-atyrau", 302, "Сарайшық ауылы, Орталық көшесі, 5, мәдениет үйі",
                 "село Сарайшык, улица Орталык, 5, дом культуры",
                 "Saraishyk village, 5 Ortalyk Street, house of culture", True),
    DemoPrecinct("303-atyrau", 303, "Сарайшық ауылы, Жағалау көшесі, 12, амбулатория",
                 "село Сарайшык, улица Жагалау, 12, врачебная амбулатория",
                 "Saraishyk village, 12 Zhagalau Street, outpatient clinic", False),
    DemoPrecinct("304-atyrau", 304, "Сарайшық ауылы, Бейбітшілік көшесі, 3, кітапхана",
                 "село Сарайшык, улица Бейбитшилик, 3, библиотека",
                 "Saraishyk village, 3 Beibitshilik Street, library", True),
)
"""Synthetic precincts of Saraishyk: numbers, streets and buildings are made up."""
DEMO_PRECINCTS = tuple(Precinct(PrecinctId(p.code), p.number, p.address_kk, AdminDistrictId(DISTRICT),
                                LocalityId(LOCALITY)) for p in DEMO_PRECINCT_ROWS)
"""The demo precincts as the domain's values."""
_PRECINCT_WEIGHTS = (4, 3, 2, 1)

_SURNAMES = ("Ахметов", "Бекмұхамедов", "Жақсылықов", "Иманғалиев", "Қасымов", "Мұхтаров", "Нұрланов",
             "Оспанов", "Сейітов", "Тұрсынов", "Өтегенов", "Ермеков", "Сәрсенов", "Байжанов", "Әбілов",
             "Исатаев")
"""Male forms; the female form adds -а."""
_MALE = ("Ерлан", "Асхат", "Бауыржан", "Дәулет", "Ержан", "Нұрсұлтан", "Серік", "Талғат", "Әлібек",
         "Мақсат", "Арман", "Ғалым")
_FEMALE = ("Айгерім", "Гүлнар", "Дана", "Жанар", "Қарлығаш", "Мәдина", "Сәуле", "Әсел", "Динара",
           "Ақмарал", "Гүлмира", "Назерке")
_OLDEST, _YOUNGEST = date(1936, 1, 1), date(2006, 12, 31)
"""Birth dates of the synthetic voters: all adults on any voting day from 2025 on."""

TERMS_START = datetime(2022, 12, 1, 9, 0, tzinfo=KZ)
"""When the demo commission members' terms start (a demo value): before both replayed elections."""
MAZHILIS_CALLED = datetime(2023, 1, 19, 12, 0, tzinfo=KZ)
"""When the 2023 Mazhilis election was called (the decree of 19 January 2023)."""
MAZHILIS_VOTE = datetime(2023, 3, 19, 7, 0, tzinfo=KZ)
MAZHILIS_NOMINATING = datetime(2023, 1, 24, 10, 0, tzinfo=KZ)
"""The first party files its candidates and list then, the next ones a day apart (demo times
inside the nomination window, which closes 40 days before the vote)."""
MAZHILIS_REGISTERING = datetime(2023, 2, 8, 10, 0, tzinfo=KZ)
"""The CEC registers the first party's candidates and list then, the next ones a day apart
(demo times inside the registration window, which closes 30 days before the vote)."""
LIST_NAMES = 5
"""Names on each demo party list (a short list: the pack caps it at 90 for 69 seats)."""
AKIM_CALLED_DAYS = 45
"""The akim election is called this many days before its vote (the pack: at least 40)."""
AKIM_VOTE_AFTER = timedelta(days=7)
"""The akim vote is on the first Sunday at least this long after the first run."""


# --- accounts ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    role: str
    """What the account is for (English: the accounts file is for the person running the demo)."""
    surname: str
    given_name: str


DEMO_ACCOUNTS = (
    DemoAccount("demo-cec-member", "member of the Central Election Commission (registers the 2023 party lists)",
                "Оспанова", "Сәуле"),
    DemoAccount("demo-makhambet-chair", "chair of the Makhambet District Territorial Election Commission "
                "(acts on the akim election)", "Байжанов", "Бауыржан"),
    DemoAccount("demo-amanat-rep", "representative of the AMANAT party", "Қасымов", "Ерлан"),
    DemoAccount("demo-observer", "observer accredited for the akim election (public association)",
                "Тұрсынова", "Динара"),
    DemoAccount("demo-citizen", "citizen", "Әбілова", "Назерке"),
)
"""The accounts a person trying the demo logs in with (synthetic names)."""
CEC_MEMBER, CHAIR, AMANAT_REP, OBSERVER, CITIZEN = (a.username for a in DEMO_ACCOUNTS)


@dataclass(frozen=True, slots=True)
class Credential:
    username: str
    role: str
    password: str

    def __repr__(self) -> str:  # never print a password by accident
        return f"Credential({self.username!r}, {self.role!r}, password=***)"


def _person_user(username: str, surname: str, given_name: str) -> User:
    """A synthetic person's account without a usable password (nobody logs in as them)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password=None, first_name=given_name, last_name=surname)
    return user


def load_accounts() -> tuple[dict[str, User], list[Credential]]:
    """The demo accounts by user name, and the credentials of those this run created (a random
    password each, set only now: an existing account keeps its password)."""
    users: dict[str, User] = {}
    created: list[Credential] = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            password = secrets.token_urlsafe(18)
            user = User.objects.create_user(account.username, password=password, first_name=account.given_name,
                                            last_name=account.surname)
            created.append(Credential(account.username, account.role, password))
        users[account.username] = user
    return users, created


def accounts_path() -> Path:
    return Path(settings.VAR_DIR) / ACCOUNTS_FILE


_ACCOUNTS_HEADER = (
    "# Saylau demo accounts: sign in at /kk/accounts/login/ (or /ru/, /en/) of the demo server.\n"
    "# Written when the accounts were created; the database keeps only password hashes.\n"
    "# Columns (tab-separated): user name, role, password.\n")


def read_accounts(path: Path) -> list[Credential]:
    """The accounts listed in the accounts file (none when it is missing)."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            username, role, password = line.split("\t")
            found.append(Credential(username, role, password))
    return found


def write_accounts(path: Path, created: Sequence[Credential]) -> None:
    """Add the new accounts to the file (mode 0600, replaced atomically), keeping the lines of
    accounts that still exist and were not created again; does nothing without new accounts."""
    if not created:
        return
    renewed = {c.username for c in created}
    existing = set(User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
                   .values_list("username", flat=True))
    kept = [c for c in read_accounts(path) if c.username in existing and c.username not in renewed]
    lines = [f"{c.username}\t{c.role}\t{c.password}\n" for c in (*kept, *created)]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(_ACCOUNTS_HEADER + "".join(lines))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.chmod(path, 0o600)


# --- territory, precincts, commissions -----------------------------------------------------------


def load_territory(*, now: datetime) -> list[TerritorialUnit]:
    """Create the Saraishyk chain where missing; returns its units, region first."""
    created: dict[str, TerritorialUnit] = {}
    for code, level, kind, parent, name_kk, name_ru, name_en in _UNITS:
        unit = TerritorialUnit.objects.filter(code=code).first()
        if unit is None:
            unit = territorial_unit_create(actor=None, code=code, level=level, kind=kind,
                                           parent=created[parent] if parent else None,
                                           name_kk=name_kk, name_ru=name_ru, name_en=name_en, now=now)
        created[code] = unit
    return list(created.values())


def load_precincts(*, now: datetime) -> Territory:
    """Create the demo precincts where missing (`precinct_create`: checked, audited, on the
    board); returns the Saraishyk chain with them as the domain's checked `Territory` (what the
    roll import checks precincts against)."""
    units = load_territory(now=now)
    saraishyk = units[-1]
    rows = []
    for p in DEMO_PRECINCT_ROWS:
        row = PrecinctRow.objects.select_related("territory__parent").filter(code=p.code).first()
        if row is None:
            row = precinct_create(actor=None, code=p.code, number=p.number, territory=saraishyk,
                                  address_kk=p.address_kk, address_ru=p.address_ru, address_en=p.address_en,
                                  accessible=p.accessible, now=now)
        rows.append(row)
    return territory_from_units(units, precincts=[precinct_to_domain(r) for r in rows])


CEC, ATYRAU_TEC, MAKHAMBET_TEC = "cec", "atyrau-tec", "makhambet-tec"
_COMMISSIONS = (  # code, level, parent, territory, names kk / ru / en
    (CEC, CommissionLevel.CEC, None, None, "Қазақстан Республикасының Орталық сайлау комиссиясы",
     "Центральная избирательная комиссия Республики Казахстан",
     "Central Election Commission of the Republic of Kazakhstan"),
    (ATYRAU_TEC, CommissionLevel.TERRITORIAL, CEC, REGION, "Атырау облыстық аумақтық сайлау комиссиясы",
     "Атырауская областная территориальная избирательная комиссия",
     "Atyrau Region Territorial Election Commission"),
    (MAKHAMBET_TEC, CommissionLevel.DISTRICT, ATYRAU_TEC, DISTRICT, "Махамбет аудандық аумақтық сайлау комиссиясы",
     "Махамбетская районная территориальная избирательная комиссия",
     "Makhambet District Territorial Election Commission"),
)
_SEATS = (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER)
"""The demo seats of every commission (a real one has more members)."""
_ACCOUNT_SEATS = {(CEC, MemberRole.MEMBER): CEC_MEMBER, (MAKHAMBET_TEC, MemberRole.CHAIR): CHAIR}


def precinct_commission_code(number: int) -> str:
    return f"pec-{number}"


class _Names:
    """Synthetic full names from the seeded pools, each used once."""

    def __init__(self, seed: int, salt: str) -> None:
        self.rng = random.Random(f"saylau-demo-{salt}-{seed}")
        self.used: set[tuple[str, str, str]] = set()

    def take(self, sex: Sex) -> tuple[str, str, str]:
        """(surname, given name, patronymic)."""
        while True:
            woman = sex is Sex.FEMALE
            surname = self.rng.choice(_SURNAMES) + ("а" if woman else "")
            given = self.rng.choice(_FEMALE if woman else _MALE)
            patronymic = self.rng.choice(_MALE) + ("қызы" if woman else "ұлы")
            if (surname, given, patronymic) not in self.used:
                self.used.add((surname, given, patronymic))
                return surname, given, patronymic


def load_commissions(*, accounts: Mapping[str, User], now: datetime, seed: int = DEMO_SEED) -> list[Commission]:
    """Form the demo commissions and seat their members where missing; returns the commissions
    (CEC first). Needs `load_precincts` and `load_accounts`."""
    commissions: dict[str, Commission] = {}
    plan: list[tuple[str, CommissionLevel, str | None, TerritorialUnit | None, PrecinctRow | None,
                     str, str, str]] = []
    for code, level, parent, territory, name_kk, name_ru, name_en in _COMMISSIONS:
        unit = TerritorialUnit.objects.get(code=territory) if territory else None
        plan.append((code, level, parent, unit, None, name_kk, name_ru, name_en))
    for p in DEMO_PRECINCT_ROWS:
        plan.append((precinct_commission_code(p.number), CommissionLevel.PRECINCT, MAKHAMBET_TEC, None,
                     PrecinctRow.objects.get(code=p.code), f"№ {p.number} учаскелік сайлау комиссиясы",
                     f"Участковая избирательная комиссия № {p.number}", f"Precinct Election Commission No. {p.number}"))
    names = _Names(seed, "members")
    for code, level, parent, unit, precinct, name_kk, name_ru, name_en in plan:
        commission = Commission.objects.filter(code=code).first()
        if commission is None:
            commission = commission_create(actor=None, code=code, level=level, name_kk=name_kk, name_ru=name_ru,
                                           name_en=name_en, territory=unit, precinct=precinct,
                                           parent=commissions[parent] if parent else None, now=now)
        commissions[code] = commission
        for role in _SEATS:
            sex = Sex.FEMALE if role is MemberRole.SECRETARY else Sex.MALE
            surname, given, _ = names.take(sex)  # drawn even when seated: later seats keep their names
            account = _ACCOUNT_SEATS.get((code, role))
            user = (accounts[account] if account is not None
                    else _person_user(f"demo-{code}-{role.value}", surname, given))
            if not Membership.objects.filter(commission=commission, user=user).exists():
                membership_add(actor=None, commission=commission, user=user, role=role, start=TERMS_START, now=now)
    return list(commissions.values())


# --- elections and the roll ----------------------------------------------------------------------


def akim_voting_day(now: datetime) -> datetime:
    """07:00 on the first Sunday at least a week after `now`: `now` falls in the campaign (the
    registration closes 15 days before the vote) and the vote is one to two weeks ahead."""
    day = (now + AKIM_VOTE_AFTER).astimezone(KZ).date()
    day += timedelta(days=(6 - day.weekday()) % 7)
    opens = datetime.combine(day, time(7), KZ)
    return opens if opens >= now + AKIM_VOTE_AFTER else opens + timedelta(days=7)


def akim_called(voting_opens: datetime) -> datetime:
    """When the demo akim election is called: 10:00, `AKIM_CALLED_DAYS` days before its vote."""
    day = (voting_opens.astimezone(KZ) - timedelta(days=AKIM_CALLED_DAYS)).date()
    return datetime.combine(day, time(10), KZ)


def load_elections(*, now: datetime) -> list[Election]:
    """Create the two demo elections where missing, in stage draft (the replays call them).
    Each is created when it was called: the 2023 election on 19 January 2023, the akim
    election `AKIM_CALLED_DAYS` before its vote (`akim_voting_day` of the first run), with
    nomination closing 25 and registration 15 days before the vote."""
    saraishyk = TerritorialUnit.objects.get(code=LOCALITY)
    elections = []
    akim = Election.objects.filter(code=AKIM_CODE).first()
    if akim is None:
        vote = akim_voting_day(now)
        akim = election_create(
            actor=None, code=AKIM_CODE, type=ElectionType.AKIM_RURAL,
            title_kk="Сарайшық ауылдық округі әкімінің сайлауы",
            title_ru="Выборы акима Сарайшыкского сельского округа",
            title_en="Election of the akim of Saraishyk Rural District", territory=saraishyk,
            nomination_closes=vote - timedelta(days=25), registration_closes=vote - timedelta(days=15),
            voting_opens=vote, voting_closes=vote + timedelta(hours=13), now=akim_called(vote))
    elections.append(akim)
    mazhilis = Election.objects.filter(code=MAZHILIS_CODE).first()
    if mazhilis is None:
        vote = MAZHILIS_VOTE
        mazhilis = election_create(
            actor=None, code=MAZHILIS_CODE, type=ElectionType.MAZHILIS_PARTY_LIST,
            title_kk="Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын сайлау (партиялық тізімдер)",
            title_ru="Выборы депутатов Мажилиса Парламента Республики Казахстан (партийные списки)",
            title_en="Election of deputies of the Mazhilis of the Parliament of the Republic of Kazakhstan "
                     "(party lists)",
            territory=None, nomination_closes=vote - timedelta(days=40),
            registration_closes=vote - timedelta(days=30), voting_opens=vote,
            voting_closes=vote + timedelta(hours=13), now=MAZHILIS_CALLED)
    elections.append(mazhilis)
    return elections


def synthetic_roll(*, count: int, seed: int, precincts: tuple[Precinct, ...] = DEMO_PRECINCTS) -> Iterator[str]:
    """A roll CSV (header first) of `count` synthetic adults with distinct valid IINs."""
    rng = random.Random(seed)
    span = (_YOUNGEST - _OLDEST).days
    seen: set[str] = set()
    yield "iin,surname,given_name,patronymic,birth_date,precinct"
    while len(seen) < count:
        born = _OLDEST + timedelta(days=rng.randrange(span + 1))
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        iin = make_iin(born, sex, rng.randrange(10_000))
        if iin is None or iin in seen:
            continue
        seen.add(iin)
        father = rng.choice(_MALE)
        surname = rng.choice(_SURNAMES) + ("а" if sex is Sex.FEMALE else "")
        given = rng.choice(_MALE if sex is Sex.MALE else _FEMALE)
        patronymic = father + ("ұлы" if sex is Sex.MALE else "қызы")
        precinct = rng.choices(precincts, weights=_PRECINCT_WEIGHTS[:len(precincts)] or None)[0]
        yield f"{iin},{surname},{given},{patronymic},{born.isoformat()},{precinct.id}"


def load_voters(*, territory: Territory, now: datetime, count: int = DEMO_VOTERS,
                seed: int = DEMO_SEED) -> ImportReport | None:
    """Import the synthetic roll unless the demo precincts have `count` voters already.

    A run that finds fewer imports the whole file again: the voters already there are
    refused as duplicates (same seed, same IINs), the missing ones added.
    """
    present = Voter.objects.filter(precinct__in=[str(p.id) for p in DEMO_PRECINCTS]).count()
    if present >= count:
        return None
    return import_roll(synthetic_roll(count=count, seed=seed), precincts=territory, store=DatabaseRoll(),
                       today=now.astimezone(KZ).date())


# --- the lifecycle -------------------------------------------------------------------------------


def _steps(election: Election) -> list[tuple[Stage, datetime]]:
    """A demo election's lifecycle steps on its schedule; counting is the last (no ballots)."""
    called = MAZHILIS_CALLED if election.code == MAZHILIS_CODE else akim_called(election.voting_opens)
    return [(Stage.NOMINATION, called), (Stage.REGISTRATION, election.nomination_closes),
            (Stage.CAMPAIGN, election.registration_closes), (Stage.VOTING, election.voting_opens),
            (Stage.COUNTING, election.voting_closes)]


_ORDER = list(Stage)


def advance_until(election: Election, target: Stage, *, now: datetime) -> Election:
    """Take the scheduled steps of a demo election up to `target`, each at its own time, as far
    as `now` allows; returns the election as it is then."""
    for stage, at in _steps(election):
        if _ORDER.index(stage) > _ORDER.index(target) or at > now:
            break
        if _ORDER.index(Stage(election.stage)) < _ORDER.index(stage):
            election = election_advance(actor=None, election=election, target=stage, now=at)
    return election


def advance_elections(*, now: datetime) -> int:
    """Take every step of the demo elections whose date is at or before `now`; returns how many."""
    before = StageChange.objects.count()
    for election in Election.objects.filter(code__in=(AKIM_CODE, MAZHILIS_CODE)).order_by("code"):
        advance_until(election, Stage.COUNTING, now=now)
    return StageChange.objects.count() - before


def _in_stage(election: Election, stage: Stage, at: datetime, now: datetime) -> bool:
    """Whether a replayed act of `stage` at `at` happens now: its time has come and the election
    is in that stage (taking the earlier steps first)."""
    if at > now:
        return False
    election.refresh_from_db(fields=["stage"])
    if _ORDER.index(Stage(election.stage)) < _ORDER.index(stage):
        advance_until(election, stage, now=at)
        election.refresh_from_db(fields=["stage"])
    return Stage(election.stage) is stage


# --- parties and the 2023 party lists ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoParty:
    short_name: str
    name_kk: str
    name_ru: str
    name_en: str
    registered_on: date
    representative: str
    """User name of the party's representative."""


DEMO_PARTIES = (
    DemoParty("AMANAT", "«AMANAT» партиясы", "Партия «AMANAT»", "AMANAT Party", date(2001, 1, 1), AMANAT_REP),
    DemoParty("Auyl", "«Ауыл» халықтық-демократиялық патриоттық партиясы",
              "Народно-демократическая патриотическая партия «Ауыл»",
              "Auyl People's Democratic Patriotic Party", date(2001, 1, 2), "demo-rep-auyl"),
    DemoParty("Respublica", "«Respublica» партиясы", "Партия «Respublica»", "Respublica Party",
              date(2001, 1, 3), "demo-rep-respublica"),
    DemoParty("Ak Zhol", "«Ақ жол» Қазақстанның демократиялық партиясы",
              "Демократическая партия Казахстана «Ак жол»", "Ak Zhol Democratic Party of Kazakhstan",
              date(2001, 1, 4), "demo-rep-ak-zhol"),
    DemoParty("QHP", "Қазақстан халық партиясы", "Народная партия Казахстана", "People's Party of Kazakhstan",
              date(2001, 1, 5), "demo-rep-qhp"),
    DemoParty("NSDP", "Жалпыұлттық социал-демократиялық партия", "Общенациональная социал-демократическая партия",
              "Nationwide Social Democratic Party", date(2001, 1, 6), "demo-rep-nsdp"),
    DemoParty("Baytaq", "«Байтақ» жасылдар партиясы", "Партия зелёных «Байтак»", "Baytaq Green Party",
              date(2001, 1, 7), "demo-rep-baytaq"),
)
"""The registered parties that ran in the Mazhilis election of 19 March 2023.

**The registration dates are demo values, not facts**: an explicit synthetic ordering (1 to 7
January 2001, in the order listed here), because the real dates of state registration were not
verified. They order the parties for the pack's `registered_earlier` tie-break and appear on
the party pages: replace them with the dates of the state register before any real use. The
names are the parties' names; their candidates in the demo are synthetic people."""


def load_parties(*, accounts: Mapping[str, User], now: datetime) -> list[Party]:
    """Record the demo parties and their representatives where missing (by short name)."""
    parties = []
    names = _Names(0, "representatives")
    for p in DEMO_PARTIES:
        party = Party.objects.filter(short_name=p.short_name).first()
        if party is None:
            party = party_save(actor=None, party=Party(
                short_name=p.short_name, name_kk=p.name_kk, name_ru=p.name_ru, name_en=p.name_en,
                registered_on=p.registered_on), now=now)
        surname, given, _ = names.take(Sex.MALE)
        rep = accounts.get(p.representative) or _person_user(p.representative, surname, given)
        if not party.representatives.filter(pk=rep.pk).exists():
            party_representatives_set(actor=None, party=party, users=[*party.representatives.all(), rep], now=now)
        parties.append(party)
    return parties


@dataclass(frozen=True, slots=True)
class DemoCandidate:
    """A synthetic candidate: who, what the evidence establishes, the public texts."""

    surname: str
    given_name: str
    patronymic: str
    born: date
    sex: Sex
    party: str | None
    """The nominating party's short name; None for a self-nomination."""
    profile: Mapping[str, object]
    texts: Mapping[str, str]
    refuse: tuple[str, ...] = ()
    """Rule ids the commission cites to refuse registration (none: registered)."""
    reason: str = ""
    documents: tuple[DocumentKind, ...] = ()


def _profile(born: date, sex: Sex, election_day: date, *, party: bool, **changes: object) -> dict[str, object]:
    age = election_day.year - born.year - ((election_day.month, election_day.day) < (born.month, born.day))
    return {"citizenship": "citizen", "resident_since": born, "education": "higher", "public_service_years": 5,
            "state_language_exam_passed": True, "has_unexpunged_criminal_record": False,
            "has_corruption_offence": False, "declared_legally_incapable": False, "serving_prison_sentence": False,
            "medical_exam_passed": True, "is_party_member": True if party else None,
            "is_woman": sex is Sex.FEMALE, "is_youth": age <= 35, "has_disability": False, **changes}


_LIST_SEXES = (Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.MALE)
"""Two women in five names: the pack's quota (30 % women, young people or disabled) is met."""


def list_candidates(party: DemoParty, index: int, *, seed: int = DEMO_SEED) -> list[DemoCandidate]:
    """The synthetic names of a party's 2023 demo list (reproducible from the seed)."""
    names = _Names(seed * 100 + index, "list")
    rng = random.Random(f"saylau-demo-list-born-{seed}-{index}")
    out = []
    for position, sex in enumerate(_LIST_SEXES, start=1):
        surname, given, patronymic = names.take(sex)
        young = position == 3  # one young person per list as well (25-35 on election day)
        born = (date(1989, 1, 1) if young else date(1960, 1, 1)) + timedelta(days=rng.randrange(365 * (8 if young else 25)))
        texts = {
            "biography_kk": f"Демо деректер: ойдан шығарылған үміткер, «{party.short_name}» партиясының тізімінде "
                            f"№ {position}.",
            "biography_ru": f"Демонстрационные данные: вымышленный кандидат, № {position} в списке партии "
                            f"«{party.short_name}».",
            "biography_en": f"Demo data: a fictitious candidate, No. {position} on the {party.short_name} list."}
        out.append(DemoCandidate(surname, given, patronymic, born, sex, party.short_name,
                                 _profile(born, sex, MAZHILIS_VOTE.date(), party=True), texts))
    return out


def _iin_for(candidate: DemoCandidate, rng: random.Random) -> Iin:
    while True:
        iin = make_iin(candidate.born, candidate.sex, rng.randrange(10_000))
        if iin is not None:
            return iin


def _person(candidate: DemoCandidate, rng: random.Random) -> Person:
    return Person(iin=_iin_for(candidate, rng), surname=candidate.surname, given_name=candidate.given_name,
                  patronymic=candidate.patronymic, birth_date=candidate.born, profile=dict(candidate.profile),
                  texts=dict(candidate.texts))


def _find(election: Election, candidate: DemoCandidate) -> Candidate | None:
    return Candidate.objects.filter(election=election, surname=candidate.surname, given_name=candidate.given_name,
                                    patronymic=candidate.patronymic, birth_date=candidate.born).first()


def load_party_lists(*, accounts: Mapping[str, User], now: datetime, seed: int = DEMO_SEED) -> list[str]:
    """Replay the 2023 party lists (see `MAZHILIS_NOMINATING`, `MAZHILIS_REGISTERING`): each
    party's representative nominates its list candidates, files their documents and the list;
    after nomination closes, the demo CEC member registers the candidates and the lists.
    Returns notes on what could not be replayed (an election already past the stage an act needs)."""
    election = Election.objects.get(code=MAZHILIS_CODE)
    cec_member = accounts[CEC_MEMBER]
    notes = []
    for index, spec in enumerate(DEMO_PARTIES):  # the nomination stage: every party files
        party = Party.objects.get(short_name=spec.short_name)
        party_list = PartyList.objects.filter(party=party, election=election).first()
        if party_list is not None and party_list.status != ListStatus.DRAFT:
            continue
        filed = MAZHILIS_NOMINATING + timedelta(days=index)
        if not _in_stage(election, Stage.NOMINATION, filed, now):
            notes.append(f"{election.code}: the {spec.short_name} list was not filed (the election is past its "
                         f"nomination stage)")
            continue
        rep = User.objects.get(username=spec.representative)
        rng = random.Random(f"saylau-demo-list-iin-{seed}-{index}")
        for position, candidate in enumerate(list_candidates(spec, index, seed=seed)):
            person = _person(candidate, rng)  # drawn for every name: the IINs do not depend on what exists
            at = filed + timedelta(minutes=10 * position)
            row = _find(election, candidate) or candidate_nominate(
                actor=rep, election=election, person=person, party=party, now=at)
            if row.status == NominationStatus.NOMINATED.value:
                row = documents_submit(actor=rep, candidate=row, now=at + timedelta(minutes=5))
            if not ListEntry.objects.filter(candidate=row).exists():
                list_entry_add(actor=rep, party=party, election=election, candidate=row, now=at + timedelta(minutes=6))
        list_submit(actor=rep, party=party, election=election, now=filed + timedelta(hours=6))
    for index, spec in enumerate(DEMO_PARTIES):  # the registration stage: the CEC decides
        party_list = PartyList.objects.filter(party__short_name=spec.short_name, election=election).first()
        if party_list is None or party_list.status != ListStatus.SUBMITTED:
            continue
        decided = MAZHILIS_REGISTERING + timedelta(days=index)
        if not _in_stage(election, Stage.REGISTRATION, decided, now):
            notes.append(f"{election.code}: the {spec.short_name} list was not registered (the election is past "
                         f"its registration stage)")
            continue
        for position, entry in enumerate(party_list.entries.select_related("candidate").order_by("position")):
            if entry.candidate.status == NominationStatus.DOCUMENTS_SUBMITTED.value:
                candidate_register(actor=cec_member, candidate=entry.candidate,
                                   now=decided + timedelta(minutes=10 * position))
        list_register(actor=cec_member, party_list=party_list, now=decided + timedelta(hours=6))
    return notes


# --- the akim election ---------------------------------------------------------------------------


def _pdf(text: str) -> bytes:
    """A tiny valid one-page PDF showing `text` (ASCII)."""
    line = text.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 56 780 Td (" + line + b") Tj ET"
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
              b"/Contents 5 0 R >>",
              b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
              b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def demo_document(kind: DocumentKind, label: str) -> SimpleUploadedFile:
    """A synthetic evidence document (a small PDF that says it is demo data)."""
    return SimpleUploadedFile(f"{kind.value}.pdf", _pdf(f"Saylau demo data (synthetic): {kind.value} - {label}"),
                              content_type="application/pdf")


_EVIDENCE = (DocumentKind.IDENTITY, DocumentKind.EDUCATION, DocumentKind.CRIMINAL_RECORD, DocumentKind.MEDICAL,
             DocumentKind.TAX_DECLARATION, DocumentKind.PLATFORM)
_DEMO_NOTE = {"kk": "(Демо деректер: ойдан шығарылған үміткер.)",
              "ru": "(Демонстрационные данные: вымышленный кандидат.)",
              "en": "(Demo data: a fictitious candidate.)"}


def _texts(biography: tuple[str, str, str], platform: tuple[str, str, str]) -> dict[str, str]:
    out = {}
    for i, language in enumerate(("kk", "ru", "en")):
        out[f"biography_{language}"] = f"{biography[i]} {_DEMO_NOTE[language]}"
        out[f"platform_{language}"] = platform[i]
    return out


def akim_candidates(election_day: date) -> list[DemoCandidate]:
    """The four synthetic candidates for akim of Saraishyk: two nominated by parties (AMANAT and
    Auyl: the pack allows parties, one candidate each, from their members), two self-nominated;
    the last has an unexpunged criminal record and is refused (`eligibility.no_criminal_record`)."""
    def profile(born: date, sex: Sex, party: bool, **changes: object) -> dict[str, object]:
        return _profile(born, sex, election_day, party=party, **changes)

    amanat, auyl = date(1979, 5, 14), date(1986, 9, 2)
    self1, self2 = date(1991, 2, 20), date(1975, 11, 8)
    return [
        DemoCandidate(
            "Жақсылықов", "Арман", "Серікұлы", amanat, Sex.MALE, "AMANAT", profile(amanat, Sex.MALE, True,
                                                                                  public_service_years=12),
            _texts(("1979 жылы Махамбет ауданында туған. Инженер, 12 жыл аудандық әкімдікте жұмыс істеген.",
                    "Родился в 1979 году в Махамбетском районе. Инженер, 12 лет работал в районном акимате.",
                    "Born in 1979 in Makhambet District. An engineer; 12 years in the district akimat."),
                   ("Ауылішілік жолдарды жөндеу, ауыз сумен тұрақты қамтамасыз ету.",
                    "Ремонт внутрисельских дорог, бесперебойное водоснабжение.",
                    "Repair the village roads; a reliable drinking-water supply.")),
            documents=(*_EVIDENCE, DocumentKind.PARTY_DECISION)),
        DemoCandidate(
            "Сәрсенова", "Гүлнар", "Талғатқызы", auyl, Sex.FEMALE, "Auyl", profile(auyl, Sex.FEMALE, True),
            _texts(("1986 жылы Сарайшық ауылында туған. Мектеп мұғалімі, ата-аналар кеңесінің төрағасы.",
                    "Родилась в 1986 году в селе Сарайшык. Школьный учитель, председатель родительского совета.",
                    "Born in 1986 in Saraishyk village. A schoolteacher; chairs the parents' council."),
                   ("Жаңа балабақша, жастарға арналған спорт алаңы, мектеп автобусы.",
                    "Новый детский сад, спортивная площадка для молодёжи, школьный автобус.",
                    "A new kindergarten, a sports ground for young people, a school bus.")),
            documents=(*_EVIDENCE, DocumentKind.PARTY_DECISION)),
        DemoCandidate(
            "Исатаев", "Дәулет", "Ержанұлы", self1, Sex.MALE, None, profile(self1, Sex.MALE, False,
                                                                             education="secondary_special",
                                                                             public_service_years=0),
            _texts(("1991 жылы туған. Шаруа қожалығының басшысы.",
                    "Родился в 1991 году. Глава крестьянского хозяйства.",
                    "Born in 1991. Runs a family farm."),
                   ("Жайылымдарды әділ бөлу, шағын бизнеске қолдау.",
                    "Справедливое распределение пастбищ, поддержка малого бизнеса.",
                    "A fair share of the pastures; support for small businesses.")),
            documents=_EVIDENCE),
        DemoCandidate(
            "Мұхтаров", "Ғалым", "Асхатұлы", self2, Sex.MALE, None, profile(self2, Sex.MALE, False,
                                                                             public_service_years=0,
                                                                             has_unexpunged_criminal_record=True),
            _texts(("1975 жылы туған. Жүргізуші.", "Родился в 1975 году. Водитель.", "Born in 1975. A driver."),
                   ("Аудан орталығына тұрақты автобус қатынасы.",
                    "Регулярное автобусное сообщение с районным центром.",
                    "A regular bus service to the district centre.")),
            refuse=("eligibility.no_criminal_record",),
            reason=("Сотталғандығы туралы анықтамада өтелмеген сотталғандығы көрсетілген "
                    "(eligibility.no_criminal_record). / В справке о судимости указана непогашенная судимость "
                    "(eligibility.no_criminal_record). / The criminal-record certificate shows a conviction that "
                    "is not expunged (eligibility.no_criminal_record)."),
            documents=_EVIDENCE),
    ]


SELF_NOMINEE_USERS = ("demo-self-nominee-1", "demo-self-nominee-2")
"""The accounts of the self-nominated akim candidates (a self-nominee files their own
nomination; nobody logs in as them)."""


def load_candidates(*, accounts: Mapping[str, User], now: datetime, seed: int = DEMO_SEED) -> list[str]:
    """Replay the akim nominations (2 to 5 days after the call, the documents filed the same
    day) and, the day after nomination closes, the Makhambet chair's decisions: three
    registered, one refused citing the pack's rule, with a reason. Returns notes on what could
    not be replayed."""
    election = Election.objects.get(code=AKIM_CODE)
    chair = accounts[CHAIR]
    called = akim_called(election.voting_opens)
    people = akim_candidates(election.voting_opens.astimezone(KZ).date())
    rng = random.Random(f"saylau-demo-akim-iin-{seed}")
    persons = [_person(c, rng) for c in people]
    self_users = iter(SELF_NOMINEE_USERS)
    filers = [next(p.representative for p in DEMO_PARTIES if p.short_name == c.party) if c.party is not None
              else next(self_users) for c in people]
    notes = []
    for number, (spec, person, username) in enumerate(zip(people, persons, filers, strict=True)):
        filed = called + timedelta(days=2 + number, hours=1)
        row = _find(election, spec)
        if row is None or row.status == NominationStatus.NOMINATED.value:
            if not _in_stage(election, Stage.NOMINATION, filed, now):
                notes.append(f"{election.code}: the nomination of {spec.surname} {spec.given_name} was not filed "
                             f"(not yet, or the election is past its nomination stage)")
                continue
        filer = (User.objects.get(username=username) if spec.party is not None  # the party's representative
                 else _person_user(username, spec.surname, spec.given_name))  # a self-nominee files for themself
        if row is None:
            party = Party.objects.get(short_name=spec.party) if spec.party is not None else None
            label = f"candidate {number + 1} for akim of Saraishyk"
            row = candidate_nominate(actor=filer, election=election, person=person, party=party,
                                     documents=[(k.value, demo_document(k, label)) for k in spec.documents], now=filed)
        if row.status == NominationStatus.NOMINATED.value:
            documents_submit(actor=filer, candidate=row, now=filed + timedelta(hours=2))
    for number, spec in enumerate(people):
        row = _find(election, spec)
        if row is None or row.status != NominationStatus.DOCUMENTS_SUBMITTED.value:
            continue
        decided = election.nomination_closes + timedelta(days=1, hours=3 + number)
        if not _in_stage(election, Stage.REGISTRATION, decided, now):
            notes.append(f"{election.code}: no decision on {spec.surname} {spec.given_name} (not yet, or the "
                         f"election is past its registration stage)")
            continue
        if spec.refuse:
            candidate_refuse(actor=chair, candidate=row, rule_ids=spec.refuse, reason=spec.reason, now=decided)
        else:
            candidate_register(actor=chair, candidate=row, now=decided)
    return notes


OBSERVER_ORGANISATION = "«Адал сайлау» қоғамдық бірлестігі (демо)"
"""The demo observer's organisation (a synthetic public association)."""


def load_observers(*, accounts: Mapping[str, User], now: datetime) -> None:
    """The demo observer asks, the day after the call, to observe the akim election for a public
    association; the Makhambet chair approves the next day."""
    election = Election.objects.get(code=AKIM_CODE)
    observer, chair = accounts[OBSERVER], accounts[CHAIR]
    asked = akim_called(election.voting_opens) + timedelta(days=1)
    if asked > now:
        return
    advance_until(election, Stage.NOMINATION, now=asked)  # the election is called first
    row = ObserverAccreditation.objects.filter(user=observer, election=election).first()
    if row is None:
        row = accreditation_request(user=observer, election=election, kind=ObserverKind.PUBLIC_ASSOCIATION,
                                    organisation=OBSERVER_ORGANISATION, now=asked)
    decided = asked + timedelta(days=1)
    if row.status == AccreditationStatus.REQUESTED.value and decided <= now:
        accreditation_decide(actor=chair, accreditation=row, target=AccreditationStatus.APPROVED,
                             levels=decider_levels(chair, election, now=decided), now=decided)


# --- all of it -----------------------------------------------------------------------------------

COUNTED: dict[str, type[models.Model]] = {
    "precincts": PrecinctRow, "commissions": Commission, "memberships": Membership, "users": User,
    "parties": Party, "party lists": PartyList, "candidates": Candidate, "documents": CandidateDocument,
    "accreditations": ObserverAccreditation}
"""What the report counts (rows created by a run)."""


@dataclass(frozen=True, slots=True)
class DemoReport:
    units: int
    """Territorial units created by this run (0 when they were there)."""
    elections: int
    voters: ImportReport | None
    """The roll import of this run; None when the roll was complete already."""
    steps: int
    """Lifecycle steps taken by this run."""
    created: Mapping[str, int] = field(default_factory=dict)
    """Rows of each kind of `COUNTED` created by this run."""
    accounts: tuple[str, ...] = ()
    """User names of the demo accounts created by this run (their passwords: `accounts_file`)."""
    accounts_file: Path | None = None
    notes: tuple[str, ...] = ()
    """What could not be replayed (a database made by an older loader)."""


def load_demo(*, now: datetime, seed: int = DEMO_SEED, voters: int = DEMO_VOTERS) -> DemoReport:
    """Load every part (idempotent), in one transaction; then add the accounts created by this
    run to the accounts file."""
    with transaction.atomic():
        units_before, elections_before = TerritorialUnit.objects.count(), Election.objects.count()
        steps_before = StageChange.objects.count()
        before = {k: m._default_manager.count() for k, m in COUNTED.items()}
        territory = load_precincts(now=now)
        accounts, credentials = load_accounts()
        load_commissions(accounts=accounts, now=now, seed=seed)
        load_elections(now=now)
        report = load_voters(territory=territory, now=now, count=voters, seed=seed)
        load_parties(accounts=accounts, now=now)
        notes = load_party_lists(accounts=accounts, now=now, seed=seed)
        load_observers(accounts=accounts, now=now)
        notes += load_candidates(accounts=accounts, now=now, seed=seed)
        advance_elections(now=now)
        created = {k: m._default_manager.count() - before[k] for k, m in COUNTED.items()}
        result = DemoReport(units=TerritorialUnit.objects.count() - units_before,
                            elections=Election.objects.count() - elections_before, voters=report,
                            steps=StageChange.objects.count() - steps_before, created=created,
                            accounts=tuple(c.username for c in credentials), notes=tuple(notes))
    path = accounts_path()
    write_accounts(path, credentials)  # after the commit: no passwords of accounts rolled back
    return replace(result, accounts_file=path if path.exists() else None)
