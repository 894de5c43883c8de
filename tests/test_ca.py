"""The credential authority (`saylau ca`, record.credauthority, record.credletters): its key, the
roll export it reads, the credentials it makes (derivation as the protocol's §4), the signed public
lists, letters and cards, and replacements; refusals of malformed input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from saylau.board.note import Signer, load_vkey
from saylau.cli.main import main
from saylau.crypto import credentials
from saylau.crypto.group import SYSTEM_RNG, group_by_name
from saylau.crypto.secretfile import open_secret
from saylau.record import credauthority as ca
from saylau.record.docsig import check_document

ROLL = (
    "election,precinct,channel,count,voter_ref,language\n"
    "akim,p-101,remote,1,Ref00000001,kk\n"
    "akim,p-101,remote,1,Ref00000002,ru\n"
    "akim,p-101,station,3,,\n"
    "akim,p-102,remote,1,Ref00000003,en\n"
)
UUID = "h6S2PidkvfE8QM"


@pytest.fixture
def ca_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAYLAU_PASSPHRASE", "correct horse")
    assert main(["ca", "init", "--out", str(tmp_path / "ca"), "--name", "test/ca"]) == 0
    (tmp_path / "roll.csv").write_text(ROLL)
    return tmp_path / "ca"


def test_generate_writes_signed_lists_letters_cards_and_a_sealed_store(ca_dir: Path, tmp_path: Path) -> None:
    out = ca_dir / "akim"
    assert main(["ca", "generate", "--ca", str(ca_dir), "--roll-export", str(tmp_path / "roll.csv"),
                 "--election", "akim", "--uuid", UUID, "--out", str(out), "--title", "Әкім сайлауы"]) == 0
    vkey = load_vkey(str(ca_dir / "ca.vkey"))
    group = group_by_name("Ed25519")
    store = open_secret((out / "private.secret").read_text(), "correct horse")
    # every public credential is the derivation of a private one (protocol §4.2)
    for ref, voter in store["voters"].items():  # type: ignore[union-attr]
        assert group.encode(credentials.public_credential(group, UUID, voter["credential"])) == voter["public"]
        assert (out / "letters" / f"{ref}.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / "cards" / "p-101.pdf").read_bytes().startswith(b"%PDF-")
    assert not (out / "cards" / "p-102.pdf").exists()
    for name, count in (("p-101.remote", 2), ("p-101.station", 3), ("p-102.remote", 1)):
        data = (out / "public" / f"{name}.json").read_bytes()
        claims = check_document(data, (out / "public" / f"{name}.json.sig").read_text(), vkey)
        assert claims.kind == "public-credentials" and claims.unit == name.replace(".", ":") + ":" + UUID
        values = json.loads(data)
        assert len(values) == count and values == sorted(values)
    group_name, lists = ca.read_upload_bundle((out / "upload.json").read_text(), "akim", [vkey])
    assert group_name == "Ed25519" and len(lists) == 3
    privates = json.dumps(store)
    assert "Ref00000001" in privates and "Ref00000001" not in (out / "upload.json").read_text()
    # the CA's files stay private
    assert (out / "private.secret").stat().st_mode & 0o077 == 0
    assert (ca_dir / "ca.secret").stat().st_mode & 0o077 == 0


def test_replace_revokes_the_old_credential_with_a_signed_record(ca_dir: Path, tmp_path: Path) -> None:
    out = ca_dir / "akim"
    main(["ca", "generate", "--ca", str(ca_dir), "--roll-export", str(tmp_path / "roll.csv"), "--election", "akim",
          "--uuid", UUID, "--out", str(out)])
    before = open_secret((out / "private.secret").read_text(), "correct horse")["voters"]["Ref00000002"]  # type: ignore[index]
    assert main(["ca", "replace", "--ca", str(ca_dir), "--dir", str(out), "--voter-ref", "Ref00000002"]) == 0
    after = open_secret((out / "private.secret").read_text(), "correct horse")["voters"]["Ref00000002"]  # type: ignore[index]
    assert after["revoked"] == [before["public"]] and after["public"] != before["public"]
    record = ca.read_replacement((out / "replacements" / "Ref00000002-1.json").read_text(), "akim", "Ed25519",
                                 [load_vkey(str(ca_dir / "ca.vkey"))])
    assert (record.old, record.new, record.precinct) == (before["public"], after["public"], "p-101")
    assert (out / "letters" / "Ref00000002-1.pdf").read_bytes().startswith(b"%PDF-")
    assert main(["ca", "replace", "--ca", str(ca_dir), "--dir", str(out), "--voter-ref", "Nobody000"]) == 2


def test_refusals(ca_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = ca_dir / "akim"
    assert main(["ca", "generate", "--ca", str(ca_dir), "--roll-export", str(tmp_path / "roll.csv"),
                 "--election", "other", "--uuid", UUID, "--out", str(out)]) == 2
    assert "election" in capsys.readouterr().err
    assert main(["ca", "init", "--out", str(ca_dir)]) == 2  # never overwrites a key
    main(["ca", "generate", "--ca", str(ca_dir), "--roll-export", str(tmp_path / "roll.csv"), "--election", "akim",
          "--uuid", UUID, "--out", str(out)])
    assert main(["ca", "generate", "--ca", str(ca_dir), "--roll-export", str(tmp_path / "roll.csv"), "--election",
                 "akim", "--uuid", UUID, "--out", str(out)]) == 2  # never overwrites an election's credentials


@pytest.mark.parametrize("text", [
    "",
    "election,precinct\n",
    "election,precinct,channel,count,voter_ref,language\nakim,p,remote,2,Ref00000001,kk\n",
    "election,precinct,channel,count,voter_ref,language\nakim,p,remote,1,short,kk\n",
    "election,precinct,channel,count,voter_ref,language\nakim,p,remote,1,Ref00000001,de\n",
    "election,precinct,channel,count,voter_ref,language\nakim,p,remote,1,Ref00000001,kk\nakim,p,remote,1,Ref00000001,kk\n",
    "election,precinct,channel,count,voter_ref,language\nakim,p,station,3,Ref00000001,\n",
    "election,precinct,channel,count,voter_ref,language\nakim,p,station,3,,\nakim,p,station,3,,\n",
    "election,precinct,channel,count,voter_ref,language\nakim,p,post,1,,\n",
    "election,precinct,channel,count,voter_ref,language\nakim,p,station,-1,,\n",
    "election,precinct,channel,count,voter_ref,language\nakim,p,station\n",
])
def test_malformed_roll_exports_are_refused(text: str) -> None:
    with pytest.raises(ca.CredentialFileInvalid):
        ca.parse_roll_export(io.StringIO(text), "akim")


def test_bundles_are_checked_element_by_element() -> None:
    signer = Signer.generate("test/ca")
    roll = ca.parse_roll_export(io.StringIO(ROLL), "akim")
    made = ca.generate(roll, election="akim", uuid=UUID, group_name="Ed25519", signer=signer, rng=SYSTEM_RNG)
    bad_list = ca.sign_list("akim", "p-9", "remote", UUID, ["ff" * 32], signer)  # not a group element
    with pytest.raises(ca.CredentialFileInvalid) as bad:
        ca.read_upload_bundle(ca.upload_bundle("akim", "Ed25519", [bad_list]), "akim", [signer.verifier()])
    assert (bad.value.precinct, bad.value.reason) == ("p-9", "element")
    twice = ca.sign_list("akim", "p-9", "remote", UUID, [made.lists[0].credentials[0]] * 2, signer)
    with pytest.raises(ca.CredentialFileInvalid) as dup:
        ca.read_upload_bundle(ca.upload_bundle("akim", "Ed25519", [twice]), "akim", [signer.verifier()])
    assert dup.value.reason == "duplicate"
    with pytest.raises(ca.CredentialFileInvalid) as other:
        ca.read_upload_bundle(ca.upload_bundle("akim", "Ed25519", made.lists), "akim",
                              [Signer.generate("x").verifier()])
    assert other.value.reason == "signature"
    per_precinct = ca.generate(roll, election="akim", uuid={"p-101": UUID, "p-102": "1kkDd2GF4qTCn6"},
                               group_name="Ed25519", signer=signer, rng=SYSTEM_RNG, v2=True)
    assert {p.uuid for p in per_precinct.lists} == {UUID, "1kkDd2GF4qTCn6"}
    assert all(len(letter.credential) == 19 for letter in per_precinct.letters)
