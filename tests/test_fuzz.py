"""`saylau verify` never ends in a traceback, whatever the archive holds (Hypothesis fuzzing).

In-process, one worker, on a tiny archive (one question, three ballots with a re-vote), so
that 2,000+ examples take a minute or two.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto import credentials
from saylau.crypto.group import ED25519
from saylau.crypto.trustees import single_generate
from saylau.record.archive import ArchiveWriter
from saylau.record.ballot import make_ballot
from saylau.record.canonical import dumpb, sha256_hex
from saylau.record.election import election_from_template, parse_election
from saylau.record.workflow import (
    ElectionDir,
    add_partial_decryption,
    close_and_tally,
    compute_result,
    make_partial_decryption,
)
from saylau.verify.errors import UnreadableRecord
from saylau.verify.verifier import verify_record

from . import archive_tools as at
from .conftest import SeededRng


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[at.Item], bytes]:
    rng = SeededRng(7)
    d = tmp_path_factory.mktemp("tiny")
    g = ED25519
    x, pub = single_generate(g, rng=rng)
    (d / "trustees.json").write_text(json.dumps([["Single", pub]], separators=(",", ":")))
    uuid = "TinyFuzz123456"
    creds = [credentials.generate(rng) for _ in range(2)]
    (d / "public_creds.json").write_text(json.dumps([g.encode(credentials.public_credential(g, uuid, c)) for c in creds]))
    template = {"description": "d", "name": "n", "questions": [{"question": "q", "answers": ["a", "b"], "min": 1, "max": 1}]}
    raw = election_from_template(template, uuid=uuid, group=g, public_key=g.g_pow(x))
    (d / "election.json").write_bytes(raw)
    from saylau.record.workflow import init_archive

    init_archive(ElectionDir(d), timestamp=1)
    election = parse_election(raw)
    w = ArchiveWriter(d / f"{uuid}.bel")
    for cred, choice in [(creds[0], [[1, 0]]), (creds[1], [[0, 1]]), (creds[0], [[0, 1]])]:
        w.add_event("Ballot", [make_ballot(election, cred, choice, rng=rng)[0]])
    ed = ElectionDir(d)
    close_and_tally(ed)
    add_partial_decryption(ed, *make_partial_decryption(ed, 1, x, rng=rng))
    assert compute_result(ed) == [[0, 2]]
    path = d / f"{uuid}.bel"
    assert verify_record(path).ok
    return at.load(path), path.read_bytes()


edits = st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(["flip", "delete", "insert", "duplicate", "swap", "digit"]), st.binary(min_size=1, max_size=4))


def _edit(data: bytes, pos: int, span: int, kind: str, junk: bytes) -> bytes:
    if not data:
        return junk
    i = pos % len(data)
    j = min(len(data), i + 1 + span % 64)
    if kind == "flip":
        return data[:i] + bytes([data[i] ^ (1 << (span % 8))]) + data[i + 1:]
    if kind == "delete":
        return data[:i] + data[j:]
    if kind == "insert":
        return data[:i] + junk + data[i:]
    if kind == "duplicate":
        return data[:j] + data[i:j] + data[j:]
    if kind == "digit":
        k = data.find(b"1", i)
        return data if k < 0 else data[:k] + b"2" + data[k + 1:]
    return data[:i] + data[j:] + data[i:j]


# CI runs the same 2,000 cases every time; SAYLAU_FUZZ_RANDOM=1 explores new ones.
@settings(max_examples=2000, deadline=None, derandomize=not os.environ.get("SAYLAU_FUZZ_RANDOM"))
@given(target=st.integers(0, 10**6), edit=edits, structural=st.integers(0, 9))
def test_verify_never_raises_on_mutated_archives(tiny, tmp_path_factory, target, edit, structural):
    items, raw = tiny
    out = tmp_path_factory.getbasetemp() / "fuzz.bel"
    if structural == 0:
        # raw bytes of the tar itself
        out.write_bytes(_edit(raw, target, *edit[1:]))
    else:
        mutated = [at.Item(it.type, list(it.data)) for it in items]
        it = mutated[target % len(mutated)]
        if structural == 1:
            mutated.insert(target % len(mutated), at.Item(it.type, list(it.data)))
        elif structural == 2:
            del mutated[target % len(mutated)]
        elif it.data:
            k = edit[0] % len(it.data)
            it.data[k] = _edit(it.data[k], edit[0], edit[1], edit[2], edit[3])
            if structural > 5:
                at.relink(mutated)
        else:
            it.type = ["Setup", "Ballot", "Result", "Junk"][edit[0] % 4]
        at.write(out, mutated)
    try:
        report = verify_record(out)
    except UnreadableRecord:
        return
    assert isinstance(report.render(), str)


def test_bad_inputs_are_refused_with_named_fields(tmp_path: Path):
    """Each kind of bad input, refused by a typed error that names the field."""
    from saylau.crypto.errors import InvalidElement, InvalidScalar
    from saylau.record.ballot import BallotError, parse_ballot
    from saylau.record.errors import MalformedRecord

    from .conftest import ED_SAMPLE

    g = ED25519
    cases = {
        "not hex": ("zz" * 32, "not hex"),
        "short": ("00" * 31, "short"),
        "non-canonical": ("7f" + "ff" * 31, "non-canonical"),
        "off curve": ("0" * 63 + "2", "off curve"),
        "small order": ("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "small order"),
        "wrong type": (12, "wrong type"),
    }
    for name, (value, _) in cases.items():
        with pytest.raises(InvalidElement) as exc:
            g.parse(value, field=f"ballot.answers[0].choices[0].alpha ({name})")
        assert "choices[0].alpha" in str(exc.value)
    for value in ("-1", "01", str(g.q), "1e3", 5):
        with pytest.raises(InvalidScalar):
            g.parse_scalar(value, field="challenge")
    election = parse_election((ED_SAMPLE / "election.json").read_bytes().rstrip(b"\n"))
    ballot = (ED_SAMPLE / "ballots" / "00001.json").read_bytes().rstrip(b"\n")
    for bad, where in [
        (b"{not json", "ballot"),
        (ballot.replace(b'"signature"', b'"signatur"'), "ballot"),
        (json.dumps(json.loads(ballot)).encode(), "ballot"),
        (ballot.replace(b'"answers":[', b'"answers":[1,', 1), "ballot.answers"),
    ]:
        with pytest.raises(BallotError) as exc:
            parse_ballot(bad, election)
        assert where in str(exc.value)
    with pytest.raises(MalformedRecord):
        parse_election(b'{"version":2}')
    with pytest.raises(UnreadableRecord):
        verify_record(tmp_path / "does-not-exist.bel")
    (tmp_path / "junk.bel").write_bytes(b"\x00" * 10)
    report = verify_record(tmp_path / "junk.bel")
    assert not report.ok


def test_dumpb_helpers_consistent():
    assert sha256_hex(dumpb([1])) == sha256_hex(b"[1]")
