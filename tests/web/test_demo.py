"""The demo of `make run`: the loader (`saylau.web.demo`, `manage.py saylau_demo`) is
reproducible and idempotent, and the server path (scripts/run-web.sh: secret key, migrate,
demo, collectstatic, gunicorn) serves the pages, the API and the static files."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from saylau.domain.election import ElectionType, Stage
from saylau.domain.voters import where_do_i_vote
from saylau.web.core.models import AuditEntry
from saylau.web.demo import (
    AKIM_CODE,
    DEMO_PRECINCTS,
    DEMO_SEED,
    KZ,
    MAZHILIS_CODE,
    akim_voting_day,
    load_demo,
    synthetic_roll,
)
from saylau.web.elections.models import Election, StageChange
from saylau.web.territory.models import TerritorialUnit
from saylau.web.voters.models import Voter
from saylau.web.voters.services import DatabaseRoll

NOW = datetime(2026, 11, 25, 15, 30, tzinfo=KZ)
ROOT = Path(__file__).resolve().parents[2]


def test_the_loader_builds_the_demo_once(db: None) -> None:
    first = load_demo(now=NOW)
    assert (first.units, first.elections, first.steps) == (3, 2, 6)
    assert first.voters is not None and first.voters.accepted == 2400 and first.voters.refused == 0
    counts = (TerritorialUnit.objects.count(), Election.objects.count(), Voter.objects.count(),
              StageChange.objects.count(), AuditEntry.objects.count())
    assert counts[2] >= 2000

    again = load_demo(now=NOW + timedelta(minutes=5))
    assert (again.units, again.elections, again.voters, again.steps) == (0, 0, None, 0)
    assert (TerritorialUnit.objects.count(), Election.objects.count(), Voter.objects.count(),
            StageChange.objects.count(), AuditEntry.objects.count()) == counts

    saraishyk = TerritorialUnit.objects.get(code="saraishyk")
    assert [saraishyk.parent.code, saraishyk.parent.parent.code] == ["makhambet", "atyrau"]  # type: ignore[union-attr]
    akim = Election.objects.get(code=AKIM_CODE)
    assert (akim.type, akim.territory, akim.stage) == (ElectionType.AKIM_RURAL, saraishyk, Stage.NOMINATION)
    vote = akim.voting_opens.astimezone(KZ)
    assert vote.weekday() == 6 and vote.hour == 7 and NOW + timedelta(days=60) <= vote < NOW + timedelta(days=67)
    mazhilis = Election.objects.get(code=MAZHILIS_CODE)
    assert (mazhilis.type, mazhilis.territory, mazhilis.stage) == (
        ElectionType.MAZHILIS_PARTY_LIST, None, Stage.COUNTING)
    assert mazhilis.voting_opens.astimezone(KZ).date() == date(2023, 3, 19)
    assert set(Voter.objects.values_list("precinct", flat=True)) == {str(p.id) for p in DEMO_PRECINCTS}


def test_the_roll_is_reproducible_and_found_by_where_do_i_vote(db: None) -> None:
    lines = list(synthetic_roll(count=50, seed=DEMO_SEED))
    assert lines == list(synthetic_roll(count=50, seed=DEMO_SEED)) != list(synthetic_roll(count=50, seed=1))
    load_demo(now=NOW, voters=50)
    for line in lines[1:4]:
        iin, _, _, _, born, precinct = line.split(",")
        assert where_do_i_vote(DatabaseRoll(), iin, date.fromisoformat(born)) == precinct


def test_later_runs_take_the_steps_whose_date_has_come(db: None) -> None:
    load_demo(now=NOW, voters=10)
    akim = Election.objects.get(code=AKIM_CODE)
    after_registration = akim.registration_closes + timedelta(hours=1)
    assert load_demo(now=after_registration, voters=10).steps == 2
    assert Election.objects.get(code=AKIM_CODE).stage == Stage.CAMPAIGN
    assert load_demo(now=after_registration, voters=10).steps == 0


def test_the_management_command(db: None) -> None:
    out = StringIO()
    call_command("saylau_demo", "--voters", "20", "--seed", "7", stdout=out)
    assert "3 territorial units and 2 elections created, voter roll 20 imported" in out.getvalue()
    call_command("saylau_demo", "--voters", "20", "--seed", "7", stdout=out)
    assert "voter roll complete already, 0 lifecycle steps taken" in out.getvalue()
    assert Voter.objects.count() == 20


def test_the_akim_voting_day_is_a_sunday_at_least_60_days_ahead() -> None:
    start = datetime(2026, 1, 1, 0, 0, tzinfo=KZ)
    for hours in range(0, 24 * 14, 5):
        now = start + timedelta(hours=hours)
        vote = akim_voting_day(now)
        assert vote.weekday() == 6 and vote.hour == 7
        assert now + timedelta(days=60) <= vote < now + timedelta(days=67)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="make run's server path is tested once, on SQLite")
def test_make_run_serves_the_platform(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SAYLAU_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(SAYLAU_VAR_DIR=str(tmp_path), SAYLAU_PORT=str(port))
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(["bash", str(ROOT / "scripts" / "run-web.sh")], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                status, headers, _ = _get(base + "/")
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.2)
        assert status == 302 and headers["Location"] == "/kk/"
        assert headers["Server"].startswith("gunicorn")

        status, _, body = _get(base + "/kk/")
        assert status == 200 and "Сарайшық ауылдық округі әкімінің сайлауы" in body.decode()
        status, _, body = _get(base + "/api/elections")
        assert status == 200
        assert {e["code"] for e in json.loads(body)} == {AKIM_CODE, MAZHILIS_CODE}
        status, headers, body = _get(base + "/static/saylau/site.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css") and body

        key = tmp_path / "secret-key"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text().strip()) >= 50
        assert (tmp_path / "saylau.sqlite3").is_file() and (tmp_path / "static" / "saylau" / "site.css").is_file()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the script's group: gunicorn, or a step before it
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    assert server.returncode == 0, (tmp_path / "server.log").read_text()
    assert "voter roll 2400 imported" in (tmp_path / "server.log").read_text()
