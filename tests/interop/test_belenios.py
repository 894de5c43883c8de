"""Saylau ⇄ belenios-tool, both ways, with 2.0 (BELENIOS-2048) and 3.x (Ed25519).

Protocol doc §11–§13. The oracles:
- belenios-tool 2.0 `election verify` checks everything, ballots included (§11.7);
- belenios-tool 3.x `election verify` is trusted for the archive, trustees, tally and
  result only; ballots are checked one by one with `election verify-ballot` against a
  directory whose archive holds only the Setup event (§11.7);
- Saylau's `verify_record`.
Each election has at most 8 ballots, so the whole module runs in well under a minute.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from saylau.cli.demo import REVOTE as DEMO_REVOTE
from saylau.cli.demo import VOTES as DEMO_VOTES
from saylau.record.archive import Event, Header, read_events
from saylau.record.ballot import BallotError, check_ballot, parse_ballot
from saylau.record.canonical import dumpb, sha256_hex
from saylau.record.election import parse_election
from saylau.verify.verifier import verify_record

if TYPE_CHECKING:
    from .conftest import Tool

pytestmark = pytest.mark.interop

# §13: the template of the sample elections.
TEMPLATE = {"description": "Belenios lab election", "name": "Lab election", "questions": [
    {"question": "Plurality: pick exactly one", "answers": ["Alice", "Bob", "Carol", "Dave"], "min": 1, "max": 1},
    {"question": "Approval: pick any", "answers": ["Red", "Green", "Blue", "Yellow"], "min": 0, "max": 4},
    {"question": "Blank allowed: pick 1 or 2", "answers": ["X", "Y", "Z"], "blank": True, "min": 1, "max": 2}]}

# Choice files (§11.5): one 0/1 list per question; the blank question has a leading blank flag.
VOTES = {
    1: [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 0, 0]],
    2: [[0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1]],
    3: [[0, 0, 1, 0], [1, 0, 1, 0], [0, 0, 0, 1]],
    4: [[1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]],
    5: [[0, 0, 0, 1], [1, 1, 1, 1], [0, 1, 0, 1]],
    6: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 1, 0]],
}
# Casting order, with a re-vote by voter 2 in the middle: the later ballot counts.
SEQUENCE = [(1, VOTES[1]), (2, VOTES[2]), (3, VOTES[3]), (2, [[0, 0, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]]),
            (4, VOTES[4]), (5, VOTES[5]), (6, VOTES[6])]


def expected_result(sequence: Sequence[tuple[object, list[list[int]]]]) -> list[list[int]]:
    """The tally Belenios publishes: the sum of each voter's last choice."""
    last = {voter: choice for voter, choice in sequence}
    choices = list(last.values())
    return [[sum(c[q][a] for c in choices) for a in range(len(choices[0][q]))] for q in range(len(choices[0]))]


def login(i: int) -> str:
    return f"voter{i}@example.org"


# --- archives -----------------------------------------------------------------------------


def archive_of(d: Path) -> Path:
    archives = sorted(d.glob("*.bel"))
    assert len(archives) == 1, f"{d}: expected one .bel, found {[a.name for a in archives]}"
    return archives[0]


def load_items(bel: Path) -> tuple[int, list[tuple[str, list[bytes]]]]:
    """The header timestamp and, per event, its type and data (linked data first, payload last)."""
    timestamp = None
    items: list[tuple[str, list[bytes]]] = []
    for ev in read_events(bel):
        if isinstance(ev, Header):
            timestamp = int(str(ev.timestamp))
            continue
        assert isinstance(ev, Event) and ev.height >= 0 and not ev.problems, f"{bel}: damaged archive: {ev}"
        data: list[bytes] = []
        if ev.payload is not None:
            ref = json.loads(ev.payload)
            if ev.type == "Setup":
                data = [ev.linked[ref[k]] for k in ("election", "trustees", "credentials")]
            elif ev.type == "EncryptedTally":
                data = [ev.linked[ref["encrypted_tally"]]]
            elif ev.type == "PartialDecryption":
                data = [ev.linked[ref["payload"]]]
            data.append(ev.payload)
        items.append((ev.type, data))
    assert timestamp is not None
    return timestamp, items


