"""Every string of ours is translated into Kazakh, Russian and English, and stays so.

`makemessages` runs over a temporary copy of `saylau/web` (the real catalogues are never
touched) and merges the current source strings into the committed catalogues; any entry
left untranslated, fuzzy or obsolete fails. The committed .mo files must match their .po.
Needs GNU gettext (`msgfmt`), which scripts/install-system.sh installs.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import formats, translation

import saylau.web
from saylau.domain.election import ElectionType, Schedule, Stage
from saylau.domain.errors import (
    DomainError,
    ErrorCode,
    InvalidSchedule,
    InvalidTerritory,
    NoApplicablePack,
    RulePackNotFound,
    TransitionReason,
    TransitionRefused,
    VoterNotFound,
)
from saylau.domain.territory import DistrictKind, LocalityKind, RegionKind
from saylau.web.core.access import Role
from saylau.web.core.errors import MESSAGES, error_message
from saylau.web.core.labels import (
    ELECTION_TYPE_LABELS,
    ROLE_LABELS,
    SCHEDULE_FIELD_LABELS,
    STAGE_LABELS,
)
from saylau.web.territory.models import KIND_LABELS
from tests.web.conftest import KZ, LANGUAGES

WEB = Path(saylau.web.__file__).parent
STATS = re.compile(r"(\d+) translated messages?(?:, (\d+) fuzzy translations?)?(?:, (\d+) untranslated messages?)?\.")


def _msgfmt() -> str:
    found = shutil.which("msgfmt")
    if found is None:
        pytest.fail("GNU gettext's msgfmt is missing: run `make system` (scripts/install-system.sh installs gettext)")
    return found


def _stats(po: Path) -> tuple[int, int, int]:
    run = subprocess.run([_msgfmt(), "--check", "--statistics", "-o", os.devnull, str(po)],
                         capture_output=True, text=True)
    assert run.returncode == 0, f"{po}: msgfmt --check failed:\n{run.stderr}"
    found = STATS.search(run.stderr)
    assert found, run.stderr
    return int(found[1]), int(found[2] or 0), int(found[3] or 0)


def test_makemessages_finds_every_string_translated(tmp_path: Path) -> None:
    _msgfmt()
    copy = tmp_path / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    run = subprocess.run([sys.executable, "-m", "django", "makemessages", "--all", "--add-location=file"],
                         cwd=copy, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    catalogues = _catalogues(copy)
    assert copy / "locale" in catalogues
    for folder in catalogues:
        for language in LANGUAGES:
            po = folder / language / "LC_MESSAGES" / "django.po"
            translated, fuzzy, untranslated = _stats(po)
            text = po.read_text(encoding="utf-8")
            obsolete = len(re.findall(r"^#~ msgid", text, flags=re.M))
            assert (fuzzy, untranslated, obsolete) == (0, 0, 0), (
                f"{po.relative_to(copy)}: {fuzzy} fuzzy, {untranslated} untranslated, {obsolete} obsolete "
                f"entries after makemessages: run `cd src/saylau/web && python -m django makemessages --all "
                f"--add-location=file`, translate (scripts/po_fill.py), then `python -m django compilemessages`")
            assert translated >= (100 if folder == copy / "locale" else 1)


def _catalogues(web: Path) -> list[Path]:
    """The project's catalogue folders: src/saylau/web/locale, and each app's own `locale/`
    (makemessages files an app's strings under the nearest `locale/` above them)."""
    return sorted(p for p in web.rglob("locale") if p.is_dir() and (p / "kk").is_dir())


def test_committed_mo_files_match_their_po(tmp_path: Path) -> None:
    for folder, language in ((c / language / "LC_MESSAGES", language)
                             for c in _catalogues(WEB) for language in LANGUAGES):
        fresh = tmp_path / f"{language}.mo"
        subprocess.run([_msgfmt(), "-o", str(fresh), str(folder / "django.po")], check=True)
        with open(fresh, "rb") as a, open(folder / "django.mo", "rb") as b:
            want, got = gettext.GNUTranslations(a), gettext.GNUTranslations(b)
        assert got._catalog == want._catalog, (  # type: ignore[attr-defined]
            f"{folder}/django.mo is stale: run `python -m django compilemessages` in src/saylau/web")
        assert folder.parent.parent.parent.name in ("web", *(a.split(".")[-1] for a in settings.INSTALLED_APPS)), (
            f"{folder}: an app's catalogue is loaded only if the app is installed")


def test_every_domain_value_has_a_label() -> None:
    assert set(STAGE_LABELS) == set(Stage)
    assert set(ELECTION_TYPE_LABELS) == set(ElectionType)
    assert list(SCHEDULE_FIELD_LABELS) == [
        "latest_call", "nomination_closes", "registration_closes", "voting_opens", "voting_closes", "results_due"]
    assert set(SCHEDULE_FIELD_LABELS) == set(Schedule.__dataclass_fields__)
    assert set(ROLE_LABELS) == set(Role)
    assert set(KIND_LABELS) == {*RegionKind, *DistrictKind, *LocalityKind}


def _examples() -> list[DomainError]:
    refused = [TransitionRefused(election="e", current="draft", target="voting", reason=reason, detail="d",
                                 not_before="2025-03-16T07:00:00+05:00", not_after="2025-03-16T20:00:00+05:00")
               for reason in TransitionReason]
    return [*refused, InvalidSchedule("voting_closes", "r"), NoApplicablePack("referendum", "2025-03-16", ()),
            RulePackNotFound("akim-2099", "builtin"), InvalidTerritory("saraishyk", "r")]


def test_every_mapped_error_code_is_translated() -> None:
    examples = _examples()
    core = {ErrorCode.TRANSITION_REFUSED, ErrorCode.INVALID_SCHEDULE, ErrorCode.NO_APPLICABLE_PACK,
            ErrorCode.RULEPACK_NOT_FOUND, ErrorCode.INVALID_TERRITORY}
    assert {e.code for e in examples} == core <= set(MESSAGES)  # apps register theirs (and test them)
    for error in examples:
        with translation.override("en"):
            english = error_message(error)
        for language in ("kk", "ru"):
            with translation.override(language):
                message = error_message(error)
            assert message and message != english, (language, error.code)
            assert not re.search(r"[A-Za-z]{4,}", message.replace("akim-2099", "").replace("saraishyk", "")), message


def test_an_unmapped_code_gets_a_generic_translated_message() -> None:
    assert ErrorCode.VOTER_NOT_FOUND not in MESSAGES  # mapped by the where-do-I-vote page (web.voters)
    with translation.override("kk"):
        assert error_message(VoterNotFound()) == "Сұрау қабылданбады (код: voter_not_found)."


@pytest.mark.parametrize(("language", "date", "datetime_", "number"), [
    ("kk", "2025 жылғы 16 наурыз", "2025 жылғы 16 наурыз, 07:00", "12\xa0500\xa0000"),
    ("ru", "16 марта 2025 г.", "16 марта 2025 г. 7:00", "12\xa0500\xa0000"),
    ("en", "16 March 2025", "16 March 2025, 07:00", "12,500,000"),
])
def test_local_formats(language: str, date: str, datetime_: str, number: str) -> None:
    moment = datetime(2025, 3, 16, 7, 0, tzinfo=KZ)
    with translation.override(language):
        assert formats.date_format(moment) == date
        assert formats.date_format(moment, "DATETIME_FORMAT") == datetime_
        assert formats.number_format(12_500_000, force_grouping=True) == number
