"""Writes of territorial units and precincts: checked by the domain, audited; precincts are also
published on the bulletin board (code, number, territory, address, step-free access)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from saylau.domain.territory import Precinct as DomainPrecinct
from saylau.domain.territory import PrecinctId
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.territory.mapping import precinct_to_domain, territory_from_units
from saylau.web.territory.models import Level, Precinct, TerritorialUnit


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


@transaction.atomic
def precinct_create(*, actor: User | None, code: str, number: int, territory: TerritorialUnit | None,
                    address_kk: str, address_ru: str = "", address_en: str = "", accessible: bool = False,
                    now: datetime) -> Precinct:
    """Add a precinct in `territory` (a district or a locality; None for a precinct abroad).

    Raises `InvalidTerritory` (a region as territory, the id or number already used: the
    domain's `Territory.build` checks the precinct against its units and the stored precincts
    that share its id or number) or
    Django's `ValidationError` (code, number, addresses).
    """
    precinct = Precinct(code=code, number=number, territory=territory, address_kk=address_kk,
                        address_ru=address_ru, address_en=address_en, accessible=accessible)
    precinct.full_clean(validate_unique=False)
    chain = [territory] if territory is not None else []
    while chain and chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    # The stored precincts that could clash (same id or number) take part as number-only entries:
    # the domain refuses a duplicate id or number.
    clashing = Precinct.objects.filter(Q(code=code) | Q(number=number)).only("code", "number")
    stored = [DomainPrecinct(PrecinctId(p.code), p.number, "", None) for p in clashing]
    territory_from_units(chain, precincts=[*stored, precinct_to_domain(precinct)])
    precinct.save()
    public = {"precinct": code, "number": number, "territory": territory.code if territory is not None else None,
              "address_kk": address_kk, "address_ru": address_ru, "address_en": address_en,
              "accessible": accessible}
    audit_record(actor=actor, action="territory.precinct_create", target=precinct, at=now, data=public)
    board_record("precinct.created", at=now, data=public)
    return precinct

