"""Test helpers: decompose an archive into editable items and write it back consistently."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from saylau.record.archive import Event, read_events, tar_member
from saylau.record.canonical import dumpb, sha256_hex


@dataclass
class Item:
    type: str
    data: list[bytes] = field(default_factory=list)  # payload last, linked data before it


def load(path: Path) -> list[Item]:
    items = []
    for ev in read_events(path):
        if not isinstance(ev, Event):
            continue
        data: list[bytes] = []
        if ev.payload is not None:
            if ev.type == "Setup":
                setup = json.loads(ev.payload)
                data = [ev.linked[setup[k]] for k in ("election", "trustees", "credentials")]
            elif ev.type == "EncryptedTally":
                data = [ev.linked[json.loads(ev.payload)["encrypted_tally"]]]
            elif ev.type == "PartialDecryption":
                data = [ev.linked[json.loads(ev.payload)["payload"]]]
            data.append(ev.payload)
        items.append(Item(ev.type, data))
    return items


def relink(items: list[Item]) -> None:
    """Recompute the hash pointers inside Setup, EncryptedTally and PartialDecryption payloads."""
    for it in items:
        try:
            _relink_one(it)
        except (ValueError, TypeError, KeyError, AttributeError):
            pass  # a fuzzed payload that is no longer JSON stays as it is


def _relink_one(it: Item) -> None:
    if True:
        if it.type == "Setup" and len(it.data) == 4:
            it.data[3] = dumpb({k: sha256_hex(d) for k, d in zip(("election", "trustees", "credentials"), it.data[:3], strict=True)})
        elif it.type == "EncryptedTally" and len(it.data) == 2:
            sized = json.loads(it.data[1])
            sized["encrypted_tally"] = sha256_hex(it.data[0])
            it.data[1] = dumpb(sized)
        elif it.type == "PartialDecryption" and len(it.data) == 2:
            owned = json.loads(it.data[1])
            owned["payload"] = sha256_hex(it.data[0])
            it.data[1] = dumpb(owned)


def write(path: Path, items: list[Item], *, events: list[bytes] | None = None) -> None:
    """Write a .bel; events are chained in order (or given raw, for structural mutations)."""
    with open(path, "wb") as tar:
        _add(tar, "BELENIOS", dumpb({"version": 1, "timestamp": "1795597332"}))
        parent = None
        for height, it in enumerate(items):
            for d in it.data:
                _add(tar, f"{sha256_hex(d)}.data.json", d)
            ev: dict[str, object] = {}
            if parent is not None:
                ev["parent"] = parent
            ev["height"] = height
            ev["type"] = it.type
            if it.data:
                ev["payload"] = sha256_hex(it.data[-1])
            raw = dumpb(ev) if events is None else events[height]
            parent = sha256_hex(raw)
            _add(tar, f"{parent}.event.json", raw)




def _add(tar, name: str, data: bytes) -> None:
    tar.write(tar_member(name, data, 1795597332))
