"""Writes of territorial units: checked by the domain, audited."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from saylau.web.core.services import audit_record
from saylau.web.territory.mapping import territory_from_units
from saylau.web.territory.models import Level, TerritorialUnit


@transaction.atomic
def territorial_unit_create(*, actor: User | None, code: str, level: Level, kind: str,
                            name_kk: str, name_ru: str = "", name_en: str = "",
                            parent: TerritorialUnit | None = None, now: datetime) -> TerritorialUnit:
    """Add a unit under `parent`. Raises `InvalidTerritory` (wrong kind or parent) or Django's
    `ValidationError` (code, names)."""
    unit = TerritorialUnit(code=code, level=level, kind=kind, parent=parent,
                           name_kk=name_kk, name_ru=name_ru, name_en=name_en)
    unit.full_clean()
    chain = [unit]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    territory_from_units(chain)  # the domain checks the unit against its ancestors
    unit.save()
    audit_record(actor=actor, action="territory.create", target=unit, at=now,
                 data={"code": code, "level": level.value, "kind": kind,
                       "parent": parent.code if parent else None})
    return unit
