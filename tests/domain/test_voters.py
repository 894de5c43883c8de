"""Voter roll import (good, bad and duplicate rows: nothing dropped, counts add up), the
where-do-I-vote lookup and the rate limiter."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from saylau.domain.errors import (
    DuplicateVoter,
    ErrorCode,
    InvalidIin,
    NaiveDatetime,
    RateLimited,
    RollFormatInvalid,
    VoterNotFound,
)
from saylau.domain.iin import Iin, Sex, make_iin
from saylau.domain.territory import (
    AdminDistrictId,
    District,
    DistrictKind,
    Precinct,
    PrecinctId,
    Region,
    RegionId,
    RegionKind,
    Territory,
)
from saylau.domain.voters import (
    ImportReport,
    InMemoryRoll,
    RateLimiter,
    RowError,
    Voter,
    import_roll,
    where_do_i_vote,
    write_error_report,
)

PRECINCTS = {PrecinctId("p-101"), PrecinctId("p-102")}


def iin(born: date, sex: Sex, serial: int = 1) -> Iin:
    value = make_iin(born, sex, serial)
    if value is None:
        value = make_iin(born, sex, serial + 1)
    assert value is not None
    return value


AIGERIM = iin(date(1995, 4, 12), Sex.FEMALE)
BOLAT = iin(date(1961, 9, 30), Sex.MALE)
DANA = iin(date(2004, 2, 29), Sex.FEMALE)
YERLAN = iin(date(1988, 1, 15), Sex.MALE)
BAD_CHECK = YERLAN[:11] + str((int(YERLAN[11]) + 1) % 10)

HEADER = "iin,surname,given_name,patronymic,birth_date,precinct\n"
ROWS = [
    f"{AIGERIM},Nurlanova,Aigerim,Serikovna,1995-04-12,p-101\n",     # 2 ok
    f"{BOLAT},Akhmetov,Bolat,,1961-09-30,p-102\n",                     # 3 ok (no patronymic)
    f"{BAD_CHECK},Sadykov,Yerlan,,1988-01-15,p-101\n",                 # 4 check digit
    f"{DANA},Omarova,Dana,,2004-02-28,p-101\n",                        # 5 birth date mismatch
    f"{YERLAN},Sadykov,Yerlan,,1988-01-15,p-999\n",                    # 6 unknown precinct
    f"{AIGERIM},Nurlanova,Aigerim,,1995-04-12,p-102\n",               # 7 duplicate of row 2
    f"{YERLAN},Sadykov,Yerlan\n",                                       # 8 too few fields
    "\n",                                                               # 9 empty row
    f"{DANA},,Dana,,29.02.2004,p-999\n",                               # 10 three problems
    f"{DANA},Omarova,Dana,,2004-02-29,p-101\n",                        # 11 ok
    f"{YERLAN},Sadykov,Yerlan,,1988-02-30,p-101\n",                    # 12 not a date
]
WANT_ERRORS = {
    (4, "iin", ErrorCode.INVALID_IIN),
    (5, "birth_date", ErrorCode.ROLL_BIRTH_DATE_MISMATCH),
    (6, "precinct", ErrorCode.ROLL_PRECINCT_UNKNOWN),
    (7, "iin", ErrorCode.DUPLICATE_VOTER),
    (8, "*", ErrorCode.ROLL_ROW_SHAPE),
    (9, "*", ErrorCode.ROLL_ROW_SHAPE),
    (10, "surname", ErrorCode.ROLL_FIELD_EMPTY),
    (10, "birth_date", ErrorCode.ROLL_BIRTH_DATE_INVALID),
    (10, "precinct", ErrorCode.ROLL_PRECINCT_UNKNOWN),
    (12, "birth_date", ErrorCode.ROLL_BIRTH_DATE_INVALID),
}


def run_import(lines: list[str], store: InMemoryRoll | None = None) -> tuple[ImportReport, InMemoryRoll]:
    store = store if store is not None else InMemoryRoll()
    return import_roll(lines, precincts=PRECINCTS, store=store), store


def test_mixed_file_nothing_dropped_counts_add_up() -> None:
    report, store = run_import([HEADER, *ROWS])
    assert (report.rows, report.accepted, report.refused) == (11, 3, 8)
    assert report.rows == report.accepted + report.refused == len(ROWS)
    assert {(e.row, e.field, e.code) for e in report.errors} == WANT_ERRORS
    refused_rows = {e.row for e in report.errors}
    assert len(refused_rows) == report.refused
    assert refused_rows.isdisjoint({2, 3, 11})
    assert len(store) == 3
    entry = store.find(AIGERIM)
    assert entry is not None and entry.row == 2
    assert entry.voter == Voter(AIGERIM, "Nurlanova", "Aigerim", "Serikovna", date(1995, 4, 12), Sex.FEMALE,
                                PrecinctId("p-101"))
    dup = next(e for e in report.errors if e.code is ErrorCode.DUPLICATE_VOTER)
    assert "row 2" in dup.reason
    assert next(e for e in report.errors if e.row == 4).reason.startswith("check digit")
    assert next(e for e in report.errors if e.row == 8).reason == "want 6 fields, got 3"
    assert next(e for e in report.errors if e.row == 9).reason == "empty row"


def test_errors_never_echo_the_iin() -> None:
    report, _ = run_import([HEADER, *ROWS])
    for e in report.errors:
        assert not any(i in e.reason for i in (AIGERIM, BOLAT, DANA, YERLAN, BAD_CHECK))


def test_errors_can_be_streamed() -> None:
    seen: list[RowError] = []
    report = import_roll([HEADER, *ROWS], precincts=PRECINCTS, store=InMemoryRoll(), on_error=seen.append)
    assert report.errors == ()
    assert {(e.row, e.field, e.code) for e in seen} == WANT_ERRORS
    assert report.rows == report.accepted + report.refused


def test_reimport_refuses_every_row_as_duplicate() -> None:
    good = [HEADER, ROWS[0], ROWS[1]]
    _, store = run_import(good)
    report, _ = run_import(good, store)
    assert (report.rows, report.accepted, report.refused) == (2, 0, 2)
    assert [(e.row, e.code, e.reason) for e in report.errors] == [
        (2, ErrorCode.DUPLICATE_VOTER, str(DuplicateVoter(2))),
        (3, ErrorCode.DUPLICATE_VOTER, str(DuplicateVoter(3)))]


def test_import_streams_one_row_at_a_time() -> None:
    yielded = 0

    def lines() -> Iterator[str]:
        nonlocal yielded
        yield "iin,surname,given_name,birth_date,precinct\n"
        for serial in range(3000):
            value = make_iin(date(1970, 1, 1), Sex.MALE, serial)
            yielded += 1
            yield (f"{value},S,G,1970-01-01,p-101\n" if value else "bad,S,G,1970-01-01,p-101\n")

    class WatchingRoll(InMemoryRoll):
        def add(self, voter: Voter, *, row: int | None = None) -> None:
            assert row is not None and yielded == row - 1  # nothing read ahead
            super().add(voter, row=row)

    report = import_roll(lines(), precincts=PRECINCTS, store=WatchingRoll())
    assert report.rows == 3000 and report.accepted + report.refused == 3000
    assert report.refused == sum(make_iin(date(1970, 1, 1), Sex.MALE, s) is None for s in range(3000)) > 0


def test_header_variants() -> None:
    reordered = ["\ufeffprecinct,birth_date,given_name,surname,iin\n",
                 f"p-101,1995-04-12,Aigerim,Nurlanova,{AIGERIM}\n"]
    report, store = run_import(reordered)
    assert report.accepted == 1 and store.find(AIGERIM).voter.patronymic == ""  # type: ignore[union-attr]


@pytest.mark.parametrize(("lines", "match"), [
    ([], "empty"),
    (["iin,surname,given_name,precinct\n"], "missing column.*birth_date"),
    (["iin,surname,given_name,birth_date,precinct,phone\n"], "unknown column.*'phone'"),
    (["iin,surname,given_name,birth_date,precinct,iin\n"], "twice"),
])
def test_unusable_header_refuses_the_file(lines: list[str], match: str) -> None:
    store = InMemoryRoll()
    with pytest.raises(RollFormatInvalid, match=match) as err:
        import_roll([*lines, f"{AIGERIM},N,A,,1995-04-12,p-101\n"] if lines else [],
                    precincts=PRECINCTS, store=store)
    assert err.value.code is ErrorCode.ROLL_FORMAT_INVALID
    assert len(store) == 0


def test_broken_csv_row_is_reported_and_the_import_goes_on() -> None:
    report, _ = run_import([HEADER, f'{AIGERIM},"Nur"lanova,A,,1995-04-12,p-101\n', ROWS[1]])
    assert (report.rows, report.accepted, report.refused) == (2, 1, 1)
    assert report.errors[0].row == 2 and report.errors[0].code is ErrorCode.ROLL_ROW_SHAPE


def test_future_birth_dates_refused_with_today() -> None:
    baby = iin(date(2030, 1, 1), Sex.MALE)
    report = import_roll([HEADER, f"{baby},A,B,,2030-01-01,p-101\n"], precincts=PRECINCTS,
                         store=InMemoryRoll(), today=date(2026, 1, 1))
    assert report.refused == 1 and report.errors[0].code is ErrorCode.INVALID_IIN


def test_territory_serves_as_the_precinct_set() -> None:
    territory = Territory.build(
        regions=[Region(RegionId("19"), "Almaty oblast", RegionKind.OBLAST)],
        districts=[District(AdminDistrictId("1943"), "Karasai", DistrictKind.DISTRICT, RegionId("19"))],
        precincts=[Precinct(PrecinctId("p-101"), 101, "School No. 1", AdminDistrictId("1943"))])
    report = import_roll([HEADER, ROWS[0], ROWS[1]], precincts=territory, store=InMemoryRoll())
    assert (report.accepted, [e.field for e in report.errors]) == (1, ["precinct"])


def test_error_report_csv() -> None:
    report, _ = run_import([HEADER, *ROWS])
    out = io.StringIO()
    write_error_report(report.errors, out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "row,field,code,reason"
    assert len(lines) == 1 + len(report.errors)
    assert lines[1].startswith("4,iin,invalid_iin,")


# --- where do I vote ----------------------------------------------------------------------------

@pytest.fixture
def roll() -> InMemoryRoll:
    return run_import([HEADER, *ROWS])[1]


def test_where_do_i_vote_needs_both_to_match(roll: InMemoryRoll) -> None:
    assert where_do_i_vote(roll, AIGERIM, date(1995, 4, 12)) == "p-101"
    assert where_do_i_vote(roll, DANA, date(2004, 2, 29)) == "p-101"
    with pytest.raises(VoterNotFound) as wrong_date:
        where_do_i_vote(roll, AIGERIM, date(1995, 4, 13))
    with pytest.raises(VoterNotFound) as unknown:
        where_do_i_vote(roll, YERLAN, date(1988, 1, 15))  # valid IIN, never accepted
    assert str(wrong_date.value) == str(unknown.value)  # not an oracle
    assert wrong_date.value.data == unknown.value.data == {}
    assert wrong_date.value.code is ErrorCode.VOTER_NOT_FOUND
    with pytest.raises(InvalidIin):
        where_do_i_vote(roll, BAD_CHECK, date(1988, 1, 15))


# --- rate limiter -------------------------------------------------------------------------------

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_rate_limiter_window() -> None:
    limiter = RateLimiter(3, timedelta(minutes=1))
    for s in range(3):
        limiter.hit("10.0.0.1", now=T0 + timedelta(seconds=s))
    assert limiter.remaining("10.0.0.1", now=T0 + timedelta(seconds=3)) == 0
    with pytest.raises(RateLimited) as err:
        limiter.hit("10.0.0.1", now=T0 + timedelta(seconds=10))
    assert err.value.retry_after_seconds == 50 and err.value.code is ErrorCode.RATE_LIMITED
    limiter.hit("10.0.0.2", now=T0 + timedelta(seconds=10))  # keys are independent
    # the refused attempt was not recorded: the first slot frees at T0 + 60 s
    limiter.hit("10.0.0.1", now=T0 + timedelta(seconds=60))
    with pytest.raises(RateLimited) as err:
        limiter.hit("10.0.0.1", now=T0 + timedelta(seconds=60, milliseconds=500))
    assert err.value.retry_after_seconds == 1  # 0.5 s rounded up
    assert limiter.remaining("10.0.0.1", now=T0 + timedelta(minutes=5)) == 3


def test_rate_limiter_memory_is_bounded_and_fails_closed() -> None:
    limiter = RateLimiter(5, timedelta(minutes=1), max_keys=2)
    limiter.hit("a", now=T0)
    limiter.hit("b", now=T0 + timedelta(seconds=30))
    with pytest.raises(RateLimited) as err:
        limiter.hit("c", now=T0 + timedelta(seconds=40))
    assert err.value.retry_after_seconds == 20  # when "a" expires
    limiter.hit("a", now=T0 + timedelta(seconds=40))  # known keys still work
    limiter.hit("c", now=T0 + timedelta(seconds=100))  # "a" and "b" swept
    limiter.sweep(now=T0 + timedelta(minutes=10))
    assert limiter.remaining("c", now=T0 + timedelta(minutes=10)) == 5


def test_rate_limiter_requires_aware_time() -> None:
    limiter = RateLimiter(1, timedelta(seconds=1))
    with pytest.raises(NaiveDatetime):
        limiter.hit("k", now=datetime(2025, 1, 1))
    with pytest.raises(ValueError):
        RateLimiter(0, timedelta(seconds=1))


def test_a_precinct_outside_the_scope_is_refused_per_row() -> None:
    a, b = iin(date(1990, 5, 17), Sex.FEMALE), iin(date(1985, 1, 2), Sex.MALE)
    lines = ["iin,surname,given_name,birth_date,precinct\n", f"{a},А,Б,1990-05-17,p-101\n",
             f"{b},В,Г,1985-01-02,p-102\n", f"{b},В,Г,1985-01-02,p-999\n"]
    store = InMemoryRoll()
    report = import_roll(lines, precincts=PRECINCTS, scope={PrecinctId("p-101")}, store=store)
    assert (report.rows, report.accepted, report.refused) == (3, 1, 2)
    assert [(e.row, e.field, e.code, e.data) for e in report.errors] == [
        (3, "precinct", ErrorCode.ROLL_PRECINCT_OUTSIDE_SCOPE, {"precinct": "p-102"}),
        (4, "precinct", ErrorCode.ROLL_PRECINCT_UNKNOWN, {"precinct": "p-999"})]
    assert str(a) not in repr(report.errors) and str(b) not in repr(report.errors)