def belenios_member(name: str, data: bytes, mtime: int) -> bytes:
    """One tar member exactly as Belenios writes it (src/lib/core/archive.ml, MakeWriter):
    a pre-POSIX header without `ustar` magic, then the data padded to 512 bytes."""
    h = bytearray(512)
    h[0:len(name)] = name.encode()
    h[100:107] = b"0000644"
    h[108:115] = b"0000000"
    h[116:123] = b"0000000"
    h[124:135] = b"%011o" % len(data)
    h[136:147] = b"%011o" % mtime
    h[148:156] = b" " * 8
    h[156:157] = b"0"
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h) + data + bytes(-len(data) % 512)


def belenios_archive(timestamp: int, items: list[tuple[str, list[bytes]]]) -> bytes:
    """The archive Belenios' MakeArchiver regenerates from these events (what
    `election verify` compares the file with, byte for byte): every member's mtime is the
    header timestamp, events are chained by hash, and there is no end-of-archive marker."""
    out = bytearray(belenios_member("BELENIOS", dumpb({"version": 1, "timestamp": str(timestamp)}), timestamp))
    parent = None
    for height, (etype, data) in enumerate(items):
        for d in data:
            out += belenios_member(f"{sha256_hex(d)}.data.json", d, timestamp)
        ev: dict[str, object] = {}
        if parent is not None:
            ev["parent"] = parent
        ev["height"] = height
        ev["type"] = etype
        if data:
            ev["payload"] = sha256_hex(data[-1])
        raw = dumpb(ev)
        parent = sha256_hex(raw)
        out += belenios_member(f"{parent}.event.json", raw, timestamp)
    return bytes(out)


TAR_FIELDS = [("name", 0, 100), ("mode", 100, 108), ("uid", 108, 116), ("gid", 116, 124), ("size", 124, 136),
              ("mtime", 136, 148), ("chksum", 148, 156), ("typeflag", 156, 157), ("linkname", 157, 257),
              ("magic", 257, 263), ("version", 263, 265), ("uname", 265, 297), ("gname", 297, 329),
              ("devmajor", 329, 337), ("devminor", 337, 345), ("prefix", 345, 500)]


