"""The demonstration data that `make run` serves (`manage.py saylau_demo`).

Everything is made through the same services and import path as real data — so it is
checked by the domain, audited, and published on the public board — and every part is
idempotent: a part finds what an earlier run made (by code) and adds only what is missing,
so re-running the loader (every `make run`) changes nothing. The synthetic voters come from
a seeded random generator: the same seed gives the same roll.

The parts, in order (`load_demo` runs them in one transaction):

- `load_territory`: Atyrau Region → Makhambet District → Saraishyk Rural District, and its
  precincts (`DEMO_PRECINCTS`; synthetic numbers and addresses, no precinct model yet).
- `load_elections`: the election of the akim of Saraishyk (voting on the first Sunday at
  least 60 days after the first run) and the party-list tier of the Mazhilis election of
  19 March 2023 (nationwide; the last Mazhilis: the 2026 Constitution replaces it).
- `load_voters`: a synthetic roll (valid IINs from `domain.iin.make_iin`, adults only) of
  the precincts, imported as a CSV file through `domain.voters.import_roll` into
  `voters.services.DatabaseRoll` — the real import path.
- `advance_elections`: each election takes the steps of its lifecycle whose date has come
  (the akim election is called; the 2023 election is replayed up to counting: the demo has
  no ballots, so no results).

Parts to come (parties, candidates, commissions) go between `load_voters` and
`advance_elections`, each as its own idempotent `load_*` function.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from saylau.domain.election import ElectionType, Stage
from saylau.domain.iin import Sex, make_iin
from saylau.domain.territory import AdminDistrictId, LocalityId, Precinct, PrecinctId, Territory
from saylau.domain.voters import ImportReport, import_roll
from saylau.web.elections.models import Election
from saylau.web.elections.services import election_advance, election_create
from saylau.web.territory.mapping import territory_from_units
from saylau.web.territory.models import Level, TerritorialUnit
from saylau.web.territory.services import territorial_unit_create
from saylau.web.voters.models import Voter
from saylau.web.voters.services import DatabaseRoll

DEMO_SEED = 2026
"""The default seed of the synthetic roll: the same seed, the same voters."""
DEMO_VOTERS = 2400
"""How many voters the demo roll has (at least 2,000: enough to page, search and count)."""
KZ = ZoneInfo("Asia/Almaty")
AKIM_CODE = "akim-saraishyk"
MAZHILIS_CODE = "mazhilis-2023-party-list"

REGION, DISTRICT, LOCALITY = "atyrau", "makhambet", "saraishyk"
_UNITS = (  # code, level, kind, parent code, names kk / ru / en
    (REGION, Level.REGION, "oblast", None,
     "Атырау облысы", "Атырауская область", "Atyrau Region"),
    (DISTRICT, Level.DISTRICT, "district", REGION,
     "Махамбет ауданы", "Махамбетский район", "Makhambet District"),
    (LOCALITY, Level.LOCALITY, "rural_district", DISTRICT,
     "Сарайшық ауылдық округі", "Сарайшыкский сельский округ", "Saraishyk Rural District"),
)
DEMO_PRECINCTS = (
    Precinct(PrecinctId("301-atyrau"), 301, "Сарайшық ауылы, мектеп", AdminDistrictId(DISTRICT), LocalityId(LOCALITY)),
    Precinct(PrecinctId("302-atyrau"), 302, "Сарайшық ауылы, мәдениет үйі", AdminDistrictId(DISTRICT),
             LocalityId(LOCALITY)),
    Precinct(PrecinctId("303-atyrau"), 303, "Сарайшық ауылы, амбулатория", AdminDistrictId(DISTRICT),
             LocalityId(LOCALITY)),
    Precinct(PrecinctId("304-atyrau"), 304, "Сарайшық ауылы, кітапхана", AdminDistrictId(DISTRICT),
             LocalityId(LOCALITY)),
)
"""Synthetic precincts of Saraishyk (numbers and addresses are made up)."""
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


@dataclass(frozen=True, slots=True)
class DemoReport:
    units: int
    """Territorial units created by this run (0 when they were there)."""
    elections: int
    voters: ImportReport | None
    """The roll import of this run; None when the roll was complete already."""
    steps: int
    """Lifecycle steps taken by this run."""


def load_territory(*, now: datetime) -> Territory:
    """Create the Saraishyk chain where missing; returns it, with the demo precincts, as the
    domain's checked `Territory` (what the roll import checks precincts against)."""
    created: dict[str, TerritorialUnit] = {}
    for code, level, kind, parent, name_kk, name_ru, name_en in _UNITS:
        unit = TerritorialUnit.objects.filter(code=code).first()
        if unit is None:
            unit = territorial_unit_create(actor=None, code=code, level=level, kind=kind,
                                           parent=created[parent] if parent else None,
                                           name_kk=name_kk, name_ru=name_ru, name_en=name_en, now=now)
        created[code] = unit
    tree = territory_from_units(created.values())
    return Territory.build(regions=tree.regions.values(), districts=tree.districts.values(),
                           localities=tree.localities.values(), precincts=DEMO_PRECINCTS)


