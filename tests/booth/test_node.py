"""The booth's belenios.js in Node, against Saylau's Python and belenios-tool 3.x, both ways.

- JS-made ballots (the Ed25519 sample election, and a fresh Saylau election of one question
  with 4 candidates and "against all") pass parse_ballot/check_ballot, are cast with
  `saylau ballot cast`, tallied, decrypted and pass `saylau verify`; belenios-tool 3.x
  `election verify-ballot` accepts each one against a Setup-only archive (protocol doc §11.7)
  and `election verify` accepts the whole record.
- Python-made and belenios-tool-made ballots pass the JS verifier; tampered ones are rejected,
  each with its own finding code, and Python rejects them too.
belenios-tool 2.0 has no Ed25519 group (§6.5), and the booth makes only Ed25519 ballots, so
2.0 is not an oracle here.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from saylau.crypto import credentials as creds
from saylau.crypto.group import ED25519, ED_Q, Rng
from saylau.record.ballot import BallotError, check_ballot, make_ballot, parse_ballot
from saylau.record.canonical import dumpb
from saylau.record.directory import read_file
from saylau.verify.verifier import verify_record
from tests.conftest import FF_SAMPLE, SeededRng

from . import tamper
from .conftest import (
    AGAINST_ALL,
    CANDIDATES,
    ElectionFiles,
    cli,
    cli_ok,
    codes,
    js,
    passphrase,
    run_js,
    sample_files,
)

SAMPLE_CHOICES = [
    [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 0, 0]],
    [[0, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]],  # approval: none; blank vote
    [[0, 0, 1, 0], [1, 1, 1, 1], [0, 0, 1, 1]],
    [[0, 0, 0, 1], [0, 1, 0, 1], [0, 1, 0, 1]],
    [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
    [[0, 1, 0, 0], [1, 0, 0, 1], [0, 1, 1, 0]],
]


def one_hot(i: int, n: int = 5) -> list[int]:
    return [1 if j == i else 0 for j in range(n)]


# Fresh election: voter → answer index (4 = against all); voter2 votes again, the last counts.
FRESH_VOTES = [("voter1", 0), ("voter2", 1), ("voter3", 4), ("voter4", 0), ("voter5", 2), ("voter6", 4),
               ("voter7", 3), ("voter8", 0), ("voter2", 4)]


def python_ok(files: ElectionFiles, ballot: str) -> str:
    """parse_ballot + check_ballot + credential on the list; returns the tracker."""
    raw = ballot.encode()
    parsed = parse_ballot(raw, files.election)
    check_ballot(parsed, files.election)
    assert parsed.credential in {e.split(",")[0] for e in files.public}
    assert dumpb(json.loads(raw)) == raw, "not byte-identical to Python's canonical JSON"
    return parsed.tracker


def setup_only(files: ElectionFiles, dest: Path, belenios3: Any) -> Path:
    """A directory whose archive holds only Belenios' own Setup event (§11.7)."""
    dest.mkdir()
    for name in ("election.json", "trustees.json", "public_creds.json"):
        shutil.copy(files.dir / name, dest / name)
    belenios3.run(dest, "archive", "init")
    return dest


def belenios3_accepts(belenios3: Any, d: Path, ballots: list[str], name: str) -> None:
    for n, ballot in enumerate(ballots, start=1):
        (d / f"{name}{n}.json").write_text(ballot + "\n")
        proc = belenios3.run(d, "election", "verify-ballot", "--dir=.", f"--ballot={name}{n}.json", check=False)
        assert proc.returncode == 0 and "I: ballot is valid" in proc.stderr, (
            f"belenios-tool 3.x rejects booth ballot {name}{n}: exit {proc.returncode}\n{proc.stderr}")


# --- known values and refusals -------------------------------------------------------------


