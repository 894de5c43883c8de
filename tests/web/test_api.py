"""The open-data API: public, read-only JSON with an OpenAPI schema."""

from __future__ import annotations

from saylau.web.elections.models import Election
from tests.web.conftest import client_for


def test_elections(election: Election) -> None:
    response = client_for(None).get("/api/elections")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    [item] = response.json()
    assert item["code"] == election.code and item["stage"] == "draft" and item["territory"] == "saraishyk"
    assert item["voting_opens"] == "2025-03-16T02:00:00Z"
    one = client_for(None).get(f"/api/elections/{election.code}").json()
    assert one == item


def test_an_unknown_election_is_a_404(db: None) -> None:
    response = client_for(None).get("/api/elections/nope")
    assert response.status_code == 404 and "nope" in response.json()["detail"]


def test_the_schema_and_docs(db: None) -> None:
    schema = client_for(None).get("/api/openapi.json").json()
    assert {"/api/elections", "/api/elections/{code}"} <= set(schema["paths"])
    assert client_for(None).get("/api/docs").status_code == 200
