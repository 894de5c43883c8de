"""`saylau seats`: party-list seats from a CSV file of votes (kz-election-rules.md §2.2).

    saylau seats --seats N [--threshold PERCENT] [--comparison '>='|'>']
                 [--tie-break registered_earlier|more_votes|lot] [--json] votes.csv

The CSV file (UTF-8) has a header line `party,votes` or `party,votes,order` (columns in any
order), then one line per registered list. `order` is the list's registration rank (lower
= registered earlier), used by the default tie-break rule; without it a tie at the last
remainder cannot be settled and the command asks for a lot. One optional line named
`AGAINST_ALL` holds the "against all" ballots: they count in the threshold's denominator
(valid ballots including "against all") and win nothing; leave its `order` empty.

Output: the results table (votes, share of valid ballots, qualifies, quota share = votes /
quota, seats), or with `--json` one object {"party": seats} with every list, 0 included
("against all" is not a list and is left out). Bad input raises `VotesFileError` (or a
domain error), which `saylau` prints as one line with exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from saylau.domain.seats import largest_remainder
from saylau.domain.seats.common import AGAINST_ALL, PartyId, TieBreak
from saylau.errors import SaylauError

COLUMNS = ("party", "votes", "order")
REQUIRED = ("party", "votes")
_DIGITS = re.compile(r"[0-9]+")


class VotesFileError(SaylauError):
    """The votes file cannot be used: `where` names the file, line and field."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where, self.reason = where, reason


@dataclass(frozen=True, slots=True)
class VotesFile:
    votes: dict[PartyId, int]
    against_all: int
    order: dict[PartyId, int] | None
    """None when the file has no `order` column."""


def read_votes(path: Path) -> VotesFile:
    """Parse and check a votes file; raises `VotesFileError` naming the line and field."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VotesFileError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise VotesFileError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    reader = csv.reader(text.splitlines())
    rows = [(reader.line_num, row) for row in reader if any(f.strip() for f in row)]
    if not rows:
        raise VotesFileError(str(path), "empty file; expected a header line 'party,votes' or 'party,votes,order'")
    columns = _header(path, *rows[0])

    votes: dict[PartyId, int] = {}
    against_all: int | None = None
    order: dict[PartyId, int] = {}
    seen: dict[str, tuple[str, int]] = {}  # casefolded name → (name as written, line)
    ranks: dict[int, int] = {}  # registration rank → line
    for line, row in rows[1:]:
        where = f"{path}, line {line}"
        if len(row) != len(columns):
            raise VotesFileError(where, f"{len(row)} field(s), expected {len(columns)} ({','.join(columns)})")
        fields = dict(zip(columns, (f.strip() for f in row), strict=True))
        name = fields["party"]
        if not name:
            raise VotesFileError(f"{where}, field party", "empty party name")
        if name.casefold() in seen:
            first, first_line = seen[name.casefold()]
            raise VotesFileError(f"{where}, field party", f"duplicate party {name!r} (already on line {first_line}"
                                 + ("" if first == name else f" as {first!r}") + ")")
        seen[name.casefold()] = (name, line)
        count = _count(f"{where}, field votes", fields["votes"])
        if name.casefold() == AGAINST_ALL.casefold():
            if fields.get("order"):
                raise VotesFileError(f"{where}, field order", f"{AGAINST_ALL} is not a registered list; leave its order empty")
            against_all = count
            continue
        party = PartyId(name)
        votes[party] = count
        if "order" in columns:
            rank = _count(f"{where}, field order", fields["order"], what="registration rank")
            if rank in ranks:
                raise VotesFileError(f"{where}, field order", f"rank {rank} already given on line {ranks[rank]}")
            ranks[rank] = line
            order[party] = rank
    if not votes:
        raise VotesFileError(str(path), "no party list: expected at least one line after the header besides AGAINST_ALL")
    return VotesFile(votes, against_all or 0, order if "order" in columns else None)


def _header(path: Path, line: int, row: list[str]) -> tuple[str, ...]:
    names = tuple(f.strip().lower() for f in row)
    where = f"{path}, line {line} (header)"
    if not set(REQUIRED) <= set(names):
        if len(row) > 1 and _DIGITS.fullmatch(row[1].strip()):
            raise VotesFileError(where, f"missing header: the first line must be 'party,votes[,order]', got {','.join(row)!r}")
        missing = ", ".join(c for c in REQUIRED if c not in names)
        raise VotesFileError(where, f"missing column(s) {missing}; expected 'party,votes[,order]'")
    for name in names:
        if name not in COLUMNS:
            raise VotesFileError(where, f"unknown column {name!r}; expected party, votes and optionally order")
        if names.count(name) > 1:
            raise VotesFileError(where, f"column {name!r} appears {names.count(name)} times")
    return names


def _count(where: str, value: str, *, what: str = "vote count") -> int:
    if not value:
        raise VotesFileError(where, f"missing {what}")
    if _DIGITS.fullmatch(value):
        return int(value)
    if value.startswith("-") and _DIGITS.fullmatch(value[1:]):
        raise VotesFileError(where, f"negative {what} {value}")
    raise VotesFileError(where, f"{value!r} is not a {what} (a non-negative integer, digits only)")


def _positive_int(value: str) -> int:
    if not _DIGITS.fullmatch(value.strip()) or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of seats >= 1, got {value!r}")
    return int(value)


def _percent(value: str) -> Fraction:
    try:
        p = Fraction(value.strip())
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"expected a percentage such as 5, 7.5 or 15/2, got {value!r}") from None
    if not 0 <= p <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage between 0 and 100, got {value!r}")
    return p / 100


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Register `seats` on the `saylau` subcommands (sets `fn=cmd_seats`)."""
    p = sub.add_parser("seats", help="party-list seats: threshold, Hare quota, largest remainder",
                       description="Seats per party list from a CSV of votes (header party,votes[,order]; "
                                   "an optional AGAINST_ALL line).")
    p.add_argument("file", help="CSV file: party,votes[,order]")
    p.add_argument("--seats", type=_positive_int, required=True, help="seats to allocate")
    p.add_argument("--threshold", type=_percent, default=largest_remainder.DEFAULT_THRESHOLD,
                   help="threshold in percent of valid ballots including 'against all' (default 5)")
    p.add_argument("--comparison", choices=[c.value for c in largest_remainder.Comparison],
                   default=largest_remainder.Comparison.AT_LEAST.value, help="share vs threshold (default >=)")
    p.add_argument("--tie-break", choices=[t.value for t in TieBreak], default=TieBreak.REGISTERED_EARLIER.value,
                   help="equal remainders at the last seat (default registered_earlier: lower order wins)")
    p.add_argument("--json", action="store_true", help='print {"party": seats} only')
    p.set_defaults(fn=cmd_seats)
    return p


