"""Helpers to read JSON structures strictly: exact field order, named errors."""

from __future__ import annotations

from .errors import MalformedRecord


def obj(value: object, where: str, keys: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, object]:
    """A JSON object with exactly the fields `keys`, in this (spec) order.

    `keys` lists every allowed field in canonical order; `optional` says which may be absent.
    """
    if not isinstance(value, dict):
        raise MalformedRecord(where, f"expected an object, got {type(value).__name__}")
    present = [k for k in keys if k in value]
    missing = [k for k in keys if k not in value and k not in optional]
    extra = [k for k in value if k not in keys]
    if missing:
        raise MalformedRecord(where, f"missing field(s) {', '.join(missing)}")
    if extra:
        raise MalformedRecord(where, f"unknown field(s) {', '.join(map(str, extra))}")
    if list(value) != present:
        raise MalformedRecord(where, f"fields out of canonical order: {list(value)}, expected {present}")
    return value


def lst(value: object, where: str, length: int | None = None) -> list[object]:
    if not isinstance(value, list):
        raise MalformedRecord(where, f"expected a list, got {type(value).__name__}")
    if length is not None and len(value) != length:
        raise MalformedRecord(where, f"expected {length} items, got {len(value)}")
    return value


def string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise MalformedRecord(where, f"expected a string, got {type(value).__name__}")
    return value


def integer(value: object, where: str, lo: int = 0, hi: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedRecord(where, f"expected an integer, got {type(value).__name__}")
    if value < lo or (hi is not None and value > hi):
        raise MalformedRecord(where, f"{value} is out of range [{lo}, {hi if hi is not None else '∞'}]")
    return value
