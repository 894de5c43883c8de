"""Rule packs: every shipped pack loads and validates, references come only from the rules
summary, malformed packs are refused naming the file and the key, and pack selection."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from saylau.domain.election import ElectionType
from saylau.domain.errors import ErrorCode, NoApplicablePack, RulePackInvalid, RulePackNotFound
from saylau.domain.rulepack import (
    REFERENCE_TO_BE_CONFIRMED,
    SCHEMA,
    UNKNOWN,
    RuleId,
    Status,
    applicable_pack,
    builtin_pack_ids,
    list_counting,
    load_builtin_pack,
    load_builtin_packs,
    load_pack_file,
    parse_pack,
)
from saylau.domain.seats import TieBreak
from saylau.domain.seats.largest_remainder import Comparison

ROOT = Path(__file__).resolve().parents[2]
RULES_DOC = ROOT.parent / "shared" / "docs" / "kz-election-rules.md"
PACK_DIR = ROOT / "src" / "saylau" / "domain" / "rulepacks"

EXPECTED = {"president-2022", "mazhilis-2023", "maslikhat-2023", "akim-rural-2021",
            "akim-rural-hearings", "akim-district-2023"}

# The only legal citations the rules summary gives (kz-election-rules.md); anything else in a
# pack must read exactly REFERENCE_TO_BE_CONFIRMED.
ALLOWED_REFERENCES = {
    REFERENCE_TO_BE_CONFIRMED,
    "Const. Art. 41",
    "Const. Art. 51(4)",
    "Art. 97-1 of the Constitutional Law",
    "Art. 9(2) as amended in 2022",
    'Const. Art. 52 and Art. 24 of the Constitutional Law "On Parliament"',
    "Constitutional Law No. 41-VII of 24 May 2021",
    "Constitutional Law No. 156-VII of 5 November 2022",
    "CEC resolution of 31 August 2005",
    "amendment of 17 Sep 2022",
}


def test_the_expected_packs_ship() -> None:
    assert set(builtin_pack_ids()) == EXPECTED
    assert {p.stem for p in PACK_DIR.glob("*.toml")} == EXPECTED


@pytest.mark.parametrize("pack_id", sorted(EXPECTED))
def test_every_pack_loads_and_validates(pack_id: str) -> None:
    pack = load_builtin_pack(pack_id)
    assert pack.id == pack_id and pack.version >= 1 and pack.title
    assert pack.offices and pack.period_from
    assert pack.source.endswith(f"{pack_id}.toml")
    for rule_id, rule in pack.rules.items():
        section, _, key = rule_id.partition(".")
        assert key in SCHEMA[section] and rule.id == rule_id
        assert rule.reference in ALLOWED_REFERENCES, f"{pack_id}: {rule_id} cites {rule.reference!r}"
        assert isinstance(rule.status, Status)
        if rule.is_unknown:
            assert rule.status is Status.UNCONFIRMED
    assert pack.rules is not dict(pack.rules)  # read-only view
    with pytest.raises(TypeError):
        pack.rules[RuleId("x.y")] = pack.rules[RuleId("period.from")]  # type: ignore[index]


def test_allowed_references_appear_verbatim_in_the_rules_summary() -> None:
    if not RULES_DOC.is_file():
        pytest.skip("kz-election-rules.md is not beside the repository")
    text = re.sub(r"\s+", " ", RULES_DOC.read_text("utf-8"))
    for ref in ALLOWED_REFERENCES - {REFERENCE_TO_BE_CONFIRMED}:
        assert ref in text, ref


def test_known_values() -> None:
    president = load_builtin_pack("president-2022")
    assert president.rule("eligibility", "min_age").value == 40  # type: ignore[union-attr]
    assert president.rule("eligibility", "citizenship").reference == "Const. Art. 41"  # type: ignore[union-attr]
    assert president.rule("nomination", "signatures_share").value == Fraction(1, 100)  # type: ignore[union-attr]
    assert president.rule("eligibility", "medical_exam").status is Status.SINGLE_SOURCE  # type: ignore[union-attr]
    mazhilis = load_builtin_pack("mazhilis-2023")
    assert mazhilis.period_until == date(2026, 7, 1)
    assert mazhilis.rule("counting_list", "tie_break").status is Status.UNCONFIRMED  # type: ignore[union-attr]
    assert mazhilis.rule("nomination", "deposit_minimum_wages").value is UNKNOWN  # type: ignore[union-attr]
    akim = load_builtin_pack("akim-rural-2021")
    assert akim.rule("calendar", "call_min_days_before_vote").value == 40  # type: ignore[union-attr]


def test_counting_settings_fit_the_seat_engine() -> None:
    lc = list_counting(load_builtin_pack("mazhilis-2023"))
    assert (lc.seats, lc.seats_share, lc.threshold, lc.against_all) == (69, None, Fraction(5, 100), True)
    assert Comparison(lc.comparison) is Comparison.AT_LEAST
    assert TieBreak(lc.tie_break) is TieBreak.REGISTERED_EARLIER
    assert {r.id for r in lc.rules} >= {"counting_list.threshold_share", "counting_list.quota", "ballot.against_all"}
    m = list_counting(load_builtin_pack("maslikhat-2023"))
    assert (m.seats, m.seats_share) == (None, Fraction(1, 2))
    # every tie-break and comparison a pack may name is one the seat engine knows
    for section in ("counting_list", "counting_single"):
        assert set(SCHEMA[section]["tie_break"].choices) <= {t.value for t in TieBreak}
    assert set(SCHEMA["counting_list"]["threshold_comparison"].choices) == {c.value for c in Comparison}


def test_list_counting_refuses_to_guess() -> None:
    pack = load_builtin_pack("akim-rural-2021")  # no list tier
    with pytest.raises(RulePackInvalid, match="counting_list.seats"):
        list_counting(pack)


@pytest.mark.parametrize(("office", "day", "want"), [
    (ElectionType.PRESIDENTIAL, date(2022, 11, 20), "president-2022"),
    (ElectionType.MAZHILIS_PARTY_LIST, date(2023, 3, 19), "mazhilis-2023"),
    (ElectionType.MAZHILIS_DISTRICT, date(2023, 3, 19), "mazhilis-2023"),
    (ElectionType.MASLIKHAT_MIXED, date(2023, 3, 19), "maslikhat-2023"),
    (ElectionType.MASLIKHAT_DISTRICT, date(2023, 3, 19), "maslikhat-2023"),
    (ElectionType.AKIM_RURAL, date(2021, 7, 25), "akim-rural-2021"),
    (ElectionType.AKIM_TOWN, date(2024, 5, 1), "akim-rural-2021"),
    (ElectionType.AKIM_DISTRICT, date(2023, 11, 5), "akim-district-2023"),
])
def test_applicable_pack(office: ElectionType, day: date, want: str) -> None:
    assert applicable_pack(load_builtin_packs(), office, day).id == want


@pytest.mark.parametrize(("office", "day"), [
    (ElectionType.REFERENDUM, date(2022, 6, 5)),               # no referendum pack (§11)
    (ElectionType.MAZHILIS_PARTY_LIST, date(2026, 7, 1)),     # the Kurultai replaces it (§7)
    (ElectionType.AKIM_RURAL, date(2021, 7, 24)),              # before direct elections
    (ElectionType.PRESIDENTIAL, date(2019, 6, 9)),             # before the 2022 amendment
])
def test_no_applicable_pack(office: ElectionType, day: date) -> None:
    with pytest.raises(NoApplicablePack) as err:
        applicable_pack(load_builtin_packs(), office, day)
    assert err.value.code is ErrorCode.NO_APPLICABLE_PACK and err.value.candidates == ()
    assert office.value in str(err.value)


def test_optional_pack_applies_only_when_switched_on() -> None:
    packs = load_builtin_packs()
    day = date(2025, 3, 16)
    assert applicable_pack(packs, ElectionType.AKIM_RURAL, day).id == "akim-rural-2021"
    strict = applicable_pack(packs, ElectionType.AKIM_RURAL, day, enabled={"akim-rural-hearings"})
    assert strict.id == "akim-rural-hearings" and strict.optional and strict.extends == "akim-rural-2021"
    # the optional pack does not touch offices its base does not cover
    assert applicable_pack(packs, ElectionType.AKIM_DISTRICT, day, enabled={"akim-rural-hearings"}).id \
        == "akim-district-2023"
    with pytest.raises(RulePackNotFound):
        applicable_pack(packs, ElectionType.AKIM_RURAL, day, enabled={"akim-rural-typo"})


def test_two_packs_for_one_office_and_day_are_ambiguous(tmp_path: Path) -> None:
    text = (PACK_DIR / "president-2022.toml").read_text("utf-8").replace('"president-2022"', '"president-copy"')
    copy = parse_pack(text, file="president-copy.toml")
    with pytest.raises(NoApplicablePack) as err:
        applicable_pack([*load_builtin_packs(), copy], ElectionType.PRESIDENTIAL, date(2022, 11, 20))
    assert err.value.candidates == ("president-2022", "president-copy")


def test_stricter_pack_inherits_and_overrides() -> None:
    base, strict = load_builtin_pack("akim-rural-2021"), load_builtin_pack("akim-rural-hearings")
    assert strict.offices == base.offices and strict.period_from == base.period_from
    assert base.rule("eligibility", "education").value == "secondary_special"  # type: ignore[union-attr]
    assert strict.rule("eligibility", "education").value == "higher"  # type: ignore[union-attr]
    assert base.rule("eligibility", "public_service_years") is None
    assert strict.rule("eligibility", "public_service_years").status is Status.UNCONFIRMED  # type: ignore[union-attr]
    assert strict.rule("eligibility", "min_age") == base.rule("eligibility", "min_age")


# --- malformed packs -------------------------------------------------------------------------

GOOD = """\
schema = 1
id = "test-pack"
title = "A test pack"
version = 1
offices = ["akim_rural"]