def test_known_values_agree_with_python_and_the_samples(ed_sample: ElectionFiles, fresh: ElectionFiles) -> None:
    tasks: list[dict[str, Any]] = [{"op": "parse_election", "election": f.raw} for f in (ed_sample, fresh)]
    tasks += [{"op": "public_credential", "uuid": "h6S2PidkvfE8QM", "credential": "YiAGq-72jkwF-XjcPD-FXHtmH"}]
    tasks += [{"op": "public_credential", "uuid": fresh.election.uuid, "credential": fresh.private[v]} for v in fresh.private]
    r = run_js(tasks)
    assert r[0]["fingerprint"] == "HNs9w7d+c5cz58PpN4G1XjyZynntzj6uiCCH3JvuGb8" == ed_sample.election.fingerprint
    assert r[1]["fingerprint"] == fresh.election.fingerprint  # UTF-8 Kazakh text, hashed as stored
    assert r[1]["questions"][0]["answers"] == [*CANDIDATES, AGAINST_ALL]
    assert r[2]["credential"] == "a77ac14a59cd6568cc6f8f9cde9b9d2d0f2791f2e419007333e3f07aafa4264b"  # §4.2
    published = [e.split(",")[0] for e in fresh.public]
    for (voter, cred), res in zip(fresh.private.items(), r[3:], strict=True):
        expected = ED25519.encode(creds.public_credential(ED25519, fresh.election.uuid, cred))
        assert res["credential"] == expected and expected in published, voter  # 3.x and 2.0 formats


def test_booth_refuses_other_groups_bad_credentials_and_invalid_choices(ed_sample: ElectionFiles) -> None:
    ff = read_file(FF_SAMPLE / "election.json").decode()
    e = ed_sample.raw
    cred = next(iter(ed_sample.private.values()))
    r = run_js([
        {"op": "parse_election", "election": ff},
        {"op": "make", "election": e, "credential": "xCU-4Ms-Hyk-Fdy-R27", "choices": SAMPLE_CHOICES[0]},  # bad checksum
        {"op": "make", "election": e, "credential": "not a credential", "choices": SAMPLE_CHOICES[0]},
        {"op": "make", "election": e, "credential": cred, "choices": [[1, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]]},  # 2 > max
        {"op": "make", "election": e, "credential": cred, "choices": [[1, 0, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0]]},  # blank + X
        {"op": "make", "election": e, "credential": cred, "choices": [[1, 0, 0, 0], [0, 0, 0, 0]]},  # a question missing
        {"op": "choice_vector", "election": e, "question": 2, "selected": [0, 2]},
        {"op": "choice_vector", "election": e, "question": 2, "selected": [], "blank": True},
    ])
    assert r[0]["error"] == "election.group" and "BELENIOS-2048" in r[0]["message"]
    assert r[1]["error"] == "credential.invalid" and "checksum" in r[1]["message"]
    assert r[2]["error"] == "credential.invalid"
    assert [x["error"] for x in r[3:6]] == ["choice.invalid"] * 3
    assert r[6]["choice"] == [0, 1, 0, 1] and r[7]["choice"] == [1, 0, 0, 0]


class StreamRng(Rng):
    """The byte stream of booth.mjs's seededRng: SHA-256("seed:0") ‖ SHA-256("seed:1") ‖ …"""

    def __init__(self, seed: str) -> None:
        self.seed, self.counter, self.pool = seed, 0, b""

    def __call__(self, n: int) -> bytes:
        while len(self.pool) < n:
            self.pool += hashlib.sha256(f"{self.seed}:{self.counter}".encode()).digest()
            self.counter += 1
        out, self.pool = self.pool[:n], self.pool[n:]
        return out


def test_same_randomness_gives_byte_identical_ballots_in_js_and_python(ed_sample: ElectionFiles, fresh: ElectionFiles) -> None:
    """The strongest compatibility check: fed the same random bytes, the booth and
    saylau.record.ballot.make_ballot write the very same ballot, byte for byte."""
    cases = [(ed_sample, cred, choice) for cred, choice in zip(ed_sample.private.values(), SAMPLE_CHOICES, strict=False)]
    cases += [(fresh, fresh.private[v], [one_hot(i)]) for v, i in FRESH_VOTES[5:]]  # incl. 2.0-format credentials
    made = run_js([{"op": "make", "election": f.raw, "credential": c, "choices": ch, "seed": f"same-{n}"}
                   for n, (f, c, ch) in enumerate(cases)])
    for n, ((f, c, ch), m) in enumerate(zip(cases, made, strict=True)):
        ours, _ = make_ballot(f.election, c, ch, rng=StreamRng(f"same-{n}"))
        assert m["ballot"].encode() == ours, f"case {n}: the booth and Python differ"


def test_randomness_is_injectable_and_fresh_by_default(ed_sample: ElectionFiles) -> None:
    cred = next(iter(ed_sample.private.values()))
    task = {"op": "make", "election": ed_sample.raw, "credential": cred, "choices": SAMPLE_CHOICES[0]}
    a, b, c, d = run_js([{**task, "seed": "s1"}, {**task, "seed": "s1"}, {**task, "seed": "s2"}, task])
    assert a["ballot"] == b["ballot"]
    assert len({a["ballot"], c["ballot"], d["ballot"]}) == 3


