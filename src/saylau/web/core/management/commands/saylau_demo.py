"""`manage.py saylau_demo`: load the demonstration data (`saylau.web.demo`); idempotent.

It prints what it created and where the demo accounts' file is, never a password."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from saylau.web.demo import DEMO_SEED, DEMO_VOTERS, load_demo


class Command(BaseCommand):
    help = ("Load the demo: Saraishyk Rural District (Atyrau Region, Makhambet District), its precincts and "
            "commissions, its akim election (in its campaign: candidates registered and one refused), the 2023 "
            "Mazhilis party-list election with the parties' lists, a synthetic voter roll and demo accounts "
            "(passwords in VAR_DIR/demo-accounts.txt). Re-running it adds nothing that is there already.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=DEMO_SEED,
                            help=f"seed of the synthetic people (default {DEMO_SEED})")
        parser.add_argument("--voters", type=int, default=DEMO_VOTERS,
                            help=f"voters on the synthetic roll (default {DEMO_VOTERS})")

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo(now=timezone.now(), seed=options["seed"], voters=options["voters"])
        roll = ("complete already" if report.voters is None else
                f"{report.voters.accepted} imported, {report.voters.refused} refused")
        self.stdout.write(f"demo: {report.units} territorial units and {report.elections} elections created, "
                          f"voter roll {roll}, {report.steps} lifecycle steps taken")
        made = ", ".join(f"{n} {kind}" for kind, n in report.created.items() if n)
        self.stdout.write(f"demo: created {made or 'nothing else'}")
        if report.accounts:
            self.stdout.write(f"demo: new demo accounts {', '.join(report.accounts)}")
        if report.accounts_file is not None:
            self.stdout.write(f"demo: demo accounts (user name, role, password) in {report.accounts_file}")
        for note in report.notes:
            self.stderr.write(f"demo: not replayed: {note} (remove the database to rebuild the demo)")
