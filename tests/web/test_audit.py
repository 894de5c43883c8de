"""The audit log is append-only, records who/when/what, and also records admin changes."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ProtectedError

from saylau.domain.errors import NaiveDatetime
from saylau.web.core.access import Role
from saylau.web.core.errors import AuditLogAppendOnly
from saylau.web.core.models import AuditEntry
from saylau.web.core.selectors import audit_list
from saylau.web.core.services import audit_record
from saylau.web.elections.models import Election
from tests.web.conftest import CALLED, client_for


@pytest.fixture
def entry(users: dict[Role, User | None], election: Election) -> AuditEntry:
    return audit_record(actor=users[Role.COMMISSION], action="test.action", target=election,
                        at=CALLED, data={"n": 1})


def test_an_entry_says_who_when_what(entry: AuditEntry, election: Election) -> None:
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor_name, stored.action, stored.at) == ("chair", "test.action", CALLED)
    assert (stored.object_type, stored.object_id, stored.data) == ("elections.election", str(election.pk), {"n": 1})
    assert entry in audit_list(target=election)


def test_the_time_must_be_aware(db: None) -> None:
    with pytest.raises(NaiveDatetime):
        audit_record(actor=None, action="test.naive", at=datetime(2025, 1, 1))


def test_an_entry_cannot_be_changed(entry: AuditEntry) -> None:
    entry.action = "forged"
    with pytest.raises(AuditLogAppendOnly):
        entry.save()
    with pytest.raises(AuditLogAppendOnly):
        entry.save(update_fields=["action"])
    with pytest.raises(AuditLogAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(AuditLogAppendOnly), transaction.atomic():  # bulk_update's own atomic block
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_an_entry_cannot_be_deleted(entry: AuditEntry) -> None:
    with pytest.raises(AuditLogAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditLogAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_actor_with_entries_cannot_be_deleted(entry: AuditEntry, users: dict[Role, User | None]) -> None:
    chair = users[Role.COMMISSION]
    assert chair is not None
    with pytest.raises(ProtectedError):
        chair.delete()


def test_admin_changes_are_audited(users: dict[Role, User | None]) -> None:
    admin = client_for(users[Role.SUPERUSER])
    response = admin.post("/admin/auth/group/add/", {"name": "observers"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.addition", object_type="auth.group")
    assert entry.actor_name == "operator" and entry.data["repr"] == "observers"


def test_the_admin_shows_the_audit_log_read_only(entry: AuditEntry, users: dict[Role, User | None]) -> None:
    admin = client_for(users[Role.SUPERUSER])
    assert admin.get("/admin/core/auditentry/").status_code == 200
    assert admin.post(f"/admin/core/auditentry/{entry.pk}/change/", {"action": "forged"}).status_code == 403
    assert admin.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"