def layout_differences(actual: bytes, expected: bytes, limit: int = 6) -> list[str]:
    """Which tar header fields differ, member by member, and any trailing bytes."""
    out: list[str] = []
    off = 0
    fields: dict[str, int] = {}
    while off < len(expected) and off + 512 <= len(actual):
        a, e = actual[off:off + 512], expected[off:off + 512]
        size = int(e[124:135], 8)
        for field, lo, hi in TAR_FIELDS:
            if a[lo:hi] != e[lo:hi]:
                fields[field] = fields.get(field, 0) + 1
                if fields[field] <= 1 and len(out) < limit:
                    out.append(f"member {e[:100].rstrip(bytes(1)).decode()!r}: {field} is {a[lo:hi].rstrip(bytes(1))!r}, "
                               f"Belenios writes {e[lo:hi].rstrip(bytes(1))!r}")
        body = 512 + -(-size // 512) * 512
        if actual[off + 512:off + body] != expected[off + 512:off + body]:
            out.append(f"member {e[:100].rstrip(bytes(1)).decode()!r}: content differs")
            break
        off += body
    if fields:
        out.append("header fields differing (members): " + ", ".join(f"{k} ({v})" for k, v in fields.items()))
    if len(actual) > len(expected):
        tail = actual[len(expected):]
        what = "all zero: an end-of-archive marker / record padding" if not any(tail) else "not zero"
        out.append(f"{len(tail)} bytes after the last member ({what}); Belenios archives end right after the last member")
    elif len(actual) < len(expected):
        out.append(f"{len(expected) - len(actual)} bytes missing at the end")
    return out


def ballots_of(bel: Path) -> list[bytes]:
    return [data[-1] for etype, data in load_items(bel)[1] if etype == "Ballot"]


def tamper_proof(ballot: bytes) -> bytes:
    """Change one digit of the first individual proof's response (±1: still in [0, q), still
    canonical JSON, only the proof is wrong)."""
    m = re.search(rb'"individual_proofs":\[+\{"challenge":"\d+","response":"(\d+)"', ballot)
    assert m, "no individual proof in the ballot"
    digits = m.group(1)
    last = digits[-1:]
    flipped = digits[:-1] + (b"8" if last == b"9" else bytes([last[0] + 1]))
    out = ballot[:m.start(1)] + flipped + ballot[m.end(1):]
    assert out != ballot and len(out) == len(ballot)
    return out


def reference_result(d: Path) -> list[list[int]]:
    items = load_items(archive_of(d))[1]
    results: list[list[list[int]]] = [json.loads(data[-1])["result"] for etype, data in items if etype == "Result"]
    assert len(results) == 1
    return results[0]


# --- 1. Saylau → belenios-tool 2.0 ---------------------------------------------------------


def test_saylau_finite_field_demo_passes_belenios2_verify(demo_ff: Path, belenios2: Tool) -> None:
    proc = belenios2.run(demo_ff, "election", "verify", "--dir=.", check=False)
    assert proc.returncode == 0 and "I: all checks passed" in proc.stderr, (
        f"belenios-tool 2.0 rejects saylau's BELENIOS-2048 demo: exit {proc.returncode}, stderr:\n{proc.stderr}")
    report = verify_record(demo_ff)
    assert report.ok, report.render()
    assert report.result == reference_result(demo_ff) == expected_result([*DEMO_VOTES.items(), DEMO_REVOTE])


@pytest.mark.parametrize("demo", ["demo_ff", "demo_ed"])
def test_saylau_archive_is_byte_identical_to_belenios_layout(demo: str, request: pytest.FixtureRequest) -> None:
    """What both belenios-tool versions check first (`Archive` fsck): the file must be exactly
    the archive Belenios would write for the same events."""
    bel = archive_of(request.getfixturevalue(demo))
    timestamp, items = load_items(bel)
    actual, expected = bel.read_bytes(), belenios_archive(timestamp, items)
    if actual != expected:
        pytest.fail(f"{bel.name} is not laid out as Belenios writes it (belenios-tool regenerates the archive from "
                    f"its events and compares bytes):\n" + "\n".join(layout_differences(actual, expected)))


def test_tampered_ballot_rejected_by_belenios2_and_saylau(demo_ff: Path, belenios2: Tool, tmp_path: Path) -> None:
    bel = archive_of(demo_ff)
    timestamp, items = load_items(bel)
    election = parse_election(items[0][1][0])
    # Control: the same writer, untouched events → belenios-tool 2.0 accepts.
    good = tmp_path / "good"
    good.mkdir()
    (good / bel.name).write_bytes(belenios_archive(timestamp, items))
    proc = belenios2.run(good, "election", "verify", "--dir=.", check=False)
    assert proc.returncode == 0 and "I: all checks passed" in proc.stderr, (
        f"control (untampered rebuild) rejected: exit {proc.returncode}\n{proc.stderr}")
    # Tamper with the first ballot (not the superseded one): its event is re-hashed, every later parent changes.
    first = next(i for i, (etype, _) in enumerate(items) if etype == "Ballot")
    tampered = tamper_proof(items[first][1][-1])
    items[first] = ("Ballot", [tampered])
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / bel.name).write_bytes(belenios_archive(timestamp, items))
    proc = belenios2.run(bad, "election", "verify", "--dir=.", check=False)
    assert proc.returncode != 0, f"belenios-tool 2.0 accepted a ballot with a corrupted proof:\n{proc.stderr}"
    assert "invalid ballot" in proc.stderr, f"rejected for another reason than the ballot:\n{proc.stderr}"
    report = verify_record(bad)
    assert not report.ok
    assert "ballot.proof" in report.checks(), report.render()
    with pytest.raises(BallotError) as exc:
        check_ballot(parse_ballot(tampered, election), election)
    assert exc.value.check == "ballot.proof"


