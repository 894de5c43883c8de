"""A commission's signature on a published document (record.docsig, `saylau document …`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saylau.board.note import Signer, parse_vkey
from saylau.cli.main import main
from saylau.record.docsig import DocumentSignatureInvalid, check_document, sign_document

PDF = b"%PDF-1.7 protocol of the Atyrau territorial commission\n"


def _key(name: str = "saylau.kz/tec-atyrau") -> Signer:
    return Signer(name, bytes(range(32)))


def test_a_signature_names_the_document_and_checks_its_bytes() -> None:
    key = _key()
    note = sign_document(PDF, key, kind="results-protocol", election="akim-saraishyk-2025", unit="atyrau",
                         language="kk")
    claims = check_document(PDF, note, parse_vkey(key.vkey()))
    assert (claims.kind, claims.election, claims.unit, claims.language, claims.size) == (
        "results-protocol", "akim-saraishyk-2025", "atyrau", "kk", len(PDF))
    assert claims.signer == "saylau.kz/tec-atyrau"


@pytest.mark.parametrize("tamper", ["bytes", "key", "text", "truncate"])
def test_a_forged_or_mismatched_signature_is_refused(tamper: str) -> None:
    key = _key()
    note = sign_document(PDF, key, kind="results-protocol", election="e1", unit="kz", language="ru")
    data, verifier = PDF, parse_vkey(key.vkey())
    if tamper == "bytes":
        data = PDF.replace(b"Atyrau", b"Aktobe")
    elif tamper == "key":
        verifier = parse_vkey(Signer("saylau.kz/tec-atyrau", bytes(32)).vkey())
    elif tamper == "text":
        note = note.replace("\nru\n", "\nkk\n")
    else:
        data = PDF[:-1]
    with pytest.raises(DocumentSignatureInvalid):
        check_document(data, note, verifier)


@pytest.mark.parametrize("field", ["kind", "election", "unit", "language"])
def test_claims_with_newlines_or_odd_characters_are_refused(field: str) -> None:
    claims = {"kind": "results-protocol", "election": "e1", "unit": "kz", "language": "kk", field: "a\nb"}
    with pytest.raises(ValueError, match=field):
        sign_document(PDF, _key(), **claims)


def test_the_command_line_keygen_sign_verify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SAYLAU_PASSPHRASE", "commission passphrase")
    monkeypatch.chdir(tmp_path)
    doc = tmp_path / "protocol-kk.pdf"
    doc.write_bytes(PDF)
    assert main(["commission", "keygen", "--name", "saylau.kz/tec-atyrau", "--out", "tec"]) == 0
    assert os.stat("tec.secret").st_mode & 0o777 == 0o600
    assert "PRIVATE" not in Path("tec.secret").read_text()  # sealed, never in the clear
    assert main(["document", "sign", "--key", "tec.secret", "--election", "e1", "--unit", "atyrau",
                 "--language", "kk", str(doc)]) == 0
    capsys.readouterr()
    assert main(["document", "verify", "--key", "tec.vkey", str(doc)]) == 0
    assert "OK: signed by saylau.kz/tec-atyrau" in capsys.readouterr().out
    doc.write_bytes(PDF + b"changed")
    assert main(["document", "verify", "--key", "tec.vkey", str(doc), f"{doc}.sig"]) == 1
    assert "INVALID" in capsys.readouterr().err
    monkeypatch.setenv("SAYLAU_PASSPHRASE", "wrong")
    assert main(["document", "sign", "--key", "tec.secret", "--election", "e1", "--unit", "x",
                 "--language", "kk", "--out", "other.sig", str(doc)]) == 2
    assert "wrong passphrase" in capsys.readouterr().err
    assert main(["commission", "keygen", "--name", "n", "--out", "tec"]) == 2  # never overwrites a key
