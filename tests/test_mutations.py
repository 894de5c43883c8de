"""Tampering is caught: each mutation of a genuine record yields its specific finding."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from saylau.crypto import credentials
from saylau.crypto.proofs import prove_schnorr
from saylau.record.archive import tar_member
from saylau.record.ballot import make_ballot
from saylau.record.canonical import b64_sha256, dumpb
from saylau.record.election import parse_election
from saylau.verify.verifier import verify_record

from . import archive_tools as at
from .conftest import ED_SAMPLE, SeededRng

ARCHIVE = ED_SAMPLE / "h6S2PidkvfE8QM.bel"
ELECTION = parse_election((ED_SAMPLE / "election.json").read_bytes().rstrip(b"\n"))
PRIVATE = list(json.loads((ED_SAMPLE / "private_creds.json").read_text()).values())
Items = list[at.Item]


def _ballots(items: Items) -> list[at.Item]:
    return [it for it in items if it.type == "Ballot"]


def _edit_ballot(items: Items, i: int, fn: Callable[[dict], None]) -> None:
    b = _ballots(items)[i]
    d = json.loads(b.data[0])
    fn(d)
    b.data[0] = dumpb(d)


def _resign(d: dict, x: int) -> None:
    unsigned = {k: v for k, v in d.items() if k != "signature"}
    h = b64_sha256(dumpb(unsigned))
    p = prove_schnorr(ELECTION.group, f"sig|{h}|", x, rng=SeededRng(1))
    d["signature"] = {"hash": h, "proof": {"challenge": str(p.challenge), "response": str(p.response)}}


def m_proof_byte(items: Items) -> None:
    def f(d):
        p = d["answers"][0]["individual_proofs"][0][0]
        p["response"] = str((int(p["response"]) + 1) % ELECTION.group.q)
    _edit_ballot(items, 3, f)


def m_swapped_answers(items: Items) -> None:
    other = json.loads(_ballots(items)[5].data[0])
    _edit_ballot(items, 4, lambda d: d["answers"].__setitem__(1, other["answers"][1]))


def m_duplicate(items: Items) -> None:
    b = _ballots(items)[2]
    items.insert(items.index(b) + 1, at.Item("Ballot", list(b.data)))


def m_other_signer(items: Items) -> None:
    x_other = credentials.derive(ELECTION.group, ELECTION.uuid, PRIVATE[1])
    # ballot 0 is cast with PRIVATE[?]; re-sign it with someone else's key, credential unchanged
    _edit_ballot(items, 0, lambda d: _resign(d, x_other) if d["credential"] != ELECTION.group.encode(ELECTION.group.g_pow(x_other)) else _resign(d, x_other + 1))


def m_unknown_credential(items: Items) -> None:
    raw, _ = make_ballot(ELECTION, "ABCDE-FGHJKL-MNPQR-STUVWX", [[1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]], rng=SeededRng(5))
    b = _ballots(items)[-1]
    items.insert(items.index(b) + 1, at.Item("Ballot", [raw]))


def _tally_item(items: Items) -> at.Item:
    return next(it for it in items if it.type == "EncryptedTally")


def m_tally_cell(items: Items) -> None:
    t = _tally_item(items)
    rows = json.loads(t.data[0])
    rows[0][0]["alpha"], rows[0][1]["alpha"] = rows[0][1]["alpha"], rows[0][0]["alpha"]
    t.data[0] = dumpb(rows)
    at.relink(items)


def m_num_tallied(items: Items) -> None:
    t = _tally_item(items)
    sized = json.loads(t.data[1])
    sized["num_tallied"] += 1
    t.data[1] = dumpb(sized)


def m_total_weight(items: Items) -> None:
    t = _tally_item(items)
    sized = json.loads(t.data[1])
    sized["total_weight"] = 19
    t.data[1] = dumpb(sized)


def _pds(items: Items) -> list[at.Item]:
    return [it for it in items if it.type == "PartialDecryption"]


def m_pd_factor(items: Items) -> None:
    p = _pds(items)[1]
    body = json.loads(p.data[0])
    f = body["decryption_factors"]
    f[1][2], f[1][3] = f[1][3], f[1][2]
    p.data[0] = dumpb(body)
    at.relink(items)


def m_pd_owner(items: Items) -> None:
    p = _pds(items)[0]
    owned = json.loads(p.data[1])
    owned["owner"] = 9
    p.data[1] = dumpb(owned)


def m_pd_missing(items: Items) -> None:
    items.remove(_pds(items)[2])


def m_result(items: Items) -> None:
    r = next(it for it in items if it.type == "Result")
    r.data[0] = dumpb({"result": [[3, 6, 6, 5], [7, 12, 12, 8], [4, 7, 1, 14]]})


def m_result_shape(items: Items) -> None:
    r = next(it for it in items if it.type == "Result")
    r.data[0] = dumpb({"result": [[3, 6, 5, 6], [7, 12, 12, 8]]})


def m_result_missing(items: Items) -> None:
    items.pop()


def m_wrong_fingerprint(items: Items) -> None:
    _edit_ballot(items, 6, lambda d: d.__setitem__("election_hash", "AAAA" + d["election_hash"][4:]))


def m_other_election(items: Items) -> None:
    _edit_ballot(items, 7, lambda d: d.__setitem__("election_uuid", "h6S2PidkvfE8QN"))


def m_noncanonical(items: Items) -> None:
    b = _ballots(items)[8]
    b.data[0] = b.data[0].replace(b'"answers":', b'"answers": ', 1)


def m_off_curve(items: Items) -> None:
    _edit_ballot(items, 9, lambda d: d["answers"][0]["choices"][0].__setitem__("alpha", "0" * 63 + "2"))


def m_signature_hash(items: Items) -> None:
    _edit_ballot(items, 10, lambda d: d["signature"].__setitem__("hash", b64_sha256(b"something else")))


def m_trustee_pok(items: Items) -> None:
    setup = items[0]
    trustees = json.loads(setup.data[1])
    trustees[0][1]["pok"]["response"] = str(int(trustees[0][1]["pok"]["response"]) + 1)
    setup.data[1] = dumpb(trustees)
    at.relink(items)


def m_public_key(items: Items) -> None:
    setup = items[0]
    election = json.loads(setup.data[0])
    election["public_key"] = "6666666666666666666666666666666666666666666666666666666666666658"
    setup.data[0] = dumpb(election)
    at.relink(items)


def m_duplicate_credential(items: Items) -> None:
    setup = items[0]
    creds = json.loads(setup.data[2])
    creds[1] = creds[0]
    setup.data[2] = dumpb(creds)
    at.relink(items)


def m_ballot_after_end(items: Items) -> None:
    b = _ballots(items)[0]
    items.remove(b)
    items.insert(items.index(_tally_item(items)), b)


def m_unknown_event(items: Items) -> None:
    items.insert(3, at.Item("Shuffle", [b'{"x":1}']))


def m_dropped_ballot(items: Items) -> None:
    items.remove(_ballots(items)[11])


MUTATIONS: dict[str, tuple[Callable[[Items], None], str]] = {
    "changed proof byte": (m_proof_byte, "ballot.proof"),
    "answers swapped between ballots": (m_swapped_answers, "ballot.proof"),
    "duplicated ballot": (m_duplicate, "ballot.duplicate"),
    "signed with another credential": (m_other_signer, "ballot.signature"),
    "unknown credential": (m_unknown_credential, "ballot.unknown_credential"),
    "altered encrypted tally": (m_tally_cell, "tally.mismatch"),
    "wrong num_tallied": (m_num_tallied, "tally.num_tallied"),
    "wrong total_weight": (m_total_weight, "tally.total_weight"),
    "altered partial decryption": (m_pd_factor, "decryption.proof"),
    "partial decryption by unknown trustee": (m_pd_owner, "decryption.unknown_trustee"),
    "too few partial decryptions": (m_pd_missing, "decryption.not_enough"),
    "altered result": (m_result, "result.mismatch"),
    "result of the wrong shape": (m_result_shape, "result.malformed"),
    "result missing": (m_result_missing, "result.missing"),
    "wrong election fingerprint in a ballot": (m_wrong_fingerprint, "ballot.election"),
    "ballot for another election": (m_other_election, "ballot.election"),
    "non-canonical ballot": (m_noncanonical, "ballot.noncanonical"),
    "point off the curve": (m_off_curve, "ballot.malformed"),
    "altered signature hash": (m_signature_hash, "ballot.signature"),
    "trustee proof of knowledge altered": (m_trustee_pok, "setup.trustees"),
    "election key not the trustees' product": (m_public_key, "setup.public_key"),
    "credential listed twice": (m_duplicate_credential, "setup.credentials"),
    "ballot after EndBallots": (m_ballot_after_end, "event.order"),
    "unknown event type": (m_unknown_event, "archive.unknown_event"),
    "ballot dropped after the tally": (m_dropped_ballot, "tally.mismatch"),
}


def test_untouched_rebuild_has_no_finding(tmp_path: Path) -> None:
    out = tmp_path / "same.bel"
    at.write(out, at.load(ARCHIVE))
    report = verify_record(out)
    assert report.findings == []


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_is_caught_with_its_finding(tmp_path: Path, name: str) -> None:
    mutate, expected = MUTATIONS[name]
    items = at.load(ARCHIVE)
    mutate(items)
    out = tmp_path / "mutated.bel"
    at.write(out, items)
    report = verify_record(out)
    assert expected in report.checks(), report.render()


def test_truncated_archive(tmp_path: Path) -> None:
    data = ARCHIVE.read_bytes()
    out = tmp_path / "cut.bel"
    out.write_bytes(data[: len(data) * 2 // 3 + 100])
    assert "archive.truncated" in verify_record(out).checks()


def test_reordered_events(tmp_path: Path) -> None:
    items = at.load(ARCHIVE)
    raw_events = []
    parent = None
    for h, it in enumerate(items):
        ev: dict[str, object] = {} if parent is None else {"parent": parent}
        ev.update(height=h, type=it.type, **({"payload": __import__("hashlib").sha256(it.data[-1]).hexdigest()} if it.data else {}))
        raw = dumpb(ev)
        raw_events.append(raw)
        parent = __import__("hashlib").sha256(raw).hexdigest()
    # swap the physical order of two ballots, keeping each event's own bytes
    items[3], items[4] = items[4], items[3]
    raw_events[3], raw_events[4] = raw_events[4], raw_events[3]
    out = tmp_path / "reordered.bel"
    at.write(out, items, events=raw_events)
    assert "archive.structure" in verify_record(out).checks()


def test_member_content_not_matching_its_name(tmp_path: Path) -> None:
    import tarfile

    out = tmp_path / "renamed.bel"
    shutil.copy(ARCHIVE, out)
    with tarfile.open(ARCHIVE) as src, tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as dst:
        for i, m in enumerate(src.getmembers()):
            data = src.extractfile(m).read()
            if m.name.endswith(".data.json") and i == 10:
                data = data.replace(b"1", b"2", 1)
                m.size = len(data)
            import io

            dst.addfile(m, io.BytesIO(data))
    assert "archive.structure" in verify_record(out).checks()


def test_revote_in_saylau_election_mutations(tmp_path: Path) -> None:
    """On Saylau's own demo (with a re-vote): dropping the re-vote breaks the tally."""
    from saylau.cli.demo import run_demo

    d = tmp_path / "demo"
    assert run_demo(d) == 0
    archive = next(d.glob("*.bel"))
    items = at.load(archive)
    last_ballot = [it for it in items if it.type == "Ballot"][-1]
    items.remove(last_ballot)
    out = tmp_path / "norevote.bel"
    at.write(out, items)
    report = verify_record(out)
    assert "tally.mismatch" in report.checks()
    assert "result.mismatch" in report.checks() or "decryption.proof" in report.checks()


