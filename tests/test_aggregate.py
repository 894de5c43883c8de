"""Tallies aggregated upward: precincts → district → region, each level decrypted and re-checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from saylau.cli.main import main
from saylau.record.ballot import make_ballot
from saylau.record.workflow import ElectionDir
from saylau.verify.aggregate import verify_aggregate

VOTES = {  # per precinct: the plurality question's choices
    "PrecinctNo1abcd": [[1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]],
    "PrecinctNo2abcd": [[0, 1, 0, 0], [1, 0, 0, 0]],
    "PrecinctNo3abcd": [[0, 0, 1, 0], [0, 1, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0]],
}
OTHER = [[0, 0, 0, 0], [1, 0, 0, 0]]  # questions 2 and 3, blank flag first in the third


@pytest.fixture(scope="module")
def precincts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import os

    os.environ["SAYLAU_PASSPHRASE"] = "test passphrase"
    root = tmp_path_factory.mktemp("agg")
    keys = root / "keys"
    keys.mkdir()
    assert main(["trustee", "generate", "--out", str(keys / "chair")]) == 0
    out = {}
    for uuid, votes in VOTES.items():
        d = root / uuid
        d.mkdir()
        assert main(["credentials", "generate", "--dir", str(d), "--uuid", uuid, "--count", str(len(votes))]) == 0
        (d / "public_keys.jsons").write_text((keys / "chair.pubkey").read_text())
        assert main(["trustees", "make", "--dir", str(d)]) == 0
        assert main(["election", "make", "--dir", str(d), "--uuid", uuid, "--timestamp", "1"]) == 0
        creds = list(json.loads((d / "private_creds.json").read_text()).values())
        for cred, choice in zip(creds, votes, strict=True):
            raw, _ = make_ballot(ElectionDir(d).election, cred, [choice, *OTHER])
            (d / "b.json").write_bytes(raw)
            assert main(["ballot", "cast", "--dir", str(d), str(d / "b.json")]) == 0
        assert main(["tally", "--dir", str(d)]) == 0
        out[uuid] = d
    out["keys"] = keys
    return out


def test_levels_aggregate_decrypt_and_verify(precincts: dict[str, Path], tmp_path: Path):
    p1, p2, p3, keys = (precincts[k] for k in ("PrecinctNo1abcd", "PrecinctNo2abcd", "PrecinctNo3abcd", "keys"))
    district = tmp_path / "district.json"
    region = tmp_path / "region.json"
    assert main(["aggregate", "make", "--level", "Makhambet district", "--out", str(district), str(p1), str(p2)]) == 0
    assert main(["aggregate", "make", "--level", "Atyrau region", "--out", str(region), str(district), str(p3)]) == 0
    pd = tmp_path / "pd.json"
    result = tmp_path / "result.json"
    # a tiny group is not decrypted on its own
    assert main(["aggregate", "decrypt", str(district), "--part", str(p1), "--part", str(p2), "--trustee-id", "1",
                 "--secret", str(keys / "chair.secret"), "--min-ballots", "6", "--out", str(pd)]) == 2
    assert main(["aggregate", "decrypt", str(region), "--part", str(district), "--part", str(p3), "--trustee-id", "1",
                 "--secret", str(keys / "chair.secret"), "--min-ballots", "6", "--out", str(pd)]) == 0
    assert main(["aggregate", "result", str(region), "--pd", str(pd), "--out", str(result)]) == 0
    counts = json.loads(result.read_text())["result"]
    assert counts[0] == [4, 3, 1, 1]  # the sum of the three precincts' first question
    report = verify_aggregate(region, [district, p3], [pd], result)
    assert report.ok, report.render()
    assert verify_aggregate(district, [p1, p2]).ok
    # a level that leaves out a part, or swaps in another, no longer matches
    assert "aggregate.mismatch" in verify_aggregate(region, [district]).checks()
    assert "aggregate.mismatch" in verify_aggregate(district, [p1, p3]).checks()
    # a wrong published result is caught
    result.write_text(json.dumps({"result": [[4, 3, 2, 0], *counts[1:]]}))
    assert "aggregate.result" in verify_aggregate(region, [district, p3], [pd], result).checks()


def test_parts_that_cannot_be_combined_are_refused(precincts: dict[str, Path], tmp_path: Path):
    p1 = precincts["PrecinctNo1abcd"]
    assert main(["aggregate", "make", "--level", "x", "--out", str(tmp_path / "a.json"), str(p1), str(p1)]) == 2
    other = tmp_path / "PrecinctNo9abcd"
    shutil.copytree(p1, other)
    # a precinct under another trustee key cannot join
    (other / "chair.pubkey").unlink(missing_ok=True)
    assert main(["trustee", "generate", "--out", str(tmp_path / "other")]) == 0
    for f in other.glob("*.bel"):
        f.unlink()
    (other / "public_keys.jsons").write_text((tmp_path / "other.pubkey").read_text())
    assert main(["trustees", "make", "--dir", str(other)]) == 0
    assert main(["election", "make", "--dir", str(other), "--uuid", "PrecinctNo9abcd", "--timestamp", "1"]) == 0
    assert main(["tally", "--dir", str(other)]) == 0
    assert main(["aggregate", "make", "--level", "x", "--out", str(tmp_path / "b.json"), str(p1), str(other)]) == 2
