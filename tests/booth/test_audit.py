"""Cast-as-intended: Benaloh audits made by the booth (audit.js) and by Python, checked by
`saylau audit-ballot` (saylau.record.audit) and by audit.js, honest and tampered."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from saylau.record.audit import (
    AUDIT_KEYS,
    audit_from_payload,
    audit_payload,
    audited_tracker,
    check_audit,
    describe_choices,
    make_audit,
    parse_audit,
)
from saylau.record.ballot import make_ballot, tracker_of
from saylau.record.canonical import dumpb
from tests.conftest import ED_SAMPLE, SeededRng

from .conftest import CANDIDATES, ElectionFiles, cli, codes, run_js
from .test_node import SAMPLE_CHOICES, one_hot


def _write(tmp: Path, name: str, data: str | bytes) -> str:
    p = tmp / name
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(p)


def _with(audit: str, **changes: Any) -> str:
    a = json.loads(audit)
    a.update(changes)
    return dumpb(a).decode()


@pytest.fixture(scope="module")
def js_audits(fresh: ElectionFiles, ed_sample: ElectionFiles) -> list[dict[str, Any]]:
    """Booth ballots with their audits: fresh election (voter1 twice, for Гүлнар Ахметова), and
    the sample election (a blank vote in the third question)."""
    sample_cred = next(iter(ed_sample.private.values()))
    made = run_js([
        {"op": "make", "election": fresh.raw, "credential": fresh.private["voter1"], "choices": [one_hot(2)]},
        {"op": "make", "election": fresh.raw, "credential": fresh.private["voter1"], "choices": [one_hot(2)]},
        {"op": "make", "election": ed_sample.raw, "credential": sample_cred, "choices": SAMPLE_CHOICES[1]},
    ])
    extra = run_js([{"op": op, "election": fresh.raw, "audit": made[0]["audit"]}
                    for op in ("audit_payload", "audited_tracker", "describe_audit")])
    made[0].update(payload=extra[0]["payload"], audited=extra[1]["tracker"], description=extra[2]["description"])
    return made


def test_booth_audit_file_format(js_audits: list[dict[str, Any]], fresh: ElectionFiles) -> None:
    m = js_audits[0]
    audit = m["audit"]
    assert list(json.loads(audit)) == list(AUDIT_KEYS)
    assert dumpb(json.loads(audit)).decode() == audit  # canonical JSON, as Python writes it
    a = parse_audit(audit.encode())
    assert a.tracker == m["tracker"] == audited_tracker(audit.encode()) == m["audited"]
    assert a.choices == ((0, 0, 1, 0, 0),) and len(a.randomness[0]) == 5
    assert fresh.private["voter1"] not in audit  # the private credential is never revealed
    assert m["description"] == [{"question": "Ауыл әкімі", "blank": False, "selected": [CANDIDATES[2]]}]
    # The QR payload: the same text from Python and from the booth, and it decodes back.
    assert audit_payload(audit.encode()) == m["payload"] and m["payload"].startswith("SAYLAU-AUDIT1:")
    assert audit_from_payload(m["payload"]) == audit.encode()
    assert len(m["payload"]) < 1200  # fits a QR code (byte mode) comfortably


def test_saylau_audit_ballot_accepts_a_booth_audit(js_audits: list[dict[str, Any]], fresh: ElectionFiles, tmp_path: Path) -> None:
    m = js_audits[0]
    e = _write(tmp_path, "election.json", fresh.raw)
    b = _write(tmp_path, "ballot.json", m["ballot"] + "\n")
    a = _write(tmp_path, "audit.json", m["audit"])
    # The real command line, once.
    proc = subprocess.run([sys.executable, "-m", "saylau.cli.main", "audit-ballot", "--election", e, "--ballot", b, "--audit", a],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"AUDIT OK: ballot {m['tracker']}" in proc.stdout
    assert f"Ауыл әкімі: {CANDIDATES[2]}" in proc.stdout and "never be cast" in proc.stdout
    code, out = cli("audit-ballot", "--election", e, "--ballot", b, "--payload", m["payload"])
    assert code == 0, out
    # Blank vote in the sample election.
    s = js_audits[2]
    code, out = cli("audit-ballot", "--election", str(ED_SAMPLE / "election.json"),
                    "--ballot", _write(tmp_path, "s.json", s["ballot"]), "--audit", _write(tmp_path, "s-audit.json", s["audit"]))
    assert code == 0, out
    assert "Blank allowed: pick 1 or 2: blank vote" in out and "Approval: pick any: nothing" in out


def _tampered(js_audits: list[dict[str, Any]], fresh: ElectionFiles) -> dict[str, tuple[str, str, set[str]]]:
    """name → (ballot, audit, expected finding codes), for the fresh election."""
    m, other = js_audits[0], js_audits[1]
    audit, ballot = m["audit"], m["ballot"]
    rs = json.loads(audit)["randomness"]
    shifted = [[str(int(rs[0][0]) + 1), *rs[0][1:]]]
    return {
        "another candidate revealed": (ballot, _with(audit, choices=[one_hot(0)]), {"audit.mismatch"}),
        "randomness changed": (ballot, _with(audit, randomness=shifted), {"audit.mismatch"}),
        "audit of another ballot": (other["ballot"], audit, {"audit.tracker", "audit.mismatch"}),
        "another election": (ballot, _with(audit, election_uuid="BoothTest5Other"), {"audit.election"}),
        "invalid choice revealed": (ballot, _with(audit, choices=[[1, 0, 1, 0, 0]]), {"audit.choice"}),
        "randomness missing": (ballot, _with(audit, randomness=[rs[0][:4]]), {"audit.randomness"}),
        "not an audit": (ballot, '{"tracker":"x"}', {"audit.malformed"}),
    }


def test_saylau_audit_ballot_refuses_tampered_audits(js_audits: list[dict[str, Any]], fresh: ElectionFiles, tmp_path: Path) -> None:
    e = _write(tmp_path, "election.json", fresh.raw)
    cases = _tampered(js_audits, fresh)
    for i, (name, (ballot, audit, expected)) in enumerate(cases.items()):
        b, a = _write(tmp_path, f"b{i}.json", ballot), _write(tmp_path, f"a{i}.json", audit)
        code, out = cli("audit-ballot", "--election", e, "--ballot", b, "--audit", a)
        assert code == 1, f"{name}: exit {code}\n{out}"
        assert out.startswith("AUDIT FAILED") and all(f"[{c}]" in out for c in expected), f"{name}:\n{out}"
        found = {f.check for f in check_audit(fresh.election, ballot.encode(), audit.encode())}
        assert found == expected, f"{name}: Python found {found}"
    code, out = cli("audit-ballot", "--election", e, "--ballot", b, "--payload", "SAYLAU-AUDIT1:%%%")
    assert code == 1 and "AUDIT FAILED" in out
    code, _ = cli("audit-ballot", "--election", e, "--ballot", str(tmp_path / "missing.json"), "--audit", a)
    assert code == 2


def test_booth_check_audit_agrees(js_audits: list[dict[str, Any]], fresh: ElectionFiles) -> None:
    cases = _tampered(js_audits, fresh)
    m = js_audits[0]
    tasks = [{"op": "check_audit", "election": fresh.raw, "ballot": m["ballot"], "audit": m["audit"]}]
    tasks += [{"op": "check_audit", "election": fresh.raw, "ballot": b, "audit": a} for b, a, _ in cases.values()]
    results = run_js(tasks)
    assert results[0]["findings"] == []
    for (name, (_, _, expected)), res in zip(cases.items(), results[1:], strict=True):
        assert codes(res["findings"]) == expected, f"{name}: JS found {res['findings']}"


def test_python_audits_checked_by_the_booth(fresh: ElectionFiles, ed_sample: ElectionFiles) -> None:
    rng = SeededRng(3)
    cred = next(iter(ed_sample.private.values()))
    made = []
    for files, credential, choices in [(fresh, fresh.private["voter7"], [one_hot(4)]),  # against all, 2.0-format credential
                                       (ed_sample, cred, SAMPLE_CHOICES[1]), (ed_sample, cred, SAMPLE_CHOICES[3])]:
        ballot, nonces = make_ballot(files.election, credential, choices, rng=rng)
        audit = make_audit(files.election, ballot, choices, nonces)
        assert check_audit(files.election, ballot, audit) == []
        assert audited_tracker(audit) == tracker_of(ballot)
        made.append((files, ballot.decode(), audit.decode()))
    tasks: list[dict[str, Any]] = []
    for files, ballot, audit in made:
        tasks.append({"op": "check_audit", "election": files.raw, "ballot": ballot, "audit": audit})
        tasks.append({"op": "check_audit", "election": files.raw, "ballot": ballot,
                      "audit": _with(audit, choices=json.loads(audit)["choices"][::-1]) if len(json.loads(audit)["choices"]) > 1
                      else _with(audit, choices=[one_hot(0)])})
        tasks.append({"op": "audit_payload", "audit": audit})
        tasks.append({"op": "describe_audit", "election": files.raw, "audit": audit})
    r = run_js(tasks)
    for i, (files, _, audit) in enumerate(made):
        ok, bad, payload, description = r[4 * i: 4 * i + 4]
        assert ok["findings"] == [], ok
        assert codes(bad["findings"]) & {"audit.mismatch", "audit.choice"}, bad
        assert payload["payload"] == audit_payload(audit.encode())
        lines = describe_choices(files.election, audit.encode())
        for line, d in zip(lines, description["description"], strict=True):
            assert line.startswith(d["question"]) and (("blank vote" in line) == d["blank"])
            assert all(s in line for s in d["selected"])
    assert describe_choices(fresh.election, made[0][2].encode()) == ["Ауыл әкімі: Бәріне қарсы"]
