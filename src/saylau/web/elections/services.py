"""Writes of elections: creation and the lifecycle, decided by the domain and audited."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from saylau.domain.election import Election as DomainElection
from saylau.domain.election import ElectionId, ElectionType, Schedule, Stage, advance, require_aware
from saylau.domain.rulepack import (
    applicable_pack,
    builtin_pack_digests,
    call_deadline,
    load_builtin_packs,
    results_deadline,
)
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.elections.mapping import election_to_domain
from saylau.web.elections.models import Election, StageChange
from saylau.web.territory.models import TerritorialUnit


@transaction.atomic
def election_create(*, actor: User | None, code: str, type: ElectionType, title_kk: str,
                    title_ru: str = "", title_en: str = "", territory: TerritorialUnit | None = None,
                    nomination_closes: datetime, registration_closes: datetime, voting_opens: datetime,
                    voting_closes: datetime, latest_call: datetime | None = None,
                    results_due: datetime | None = None, enabled_packs: Collection[str] = (),
                    now: datetime) -> Election:
    """Call an election in stage draft.

    The rule pack is the one that governs `type` on the voting day (optional packs only when
    in `enabled_packs`); `latest_call` and `results_due` default to the pack's deadlines.
    Raises `NoApplicablePack`, `RulePackNotFound`, `InvalidSchedule`, `NaiveDatetime`, or
    Django's `ValidationError` for the code and titles.
    """
    require_aware(now, "now")
    require_aware(voting_opens, "voting_opens")
    pack = applicable_pack(load_builtin_packs(), type, timezone.localdate(voting_opens),
                           enabled=enabled_packs)
    schedule = Schedule(
        nomination_closes=nomination_closes, registration_closes=registration_closes,
        voting_opens=voting_opens, voting_closes=voting_closes,
        latest_call=latest_call if latest_call is not None else call_deadline(pack, voting_opens),
        results_due=results_due if results_due is not None else results_deadline(pack, type, voting_closes))
    DomainElection(id=ElectionId(code), type=type, title=title_kk, schedule=schedule, pack_id=pack.id)
    election = Election(
        code=code, type=type.value, title_kk=title_kk, title_ru=title_ru, title_en=title_en,
        territory=territory, pack_id=pack.id, stage=Stage.DRAFT.value,
        latest_call=schedule.latest_call, nomination_closes=schedule.nomination_closes,
        registration_closes=schedule.registration_closes, voting_opens=schedule.voting_opens,
        voting_closes=schedule.voting_closes, results_due=schedule.results_due)
    election.full_clean()
    election.save()
    public = {
        "election": code, "election_type": type.value, "pack": pack.id, "pack_sha256": builtin_pack_digests(pack.id),
        "territory": territory.code if territory is not None else None,
        "schedule": {k: v.isoformat() if v else None for k, v in (
            ("latest_call", schedule.latest_call), ("nomination_closes", nomination_closes),
            ("registration_closes", registration_closes), ("voting_opens", voting_opens),
            ("voting_closes", voting_closes), ("results_due", schedule.results_due))}}
    audit_record(actor=actor, action="election.create", target=election, at=now,
                 data={"code": code, "type": type.value, **{k: v for k, v in public.items() if k not in ("election", "election_type")}})
    board_record("election.called", at=now, data=public)
    return election


def election_advance(*, actor: User | None, election: Election, target: Stage,
                     now: datetime) -> Election:
    """Move `election` to `target` at `now`, as `domain.election.advance` allows.

    Raises `TransitionRefused` (nothing is written then). The row is locked for the step, so
    two commission members cannot both take it.
    """
    with transaction.atomic():
        row = Election.objects.select_for_update().get(pk=election.pk)
        history = list(row.stage_changes.order_by("at", "id"))
        moved: DomainElection = advance(election_to_domain(row, history), target, now=now)
        source = row.stage
        row.stage = moved.stage.value
        row.save(update_fields=["stage"])
        StageChange.objects.create(election=row, source=source, target=moved.stage.value, at=now, actor=actor)
        audit_record(actor=actor, action="election.advance", target=row, at=now,
                     data={"code": row.code, "from": source, "to": moved.stage.value})
        board_record("election.stage", at=now, data={"election": row.code, "from": source, "to": moved.stage.value})
        if moved.stage is Stage.VOTING:  # the credential lists are fixed when voting opens
            from saylau.web.credentials.services import credentials_fix

            credentials_fix(row, now)
    return row