# --- Python and belenios-tool ballots → the JS verifier ----------------------------------


def test_js_verifier_accepts_belenios_and_python_ballots(ed_sample: ElectionFiles, fresh: ElectionFiles) -> None:
    sample = [p.read_text().rstrip("\n") for p in sorted((ed_sample.dir / "ballots").glob("*.json"))]
    assert len(sample) == 20
    rng = SeededRng(11)
    made = [make_ballot(ed_sample.election, cred, choice, rng=rng)[0].decode()
            for cred, choice in zip(ed_sample.private.values(), SAMPLE_CHOICES, strict=False)]
    fresh_made = [make_ballot(fresh.election, fresh.private[v], [one_hot(i)], rng=rng)[0].decode() for v, i in FRESH_VOTES[:8]]
    tasks = [{"op": "check", "election": ed_sample.raw, "ballot": b, "credentials": ed_sample.public} for b in sample + made]
    tasks += [{"op": "check", "election": fresh.raw, "ballot": b, "credentials": fresh.public} for b in fresh_made]
    results = run_js(tasks)
    for i, res in enumerate(results):
        assert res["findings"] == [], f"ballot #{i}: {res['findings']}"


# --- JS ballots → Python, saylau verify, belenios-tool 3.x -------------------------------


@pytest.mark.interop
def test_js_ballots_for_the_sample_election_verify_in_python_and_belenios3(
        ed_sample: ElectionFiles, belenios3: Any, tmp_path: Path) -> None:
    tasks = [{"op": "make", "election": ed_sample.raw, "credential": cred, "choices": choice}
             for cred, choice in zip(ed_sample.private.values(), SAMPLE_CHOICES, strict=False)]
    made = run_js(tasks)
    ballots = [m["ballot"] for m in made]
    for m in made:
        assert python_ok(ed_sample, m["ballot"]) == m["tracker"]
    d = setup_only(ed_sample, tmp_path / "setup-only", belenios3)
    belenios3_accepts(belenios3, d, ballots, "booth")
    # Control: the oracle does reject a JS ballot whose proof was altered.
    bad = tamper.load(ballots[0])
    bad["answers"][1]["overall_proof"][0]["response"] = tamper.flip_digit(bad["answers"][1]["overall_proof"][0]["response"])
    (d / "bad.json").write_bytes(dumpb(bad) + b"\n")
    proc = belenios3.run(d, "election", "verify-ballot", "--dir=.", "--ballot=bad.json", check=False)
    assert proc.returncode == 124 and "InvalidBallot" in proc.stderr, proc.stderr


@pytest.mark.interop
def test_js_ballots_cast_tallied_and_verified_in_a_fresh_saylau_election(
        fresh: ElectionFiles, belenios3: Any, tmp_path: Path) -> None:
    d = fresh.copy(tmp_path / "election")
    made = run_js([{"op": "make", "election": fresh.raw, "credential": fresh.private[v], "choices": [one_hot(i)]}
                   for v, i in FRESH_VOTES])
    for m, (voter, _) in zip(made, FRESH_VOTES, strict=True):
        assert python_ok(fresh, m["ballot"]) == m["tracker"]
        f = tmp_path / f"{voter}-{m['tracker'][:8].replace('/', '_')}.json"
        f.write_text(m["ballot"] + "\n")
        out = cli_ok("ballot", "cast", "--dir", str(d), str(f))
        assert f"tracker {m['tracker']}" in out and "receipt" in out
    assert len(list((d / "receipts").iterdir())) == len(FRESH_VOTES)
    # A ballot cannot be cast twice.
    code, _ = cli("ballot", "cast", "--dir", str(d), str(f))
    assert code == 2
    with passphrase():
        cli_ok("tally", "--dir", str(d))
        cli_ok("decrypt", "--dir", str(d), "--trustee-id", "1", "--secret", str(d / "chair.secret"))
        out = cli_ok("result", "--dir", str(d))
    last = dict(FRESH_VOTES)  # the last ballot of each voter counts
    expected = [[sum(1 for i in last.values() if i == a) for a in range(5)]]
    assert json.loads(out.splitlines()[0]) == {"result": expected}
    code, report = cli("verify", str(d / f"{fresh.election.uuid}.bel"), "--quiet", "--jobs", "1")
    assert code == 0, report
    rep = verify_record(d)
    assert rep.ok and rep.result == expected, rep.render()
    # belenios-tool 3.x: each booth ballot against a Setup-only archive, then the whole record.
    belenios3_accepts(belenios3, setup_only(fresh, tmp_path / "setup-only", belenios3), [m["ballot"] for m in made], "booth")
    proc = belenios3.run(d, "election", "verify", "--dir=.", check=False)
    assert proc.returncode == 0 and "I: all checks passed" in proc.stderr, proc.stderr