# --- 2. belenios-tool 2.0 → Saylau ---------------------------------------------------------


def test_belenios2_election_passes_saylau_verify(belenios2: Tool, tmp_path: Path) -> None:
    """The 2.0 reference run of §11.4 (single trustee), six voters, voter 2 votes twice."""
    d = tmp_path
    run = belenios2.run
    uuid = run(d, "setup", "generate-token").stdout.strip()
    (d / "voters.txt").write_text("".join(f"{login(i)}\n" for i in VOTES))
    run(d, "setup", "generate-credentials", f"--uuid={uuid}", "--group=BELENIOS-2048", "--file", "voters.txt")
    [pub] = d.glob("*.pubcreds")
    [priv] = d.glob("*.privcreds")
    pub.rename(d / "public_creds.json")
    creds = dict(line.split() for line in priv.read_text().splitlines() if line.strip())  # "login cred" (2.0)
    run(d, "setup", "generate-trustee-key", "--group=BELENIOS-2048")
    [pubkey] = d.glob("*.pubkey")
    [privkey] = d.glob("*.privkey")
    (d / "public_keys.jsons").write_text(pubkey.read_text())
    run(d, "setup", "make-trustees")
    (d / "template.json").write_text(json.dumps(TEMPLATE))
    run(d, "setup", "make-election", f"--uuid={uuid}", "--group=BELENIOS-2048", "--template=template.json")
    run(d, "archive", "init")
    for n, (voter, choice) in enumerate(SEQUENCE, start=1):
        (d / f"cred{n}.txt").write_text(creds[login(voter)] + "\n")
        (d / f"choice{n}.json").write_text(json.dumps(choice))
        ballot = run(d, "election", "generate-ballot", "--dir=.", f"--privcred=cred{n}.txt", f"--ballot=choice{n}.json").stdout
        run(d, "archive", "add-event", "--type=Ballot", input=ballot)
    run(d, "archive", "add-event", "--type=EndBallots")
    run(d, "archive", "add-event", "--type=EncryptedTally", input=run(d, "election", "compute-encrypted-tally", "--dir=.").stdout)
    pd = run(d, "election", "decrypt", "--dir=.", f"--privkey={privkey.name}", "--trustee-id=1").stdout
    _publish_result_and_check(run, d, [pd])


# --- 3. Saylau → belenios-tool 3.x (Ed25519) -----------------------------------------------


