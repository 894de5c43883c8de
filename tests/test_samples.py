"""Known answers: the Belenios sample elections verify and give the known results."""

from __future__ import annotations

import json

import pytest

from saylau.crypto import credentials
from saylau.crypto.group import BELENIOS_2048, ED25519
from saylau.record.ballot import check_ballot, parse_ballot
from saylau.record.election import parse_election
from saylau.verify.verifier import verify_record

from .conftest import ED_SAMPLE, FF_SAMPLE, KNOWN_RESULT


@pytest.mark.parametrize("sample", [ED_SAMPLE, FF_SAMPLE], ids=["3.0-Ed25519", "2.0-BELENIOS-2048"])
def test_sample_archive_verifies_with_known_result(sample):
    report = verify_record(sample)
    assert report.findings == []
    assert report.result == KNOWN_RESULT
    assert report.stats["ballots counted (last per credential)"] == 20


def test_sample_loose_bel_file_verifies():
    report = verify_record(ED_SAMPLE / "h6S2PidkvfE8QM.bel")
    assert report.ok and report.result == KNOWN_RESULT


@pytest.mark.parametrize(("sample", "phi"), [
    (ED_SAMPLE, "HNs9w7d+c5cz58PpN4G1XjyZynntzj6uiCCH3JvuGb8"),
    (FF_SAMPLE, "PyVLYWDiwgFLYLvxn30hdtkjImSrh9YDC/mGxD9StJ0"),
])
def test_fingerprint(sample, phi):
    assert parse_election((sample / "election.json").read_bytes().rstrip(b"\n")).fingerprint == phi


@pytest.mark.parametrize(("sample", "tracker"), [
    (ED_SAMPLE, "MMamoS7axL2YcmZbEEzIQ6YN5Wf4OE1j5ZaoGF8Ibgg"),
    (FF_SAMPLE, "9gW25YuGzOI6ALJzSqJWa5LcjyJUuu3gw03mcXlEeGc"),
])
def test_tracker_and_ballot_checks(sample, tracker):
    election = parse_election((sample / "election.json").read_bytes().rstrip(b"\n"))
    ballot = parse_ballot((sample / "ballots" / "00001.json").read_bytes().rstrip(b"\n"), election)
    assert ballot.tracker == tracker == (sample / "ballots" / "00001.tracker").read_text().strip()
    check_ballot(ballot, election)


def test_credential_derivation_worked_examples():
    assert credentials.derive(ED25519, "h6S2PidkvfE8QM", "YiAGq-72jkwF-XjcPD-FXHtmH") == \
        6211968646748055003736519646619739765937410487600704840482470976327016615003
    assert ED25519.encode(credentials.public_credential(ED25519, "h6S2PidkvfE8QM", "YiAGq-72jkwF-XjcPD-FXHtmH")) == \
        "a77ac14a59cd6568cc6f8f9cde9b9d2d0f2791f2e419007333e3f07aafa4264b"
    assert credentials.derive(BELENIOS_2048, "1kkDd2GF4qTCn6", "xCU-4Ms-Hyk-Fdy-R26") == \
        62214040722490843487637682235761508328758912031467477161389398237021342522144


@pytest.mark.parametrize("sample", [ED_SAMPLE, FF_SAMPLE])
def test_every_sample_credential_derives_its_public_credential(sample):
    election = parse_election((sample / "election.json").read_bytes().rstrip(b"\n"))
    g = election.group
    public = {e.split(",")[0] for e in json.loads((sample / "public_creds.json").read_text())}
    if (sample / "private_creds.json").exists():
        private = list(json.loads((sample / "private_creds.json").read_text()).values())
    else:
        private = [line.split()[-1] for line in (sample / "private_creds.txt").read_text().splitlines()]
    assert {g.encode(credentials.public_credential(g, election.uuid, c)) for c in private} == public


def test_credential_fingerprint():
    from saylau.record.canonical import b64_sha256, dumpb

    creds = [e.split(",")[0] for e in json.loads((ED_SAMPLE / "public_creds.json").read_text())]
    assert b64_sha256(dumpb(creds)) == "wxK+oCvFFK0LvR87ELFT20voYgLXnYLT9/h0p5IvS2A"


def test_proof_hash_worked_example():
    s = "sig|IuFDF9MovWwsPk3G4E75t8pENWOtsWcNeRPLiaZs2Pc|"
    assert ED25519.hash_to_scalar(s, ["0da35f6254cc71ff3f46503e259bd2c2b9e6f751fcb6131aee29eec10e948f9b"]) == \
        7041471056093388631138229170948208140067211712982466729508305658626077425641


def test_sample_dkg_decryption_keys_and_partial_decryption_factors():
    """Our DKG channel opens Belenios' .dkey files, and our factors equal the published ones."""
    from saylau.crypto import dkg
    from saylau.crypto.decryption import partial_decrypt
    from saylau.record.workflow import ElectionDir

    election = parse_election((ED_SAMPLE / "election.json").read_bytes().rstrip(b"\n"))
    g = election.group
    threshold = json.loads((ED_SAMPLE / "threshold.json").read_text())
    h1 = (ED_SAMPLE / "1.trustee").read_text().strip()
    seed = (ED_SAMPLE / f"{h1}.key").read_text().strip()
    s = dkg.decryption_key(g, seed, json.loads((ED_SAMPLE / f"{h1}.dkey").read_text()))
    assert g.encode(g.g_pow(s)) == threshold["verification_keys"][0]["public_key"]
    d = ElectionDir(ED_SAMPLE)
    from saylau.record.workflow import encrypted_tally

    tally, _ = encrypted_tally(d)
    factors, _ = partial_decrypt(g, election.fingerprint, s, tally, rng=lambda n: b"\x01" * n)
    published = json.loads((ED_SAMPLE / "pd_threshold_2.json").read_text().splitlines()[0])
    assert [[g.encode(f) for f in row] for row in factors] == published["decryption_factors"]
