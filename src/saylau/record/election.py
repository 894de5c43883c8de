"""Election parameters (`election.json`, protocol doc §3) and templates.

The fingerprint `φ = b64(SHA256(election bytes as stored))` is taken over the original
bytes, never a re-serialization.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from saylau.crypto.answers import QuestionShape
from saylau.crypto.errors import CryptoError
from saylau.crypto.group import Group, group_by_name

from .canonical import b64_sha256, dumpb, loads_strict
from .errors import MalformedRecord
from .fields import integer, lst, obj, string

# The group is chosen at run time from the record, so record-level types carry Group[Any].
AnyGroup = Group[Any]

_UUID = re.compile("[1-9A-HJ-NP-Za-km-z]{14,}")
ELECTION_KEYS = ("version", "description", "name", "group", "public_key", "questions", "uuid", "administrator", "credential_authority")
QUESTION_KEYS = ("answers", "blank", "min", "max", "question")


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    answers: tuple[str, ...]
    min: int
    max: int
    blank: bool

    @property
    def shape(self) -> QuestionShape:
        return QuestionShape(len(self.answers), self.min, self.max, self.blank)


@dataclass(frozen=True, slots=True)
class Election:
    """Checked election parameters; `raw` is the exact stored bytes."""

    raw: bytes
    uuid: str
    name: str
    description: str
    group: AnyGroup
    public_key: Any
    questions: tuple[Question, ...]

    @property
    def fingerprint(self) -> str:
        return b64_sha256(self.raw)


def parse_question(value: object, where: str) -> Question:
    d = obj(value, where, QUESTION_KEYS, optional=("blank",))
    answers = tuple(string(a, f"{where}.answers[{i}]") for i, a in enumerate(lst(d["answers"], f"{where}.answers")))
    if not answers:
        raise MalformedRecord(f"{where}.answers", "a question needs at least one answer")
    blank = d.get("blank", False)
    if blank is not True and "blank" in d:
        raise MalformedRecord(f"{where}.blank", "present only when true")
    lo = integer(d["min"], f"{where}.min", 0, len(answers))
    hi = integer(d["max"], f"{where}.max", lo, len(answers))
    if blank and lo == 0:
        raise MalformedRecord(f"{where}.min", "a blank-allowed question needs min ≥ 1")
    return Question(string(d["question"], f"{where}.question"), answers, lo, hi, bool(blank))


def parse_election(raw: bytes, where: str = "election") -> Election:
    d = obj(loads_strict(raw, where), where, ELECTION_KEYS, optional=("administrator", "credential_authority"))
    if d["version"] != 1:
        raise MalformedRecord(f"{where}.version", f"unsupported version {d['version']!r}")
    try:
        group = group_by_name(d["group"], field=f"{where}.group")
        y = group.parse(d["public_key"], field=f"{where}.public_key")
    except CryptoError as exc:
        raise MalformedRecord(where, str(exc)) from exc
    questions = tuple(parse_question(q, f"{where}.questions[{i}]") for i, q in enumerate(lst(d["questions"], f"{where}.questions")))
    if not questions:
        raise MalformedRecord(f"{where}.questions", "an election needs at least one question")
    uuid = string(d["uuid"], f"{where}.uuid")
    if not _UUID.fullmatch(uuid):
        raise MalformedRecord(f"{where}.uuid", "must be at least 14 base58 characters (no 0, O, I or l)")
    return Election(
        raw, uuid, string(d["name"], f"{where}.name"),
        string(d["description"], f"{where}.description"), group, y, questions,
    )


def election_from_template(template: object, *, uuid: str, group: AnyGroup, public_key: object) -> bytes:
    """The election bytes for a Belenios template `{"description","name","questions"}`."""
    t = obj(template, "template", ("description", "name", "questions"))
    questions = []
    for i, q in enumerate(lst(t["questions"], "template.questions")):
        where = f"template.questions[{i}]"
        if not isinstance(q, dict):
            raise MalformedRecord(where, "expected an object")
        unknown = set(q) - {"question", "answers", "min", "max", "blank"}
        if unknown:
            raise MalformedRecord(where, f"unknown field(s) {sorted(unknown)}")
        out: dict[str, object] = {"answers": q.get("answers")}
        if q.get("blank") is True:
            out["blank"] = True
        out.update({"min": q.get("min"), "max": q.get("max"), "question": q.get("question")})
        questions.append(out)
    raw = dumpb({
        "version": 1, "description": t["description"], "name": t["name"], "group": group.name,
        "public_key": group.encode(public_key), "questions": questions, "uuid": uuid,
    })
    parse_election(raw, "template")  # refuse a template that would not make a valid election
    return raw
