"""RFC 9162 tree: the official transparency-dev vectors, a naive reference, properties."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.board import merkle
from saylau.board.errors import InvalidProof
from tests.conftest import SHARED
from tests.reference import naive_consistency, naive_path, naive_root

VECTORS = SHARED / "tlog-vectors" / "transparency-dev-merkle" / "testdata"
LEAVES = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                       "606162636465666768696a6b6c6d6e6f"]]
ROOTS = ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]


def _b64(v: str | None) -> bytes:
    return base64.b64decode(v or "")


def _files(kind: str) -> list[Path]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    assert len(files) >= 90, f"missing vectors in {VECTORS / kind}"
    return files


def _tree(n: int) -> merkle.MemoryNodes:
    t = merkle.MemoryNodes()
    for d in LEAVES[:n]:
        t.append(merkle.leaf_hash(d))
    return t


def test_reference_roots():
    for n in range(9):
        assert merkle.root(_tree(n), n).hex() == ROOTS[n]


@pytest.mark.parametrize("path", _files("inclusion"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_inclusion_vectors(path: Path):
    v = json.loads(path.read_text())
    args = (v["leafIdx"], v["treeSize"], _b64(v["leafHash"]), [_b64(p) for p in v["proof"] or []], _b64(v["root"]))
    if v["wantErr"]:
        with pytest.raises(InvalidProof):
            merkle.verify_inclusion(*args)
    else:
        merkle.verify_inclusion(*args)
        t = _tree(v["treeSize"])
        assert merkle.inclusion_proof(t, v["leafIdx"], v["treeSize"]) == args[3]


@pytest.mark.parametrize("path", _files("consistency"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_consistency_vectors(path: Path):
    v = json.loads(path.read_text())
    args = (v["size1"], v["size2"], [_b64(p) for p in v["proof"] or []], _b64(v["root1"]), _b64(v["root2"]))
    if v["wantErr"]:
        with pytest.raises(InvalidProof):
            merkle.verify_consistency(*args)
    else:
        merkle.verify_consistency(*args)
        if v["size1"] > 0:
            assert merkle.consistency_proof(_tree(v["size2"]), v["size1"], v["size2"]) == args[2]


@given(st.lists(st.binary(max_size=40), max_size=300))
def test_root_matches_naive_reference(leaves):
    t = merkle.MemoryNodes()
    for d in leaves:
        t.append(merkle.leaf_hash(d))
    assert merkle.root(t, len(leaves)) == naive_root(leaves)


@given(st.lists(st.binary(max_size=8), min_size=1, max_size=200), st.data())
def test_proofs_match_reference_and_verify(leaves, data):
    t = merkle.MemoryNodes()
    for d in leaves:
        t.append(merkle.leaf_hash(d))
    n = data.draw(st.integers(1, len(leaves)))
    i = data.draw(st.integers(0, n - 1))
    m = data.draw(st.integers(1, n))
    path = merkle.inclusion_proof(t, i, n)
    assert path == naive_path(i, leaves[:n])
    merkle.verify_inclusion(i, n, merkle.leaf_hash(leaves[i]), path, merkle.root(t, n))
    proof = merkle.consistency_proof(t, m, n)
    assert proof == naive_consistency(m, leaves[:n])
    merkle.verify_consistency(m, n, proof, merkle.root(t, m), merkle.root(t, n))
    if n > 1:
        with pytest.raises(InvalidProof):
            merkle.verify_inclusion(i, n, merkle.leaf_hash(leaves[i] + b"x"), path, merkle.root(t, n))