def cmd_seats(args: argparse.Namespace) -> int:
    data = read_votes(Path(args.file))
    allocation = largest_remainder.allocate(
        data.votes, args.seats, against_all=data.against_all, threshold=args.threshold,
        comparison=largest_remainder.Comparison(args.comparison), tie_break=TieBreak(args.tie_break),
        order=data.order,
    )
    if args.json:
        print(json.dumps(dict(allocation.seats), ensure_ascii=False))
    else:
        print(render(allocation))
    return 0


def render(a: largest_remainder.Allocation) -> str:
    """The results table of a party-list allocation, as a commission's protocol prints it."""
    head = ["party", "votes", "share", "qualifies", "quota share", "seats"]
    body = [[r.party, f"{r.votes:,}", _pct(r.share), "yes" if r.qualifies else "no",
             "-" if r.quotient is None else _fixed(r.quotient, 4), f"{r.seats}" + ("*" if r.remainder_seat else " ")]
            for r in a.lists]
    if a.against_all:
        body.append([f"{AGAINST_ALL} (against all)", f"{a.against_all:,}", _pct(Fraction(a.against_all, a.denominator)),
                     "-", "-", "- "])
    body.append(["total", f"{a.denominator:,}", _pct(Fraction(1)), "", "", f"{a.total_seats} "])
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]

    def line(row: list[str]) -> str:
        cells = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        return "  ".join(cells).rstrip()

    out = [
        f"valid ballots (including 'against all'): {a.denominator:,}",
        f"threshold: share {a.comparison.value} {_fixed(a.threshold * 100, 2).rstrip('0').rstrip('.')} % "
        f"({len(a.qualifying)} of {len(a.lists)} lists qualify)",
        f"quota: {a.qualifying_votes:,} qualifying votes / {a.total_seats} seats = {_fixed(a.quota, 4)}",
        f"seats: {a.total_seats - a.remainder_seats} by integer parts, {a.remainder_seats} by largest remainder (*)",
        "",
        line(head),
        *(line(r) for r in body),
    ]
    for t in a.ties:
        out.append(f"TIE: {', '.join(t.tied)} have equal remainders {_fixed(t.remainder, 6)} for {t.places} seat(s); "
                   f"rule {t.rule.value} gave them to {', '.join(t.winners)}")
    return "\n".join(out)


def _fixed(x: Fraction, places: int) -> str:
    """A non-negative fraction rounded half up to `places` decimals, exactly (no float)."""
    n = math.floor(x * 10**places + Fraction(1, 2))
    whole, frac = divmod(n, 10**places)
    return f"{whole:,}.{frac:0{places}d}" if places else f"{whole:,}"


def _pct(x: Fraction) -> str:
    return _fixed(x * 100, 2) + " %"