def test_saylau_ed25519_demo_passes_belenios3(demo_ed: Path, belenios3: Tool, tmp_path: Path) -> None:
    # 3.x `election verify`: archive, trustees, tally and result (its ballot check is unreliable, §11.7).
    d = tmp_path / "demo"
    shutil.copytree(demo_ed, d)
    proc = belenios3.run(d, "election", "verify", "--dir=.", check=False)
    assert proc.returncode == 0 and "I: all checks passed" in proc.stderr, (
        f"belenios-tool 3.x rejects saylau's Ed25519 demo: exit {proc.returncode}, stderr:\n{proc.stderr}")
    report = verify_record(d)
    assert report.ok, report.render()
    assert report.result == reference_result(d) == expected_result([*DEMO_VOTES.items(), DEMO_REVOTE])

    # Ballots one by one, against an archive holding only Belenios' own Setup event.
    setup_only = tmp_path / "setup-only"
    setup_only.mkdir()
    for name in ("election.json", "trustees.json", "public_creds.json"):  # public_creds: "cred,weight,login" list
        shutil.copy(d / name, setup_only / name)
    belenios3.run(setup_only, "archive", "init")
    ours, theirs = load_items(archive_of(d))[1][0], load_items(archive_of(setup_only))[1]
    assert [t for t, _ in theirs] == ["Setup"]
    assert ours == theirs[0], "belenios `archive init` and saylau disagree on the Setup event (election, trustees or credentials bytes)"
    ballots = ballots_of(archive_of(d))
    assert len(ballots) == len(DEMO_VOTES) + 1
    for n, ballot in enumerate(ballots, start=1):
        (setup_only / f"ballot{n}.json").write_bytes(ballot + b"\n")
        proc = belenios3.run(setup_only, "election", "verify-ballot", "--dir=.", f"--ballot=ballot{n}.json", check=False)
        assert proc.returncode == 0 and "I: ballot is valid" in proc.stderr, (
            f"belenios-tool 3.x rejects saylau ballot #{n}: exit {proc.returncode}\n{proc.stderr}")
    (setup_only / "tampered.json").write_bytes(tamper_proof(ballots[0]) + b"\n")
    proc = belenios3.run(setup_only, "election", "verify-ballot", "--dir=.", "--ballot=tampered.json", check=False)
    assert proc.returncode == 124 and "InvalidBallot" in proc.stderr, (
        f"belenios-tool 3.x did not reject a ballot with a corrupted proof: exit {proc.returncode}\n{proc.stderr}")
    election = parse_election(ours[1][0])
    with pytest.raises(BallotError) as exc:
        check_ballot(parse_ballot(tamper_proof(ballots[0]), election), election)
    assert exc.value.check == "ballot.proof"


# --- 4. belenios-tool 3.x → Saylau ---------------------------------------------------------