[period]
from = { value = 2021-07-25, reference = "reference to be confirmed", status = "confirmed" }

[eligibility]
min_age = { value = 25, reference = "reference to be confirmed", status = "confirmed" }
"""


def write(tmp_path: Path, text: str, name: str = "test-pack.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_good_test_pack_loads(tmp_path: Path) -> None:
    pack = load_pack_file(write(tmp_path, GOOD))
    assert pack.rule("eligibility", "min_age").value == 25  # type: ignore[union-attr]


MIN_AGE = 'min_age = { value = 25, reference = "reference to be confirmed", status = "confirmed" }'


@pytest.mark.parametrize(("desc", "old", "new", "key", "reason"), [
    ("unknown top-level key", "version = 1", "version = 1\nthreshold = 5", "threshold", "unknown key"),
    ("unknown section", "[eligibility]", "[eligibilty]", "eligibilty", "unknown key"),
    ("unknown rule", MIN_AGE, MIN_AGE.replace("min_age", "max_age"), "eligibility.max_age", "unknown key"),
    ("unknown rule field", MIN_AGE, MIN_AGE.replace("}", ', source = "x" }'), "eligibility.min_age.source",
     "unknown key"),
    ("missing reference", MIN_AGE, MIN_AGE.replace('reference = "reference to be confirmed", ', ""),
     "eligibility.min_age.reference", "missing"),
    ("empty reference", MIN_AGE, MIN_AGE.replace('"reference to be confirmed"', '""'),
     "eligibility.min_age.reference", "citation"),
    ("unknown status", MIN_AGE, MIN_AGE.replace('"confirmed"', '"probably"'),
     "eligibility.min_age.status", "'probably'"),
    ("string for an int", MIN_AGE, MIN_AGE.replace("25", '"25"'), "eligibility.min_age.value", "non-negative integer"),
    ("bool for an int", MIN_AGE, MIN_AGE.replace("25", "true"), "eligibility.min_age.value", "non-negative integer"),
    ("negative int", MIN_AGE, MIN_AGE.replace("25", "-1"), "eligibility.min_age.value", "non-negative integer"),
    ("float fraction", MIN_AGE,
     '[nomination]\nsignatures_share = { value = 0.01, reference = "reference to be confirmed", status = "confirmed" }',
     "nomination.signatures_share.value", "not exact"),
    ("fraction above 1", MIN_AGE,
     '[nomination]\nsignatures_share = { value = "3/2", reference = "reference to be confirmed", status = "confirmed" }',
     "nomination.signatures_share.value", "fraction"),
    ("bad choice", MIN_AGE,
     'education = { value = "phd", reference = "reference to be confirmed", status = "confirmed" }',
     "eligibility.education.value", "'higher'"),
    ("unknown value not unconfirmed", MIN_AGE, MIN_AGE.replace("25", '"unknown"'),
     "eligibility.min_age.status", "unconfirmed"),
    ("rule not a table", MIN_AGE, "min_age = 25", "eligibility.min_age", "inline table"),
    ("id differs from file name", 'id = "test-pack"', 'id = "other-pack"', "id", "file name"),
    ("bad schema", "schema = 1", "schema = 2", "schema", "want 1"),
    ("unknown office", '["akim_rural"]', '["akim_village"]', "offices", "'akim_village'"),
    ("no offices", 'offices = ["akim_rural"]\n', "", "offices", "missing"),
    ("date for an int", "[period]\nfrom", "[calendar]\nterm_years", "calendar.term_years.value", "non-negative integer"),
    ("period unknown", 'value = 2021-07-25, reference = "reference to be confirmed", status = "confirmed"',
     'value = "unknown", reference = "reference to be confirmed", status = "unconfirmed"', "period.from", "date"),
    ("until before from", "[eligibility]",
     'until = { value = 2020-01-01, reference = "reference to be confirmed", status = "confirmed" }\n[eligibility]',
     "period.until", "not after"),
    ("syntax error", "version = 1", "version = = 1", "(syntax)", "TOML"),
])
def test_malformed_pack_is_refused_naming_file_and_key(
        tmp_path: Path, desc: str, old: str, new: str, key: str, reason: str) -> None:
    assert old in GOOD, desc
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(RulePackInvalid) as err:
        load_pack_file(path)
    assert err.value.file == str(path)
    assert err.value.key == key, desc
    assert reason in err.value.reason, err.value.reason
    assert str(path) in str(err.value) and key in str(err.value)
    assert err.value.code is ErrorCode.RULEPACK_INVALID


def test_missing_period_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace('[period]\nfrom = { value = 2021-07-25, reference = "reference to be confirmed", '
                        'status = "confirmed" }\n', "")
    with pytest.raises(RulePackInvalid) as err:
        load_pack_file(write(tmp_path, text))
    assert err.value.key == "period.from"


def test_extends_resolves_beside_the_file_and_refuses_cycles(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    child = write(tmp_path, 'schema = 1\nid = "child"\ntitle = "c"\nversion = 2\noptional = true\n'
                  'extends = "test-pack"\n[eligibility]\n' + MIN_AGE.replace("25", "30"), "child.toml")
    pack = load_pack_file(child)
    assert pack.rule("eligibility", "min_age").value == 30  # type: ignore[union-attr]
    assert pack.offices == frozenset({ElectionType.AKIM_RURAL}) and pack.version == 2

    orphan = write(tmp_path, GOOD.replace('id = "test-pack"', 'id = "orphan"\nextends = "nowhere"'), "orphan.toml")
    with pytest.raises(RulePackNotFound) as nf:
        load_pack_file(orphan)
    assert nf.value.pack == "nowhere"

    write(tmp_path, GOOD.replace('id = "test-pack"', 'id = "a"\nextends = "b"'), "a.toml")
    write(tmp_path, GOOD.replace('id = "test-pack"', 'id = "b"\nextends = "a"'), "b.toml")
    with pytest.raises(RulePackInvalid, match="cycle: a -> b -> a"):
        load_pack_file(tmp_path / "a.toml")


def test_pack_file_name_must_be_its_id(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD, "Test Pack.toml")
    with pytest.raises(RulePackInvalid) as err:
        load_pack_file(path)
    assert (err.value.file, err.value.key) == (str(path), "id")


def test_unknown_builtin_pack() -> None:
    with pytest.raises(RulePackNotFound):
        load_builtin_pack("president-1995")
    with pytest.raises(RulePackNotFound):
        load_builtin_pack("../../errors")


def test_pack_files_are_package_data() -> None:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "domain/rulepacks/*.toml" in conf["tool"]["setuptools"]["package-data"]["saylau"]
