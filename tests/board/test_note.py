"""Signed notes, checkpoints and cosignatures (bulletin-board.md §5, §9)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.board.errors import InvalidNote
from saylau.board.note import (
    MAX_SIGNATURES,
    SIG_TYPE_COSIGNATURE_V1,
    SIG_TYPE_ED25519,
    Checkpoint,
    Cosigner,
    Note,
    NoteSignature,
    Policy,
    Signer,
    Verifier,
    add_signatures,
    cosign,
    key_id,
    open_checkpoint,
    parse_checkpoint_text,
    parse_note,
    parse_skey,
    parse_vkey,
    sign_checkpoint,
    sign_note,
    verify_cosignatures,
    verify_note,
)
from saylau.crypto.signing import SigningKey
from saylau.crypto.signing import verify as ed25519_verify
from tests.conftest import SHARED

# -- §5.4 golden example ---------------------------------------------------------------------

LOG_NAME = "saylau.example/test-log"
WITNESS_NAME = "witness.example/w1"
LOG_SEED = bytes(range(0x00, 0x20))
WITNESS_SEED = bytes(range(0x20, 0x40))
LOG_VKEY = "saylau.example/test-log+c6bdb672+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
WITNESS_VKEY = "witness.example/w1+20324abe+BCmsuuFBvMrwsi4alNNNC8c2HlJtC/4SyJeUvJMilm3X"
ROOT_B64 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
TIMESTAMP = 1700000000
CHECKPOINT_TEXT = f"{LOG_NAME}\n8\n{ROOT_B64}\n"
LOG_LINE = (
    "— saylau.example/test-log xr22cmW17W/SdIsb483X2SPCdkJjDBxmeLpbXNvfINOrvL3cTIrcMjHWzAVJ"
    "DE2b4c2zztSrWkKqqmAJIO3rB5KPVQM=\n"
)
WITNESS_LINE = (
    "— witness.example/w1 IDJKvgAAAABlU/EA/13m8UQF/e+I+KxtCejssZtWJLpYKxYAcTp/VRQtPYa8L7F5Bv0u"
    "kMv7gErlyR0h2tMFkgMqJjlFsfFsfnqqAg==\n"
)
GOLDEN_NOTE = CHECKPOINT_TEXT + "\n" + LOG_LINE + WITNESS_LINE
EMPTY_ROOT_B64 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

LOG = Signer(LOG_NAME, LOG_SEED)
WITNESS = Cosigner(WITNESS_NAME, WITNESS_SEED)
CHECKPOINT = Checkpoint(LOG_NAME, 8, base64.b64decode(ROOT_B64))


def _examples() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(
        (SHARED / "tlog-vectors" / "signed-note-examples.json").read_text("utf-8")
    )
    return data


def test_golden_keys() -> None:
    assert LOG.vkey() == LOG_VKEY
    assert WITNESS.vkey() == WITNESS_VKEY
    assert LOG.public.hex() == "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
    assert WITNESS.public.hex() == "29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7"
    assert parse_vkey(LOG_VKEY) == LOG.verifier()
    assert parse_vkey(WITNESS_VKEY) == WITNESS.verifier()
    assert parse_vkey(WITNESS_VKEY).sig_type == SIG_TYPE_COSIGNATURE_V1


def test_golden_checkpoint_byte_for_byte() -> None:
    assert CHECKPOINT.text() == CHECKPOINT_TEXT
    signed = sign_checkpoint(CHECKPOINT, LOG)
    assert signed == CHECKPOINT_TEXT + "\n" + LOG_LINE
    assert cosign(CHECKPOINT_TEXT, WITNESS, TIMESTAMP) == WITNESS_LINE
    assert cosign(CHECKPOINT, WITNESS, TIMESTAMP) == WITNESS_LINE
    assert add_signatures(signed, WITNESS_LINE) == GOLDEN_NOTE
    assert add_signatures(signed, [WITNESS.cosign(CHECKPOINT, TIMESTAMP)]) == GOLDEN_NOTE


def test_golden_checkpoint_verifies() -> None:
    log_v, witness_v = parse_vkey(LOG_VKEY), parse_vkey(WITNESS_VKEY)
    assert open_checkpoint(GOLDEN_NOTE, log_v) == CHECKPOINT
    assert open_checkpoint(GOLDEN_NOTE.encode(), log_v, origin=LOG_NAME) == CHECKPOINT
    assert verify_note(GOLDEN_NOTE, [log_v, witness_v]) == [LOG_NAME, WITNESS_NAME]
    assert verify_cosignatures(GOLDEN_NOTE, [witness_v]) == {WITNESS_NAME: TIMESTAMP}
    parsed = parse_note(GOLDEN_NOTE)
    assert parsed.text == CHECKPOINT_TEXT
    assert str(parsed) == GOLDEN_NOTE
    assert [s.name for s in parsed.signatures] == [LOG_NAME, WITNESS_NAME]
    assert parsed.signatures[1].payload[:8] == TIMESTAMP.to_bytes(8, "big")


def test_open_checkpoint_refusals() -> None:
    with pytest.raises(InvalidNote, match="origin"):
        open_checkpoint(GOLDEN_NOTE, LOG.verifier(), origin="saylau.example/other")
    with pytest.raises(InvalidNote, match="no signature from a known key|not signed"):
        open_checkpoint(CHECKPOINT_TEXT + "\n" + WITNESS_LINE, LOG.verifier())
    with pytest.raises(InvalidNote, match="signature type 0x04"):
        open_checkpoint(GOLDEN_NOTE, WITNESS.verifier())
    other = Signer(LOG_NAME, bytes(32))
    with pytest.raises(InvalidNote, match="not signed by the log key"):
        open_checkpoint(GOLDEN_NOTE, other.verifier())


def test_cosignature_of_another_checkpoint_fails() -> None:
    moved = Checkpoint(LOG_NAME, 9, CHECKPOINT.root_hash)
    forged = sign_checkpoint(moved, LOG) + WITNESS_LINE
    with pytest.raises(InvalidNote, match="bad signature by witness.example/w1"):
        verify_cosignatures(forged, [WITNESS.verifier()])
    # the log's own key is not a witness key
    with pytest.raises(InvalidNote, match="cosignature/v1"):
        verify_cosignatures(GOLDEN_NOTE, [LOG.verifier()])


def test_cosign_refuses_bad_timestamps_and_texts() -> None:
    for ts in (-1, 2**63):
        with pytest.raises(InvalidNote, match="timestamp"):
            cosign(CHECKPOINT_TEXT, WITNESS, ts)
    with pytest.raises(InvalidNote, match="extension"):
        cosign(CHECKPOINT_TEXT + "ext\n", WITNESS, TIMESTAMP)
    assert cosign(CHECKPOINT_TEXT, WITNESS, 2**63 - 1).startswith("— witness.example/w1 ")


def test_cosignature_timestamp_above_2_63_refused() -> None:
    sig = parse_note(GOLDEN_NOTE).signatures[1]
    huge = NoteSignature(sig.name, sig.key_id, (2**63).to_bytes(8, "big") + sig.payload[8:])
    with pytest.raises(InvalidNote, match="2\\^63"):
        verify_cosignatures(CHECKPOINT_TEXT + "\n" + LOG_LINE + huge.line(), [WITNESS.verifier()])


# -- policy ----------------------------------------------------------------------------------

W2 = Cosigner("witness.example/w2", bytes(range(0x40, 0x60)))
W3 = Cosigner("witness.example/w3", bytes(range(0x60, 0x80)))


def test_policy_quorum() -> None:
    policy = Policy.from_vkeys([WITNESS_VKEY, W2.vkey(), W3.vkey()], quorum=2)
    one = policy.evaluate(GOLDEN_NOTE)
    assert dict(one.cosigned) == {WITNESS_NAME: TIMESTAMP}
    assert one.missing == ("witness.example/w2", "witness.example/w3")
    assert not one.is_met
    with pytest.raises(InvalidNote, match="1 of the required 2"):
        policy.require(GOLDEN_NOTE)
    two = add_signatures(GOLDEN_NOTE, cosign(CHECKPOINT, W3, TIMESTAMP + 5))
    result = policy.require(two)
    assert result.is_met
    assert dict(result.cosigned) == {WITNESS_NAME: TIMESTAMP, "witness.example/w3": TIMESTAMP + 5}
    assert result.missing == ("witness.example/w2",)


def test_policy_configuration_refusals() -> None:
    with pytest.raises(InvalidNote, match="quorum 3"):
        Policy((WITNESS.verifier(), W2.verifier()), 3)
    with pytest.raises(InvalidNote, match="quorum -1"):
        Policy((WITNESS.verifier(),), -1)
    with pytest.raises(InvalidNote, match="witness key"):
        Policy((LOG.verifier(),), 1)


def test_policy_bad_cosignature_from_configured_witness_refuses() -> None:
    bad = WITNESS_LINE.replace("IDJKvgAAAABlU/EA/13m", "IDJKvgAAAABlU/EA/13n")
    note = CHECKPOINT_TEXT + "\n" + LOG_LINE + bad + cosign(CHECKPOINT, W2, TIMESTAMP)
    with pytest.raises(InvalidNote, match="bad signature by witness.example/w1"):
        Policy((WITNESS.verifier(), W2.verifier()), 1).evaluate(note)
    # a policy that does not know w1 ignores its line
    assert Policy((W2.verifier(),), 1).require(note).cosigned == {"witness.example/w2": TIMESTAMP}


# -- §9 signed-note examples -----------------------------------------------------------------


@pytest.mark.parametrize("example", _examples(), ids=lambda e: e["source"])
def test_signed_note_examples_verify(example: dict[str, Any]) -> None:
    verifier = parse_vkey(example["vkey"])
    assert verifier.sig_type == SIG_TYPE_ED25519
    assert verifier.vkey() == example["vkey"]
    assert verify_note(example["note"], [verifier]) == [verifier.name]
    assert key_id(verifier.name, SIG_TYPE_ED25519, verifier.public) == verifier.key_id


def test_signed_note_example_resigned_from_skey() -> None:
    (example,) = [e for e in _examples() if "skey" in e]
    signer = parse_skey(example["skey"])
    assert isinstance(signer, Signer)
    assert signer.skey() == example["skey"]
    assert signer.vkey() == example["vkey"]
    text = parse_note(example["note"]).text
    assert sign_note(text, [signer]) == example["note"]
    assert Signer.from_skey(example["skey"]).sign(text).line() == example["note"][len(text) + 1 :]


def test_plus_inside_base64_key_material() -> None:
    # both the golden log vkey and the PeterNeumann skey have '+' in their Base64 part
    assert "+" in LOG_VKEY.split("+", 2)[2]
    (example,) = [e for e in _examples() if "skey" in e]
    assert "+" in example["skey"].split("+", 4)[4]
    assert parse_vkey(LOG_VKEY).name == LOG_NAME
    assert parse_skey(example["skey"]).name == "PeterNeumann"
    assert parse_skey(WITNESS.skey()).vkey() == WITNESS_VKEY
    assert isinstance(parse_skey(WITNESS.skey()), Cosigner)


@pytest.mark.parametrize(
    ("vkey", "why"),
    [
        ("saylau.example/test-log+c6bdb672", "not '<name>"),
        ("+c6bdb672+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4", "empty"),
        ("saylau.example/test-log+c6bdb673+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4", "does not match"),
        ("saylau.example/test-log+c6bdb67+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4", "8 hex"),
        ("saylau.example/test-log+c6bdb672+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG", "base64"),
        ("saylau.example/test-log+c6bdb672+AgOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4", "type 0x02"),
        ("saylau.example/test-log+c6bdb672+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVQ==", "32 bytes"),
        ("saylau example+c6bdb672+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4", "space"),
    ],
)
def test_vkey_refusals(vkey: str, why: str) -> None:
    with pytest.raises(InvalidNote, match=why):
        parse_vkey(vkey)


def test_skey_refusals() -> None:
    good = LOG.skey()
    with pytest.raises(InvalidNote, match="PRIVATE\\+KEY"):
        parse_skey(good.replace("PRIVATE+KEY+", "SECRET+KEY+"))
    with pytest.raises(InvalidNote, match="does not match"):
        parse_skey(good.replace("+c6bdb672+", "+00000000+"))
    with pytest.raises(InvalidNote, match="expected 0x04 for a Cosigner"):
        Cosigner.from_skey(good)
    with pytest.raises(InvalidNote, match="not standard base64") as info:
        parse_skey(good[:-1] + "!")
    assert good.split("+", 4)[4][:10] not in str(info.value)  # no secret material in messages
    with pytest.raises(InvalidNote, match="seed must be 32 bytes"):
        Signer("x", bytes(31))
    assert "seed" not in repr(LOG) and LOG_SEED.hex() not in repr(LOG)


# -- note syntax and verification rules ------------------------------------------------------

PETER = next(e for e in _examples() if "skey" in e)
PETER_NOTE: str = PETER["note"]
PETER_V = parse_vkey(PETER["vkey"])
PETER_TEXT = parse_note(PETER_NOTE).text


@pytest.mark.parametrize(
    ("note", "why"),
    [
        (PETER_TEXT + PETER_NOTE[len(PETER_TEXT) + 1 :], "no empty line"),
        (PETER_TEXT + "\n", "no signature lines"),
        (PETER_NOTE[:-1], "does not end in a newline"),
        (PETER_NOTE.replace("x08go/", "x08go*"), "base64"),
        (PETER_NOTE.replace("nAM=\n", "nAM\n"), "base64"),
        (PETER_NOTE.replace("nAM=\n", "nAN=\n"), "non-canonical"),
        (PETER_NOTE.replace("nAM=\n", "nAM= \n"), "fields"),
        (PETER_NOTE.replace("— Peter", "- Peter"), "em dash"),
        (PETER_NOTE.replace("— Peter", "– Peter"), "em dash"),
        (PETER_NOTE.replace("— Peter", "—Peter"), "em dash"),
        (PETER_NOTE.replace("— PeterNeumann ", "—  "), "empty"),
        (PETER_NOTE.replace("PeterNeumann ", "Peter+Neumann "), "'\\+'"),
        (PETER_NOTE.replace("PeterNeumann ", "Peter\u00a0Neumann "), "space"),
        (PETER_NOTE.replace("answer", "ans\twer"), "U\\+0009"),
        (PETER_NOTE.replace("answer", "ans\rwer"), "U\\+000D"),
        (PETER_NOTE.replace("answer", "ans\x00wer"), "U\\+0000"),
        (PETER_NOTE + "\n", "no signature lines"),
        (PETER_NOTE + "garbage\n", "em dash"),
        ("\ud800\n\n" + PETER_NOTE[len(PETER_TEXT) + 1 :], "UTF-8"),
    ],
)
def test_malformed_notes_refused(note: str, why: str) -> None:
    with pytest.raises(InvalidNote, match=why):
        verify_note(note, [PETER_V])


def test_invalid_utf8_bytes_refused() -> None:
    raw = PETER_NOTE.encode().replace(b"answer", b"ans\xffwer")
    with pytest.raises(InvalidNote, match="UTF-8"):
        parse_note(raw)
    assert verify_note(PETER_NOTE.encode(), [PETER_V]) == ["PeterNeumann"]


def test_short_payload_refused() -> None:
    line = "— PeterNeumann " + base64.b64encode(b"abc").decode() + "\n"
    with pytest.raises(InvalidNote, match="shorter than a key ID"):
        parse_note(PETER_NOTE + line)
    # exactly a key ID with no signature is syntactically fine but fails for a known key
    empty_sig = NoteSignature("PeterNeumann", PETER_V.key_id, b"").line()
    with pytest.raises(InvalidNote, match="0 bytes, expected 64"):
        verify_note(PETER_NOTE + empty_sig, [PETER_V])


def test_unknown_keys_ignored() -> None:
    stranger = Signer("example.org/stranger", bytes(32))
    same_name = Signer("PeterNeumann", bytes(32))  # known name, unknown key ID
    same_id = NoteSignature("example.org/other", PETER_V.key_id, bytes(64))  # known ID, other name
    note = sign_note(PETER_TEXT, [stranger, same_name]) + same_id.line()
    note = add_signatures(note, PETER_NOTE[len(PETER_TEXT) + 1 :])
    assert verify_note(note, [PETER_V]) == ["PeterNeumann"]
    with pytest.raises(InvalidNote, match="no signature from a known key"):
        verify_note(sign_note(PETER_TEXT, [stranger, same_name]) + same_id.line(), [PETER_V])


def _corrupt(line: str) -> str:
    """Flip one bit in the Ed25519 signature part of a signature line."""
    prefix, encoded = line.rstrip("\n").rsplit(" ", 1)
    raw = bytearray(base64.b64decode(encoded))
    raw[10] ^= 0x01
    return f"{prefix} {base64.b64encode(bytes(raw)).decode()}\n"


def test_only_known_signature_bad_refused() -> None:
    bad = PETER_TEXT + "\n" + _corrupt(PETER_NOTE[len(PETER_TEXT) + 1 :])
    with pytest.raises(InvalidNote, match="signature line 1: bad signature by PeterNeumann"):
        verify_note(bad, [PETER_V])


def test_known_bad_next_to_good_refused() -> None:
    second = Signer("example.org/second", bytes(range(32)))
    good = sign_note(PETER_TEXT, [Signer.from_skey(PETER["skey"]), second])
    sig_lines = good[len(PETER_TEXT) + 1 :].splitlines(keepends=True)
    bad = PETER_TEXT + "\n" + sig_lines[0] + _corrupt(sig_lines[1])
    assert verify_note(good, [PETER_V, second.verifier()]) == ["PeterNeumann", "example.org/second"]
    assert verify_note(bad, [PETER_V]) == ["PeterNeumann"]  # the bad one is unknown here
    with pytest.raises(InvalidNote, match="signature line 2: bad signature by example.org/second"):
        verify_note(bad, [PETER_V, second.verifier()])


def test_empty_lines_inside_text() -> None:
    text = "first\n\nthird\n\n\nsixth\n\n"
    note = sign_note(text, LOG)
    parsed = parse_note(note)
    assert parsed.text == text
    assert verify_note(note, [LOG.verifier()]) == [LOG_NAME]
    # the C2SP example poem
    poem = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n"
    assert parse_note(sign_note(poem, LOG)).text == poem


def test_signature_count_limit() -> None:
    signers = [Signer(f"example.org/k{i}", bytes([i]) * 32) for i in range(16)]
    note = sign_note("sixteen\n", signers)
    assert len(verify_note(note, [s.verifier() for s in signers])) == 16
    stranger = NoteSignature("example.org/x", key_id("example.org/x", 1, bytes(32)), bytes(64))
    crowded = note + stranger.line() * (MAX_SIGNATURES - 16)
    assert verify_note(crowded, [signers[0].verifier()]) == ["example.org/k0"]
    with pytest.raises(InvalidNote, match="101 signature lines"):
        verify_note(crowded + stranger.line(), [signers[0].verifier()])
    with pytest.raises(InvalidNote, match="more than 100"):
        add_signatures(crowded, stranger.line())


def test_sign_note_refusals() -> None:
    for text, why in [("", "empty"), ("no newline", "newline"), ("tab\there\n", "U\\+0009")]:
        with pytest.raises(InvalidNote, match=why):
            sign_note(text, LOG)
    with pytest.raises(InvalidNote, match="at least one signer"):
        sign_note("x\n", [])
    for name in ("", "a b", "a+b", "a\u2003b"):
        with pytest.raises(InvalidNote):
            Signer(name, LOG_SEED)


def test_add_signatures_refuses_malformed_lines() -> None:
    with pytest.raises(InvalidNote, match="em dash"):
        add_signatures(GOLDEN_NOTE, "- witness.example/w1 AAAA\n")
    with pytest.raises(InvalidNote, match="contains a newline"):
        add_signatures(GOLDEN_NOTE, WITNESS_LINE + WITNESS_LINE)
    with pytest.raises(InvalidNote, match="U\\+0009"):
        add_signatures(GOLDEN_NOTE, WITNESS_LINE.replace(" ", "\t", 1))


def test_repeated_verifier_is_harmless() -> None:
    v = LOG.verifier()
    assert verify_note(GOLDEN_NOTE, [v, v]) == [LOG_NAME]


# -- checkpoints -----------------------------------------------------------------------------


def test_empty_tree_checkpoint() -> None:
    cp = parse_checkpoint_text(f"{LOG_NAME}\n0\n{EMPTY_ROOT_B64}\n")
    assert cp.size == 0 and cp.text() == f"{LOG_NAME}\n0\n{EMPTY_ROOT_B64}\n"


def test_large_size_checkpoint() -> None:
    text = f"{LOG_NAME}\n{2**64 - 1}\n{ROOT_B64}\n"
    assert parse_checkpoint_text(text).size == 2**64 - 1


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (f"{LOG_NAME}\n08\n{ROOT_B64}\n", "leading zeros"),
        (f"{LOG_NAME}\n00\n{ROOT_B64}\n", "leading zeros"),
        (f"{LOG_NAME}\n-8\n{ROOT_B64}\n", "decimal"),
        (f"{LOG_NAME}\n+8\n{ROOT_B64}\n", "decimal"),
        (f"{LOG_NAME}\n 8\n{ROOT_B64}\n", "decimal"),
        (f"{LOG_NAME}\n8 \n{ROOT_B64}\n", "decimal"),
        (f"{LOG_NAME}\n\uff18\n{ROOT_B64}\n", "decimal"),  # FULLWIDTH DIGIT EIGHT
        (f"{LOG_NAME}\n1_000\n{ROOT_B64}\n", "decimal"),
        (f"{LOG_NAME}\n\n{ROOT_B64}\n", "decimal"),
        (f"{LOG_NAME}\n{2**64}\n{ROOT_B64}\n", "2\\^64"),
        (f"{LOG_NAME}\n{10**30}\n{ROOT_B64}\n", "decimal"),
        (f"{LOG_NAME}\n8\n{base64.b64encode(bytes(31)).decode()}\n", "32 bytes, got 31"),
        (f"{LOG_NAME}\n8\n{base64.b64encode(bytes(33)).decode()}\n", "32 bytes, got 33"),
        (f"{LOG_NAME}\n8\n\n", "32 bytes, got 0"),
        (f"{LOG_NAME}\n8\n{ROOT_B64[:-1]}\n", "base64"),
        (f"{LOG_NAME}\n8\n{ROOT_B64}", "newline"),
        (f"{LOG_NAME}\n8\n{ROOT_B64}\next\n", "extension"),
        (f"{LOG_NAME}\n8\n", "2 lines"),
        (f"\n8\n{ROOT_B64}\n", "origin is empty"),
        (f"saylau.example/a b\n8\n{ROOT_B64}\n", "space"),
        (f"saylau.example/a+b\n8\n{ROOT_B64}\n", "'\\+'"),
        (f"{LOG_NAME}\r\n8\n{ROOT_B64}\n", "control"),
    ],
)
def test_checkpoint_text_refusals(text: str, why: str) -> None:
    with pytest.raises(InvalidNote, match=why):
        parse_checkpoint_text(text)


def test_checkpoint_constructor_validates() -> None:
    with pytest.raises(InvalidNote, match="outside"):
        Checkpoint(LOG_NAME, -1, bytes(32))
    with pytest.raises(InvalidNote, match="32 bytes"):
        Checkpoint(LOG_NAME, 1, bytes(20))


def test_signed_note_that_is_not_a_checkpoint() -> None:
    with pytest.raises(InvalidNote, match="lines"):
        open_checkpoint(sign_note("hello\n", LOG), LOG.verifier())


# -- properties ------------------------------------------------------------------------------

_line_chars = st.characters(exclude_categories=["Cs"], exclude_characters="\n", min_codepoint=0x20)
texts = st.lists(st.text(_line_chars, max_size=40), min_size=1, max_size=6).map(
    lambda lines: "\n".join(lines) + "\n"
)
names = st.text(
    st.characters(exclude_categories=["Cs", "Zs", "Zl", "Zp", "Cc"], exclude_characters="+"),
    min_size=1,
    max_size=20,
).filter(lambda s: not any(c.isspace() for c in s))
seeds = st.binary(min_size=32, max_size=32)


@given(texts, names, seeds)
def test_sign_verify_round_trip(text: str, name: str, seed: bytes) -> None:
    signer = Signer(name, seed)
    note = sign_note(text, signer)
    assert parse_note(note).text == text
    assert verify_note(note, [parse_vkey(signer.vkey())]) == [name]
    assert parse_skey(signer.skey()).vkey() == signer.vkey()


@given(texts, names, seeds, st.data())
def test_flipping_any_signature_byte_fails(text: str, name: str, seed: bytes, data: st.DataObject) -> None:
    signer = Signer(name, seed)
    sig = signer.sign(text)
    raw = bytearray(sig.key_id.to_bytes(4, "big") + sig.payload)
    index = data.draw(st.integers(0, len(raw) - 1), label="index")
    raw[index] ^= data.draw(st.integers(1, 255), label="mask")
    line = f"— {name} {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(InvalidNote):
        verify_note(text + "\n" + line, [signer.verifier()])


@given(names, seeds, st.integers(0, 2**63 - 1), st.integers(0, 2**64 - 1), st.binary(min_size=32, max_size=32))
def test_cosign_round_trip(name: str, seed: bytes, ts: int, size: int, root: bytes) -> None:
    cp = Checkpoint("saylau.example/e", size, root)
    assert parse_checkpoint_text(cp.text()) == cp
    log = Signer("saylau.example/e", LOG_SEED)
    witness = Cosigner(name, seed)
    note = sign_checkpoint(cp, log) + cosign(cp.text(), witness, ts)
    assert open_checkpoint(note, log.verifier()) == cp
    assert verify_cosignatures(note, [witness.verifier()]) == {name: ts}


@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_garbage_raises_only_invalid_note(junk: str | bytes) -> None:
    for check in (
        lambda: parse_note(junk),
        lambda: verify_note(junk, [PETER_V]),
        lambda: open_checkpoint(junk, LOG.verifier()),
        lambda: verify_cosignatures(junk, [WITNESS.verifier()]),
    ):
        try:
            check()
        except InvalidNote:
            pass
    if isinstance(junk, str):
        for parse in (parse_vkey, parse_skey, parse_checkpoint_text):
            try:
                parse(junk)
            except InvalidNote:
                pass


@given(st.integers(0, len(GOLDEN_NOTE) - 1), st.sampled_from("AZaz09+/= \n—-x"))
def test_mutated_golden_note_never_crashes(index: int, char: str) -> None:
    mutated = GOLDEN_NOTE[:index] + char + GOLDEN_NOTE[index + 1 :]
    try:
        cp = open_checkpoint(mutated, LOG.verifier())
    except InvalidNote:
        return
    assert mutated == GOLDEN_NOTE or cp == CHECKPOINT


# -- the signing primitive -------------------------------------------------------------------


def test_signing_key_primitive() -> None:
    key = SigningKey(LOG_SEED)
    sig = key.sign(b"msg")
    assert len(sig) == 64 and ed25519_verify(key.public, b"msg", sig)
    assert not ed25519_verify(key.public, b"msh", sig)
    assert not ed25519_verify(key.public[:31], b"msg", sig)
    assert not ed25519_verify(key.public, b"msg", sig[:63])
    assert not ed25519_verify(bytes(32), b"msg", sig)
    assert LOG_SEED.hex() not in repr(key)


def test_note_value_types() -> None:
    note = parse_note(GOLDEN_NOTE)
    assert isinstance(note, Note)
    assert note.signatures[0] == (LOG_NAME, LOG.key_id, note.signatures[0].payload)
    assert Verifier(LOG_NAME, SIG_TYPE_ED25519, LOG.public).key_id == 0xC6BDB672