def test_at_least_twenty_distinct_mutations() -> None:
    assert len(MUTATIONS) + 3 >= 20
    assert len({code for _, code in MUTATIONS.values()}) >= 15


# --- the tar byte layout (belenios-tool rebuilds the archive and compares bytes) ---------------


def _ustar_copy(src: Path, out: Path) -> None:
    import io
    import tarfile

    with tarfile.open(src) as s, tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as d:
        for m in s.getmembers():
            d.addfile(m, io.BytesIO(s.extractfile(m).read()))


def test_ustar_archive_is_a_layout_finding(tmp_path: Path) -> None:
    out = tmp_path / "ustar.bel"
    _ustar_copy(ARCHIVE, out)
    report = verify_record(out)
    assert report.checks() == {"archive.layout"}, report.render()
    assert report.result is not None  # everything else is still checked
    details = [f.detail for f in report.findings]
    assert any("magic" in d and "V7" in d for d in details)
    assert any("after the last member" in d and "zero" in d for d in details)  # tarfile's end blocks
    assert len(report.findings) <= 23  # 20 members described, then counted


def test_trailing_zero_blocks_are_a_layout_finding(tmp_path: Path) -> None:
    out = tmp_path / "padded.bel"
    out.write_bytes(ARCHIVE.read_bytes() + bytes(1024))
    report = verify_record(out)
    assert report.checks() == {"archive.layout"}, report.render()
    assert "1024 byte(s) after the last member" in report.findings[0].detail


