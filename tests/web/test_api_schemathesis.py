"""The open-data API under Schemathesis: generated requests for every operation in
/api/openapi.json, sent to the Django application in-process (WSGI), never get a server
error and always get a documented status, content type and body that conform to the schema.

Deterministic for CI: Hypothesis is derandomized (a fixed seed), keeps no example database,
and tries at most 30 examples per operation (the module takes about a second).

The schema is loaded eagerly at import (`schemathesis.pytest.from_fixture` does not work with
pytest 9); serving it needs no database. The tests themselves get one election in the database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from saylau.web.elections.models import Election
from saylau.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Around each request the WSGI handler closes a connection that is inside a transaction
    (`close_old_connections`), which ends the test's transaction on PostgreSQL (SQLite's
    in-memory test database ignores it). Django's test client disconnects that handler;
    Schemathesis calls the application itself, so do the same here."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_never_fails_and_conforms_to_its_schema(case: schemathesis.Case, election: Election) -> None:
    case.call_and_validate(checks=CHECKS)


def test_an_existing_election_conforms_to_the_schema(election: Election) -> None:
    """Generated codes almost never name an election: check the 200 response explicitly."""
    case = schema["/api/elections/{code}"]["GET"].Case(path_parameters={"code": election.code})
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == 200 and response.json()["code"] == election.code
