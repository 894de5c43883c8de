"""Shared fixtures: sample paths, a seeded RNG, Hypothesis settings."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from saylau.crypto.group import Rng

SHARED = Path(__file__).resolve().parents[2] / "shared"
if not SHARED.is_dir():
    SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SAMPLES = SHARED / "belenios-samples"
ED_SAMPLE = SAMPLES / "v3.0-Ed25519"
FF_SAMPLE = SAMPLES / "v2.0-BELENIOS-2048"
KNOWN_RESULT = [[3, 6, 5, 6], [7, 12, 12, 8], [4, 7, 1, 14]]

settings.register_profile("saylau", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example, HealthCheck.data_too_large], max_examples=60)
settings.load_profile("saylau")


class SeededRng(Rng):
    """Deterministic randomness for tests (never for real keys)."""

    def __init__(self, seed: int) -> None:
        self._r = random.Random(seed)

    def __call__(self, n: int) -> bytes:
        return self._r.randbytes(n)


@pytest.fixture
def rng() -> SeededRng:
    return SeededRng(2026)


def pytest_sessionstart(session: pytest.Session) -> None:
    if not ED_SAMPLE.is_dir() or not FF_SAMPLE.is_dir():
        raise pytest.UsageError(f"the Belenios samples are missing: expected {SAMPLES} (../shared beside the repo)")