def akim_voting_day(now: datetime) -> datetime:
    """07:00 on the first Sunday at least 60 days after `now` (the rural-akim rule pack wants
    the election called at least 40 days before the vote)."""
    day = (now + timedelta(days=60)).astimezone(KZ).date()
    day += timedelta(days=(6 - day.weekday()) % 7)
    opens = datetime.combine(day, time(7), KZ)
    return opens if opens >= now + timedelta(days=60) else opens + timedelta(days=7)


MAZHILIS_CALLED = datetime(2023, 1, 19, 12, 0, tzinfo=KZ)
"""When the 2023 Mazhilis election was called (the decree of 19 January 2023)."""


def load_elections(*, now: datetime) -> list[Election]:
    """Create the two demo elections where missing, in stage draft (`advance_elections` calls
    them). The 2023 election is created on the date it was called, the akim election at `now`
    with its vote on a Sunday about two months later."""
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
            voting_opens=vote, voting_closes=vote + timedelta(hours=13), now=now)
    elections.append(akim)
    mazhilis = Election.objects.filter(code=MAZHILIS_CODE).first()
    if mazhilis is None:
        vote = datetime(2023, 3, 19, 7, 0, tzinfo=KZ)
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


def _steps(election: Election, now: datetime) -> list[tuple[Stage, datetime]]:
    """A demo election's lifecycle steps on its schedule; counting is the last (no ballots).
    The akim election is called by the run that creates it; the 2023 one on its historical date."""
    called = MAZHILIS_CALLED if election.code == MAZHILIS_CODE else now
    return [(Stage.NOMINATION, called), (Stage.REGISTRATION, election.nomination_closes),
            (Stage.CAMPAIGN, election.registration_closes), (Stage.VOTING, election.voting_opens),
            (Stage.COUNTING, election.voting_closes)]


def advance_elections(*, now: datetime) -> int:
    """Take every step of the demo elections whose date is at or before `now`; returns how many."""
    order = list(Stage)
    taken = 0
    for election in Election.objects.filter(code__in=(AKIM_CODE, MAZHILIS_CODE)).order_by("code"):
        for target, at in _steps(election, now):
            if at > now:
                break
            if order.index(Stage(election.stage)) >= order.index(target):
                continue
            election = election_advance(actor=None, election=election, target=target, now=at)
            taken += 1
    return taken


def load_demo(*, now: datetime, seed: int = DEMO_SEED, voters: int = DEMO_VOTERS) -> DemoReport:
    """Load every part (idempotent), in one transaction."""
    with transaction.atomic():
        units_before = TerritorialUnit.objects.count()
        territory = load_territory(now=now)
        units = TerritorialUnit.objects.count() - units_before
        elections_before = Election.objects.count()
        load_elections(now=now)
        elections = Election.objects.count() - elections_before
        report = load_voters(territory=territory, now=now, count=voters, seed=seed)
        steps = advance_elections(now=now)
    return DemoReport(units=units, elections=elections, voters=report, steps=steps)
