"""Small real precinct records for the results tests: one Belenios election per precinct, made with
the record workflow (credentials, a single trustee, ballots cast, tally, decryption, Result)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from saylau.crypto import credentials
from saylau.crypto.group import SYSTEM_RNG, group_by_name
from saylau.crypto.trustees import single_generate
from saylau.record.ballot import make_ballot
from saylau.record.election import election_from_template
from saylau.record.workflow import (
    ElectionDir,
    add_partial_decryption,
    cast,
    close_and_tally,
    compute_result,
    init_archive,
    make_partial_decryption,
)


def make_record(directory: Path, answers: Sequence[str], counts: Sequence[int], *, voters: int | None = None,
                blank: bool = False, tally: bool = True) -> Path:
    """A tallied and decrypted election in `directory` whose one question has `answers`, with
    `counts[i]` ballots for answer i (one credential per ballot; `voters` credentials in all).
    Returns the archive (.bel). With `tally=False` it stops after the ballots (voting still open)."""
    assert sum(counts) <= 20, "keep the test records small"
    group = group_by_name("Ed25519")
    directory.mkdir(parents=True, exist_ok=True)
    uuid = credentials.random_token(SYSTEM_RNG)
    total = voters if voters is not None else sum(counts)
    private = [credentials.generate(SYSTEM_RNG) for _ in range(total)]
    public = [f"{group.encode(credentials.public_credential(group, uuid, c))},,voter{i}" for i, c in enumerate(private)]
    (directory / "public_creds.json").write_text(json.dumps(public, separators=(",", ":")) + "\n")
    x, pub = single_generate(group, rng=SYSTEM_RNG)
    (directory / "trustees.json").write_text(json.dumps([["Single", pub]], separators=(",", ":")) + "\n")
    template: dict[str, object] = {
        "description": "precinct record", "name": "Saylau test precinct",
        "questions": [{"question": "Choose one", "answers": list(answers), "min": 1, "max": 1,
                       **({"blank": True} if blank else {})}]}
    d = ElectionDir(directory)
    raw = election_from_template(template, uuid=uuid, group=group, public_key=_election_key(directory, group))
    (directory / "election.json").write_bytes(raw + b"\n")
    init_archive(d, timestamp=1_700_000_000)
    election = d.election
    voter = 0
    for answer, n in enumerate(counts):
        for _ in range(n):
            choice = [0] * len(answers)
            choice[answer] = 1
            ballot, _ = make_ballot(election, private[voter], [([0] if blank else []) + choice])
            cast(d, ballot)
            voter += 1
    if not tally:
        return d.archive
    close_and_tally(d)
    pd, owned = make_partial_decryption(d, 1, x)
    add_partial_decryption(d, pd, owned)
    compute_result(d)
    return d.archive


def _election_key(directory: Path, group: object) -> object:
    from saylau.crypto.trustees import verify_trustees

    return verify_trustees(group, json.loads((directory / "trustees.json").read_text())).election_key  # type: ignore[arg-type]
