"""`saylau seats`: the table, --json, and refusals of bad CSV files (each names line and field)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from saylau.cli.seats import VotesFileError, add_parser, cmd_seats
from saylau.domain.errors import LotRequired, NoListQualifies
from saylau.errors import SaylauError

MAZHILIS_2021 = """party,votes,order
Nur Otan,5148074,1
Ak Zhol,792828,2
People's Party of Kazakhstan,659019,3
Auyl,383023,4
Adal,258618,5
"""


def parse(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="saylau")
    add_parser(p.add_subparsers(dest="command", required=True))
    return p.parse_args(["seats", *argv])


def run(tmp_path: Path, text: str | bytes, *argv: str) -> int:
    f = tmp_path / "votes.csv"
    f.write_bytes(text if isinstance(text, bytes) else text.encode())
    args = parse(*argv, str(f))
    assert args.fn is cmd_seats
    return cmd_seats(args)


def test_table_2021(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, MAZHILIS_2021, "--seats", "98", "--threshold", "7") == 0
    out = capsys.readouterr().out
    assert "quota: 6,599,921 qualifying votes / 98 seats = 67,346.1327" in out
    row = {name: out.split(name, 1)[1].splitlines()[0].split() for name in ("Nur Otan", "Ak Zhol", "Auyl", "Adal")}
    assert row["Nur Otan"] == ["5,148,074", "71.09", "%", "yes", "76.4420", "76"]
    assert row["Ak Zhol"] == ["792,828", "10.95", "%", "yes", "11.7724", "12*"]
    assert row["Auyl"] == ["383,023", "5.29", "%", "no", "-", "0"]
    assert row["Adal"] == ["258,618", "3.57", "%", "no", "-", "0"]
    assert "98" in out.splitlines()[-1] and out.splitlines()[-1].startswith("total")


def test_json_includes_zero_seats_and_excludes_against_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = MAZHILIS_2021 + "AGAINST_ALL,10000,\n"
    assert run(tmp_path, text, "--seats", "98", "--json") == 0  # default threshold 5 %
    got = json.loads(capsys.readouterr().out)
    assert got == {"Nur Otan": 72, "Ak Zhol": 11, "People's Party of Kazakhstan": 9, "Auyl": 6, "Adal": 0}
    assert list(got) == ["Nur Otan", "Ak Zhol", "People's Party of Kazakhstan", "Auyl", "Adal"]


def test_against_all_row_in_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "votes,party\n50,A\n6,B\n44,C\n21,AGAINST_ALL\n", "--seats", "10") == 0  # columns in any order
    out = capsys.readouterr().out
    assert "valid ballots (including 'against all'): 121" in out
    assert "AGAINST_ALL (against all)" in out and "17.36 %" in out


def test_cyrillic_names_and_bom(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "\ufeffparty,votes\nАманат,700\n«Ақ жол»,300\n"
    assert run(tmp_path, text, "--seats", "10", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"Аманат": 7, "«Ақ жол»": 3}


def test_tie_is_flagged_in_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "party,votes,order\nA,1,2\nB,1,1\nC,8,3\n", "--seats", "5", "--threshold", "0") == 0
    out = capsys.readouterr().out
    assert "TIE: A, B have equal remainders 0.500000 for 1 seat(s); rule registered_earlier gave them to B" in out


def test_tie_without_order_asks_for_a_lot(tmp_path: Path) -> None:
    with pytest.raises(LotRequired, match="lot must be drawn"):
        run(tmp_path, "party,votes\nA,1\nB,1\nC,8\n", "--seats", "5", "--threshold", "0")


def test_more_votes_tie_break_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "party,votes\nA,3\nB,1\n", "--seats", "2", "--threshold", "0",
               "--tie-break", "more_votes", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"A": 2, "B": 0}


def test_strict_comparison_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "party,votes\nA,95\nB,5\n", "--seats", "20", "--comparison", ">", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"A": 20, "B": 0}


def test_every_list_below_threshold(tmp_path: Path) -> None:
    with pytest.raises(NoListQualifies, match="'A', has 4 of 100"):
        run(tmp_path, "party,votes\nA,4\nB,3\nAGAINST_ALL,93\n", "--seats", "10")


@pytest.mark.parametrize("text, where, reason", [
    ("", "votes.csv", "empty file"),
    ("\n\n", "votes.csv", "empty file"),
    ("Nur Otan,5148074\nAk Zhol,792828\n", "line 1 (header)", "missing header"),
    ("party,count\nA,1\n", "line 1 (header)", "missing column(s) votes"),
    ("party,votes,seats\nA,1,2\n", "line 1 (header)", "unknown column 'seats'"),
    ("party,votes,votes\nA,1,2\n", "line 1 (header)", "column 'votes' appears 2 times"),
    ("party,votes\n", "votes.csv", "no party list"),
    ("party,votes\nAGAINST_ALL,5\n", "votes.csv", "no party list"),
    ("party,votes\nA,-5\n", "line 2, field votes", "negative vote count -5"),
    ("party,votes\nA,10\nB,1.5\n", "line 3, field votes", "'1.5' is not a vote count"),
    ("party,votes\nA,1e3\n", "line 2, field votes", "not a vote count"),
    ("party,votes\nA,1_000\n", "line 2, field votes", "not a vote count"),
    ("party,votes\nA,\n", "line 2, field votes", "missing vote count"),
    ("party,votes\nA,1\nA,2\n", "line 3, field party", "duplicate party 'A' (already on line 2)"),
    ("party,votes\nAk Zhol,1\nAK ZHOL,2\n", "line 3, field party", "as 'Ak Zhol'"),
    ("party,votes\nA,1\nAGAINST_ALL,2\nagainst_all,3\n", "line 4, field party", "duplicate party"),
    ("party,votes\n,5\n", "line 2, field party", "empty party name"),
    ("party,votes\nA,1,2\n", "line 2", "3 field(s), expected 2"),
    ("party,votes,order\nA,1,1\nB,2,\n", "line 3, field order", "missing registration rank"),
    ("party,votes,order\nA,1,1\nB,2,1\n", "line 3, field order", "rank 1 already given on line 2"),
    ("party,votes,order\nA,1,first\n", "line 2, field order", "not a registration rank"),
    ("party,votes,order\nA,1,1\nAGAINST_ALL,2,2\n", "line 3, field order", "leave its order empty"),
    (b"party,votes\n\xff\xfe,1\n", "votes.csv", "not UTF-8 text"),
])
def test_bad_csv_is_refused_naming_line_and_field(tmp_path: Path, text: str | bytes, where: str, reason: str) -> None:
    with pytest.raises(VotesFileError) as info:
        run(tmp_path, text, "--seats", "10")
    assert isinstance(info.value, SaylauError)
    assert where in info.value.where and reason in info.value.reason, str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VotesFileError, match="cannot read"):
        cmd_seats(parse("--seats", "3", str(tmp_path / "nope.csv")))


@pytest.mark.parametrize("argv", [
    ["--seats", "0"], ["--seats", "-3"], ["--seats", "2.5"], ["--threshold", "101"],
    ["--threshold", "five"], ["--threshold", "-1"], ["--tie-break", "coin"], ["--comparison", "<"],
])
def test_bad_options_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--seats", "3"] if "--seats" not in argv else []
    with pytest.raises(SystemExit) as info:
        parse(*base, *argv, "votes.csv")
    assert info.value.code == 2 and "Traceback" not in capsys.readouterr().err


def test_threshold_accepts_decimal_and_fraction_percent() -> None:
    from fractions import Fraction

    assert parse("--seats", "3", "--threshold", "7.5", "f").threshold == Fraction(3, 40)
    assert parse("--seats", "3", "--threshold", "15/2", "f").threshold == Fraction(3, 40)
    assert parse("--seats", "3", "f").threshold == Fraction(1, 20)
