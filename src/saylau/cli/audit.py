"""`saylau audit-ballot`: check a Benaloh audit of a ballot on a second device.

    saylau audit-ballot --election election.json --ballot ballot.json --audit audit.json
    saylau audit-ballot --election election.json --ballot ballot.json --payload 'SAYLAU-AUDIT1:…'

Recomputes every ciphertext of the ballot from the revealed choices and randomness
(saylau.record.audit). Exit 0: the ballot encrypts exactly the revealed choices (shown, for
the voter to compare with what they chose); 1: it does not, or the audit or the ballot is
defective (each finding printed); 2: unreadable input (a missing file, a malformed election).
An audited ballot must never be cast: make a fresh one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from saylau.errors import SaylauError


def _read(path: str) -> bytes:
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    return data.rstrip(b"\n")


def cmd_audit_ballot(args: argparse.Namespace) -> int:
    from saylau.record.audit import audit_from_payload, check_audit, describe_choices
    from saylau.record.ballot import tracker_of
    from saylau.record.election import parse_election
    from saylau.record.errors import MalformedRecord

    if (args.audit is None) == (args.payload is None):
        raise SaylauError("give exactly one of --audit FILE and --payload TEXT")
    election = parse_election(_read(args.election), "election")
    ballot = _read(args.ballot)
    try:
        audit = audit_from_payload(args.payload) if args.payload is not None else _read(args.audit).strip()
    except MalformedRecord as exc:
        print(f"AUDIT FAILED: {exc}")
        return 1
    findings = check_audit(election, ballot, audit)
    if findings:
        print(f"AUDIT FAILED for ballot {tracker_of(ballot)}: {len(findings)} finding(s)")
        for f in findings:
            print(f"  {f}")
        return 1
    print(f"AUDIT OK: ballot {tracker_of(ballot)} encrypts exactly these choices:")
    for line in describe_choices(election, audit):
        print(f"  {line}")
    print("Compare them with what you chose. This ballot must never be cast: make a fresh one to vote.")
    return 0


def add_parser(sub: Any) -> None:
    """Register `saylau audit-ballot` on the main parser's subcommands."""
    p = sub.add_parser("audit-ballot", help="check a Benaloh audit: does the ballot encrypt the revealed choices?")
    p.add_argument("--election", required=True, help="election.json")
    p.add_argument("--ballot", required=True, help="the audited ballot (or - for standard input)")
    p.add_argument("--audit", help="the audit file the booth exported")
    p.add_argument("--payload", help="the audit as scanned from its QR code (SAYLAU-AUDIT1:…)")
    p.set_defaults(fn=cmd_audit_ballot)