# --- the JS verifier rejects ----------------------------------------------------------------


def _cases(files: ElectionFiles) -> dict[str, tuple[bytes, set[str]]]:
    """name → (tampered ballot, the exact set of finding codes expected)."""
    e = files.election
    voter = next(iter(files.private))
    cred = files.private[voter]
    rng = SeededRng(7)
    base_raw, _ = make_ballot(e, cred, SAMPLE_CHOICES[0], rng=rng)
    base = tamper.load(base_raw)
    out: dict[str, tuple[bytes, set[str]]] = {}

    def case(name: str, expected: set[str], f: Any, *, sign: bool = True) -> None:
        b = copy.deepcopy(base)
        f(b)
        out[name] = (tamper.resign(b, e, cred, rng) if sign else dumpb(b), expected)

    def at(path: list[Any], fn: Any) -> Any:
        def f(b: Any) -> None:
            node = b
            for k in path[:-1]:
                node = node[k]
            node[path[-1]] = fn(node[path[-1]])
        return f

    case("flipped individual proof", {"proof.individual"}, at(["answers", 0, "individual_proofs", 1, 0, "response"], tamper.flip_digit))
    case("flipped overall proof", {"proof.overall"}, at(["answers", 1, "overall_proof", 2, "challenge"], tamper.flip_digit))
    case("flipped blank proof", {"proof.blank"}, at(["answers", 2, "blank_proof", 0, "response"], tamper.flip_digit))
    case("wrong signature", {"signature.proof"}, at(["signature", "proof", "response"], lambda r: str((int(r) + 1) % ED_Q)), sign=False)
    case("signature by another credential", {"signature.proof"},
         lambda b: b.update(signature=tamper.load(tamper.resign(b, e, files.private[list(files.private)[1]], rng))["signature"]),
         sign=False)
    case("altered after signing", {"proof.individual", "signature.hash"},
         at(["answers", 0, "individual_proofs", 1, 0, "response"], tamper.flip_digit), sign=False)
    out["signature hash altered"] = (base_raw.replace(b'"hash":"', b'"hash":"x', 1), {"signature.hash", "signature.proof"})
    for code, point in tamper.POINTS.items():
        case(f"{code} in a ciphertext", {code.split("/")[0]}, tamper.set_alpha(point))
    case("identity as a ciphertext (a valid element, but the proof fails)", {"proof.individual", "proof.overall"},
         tamper.set_alpha(tamper.IDENTITY))
    case("small-order credential", {"point.small_order"}, lambda b: b.update(credential=tamper.POINTS["point.small_order"]))
    case("other election uuid", {"ballot.election_uuid"}, lambda b: b.update(election_uuid="BoothTest5Other"))
    case("other election hash", {"ballot.election_hash"}, lambda b: b.update(election_hash="A" * 43))
    case("missing answer", {"ballot.answer_count"}, lambda b: b["answers"].pop())
    case("missing ciphertext", {"ballot.choice_count"}, lambda b: b["answers"][1]["choices"].pop())
    case("missing proof item", {"ballot.proof_count"}, lambda b: b["answers"][0]["overall_proof"].append(b["answers"][0]["overall_proof"][0]))
    case("missing blank proof", {"field.missing"}, lambda b: b["answers"][2].pop("blank_proof"))
    case("blank proof on a question without blank", {"field.extra"},
         lambda b: b["answers"][0].update(blank_proof=b["answers"][2]["blank_proof"]))
    case("extra field in the ballot", {"field.extra"}, lambda b: b.update(comment="hi"))
    case("extra field in a ciphertext", {"field.extra"}, lambda b: b["answers"][0]["choices"][0].update(gamma="0"))
    case("fields out of order", {"field.order"}, lambda b: b["answers"][0].update(
        choices=[{"beta": c["beta"], "alpha": c["alpha"]} for c in b["answers"][0]["choices"]]))
    case("scalar not below q", {"scalar.invalid"}, at(["answers", 0, "individual_proofs", 0, 0, "challenge"], lambda c: str(int(c) + ED_Q)))
    case("scalar with a leading zero", {"scalar.invalid"}, at(["answers", 0, "individual_proofs", 0, 0, "challenge"], lambda c: "0" + c))
    case("scalar as a number", {"scalar.invalid"}, at(["answers", 0, "individual_proofs", 0, 0, "challenge"], lambda c: 5))
    case("sum above max (forged overall proof)", {"proof.overall"},
         lambda b: b["answers"].__setitem__(0, tamper.forged_answer(e, b["credential"], 0, [1, 1, 0, 0], rng)))
    case("sum below min (forged overall proof)", {"proof.overall"},
         lambda b: b["answers"].__setitem__(0, tamper.forged_answer(e, b["credential"], 0, [0, 0, 0, 0], rng)))
    case("sum above max (proof for a wider range)", {"ballot.proof_count"},
         lambda b: b["answers"].__setitem__(0, tamper.forged_answer(e, b["credential"], 0, [1, 1, 0, 0], rng, widen=True)))
    out["non-canonical JSON"] = (base_raw.replace(b'":"', b'": "', 1), {"ballot.noncanonical"})
    out["not JSON"] = (base_raw[:-1], {"json.malformed"})
    out["a list"] = (b"[]", {"field.type"})
    out["wrong types"] = (dumpb(dict(base, credential=None, answers={}, signature=[])),
                          {"point.encoding", "field.type"})
    deep = dumpb(dict(base, election_uuid="DEEP")).replace(b'"DEEP"', b"[" * 6000 + b"]" * 6000)
    out["too deeply nested to serialize"] = (deep, {"ballot.unreadable"})
    return out


