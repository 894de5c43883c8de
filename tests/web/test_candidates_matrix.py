"""The permission matrix of the candidates' routes alone (the full matrix is test_access.py;
this one runs quickly and fails with the candidates' own rows)."""

from __future__ import annotations

from django.contrib.auth.models import User

from saylau.web.core.access import Role
from tests.web import test_access
from tests.web.conftest import client_for
from tests.web.test_access import EXPECTED, _method, _outcome, _url, expected_admin, resolve, routes

world = test_access.world  # the matrix's fixture


def test_candidates_routes_matrix(users: dict[Role, User | None], world: dict[str, str]) -> None:
    failures = []
    ours = [r for r in routes() if r.name.startswith("candidates:") or r.name in (
        "api:candidates", "api:parties", "api:party") or (r.model or "").startswith("candidates.")]
    assert len(ours) >= 23
    for route in ours:
        expected = expected_admin(route) if route.namespaces[:1] == ("admin",) else EXPECTED[route.name]
        values = dict(world)
        if route.model is not None:
            values["object_id"] = world[f"object_id@{route.model}"]
        url = _url(route, values)
        assert resolve(url).func is route.callback, f"{route}: {url} resolves elsewhere"
        method = _method(route)
        for role in Role:
            client = client_for(users[role])
            response = client.get(url) if method == "GET" else client.post(url, {})
            got = _outcome(response.status_code, response.get("Location", ""))
            if got != expected[role]:
                failures.append(f"{method} {url} as {role}: got {got} ({response.status_code}), want {expected[role]}")
    assert not failures, "\n".join(failures)
