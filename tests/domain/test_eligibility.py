"""Eligibility against the packs: every applicable rule is reported, every unmet one with its
rule id, legal reference and status; the optional stricter akim pack; party-list rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from saylau.domain import eligibility
from saylau.domain.eligibility import (
    CandidateProfile,
    Citizenship,
    Education,
    ListEntry,
    Outcome,
    check_eligibility,
    check_party_list,
    completed_years,
)
from saylau.domain.rulepack import SCHEMA, Status, load_builtin_pack, parse_pack

DAY = date(2022, 11, 20)

STRONG = CandidateProfile(
    birth_date=date(1953, 5, 17), citizenship=Citizenship.BY_BIRTH, resident_since=date(1990, 1, 1),
    education=Education.HIGHER, public_service_years=30, state_language_exam_passed=True,
    has_unexpunged_criminal_record=False, has_corruption_offence=False, declared_legally_incapable=False,
    serving_prison_sentence=False, medical_exam_passed=True)

PRESIDENT_RULES = {
    "eligibility.citizenship", "eligibility.min_age", "eligibility.state_language_exam",
    "eligibility.residence_years", "eligibility.education", "eligibility.public_service_years",
    "eligibility.active_suffrage", "eligibility.medical_exam", "eligibility.no_criminal_record",
    "eligibility.no_corruption_offence", "eligibility.legal_capacity", "eligibility.not_imprisoned",
}


def test_one_check_per_schema_key() -> None:
    assert set(eligibility._CHECKS) == set(SCHEMA["eligibility"])


def test_a_qualified_presidential_candidate_meets_every_rule() -> None:
    report = check_eligibility(STRONG, load_builtin_pack("president-2022"), election_day=DAY)
    assert {f.rule_id for f in report.findings} == PRESIDENT_RULES
    assert report.is_satisfied and report.unmet == ()
    assert (report.pack_id, report.pack_version, report.election_day) == ("president-2022", 1, DAY)
    # the report still says which rules are assumptions
    assert [f.rule_id for f in report.assumptions] == ["eligibility.medical_exam"]
    assert all(f.status is Status.CONFIRMED for f in report.findings if f.rule_id != "eligibility.medical_exam")


def test_every_unmet_requirement_is_reported_with_reference_and_status() -> None:
    weak = CandidateProfile(
        birth_date=date(1984, 11, 21), citizenship=Citizenship.CITIZEN, resident_since=date(2012, 1, 1),
        education=Education.SECONDARY_SPECIAL, public_service_years=4, state_language_exam_passed=False,
        has_unexpunged_criminal_record=True, has_corruption_offence=True, declared_legally_incapable=True,
        serving_prison_sentence=True, medical_exam_passed=False)
    report = check_eligibility(weak, load_builtin_pack("president-2022"), election_day=DAY)
    assert not report.is_satisfied
    assert {f.rule_id for f in report.unmet} == PRESIDENT_RULES
    by_id = {f.rule_id: f for f in report.unmet}
    age = by_id["eligibility.min_age"]
    assert (age.outcome, age.required, age.observed) == (Outcome.NOT_MET, "40", "37 years old")
    assert (age.reference, age.status) == ("reference to be confirmed", Status.CONFIRMED)
    cit = by_id["eligibility.citizenship"]
    assert (cit.required, cit.observed, cit.reference) == ("by_birth", "citizen", "Const. Art. 41")
    lang = by_id["eligibility.state_language_exam"]
    assert lang.reference == "CEC resolution of 31 August 2005"
    assert by_id["eligibility.medical_exam"].status is Status.SINGLE_SOURCE
    assert by_id["eligibility.active_suffrage"].observed == "declared legally incapable; serving a prison sentence"
    assert by_id["eligibility.residence_years"].observed == "10 years of residence"
    assert by_id["eligibility.public_service_years"].observed == "4 years"


def test_missing_evidence_is_unmet_never_assumed() -> None:
    report = check_eligibility(CandidateProfile(), load_builtin_pack("president-2022"), election_day=DAY)
    assert {f.rule_id for f in report.unmet} == PRESIDENT_RULES
    assert {f.outcome for f in report.unmet} == {Outcome.EVIDENCE_MISSING}
    partial = replace(STRONG, serving_prison_sentence=None)
    report = check_eligibility(partial, load_builtin_pack("president-2022"), election_day=DAY)
    assert {f.rule_id for f in report.unmet} == {"eligibility.active_suffrage", "eligibility.not_imprisoned"}


@pytest.mark.parametrize(("born", "ok"), [
    (date(1982, 11, 20), True),    # 40 on election day
    (date(1982, 11, 21), False),   # 40 the day after
    (date(1942, 1, 1), True),
])
def test_age_is_counted_on_election_day(born: date, ok: bool) -> None:
    report = check_eligibility(replace(STRONG, birth_date=born), load_builtin_pack("president-2022"),
                               election_day=DAY)
    assert report.is_satisfied is ok


def test_completed_years_and_29_february() -> None:
    assert completed_years(date(2000, 2, 29), date(2025, 2, 28)) == 24
    assert completed_years(date(2000, 2, 29), date(2025, 3, 1)) == 25
    assert completed_years(date(2000, 2, 29), date(2024, 2, 29)) == 24
    assert completed_years(date(2000, 5, 1), date(1999, 5, 1)) == -1


def test_mazhilis_rules_cite_article_51() -> None:
    young = replace(STRONG, birth_date=date(2000, 1, 1), citizenship=Citizenship.CITIZEN,
                    resident_since=date(2015, 1, 1))
    report = check_eligibility(young, load_builtin_pack("mazhilis-2023"), election_day=date(2023, 3, 19))
    assert {(f.rule_id, f.reference) for f in report.unmet} == {
        ("eligibility.min_age", "Const. Art. 51(4)"), ("eligibility.residence_years", "Const. Art. 51(4)")}
    # a citizen need not be one by birth for the Mazhilis; no education rule applies
    assert "eligibility.education" not in {f.rule_id for f in report.findings}


def test_maslikhat_rules_are_single_source() -> None:
    pack, day = load_builtin_pack("maslikhat-2023"), date(2023, 3, 19)
    report = check_eligibility(replace(STRONG, birth_date=date(2003, 3, 19)), pack, election_day=day)
    assert report.is_satisfied  # 20 on election day
    younger = check_eligibility(replace(STRONG, birth_date=date(2003, 3, 20)), pack, election_day=day)
    assert [f.observed for f in younger.unmet] == ["19 years old"]
    ages = [f for f in report.findings if f.rule_id == "eligibility.min_age"]
    assert ages[0].status is Status.SINGLE_SOURCE and ages[0].required == "20"


# --- the optional stricter akim pack ---------------------------------------------------------

AKIM_CANDIDATE = CandidateProfile(
    birth_date=date(1990, 6, 1), citizenship=Citizenship.CITIZEN, education=Education.SECONDARY_SPECIAL,
    public_service_years=0, has_unexpunged_criminal_record=False, has_corruption_offence=False,
    declared_legally_incapable=False, serving_prison_sentence=False)


def test_base_akim_pack_accepts_secondary_special_and_flags_the_assumption() -> None:
    report = check_eligibility(AKIM_CANDIDATE, load_builtin_pack("akim-rural-2021"), election_day=date(2025, 3, 16))
    assert report.is_satisfied
    edu = next(f for f in report.findings if f.rule_id == "eligibility.education")
    assert (edu.required, edu.status) == ("secondary_special", Status.UNCONFIRMED)
    assert edu in report.assumptions


def test_stricter_akim_pack_reports_education_and_experience() -> None:
    pack = load_builtin_pack("akim-rural-hearings")
    report = check_eligibility(AKIM_CANDIDATE, pack, election_day=date(2025, 3, 16))
    unmet = {f.rule_id: f for f in report.unmet}
    assert set(unmet) == {"eligibility.education", "eligibility.public_service_years"}
    assert (unmet["eligibility.education"].required, unmet["eligibility.education"].observed) == (
        "higher", "secondary_special")
    assert all(f.status is Status.UNCONFIRMED and f.reference == "reference to be confirmed"
               for f in unmet.values())
    qualified = replace(AKIM_CANDIDATE, education=Education.HIGHER, public_service_years=3)
    assert check_eligibility(qualified, pack, election_day=date(2025, 3, 16)).is_satisfied


def test_unknown_rule_is_unmet_with_rule_unknown() -> None:
    pack = parse_pack("""