@functools.cache
def sample_cases() -> dict[str, tuple[bytes, set[str]]]:
    """The cases for the Ed25519 sample election (made once: names are needed at collection)."""
    return _cases(sample_files())


@pytest.fixture(scope="module")
def rejections(ed_sample: ElectionFiles) -> dict[str, tuple[bytes, set[str], set[str]]]:
    cases = sample_cases()
    results = run_js([{"op": "check", "election": ed_sample.raw, "ballot": raw.decode()} for raw, _ in cases.values()])
    return {name: (raw, expected, codes(res["findings"])) for (name, (raw, expected)), res in zip(cases.items(), results, strict=True)}


@pytest.mark.parametrize("name", list(sample_cases()))
def test_js_verifier_rejects(name: str, rejections: dict[str, tuple[bytes, set[str], set[str]]], ed_sample: ElectionFiles) -> None:
    raw, expected, found = rejections[name]
    assert found == expected, f"{name}: expected {expected}, JS found {found}"
    with pytest.raises(BallotError):  # Python refuses it too
        check_ballot(parse_ballot(raw, ed_sample.election), ed_sample.election)


def test_js_verifier_checks_the_credential_list(ed_sample: ElectionFiles, fresh: ElectionFiles) -> None:
    cred = next(iter(ed_sample.private.values()))
    b = js({"op": "make", "election": ed_sample.raw, "credential": cred, "choices": SAMPLE_CHOICES[1]})["ballot"]
    others = [e for e in ed_sample.public if e.split(",")[0] != tamper.load(b)["credential"]]
    assert codes(js({"op": "check", "election": ed_sample.raw, "ballot": b, "credentials": others})["findings"]) == {"credential.unknown"}
    # A ballot for another election: refused as such (its proofs are not even tried).
    f = js({"op": "make", "election": fresh.raw, "credential": fresh.private["voter1"], "choices": [one_hot(0)]})["ballot"]
    found = codes(js({"op": "check", "election": ed_sample.raw, "ballot": f})["findings"])
    assert found == {"ballot.election_uuid", "ballot.election_hash", "ballot.answer_count"}
    with pytest.raises(BallotError):
        check_ballot(parse_ballot(f.encode(), ed_sample.election), ed_sample.election)


# --- timing -------------------------------------------------------------------------------


def test_timing_in_node(fresh: ElectionFiles, capsys: pytest.CaptureFixture[str]) -> None:
    r = js({"op": "bench", "election": fresh.raw, "credential": fresh.private["voter1"], "choices": [one_hot(2)], "n": 10})
    assert r["invalid"] == 0
    with capsys.disabled():
        print(f"\n[booth timing, Node] 1 question x 5 answers: make {r['make_ms']:.1f} ms, "
              f"verify {r['check_ms']:.1f} ms per ballot (mean of {r['n']}; ballot {r['bytes']} bytes)")
