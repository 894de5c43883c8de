"""Witnesses: the tlog-witness protocol, and split views caught by every witness and client."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from saylau.board import merkle
from saylau.board.errors import Misbehaviour, WitnessRefusal
from saylau.board.note import (
    Checkpoint,
    Cosigner,
    Policy,
    Signer,
    sign_checkpoint,
    verify_cosignatures,
)
from saylau.board.publish import http_submitter, local_submitter, publish_checkpoint
from saylau.board.store import LogStore
from saylau.board.witness import Witness, detect_split_view, format_add_checkpoint
from saylau.board.witness_server import serve_witness

ORIGIN = "saylau.example/election/test"
LOG = Signer(ORIGIN, bytes(range(32)))
EVIL_TWIN = b"other"


def witness(tmp: Path, name: str, seed: int) -> Witness:
    return Witness(Cosigner(f"witness.example/{name}", bytes([seed]) * 32), {ORIGIN: [LOG.verifier()]}, tmp / name,
                   clock=lambda: 1_800_000_000)


def tree(leaves: list[bytes]) -> merkle.MemoryNodes:
    t = merkle.MemoryNodes()
    for d in leaves:
        t.append(merkle.leaf_hash(d))
    return t


def note_for(t: merkle.MemoryNodes, size: int) -> str:
    return sign_checkpoint(Checkpoint(ORIGIN, size, merkle.root(t, size)), LOG)


def test_witnesses_cosign_consistent_growth_and_policy(tmp_path: Path):
    ws = [witness(tmp_path, f"w{i}", i + 1) for i in range(3)]
    with LogStore(tmp_path / "log", create=True) as s:
        s.append([b"a", b"b", b"c"])
        note, errors = publish_checkpoint(s, LOG, [(w.cosigner.name, local_submitter(w)) for w in ws])
        assert errors == {}
        s.append([b"d", b"e"])
        note, errors = publish_checkpoint(s, LOG, [(w.cosigner.name, local_submitter(w)) for w in ws[:2]])
        assert errors == {}
        policy = Policy(tuple(w.cosigner.verifier() for w in ws), quorum=2)
        result = policy.require(note)
        assert set(result.cosigned) == {"witness.example/w0", "witness.example/w1"}
        assert result.missing == ("witness.example/w2",)
        assert s.read_checkpoint() == note
        # w2 is behind (size 3): the log learns it from a 409 and sends the right proof
        note, errors = publish_checkpoint(s, LOG, [("w2", local_submitter(ws[2]))])
        assert errors == {} and "witness.example/w2" in verify_cosignatures(note, [ws[2].cosigner.verifier()])


def test_split_view_same_size_every_witness_refuses_and_client_detects(tmp_path: Path):
    honest = tree([b"a", b"b", b"c", b"d"])
    forked = tree([b"a", b"b", b"c", EVIL_TWIN])
    ws = [witness(tmp_path, f"w{i}", i + 1) for i in range(3)]
    good, bad = note_for(honest, 4), note_for(forked, 4)
    lines = [w.add_checkpoint(format_add_checkpoint(0, [], good)) for w in ws]
    cosigned = good + "".join(lines)
    for w in ws:
        with pytest.raises(WitnessRefusal) as exc:
            w.add_checkpoint(format_add_checkpoint(4, [], bad))
        assert exc.value.status == 409 and "split view" in str(exc.value)
        assert "checkpoint A" in exc.value.body and list(w.state_dir.glob("misbehaviour-*.txt"))
    with pytest.raises(Misbehaviour) as m:
        detect_split_view(cosigned, bad, LOG.verifier())
    assert "two different roots" in m.value.evidence


def test_rewritten_history_and_rollback_are_refused(tmp_path: Path):
    honest = tree([b"a", b"b", b"c", b"d", b"e", b"f"])
    rewritten = tree([b"a", b"X", b"c", b"d", b"e", b"f", b"g"])
    ws = [witness(tmp_path, f"w{i}", i + 1) for i in range(2)]
    for w in ws:
        w.add_checkpoint(format_add_checkpoint(0, [], note_for(honest, 6)))
        # a larger tree whose prefix is not the cosigned one: the log's proof fails
        proof = merkle.consistency_proof(rewritten, 6, 7)
        with pytest.raises(WitnessRefusal) as exc:
            w.add_checkpoint(format_add_checkpoint(6, proof, note_for(rewritten, 7)))
        assert exc.value.status == 422
        # a smaller tree after a bigger one
        with pytest.raises(WitnessRefusal) as exc:
            w.add_checkpoint(format_add_checkpoint(6, [], note_for(honest, 5)))
        assert exc.value.status == 400
        with pytest.raises(Misbehaviour) as m:
            w.follow(note_for(honest, 5), lambda a, b: [])
        assert "smaller tree" in m.value.evidence
        with pytest.raises(Misbehaviour):
            w.follow(note_for(rewritten, 7), lambda a, b: merkle.consistency_proof(rewritten, a, b))
    with pytest.raises(Misbehaviour):
        detect_split_view(note_for(honest, 6), note_for(rewritten, 7), LOG.verifier(),
                          lambda a, b: merkle.consistency_proof(rewritten, a, b))


def test_witness_http_protocol_statuses(tmp_path: Path):
    w = witness(tmp_path, "http", 9)
    server = serve_witness(w)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    t = tree([b"a", b"b", b"c"])

    def post(body: str) -> tuple[int, str, str]:
        req = urllib.request.Request(url + "/add-checkpoint", data=body.encode(), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status, r.read().decode(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), exc.headers.get("Content-Type", "")

    try:
        assert post(format_add_checkpoint(0, [], note_for(t, 2)))[0] == 200
        status, body, ctype = post(format_add_checkpoint(0, [], note_for(t, 3)))
        assert (status, body, ctype) == (409, "2\n", "text/x.tlog.size")
        assert post(format_add_checkpoint(2, [], note_for(t, 3)))[0] == 422  # proof missing
        assert post(format_add_checkpoint(2, merkle.consistency_proof(t, 2, 3), note_for(t, 3)))[0] == 200
        assert post(format_add_checkpoint(9, [], note_for(t, 3)))[0] == 400
        other = sign_checkpoint(Checkpoint("someone.else/log", 1, merkle.leaf_hash(b"")), Signer("someone.else/log", b"\x07" * 32))
        assert post(format_add_checkpoint(0, [], other))[0] == 404
        forged = sign_checkpoint(Checkpoint(ORIGIN, 3, merkle.root(t, 3)), Signer(ORIGIN, b"\x08" * 32))
        assert post(format_add_checkpoint(3, [], forged))[0] == 403
        assert post("garbage")[0] == 400
        assert post(format_add_checkpoint(3, [], "not a note\n"))[0] == 400
        submit = http_submitter(url)
        assert submit(format_add_checkpoint(3, [], note_for(t, 3))).startswith("\u2014 witness.example/http ")
    finally:
        server.shutdown()