schema = 1
id = "p"
title = "t"
version = 1
offices = ["akim_rural"]
[period]
from = { value = 2021-07-25, reference = "reference to be confirmed", status = "confirmed" }
[eligibility]
education = { value = "unknown", reference = "reference to be confirmed", status = "unconfirmed" }
medical_exam = { value = false, reference = "reference to be confirmed", status = "confirmed" }
""", file="p")
    report = check_eligibility(STRONG, pack, election_day=DAY)
    assert [(f.rule_id, f.outcome) for f in report.findings] == [("eligibility.education", Outcome.RULE_UNKNOWN)]
    assert not report.is_satisfied


# --- party lists ------------------------------------------------------------------------------

def make_list(n: int, quota: int, *, member: bool | None = True) -> list[ListEntry]:
    """n names, the first `quota` of them women (the others in no quota group)."""
    return [ListEntry(f"c{i}", is_woman=i < quota, is_youth=False, has_disability=False, is_party_member=member)
            for i in range(n)]


def test_mazhilis_list_limits() -> None:
    pack = load_builtin_pack("mazhilis-2023")
    ok = check_party_list(pack, make_list(90, 27), seats=69, election_day=date(2023, 3, 19))
    assert ok.is_satisfied, ok.unmet
    assert {f.rule_id for f in ok.findings} == {
        "party_list.max_names_over_seats_share", "party_list.quota_share", "nomination.list_candidates_party_members"}
    cap = next(f for f in ok.findings if f.rule_id == "party_list.max_names_over_seats_share")
    assert cap.required.startswith("at most 90 names for 69 seats") and cap.status is Status.CONFIRMED

    bad = check_party_list(pack, make_list(91, 27, member=None), seats=69, election_day=date(2023, 3, 19))
    unmet = {f.rule_id: f for f in bad.unmet}
    assert set(unmet) == {"party_list.max_names_over_seats_share", "party_list.quota_share",
                          "nomination.list_candidates_party_members"}
    assert unmet["party_list.quota_share"].observed == "27 of 91"
    assert unmet["nomination.list_candidates_party_members"].outcome is Outcome.EVIDENCE_MISSING


def test_quota_counts_each_person_once() -> None:
    pack = load_builtin_pack("mazhilis-2023")
    entries = [ListEntry(f"c{i}", is_woman=i < 3, is_youth=i < 3, has_disability=i < 3, is_party_member=True)
               for i in range(10)]
    report = check_party_list(pack, entries, seats=7, election_day=date(2023, 3, 19))
    assert report.is_satisfied  # 3 of 10 = 30 %, not 9 of 10
    entries[0] = replace(entries[0], is_woman=False, is_youth=False, has_disability=False)
    report = check_party_list(pack, entries, seats=7, election_day=date(2023, 3, 19))
    assert [f.observed for f in report.unmet] == ["2 of 10"]


def test_non_member_on_a_list_is_named() -> None:
    entries = make_list(10, 3)
    entries[4] = replace(entries[4], is_party_member=False)
    report = check_party_list(load_builtin_pack("mazhilis-2023"), entries, seats=7, election_day=DAY)
    assert [f.observed for f in report.unmet] == ["not members: c4"]


def test_maslikhat_list_cap_is_unknown() -> None:
    report = check_party_list(load_builtin_pack("maslikhat-2023"), make_list(10, 3), seats=8, election_day=DAY)
    outcomes = {f.rule_id: f.outcome for f in report.findings}
    assert outcomes == {"party_list.max_names_over_seats_share": Outcome.RULE_UNKNOWN,
                        "party_list.quota_share": Outcome.MET,
                        "nomination.list_candidates_party_members": Outcome.RULE_UNKNOWN}
