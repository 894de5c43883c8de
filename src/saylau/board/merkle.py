"""RFC 9162 Merkle tree hashing, proofs and their verification (bulletin-board doc §2–4).

Storage is abstract: a `NodeSource` returns the hash of any *complete* subtree by
`(level, index)` — the node at `(l, i)` covers leaves `[i·2^l, (i+1)·2^l)`. Roots and
proofs for any size are then a handful of lookups plus hashing of the ragged right edge:
O(log n) lookups for a root, O(log² n) at worst for a proof. `append` adds a leaf hash and
the complete nodes it finishes, O(log n).

Verifiers return None and raise `InvalidProof` naming the failed check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

from .errors import InvalidProof

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """`LH(d) = SHA256(0x00 ‖ d)`."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """`NH(l, r) = SHA256(0x01 ‖ l ‖ r)`."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly less than n (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class NodeSource(Protocol):
    def node(self, level: int, index: int) -> bytes:
        """Hash of the complete subtree at (level, index)."""
        ...


class MemoryNodes:
    """Complete-subtree hashes in memory, level by level (tests, tools, small logs)."""

    def __init__(self) -> None:
        self.levels: list[list[bytes]] = [[]]

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def node(self, level: int, index: int) -> bytes:
        return self.levels[level][index]

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; return every new complete node as (level, index, hash)."""
        new = []
        level, index, h = 0, len(self.levels[0]), leaf
        while True:
            if level == len(self.levels):
                self.levels.append([])
            self.levels[level].append(h)
            new.append((level, index, h))
            if index % 2 == 0:
                return new
            h = node_hash(self.levels[level][index - 1], h)
            level, index = level + 1, index // 2


def new_nodes(left_siblings: Sequence[bytes], index: int, leaf: bytes) -> list[tuple[int, int, bytes]]:
    """The complete nodes finished by appending `leaf` at `index`.

    `left_siblings[l]` must be the node at level l that is the left sibling on the path
    (needed only where bit l of `index` is 1). Used by stores that keep nodes on disk.
    """
    out = [(0, index, leaf)]
    level, h, i = 0, leaf, index
    while i % 2 == 1:
        h = node_hash(left_siblings[level], h)
        level, i = level + 1, i // 2
        out.append((level, i, h))
    return out


def subtree_root(src: NodeSource, start: int, end: int) -> bytes:
    """`MTH(D[start:end])` for a range produced by the RFC recursion (start aligned)."""
    n = end - start
    if n == 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0:
        level = n.bit_length() - 1
        return src.node(level, start >> level)
    k = _split(n)
    return node_hash(subtree_root(src, start, start + k), subtree_root(src, start + k, end))


def root(src: NodeSource, size: int) -> bytes:
    return subtree_root(src, 0, size)


def inclusion_proof(src: NodeSource, index: int, size: int) -> list[bytes]:
    """`PATH(index, D[0:size])`, leaf sibling first. Requires 0 ≤ index < size."""
    if not 0 <= index < size:
        raise InvalidProof(f"leaf index {index} is not in a tree of size {size}")
    path: list[bytes] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = _split(end - start)
        if m < k:
            path.append(subtree_root(src, start + k, end))
            end = start + k
        else:
            path.append(subtree_root(src, start, start + k))
            start, m = start + k, m - k
    path.reverse()
    return path


def consistency_proof(src: NodeSource, size1: int, size2: int) -> list[bytes]:
    """`PROOF(size1, D[0:size2])`. Requires 0 < size1 ≤ size2."""
    if not 0 < size1 <= size2:
        raise InvalidProof(f"no consistency proof from size {size1} to size {size2}")
    out: list[bytes] = []
    start, end, m, complete = 0, size2, size1, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            out.append(subtree_root(src, start + k, end))
            end = start + k
        else:
            out.append(subtree_root(src, start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        out.append(subtree_root(src, start, end))
    out.reverse()
    return out


def _check_hash(h: bytes, what: str) -> None:
    if len(h) != HASH_SIZE:
        raise InvalidProof(f"{what} is {len(h)} bytes, expected {HASH_SIZE}")


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root implied by an inclusion proof (RFC 9162 §2.1.3.2)."""
    if index >= size or index < 0:
        raise InvalidProof(f"leaf index {index} is beyond tree size {size}")
    _check_hash(leaf, "leaf hash")
    fn, sn, r = index, size - 1, leaf
    for i, p in enumerate(proof):
        _check_hash(p, f"proof element {i}")
        if sn == 0:
            raise InvalidProof(f"inclusion proof is too long: {len(proof)} hashes")
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProof(f"inclusion proof is too short: {len(proof)} hashes")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes) -> None:
    """Raise InvalidProof unless `leaf` is at `index` in the tree of `size` with `expected_root`."""
    _check_hash(expected_root, "root")
    computed = root_from_inclusion(index, size, leaf, proof)
    if computed != expected_root:
        raise InvalidProof(f"root mismatch: proof gives {computed.hex()}, expected {expected_root.hex()}")


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> None:
    """Raise InvalidProof unless the tree (size1, root1) is a prefix of (size2, root2)."""
    if size1 <= 0:
        raise InvalidProof("a consistency proof from an empty tree is meaningless")
    if size1 > size2:
        raise InvalidProof(f"tree size went backwards: {size1} > {size2}")
    for i, p in enumerate(proof):
        _check_hash(p, f"proof element {i}")
    if size1 == size2:  # (the vectors accept equal "don't care" roots of any length here)
        if proof:
            raise InvalidProof("equal sizes need an empty proof")
        if root1 != root2:
            raise InvalidProof("equal sizes with different roots")
        return
    _check_hash(root1, "old root")
    _check_hash(root2, "new root")
    if not proof:
        raise InvalidProof("empty consistency proof between different sizes")
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn % 2 == 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise InvalidProof("consistency proof is too long")
        if fn % 2 == 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProof("consistency proof is too short")
    if fr != root1:
        raise InvalidProof(f"old root mismatch: proof gives {fr.hex()}, expected {root1.hex()}")
    if sr != root2:
        raise InvalidProof(f"new root mismatch: proof gives {sr.hex()}, expected {root2.hex()}")