def test_member_with_another_mtime_is_a_layout_finding(tmp_path: Path) -> None:
    items = at.load(ARCHIVE)
    out = tmp_path / "mtime.bel"
    at.write(out, items)
    data = bytearray(out.read_bytes())
    # the second member (first data member): rewrite its header with another mtime
    first = 512 + 512  # BELENIOS header + its one block of content
    size = int(data[first + 124:first + 135], 8)
    name = data[first:first + 100].rstrip(b"\0").decode()
    data[first:first + 512] = tar_member(name, bytes(size), 1795597333)[:512]
    out.write_bytes(bytes(data))
    report = verify_record(out)
    assert report.checks() == {"archive.layout"}, report.render()
    assert "not the archive timestamp 1795597332" in report.findings[0].detail


@pytest.mark.parametrize("record", ["ed", "ff", "ed-dir", "ff-dir"])
def test_belenios_samples_have_no_layout_finding(record: str) -> None:
    from .conftest import FF_SAMPLE

    sample = ED_SAMPLE if record.startswith("ed") else FF_SAMPLE
    path = sample if record.endswith("-dir") else next(sample.glob("*.bel"))
    report = verify_record(path)
    assert report.ok, report.render()


def test_saylau_demo_has_no_layout_finding(tmp_path: Path) -> None:
    from saylau.cli.demo import run_demo

    d = tmp_path / "demo"
    assert run_demo(d) == 0
    report = verify_record(d)  # a directory holding one .bel, as `saylau verify DIR`
    assert report.ok and "archive.layout" not in report.checks(), report.render()
