"""The committed migrations describe the models exactly (no forgotten `makemigrations`)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_models_and_migrations_agree(db: None) -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:  # --check exits 1 when a migration is missing
        raise AssertionError(f"run `python -m saylau.web.manage makemigrations`:\n{out.getvalue()}") from missing