def test_belenios3_threshold_election_passes_saylau_verify(belenios3: Tool, tmp_path: Path) -> None:
    """The 3.0 reference run of §11.4: Ed25519, a single trustee (id 1) plus a 2-of-3
    Pedersen group (ids 2, 3, 4); members 1 and 3 (ids 2 and 4) decrypt; voter 2 votes twice."""
    d = tmp_path
    run = belenios3.run
    g = "--group=Ed25519"
    uuid = run(d, "setup", "generate-token").stdout.strip()
    (d / "voters.txt").write_text("".join(f"{login(i)}\n" for i in VOTES))
    run(d, "setup", "generate-credentials", f"--uuid={uuid}", g, "--file", "voters.txt")
    [pub] = d.glob("*.pubcreds")
    [priv] = d.glob("*.privcreds")
    pub.rename(d / "public_creds.json")
    creds = json.loads(priv.read_text())  # {"login": "cred"} (3.x)
    # Pedersen 2-of-3; every transcript in member-index order.
    member = {}
    for i in (1, 2, 3):
        member[i] = run(d, "setup", "generate-trustee-key-threshold", g, f"--threshold-context={i}/2/3", "--step=1").stdout.strip()
    (d / "certs.jsons").write_text("".join((d / f"{member[i]}.cert").read_text() for i in (1, 2, 3)))
    run(d, "setup", "generate-trustee-key-threshold", g, "--certs=certs.jsons", "--step=2")
    (d / "polynomials.jsons").write_text("".join(
        run(d, "setup", "generate-trustee-key-threshold", g, f"--threshold-context={i}/2/3", "--certs=certs.jsons",
            f"--key={member[i]}.key", "--step=3").stdout for i in (1, 2, 3)))
    run(d, "setup", "generate-trustee-key-threshold", g, "--certs=certs.jsons", "--step=4", "--polynomials=polynomials.jsons")
    voutputs = [run(d, "setup", "generate-trustee-key-threshold", g, "--certs=certs.jsons", f"--key={member[i]}.key", "--step=5",
                    input=(d / f"{member[i]}.vinput").read_text()).stdout for i in (1, 2, 3)]
    threshold = run(d, "setup", "generate-trustee-key-threshold", g, "--certs=certs.jsons", "--step=6",
                    "--polynomials=polynomials.jsons", input="".join(voutputs)).stdout
    (d / "threshold.json").write_text(threshold)
    # Single trustee.
    run(d, "setup", "generate-trustee-key", g)
    [pubkey] = d.glob("*.pubkey")
    [privkey] = d.glob("*.privkey")
    (d / "public_keys.jsons").write_text(pubkey.read_text())
    run(d, "setup", "make-trustees")
    (d / "template.json").write_text(json.dumps(TEMPLATE))
    run(d, "setup", "make-election", f"--uuid={uuid}", g, "--template=template.json")
    run(d, "archive", "init")
    for n, (voter, choice) in enumerate(SEQUENCE, start=1):
        (d / f"cred{n}.txt").write_text(creds[login(voter)] + "\n")
        (d / f"choice{n}.json").write_text(json.dumps(choice))
        ballot = run(d, "election", "generate-ballot", "--dir=.", f"--privcred=cred{n}.txt", f"--choice=choice{n}.json").stdout
        run(d, "archive", "add-event", "--type=Ballot", input=ballot)
    run(d, "archive", "add-event", "--type=EndBallots")
    run(d, "archive", "add-event", "--type=EncryptedTally", input=run(d, "election", "compute-encrypted-tally", "--dir=.").stdout)
    pds = [run(d, "election", "decrypt", "--dir=.", f"--privkey={privkey.name}", "--trustee-id=1").stdout]
    for index, trustee_id in ((1, 2), (3, 4)):
        pds.append(run(d, "election", "decrypt-threshold", "--dir=.", f"--key={member[index]}.key",
                       f"--decryption-key={member[index]}.dkey", f"--trustee-id={trustee_id}").stdout)
    _publish_result_and_check(run, d, pds)
    trustees = json.loads((d / "trustees.json").read_text())
    assert [kind for kind, _ in trustees] == ["Single", "Pedersen"]
    owners = [json.loads(data[-1])["owner"] for etype, data in load_items(archive_of(d))[1] if etype == "PartialDecryption"]
    assert owners == [1, 2, 4]


def test_board_filtered_view_passes_belenios(demo_ed: Path, demo_ff: Path, belenios3: Tool, belenios2: Tool, tmp_path: Path) -> None:
    """The Belenios archive rebuilt from the bulletin board alone is accepted by belenios-tool."""
    from saylau.board.client import open_board
    from saylau.record.boardlog import export_archive

    for demo, tool, name in ((demo_ed, belenios3, "ed"), (demo_ff, belenios2, "ff")):
        out = tmp_path / name
        out.mkdir()
        archive = next(demo.glob("*.bel"))
        export_archive(open_board(demo / "board"), out / archive.name)
        assert (out / archive.name).read_bytes() == archive.read_bytes()
        proc = tool.run(out, "election", "verify", "--dir=.")
        assert "I: all checks passed" in proc.stderr, proc.stderr


def _publish_result_and_check(run: Callable[..., subprocess.CompletedProcess[str]], d: Path, pds: list[str]) -> None:
    """Append the partial decryptions and belenios-tool's result; both tools must agree on it."""
    for pd in pds:
        run(d, "archive", "add-event", "--type=PartialDecryption", input=pd)
    result_out = run(d, "election", "compute-result", "--dir=.").stdout
    run(d, "archive", "add-event", "--type=Result", input=result_out)
    proc = run(d, "election", "verify", "--dir=.")
    assert "I: all checks passed" in proc.stderr

    report = verify_record(d)
    assert report.ok, report.render()
    expected = expected_result(SEQUENCE)
    assert json.loads(result_out)["result"] == expected
    assert report.result == expected
    assert report.stats["ballots in the record"] == len(SEQUENCE)
    assert report.stats["re-votes superseded"] == 1
