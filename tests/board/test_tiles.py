"""tlog-tiles (paths, static files, TileSource), the board server and client, tlog-proof files."""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from saylau.board import merkle, tiles
from saylau.board.client import LocalBoard, TiledBoard, open_board
from saylau.board.errors import InvalidNote, InvalidProof, StoreError
from saylau.board.logview import LogView
from saylau.board.proofs import HEADER, format_tlog_proof, parse_tlog_proof
from saylau.board.server import BoardServer, serve
from saylau.board.store import LogStore
from tests.reference import naive_root

BIG = 70_000
SIZES = [1, 2, 255, 256, 257, 511, 512, 65_535, 65_536, 65_537, BIG]
ORIGIN = "saylau.example/test-tiles"


def entry(i: int) -> bytes:
    return f"entry {i}".encode() * (1 + i % 3)


def fake_note(size: int, root: bytes) -> str:
    """A checkpoint note with a syntactically plausible (not valid) signature line."""
    sig = base64.b64encode(b"\x01\x02\x03\x04" + bytes(64)).decode()
    return f"{ORIGIN}\n{size}\n{base64.b64encode(root).decode()}\n\n— {ORIGIN} {sig}\n"


def build(path: Path, n: int, batch: int = 5000) -> LogStore:
    s = LogStore(path, create=True)
    for start in range(s.size, n, batch):
        s.append([entry(i) for i in range(start, min(n, start + batch))])
    return s


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LogStore, Path, str]]:
    d = tmp_path_factory.mktemp("big")
    s = build(d / "log", BIG)
    s.put_data(b"a large payload")
    note = fake_note(BIG, s.root())
    s.write_checkpoint(note)
    tiles.write_static(s, d / "static", note)
    yield s, d, note
    s.close()


@pytest.fixture(scope="module")
def srv(big: tuple[LogStore, Path, str]) -> Iterator[BoardServer]:
    _, d, _ = big
    server = serve(d / "log")
    yield server
    server.stop()


def get(server: BoardServer, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        conn.request(method, path)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


# ---------------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("n", "text"),
    [(1234067, "x001/x234/067"), (0, "000"), (999, "999"), (1000, "x001/000"), (1_000_000, "x001/x000/000"), (5, "005")],
)
def test_index_encoding(n: int, text: str) -> None:
    assert tiles.encode_index(n) == text
    assert tiles.tile_path(0, n) == f"tile/0/{text}"
    assert tiles.tile_path(2, n, 17) == f"tile/2/{text}.p/17"
    assert tiles.entries_path(n, 112) == f"tile/entries/{text}.p/112"
    assert tiles.parse_tile_path(f"tile/3/{text}") == (3, n, 256)
    assert tiles.parse_tile_path(f"tile/entries/{text}.p/9") == (tiles.ENTRIES, n, 9)


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/1", "tile/0/0001", "tile/0/x000/123", "tile/0/001/234", "tile/0/x1/234", "tile/00/000",
        "tile/64/000", "tile/-1/000", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/07",
        "tile/0/000.p/", "tile/0/000.p", "tile/0/000/", "tile/0/", "tile/abc/000", "tiles/0/000",
        "tile/entries/x000/001", "tile/0/x001/234.p/5/6", "tile/0/ 01",
    ],
)
def test_bad_tile_paths_are_refused(path: str) -> None:
    with pytest.raises(ValueError):
        tiles.parse_tile_path(path)


def test_tile_set_of_the_doc_example() -> None:
    refs = tiles.tile_refs(BIG)
    by_level: dict[int, list[tiles.TileRef]] = {}
    for r in refs:
        by_level.setdefault(r.level, []).append(r)
    assert sorted(by_level) == [tiles.ENTRIES, 0, 1, 2]
    for level in (0, tiles.ENTRIES):
        assert [r.width for r in by_level[level]] == [256] * 273 + [112]
    assert by_level[1] == [tiles.TileRef(1, 0), tiles.TileRef(1, 1, 17)]
    assert by_level[2] == [tiles.TileRef(2, 0, 1)]
    assert tiles.tile_refs(0) == []
    assert tiles.tile_refs(256) == [tiles.TileRef(0, 0), tiles.TileRef(tiles.ENTRIES, 0), tiles.TileRef(1, 0, 1)]


def test_write_static_writes_exactly_the_tiles(big: tuple[LogStore, Path, str]) -> None:
    s, d, note = big
    out = d / "static"
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    h = hashlib.sha256(b"a large payload").hexdigest()
    assert files == {r.path for r in tiles.tile_refs(BIG)} | {"checkpoint", f"data/{h}"}
    assert "tile/0/273.p/112" in files and "tile/0/272" in files and "tile/0/273" not in files and "tile/2/000.p/1" in files
    assert (out / "checkpoint").read_text() == note
    assert (out / "tile/0/000").read_bytes() == b"".join(s.node(0, i) for i in range(256))
    assert (out / "tile/1/000").read_bytes() == b"".join(s.node(8, i) for i in range(256))
    assert len((out / "tile/1/001.p/17").read_bytes()) == 17 * 32
    assert (out / "tile/1/001.p/17").read_bytes()[:32] == s.node(8, 256)
    assert (out / "tile/2/000.p/1").read_bytes() == s.node(16, 0)
    bundle = (out / "tile/entries/273.p/112").read_bytes()
    assert tiles.parse_entry_bundle(bundle, 112) == [entry(i) for i in range(273 * 256, BIG)]


# ------------------------------------------------------------------------------- readers


def sources(big: tuple[LogStore, Path, str], server: BoardServer) -> dict[str, tiles.Fetch]:
    _, d, _ = big
    return {"dir": tiles.dir_fetch(d / "static"), "http": tiles.http_fetch(server.url)}


@pytest.mark.parametrize("kind", ["dir", "http"])
def test_tile_source_matches_the_store(big: tuple[LogStore, Path, str], srv: BoardServer, kind: str) -> None:
    s, _, _ = big
    fetch = sources(big, srv)[kind]
    for size in SIZES:
        src = tiles.TileSource(fetch, size)
        root = s.root(size)
        assert src.root() == root, size
        for i in sorted({0, size // 3, size // 2, size - 1}):
            proof = src.inclusion_proof(i, size)
            assert proof == s.inclusion_proof(i, size)
            merkle.verify_inclusion(i, size, merkle.leaf_hash(entry(i)), proof, root)
            assert src.entry(i) == entry(i)
        for m in sorted({1, size // 2 or 1, size - 1 or 1, 256, 65_536}):
            if m <= size:
                proof = src.consistency_proof(m, size)
                assert proof == s.consistency_proof(m, size)
                merkle.verify_consistency(m, size, proof, s.root(m), root)
    src = tiles.TileSource(fetch)  # size from the checkpoint
    assert src.size == BIG
    for level in range(17):
        count = BIG >> level
        for i in {0, count // 2, count - 1}:
            assert src.node(level, i) == s.node(level, i), (level, i)
    with pytest.raises(StoreError, match="beyond"):
        src.node(0, BIG)
    with pytest.raises(StoreError, match="beyond"):
        src.root(BIG + 1)


def test_every_published_size_stays_readable(tmp_path: Path) -> None:
    """Publish a growing log size by size; every earlier tree is still served by the tiles."""
    s = LogStore(tmp_path / "log", create=True)
    leaves = [entry(i) for i in range(600)]
    published = [1, 2, 3, 7, 8, 9, 255, 256, 257, 300, 512, 513, 599, 600]
    for size in published:
        s.append(leaves[s.size : size])
        tiles.write_static(s, tmp_path / "static", fake_note(size, s.root()))
    for size in published:
        src = tiles.TileSource(tiles.dir_fetch(tmp_path / "static"), size)
        assert src.root() == naive_root(leaves[:size])
        assert src.inclusion_proof(size - 1) == s.inclusion_proof(size - 1, size)
        assert src.entry(size - 1) == leaves[size - 1]
    s.close()


def test_truncated_and_corrupted_tiles_are_refused(big: tuple[LogStore, Path, str], srv: BoardServer, tmp_path: Path) -> None:
    s, d, _ = big
    copy = tmp_path / "static"
    shutil.copytree(d / "static", copy)
    tile = copy / "tile/0/000"
    good = tile.read_bytes()

    tile.write_bytes(good[:-1])
    src = tiles.TileSource(tiles.dir_fetch(copy), BIG)
    with pytest.raises(StoreError, match=r"tile/0/000 is 8191 bytes, expected 8192"):
        src.inclusion_proof(0)
    tile.write_bytes(good + b"\x00")
    with pytest.raises(StoreError, match="truncated or malformed"):
        tiles.TileSource(tiles.dir_fetch(copy), BIG).node(0, 5)
    partial = copy / "tile/0/273.p/112"
    partial.write_bytes(partial.read_bytes()[:-32])
    with pytest.raises(StoreError, match="expected 3584"):
        tiles.TileSource(tiles.dir_fetch(copy), BIG).root()

    # A well-formed but wrong tile gives proofs that do not verify against the signed root,
    # and entries that do not match their leaf hashes.
    shutil.rmtree(copy)
    shutil.copytree(d / "static", copy)
    bad = bytearray(good)
    bad[5 * 32] ^= 1
    (copy / "tile/0/000").write_bytes(bytes(bad))
    src = tiles.TileSource(tiles.dir_fetch(copy), BIG)
    assert src.root() == s.root()  # the root only reads the top tiles
    with pytest.raises(InvalidProof, match="root mismatch"):
        merkle.verify_inclusion(4, BIG, merkle.leaf_hash(entry(4)), src.inclusion_proof(4), s.root())
    with pytest.raises(StoreError, match="does not match its leaf hash"):
        src.entry(0)

    # Over HTTP, through a man in the middle that truncates one tile.
    http = tiles.http_fetch(srv.url)

    def truncating(path: str) -> bytes:
        data = http(path)
        return data[:100] if path == "tile/1/000" else data

    with pytest.raises(StoreError, match=r"tile/1/000 is 100 bytes"):
        tiles.TileSource(truncating, BIG).inclusion_proof(0)


def test_pruned_partial_tiles_fall_back_to_full_tiles(big: tuple[LogStore, Path, str], tmp_path: Path) -> None:
    s, d, _ = big
    copy = tmp_path / "static"
    shutil.copytree(d / "static", copy)
    for p in list(copy.rglob("*.p")):
        shutil.rmtree(p)
    # Partial tiles of size 1000 are gone, but their full tiles (prefixes) are there.
    src = tiles.TileSource(tiles.dir_fetch(copy), 1000)
    assert src.root() == s.root(1000)
    assert src.entry(999) == entry(999)
    assert src.inclusion_proof(999) == s.inclusion_proof(999, 1000)
    # 66,304 = 259 full level-0 tiles: its level-1 and level-2 partial tiles (and their
    # full tiles) are missing, and are rebuilt from the full tiles below them.
    src = tiles.TileSource(tiles.dir_fetch(copy), 66_304)
    assert src.root() == s.root(66_304)
    assert src.consistency_proof(66_000) == s.consistency_proof(66_000, 66_304)
    with pytest.raises(tiles.NotFound):  # level-0 edges cannot be rebuilt
        tiles.TileSource(tiles.dir_fetch(copy), BIG).root()


def test_entry_bundles_round_trip() -> None:
    entries = [b"", b"x", bytes(range(256)) * 4, b"\xff" * 65_535]
    data = tiles.entry_bundle(entries)
    assert data[:4] == b"\x00\x00\x00\x01"
    assert tiles.parse_entry_bundle(data, 4) == entries
    with pytest.raises(StoreError, match="holds 4 entries, expected 5"):
        tiles.parse_entry_bundle(data, 5)
    with pytest.raises(StoreError, match="after its 3 entries"):
        tiles.parse_entry_bundle(data, 3)
    with pytest.raises(StoreError, match="truncated"):
        tiles.parse_entry_bundle(data[:-1], 4)
    with pytest.raises(StoreError, match="length prefix"):
        tiles.parse_entry_bundle(data + b"\x00", 5)
    with pytest.raises(StoreError, match="65,535"):
        tiles.entry_bundle([b"x" * 65_536])


def test_write_static_is_incremental(tmp_path: Path) -> None:
    s = build(tmp_path / "log", 600)
    out = tmp_path / "static"
    first = tiles.write_static(s, out, fake_note(600, s.root()))
    assert set(first) == {r.path for r in tiles.tile_refs(600)} | {"checkpoint"}
    assert tiles.write_static(s, out, fake_note(600, s.root())) == ["checkpoint"]
    s.append([entry(i) for i in range(600, 1300)])
    second = tiles.write_static(s, out, fake_note(1300, s.root()))
    new_full = [r.path for r in tiles.tile_refs(1300) if r.full and r.n >= 2]
    assert set(second) == set(new_full) | {r.path for r in tiles.tile_refs(1300) if not r.full} | {"checkpoint"}
    assert "tile/0/000" not in second and "tile/entries/001" not in second
    assert (out / "tile/0/002.p/88").is_file()  # partial tiles of the old size stay
    assert (out / "tile/0/002").is_file() and (out / "tile/0/005.p/20").is_file()
    # A damaged file is rewritten, not skipped.
    (out / "tile/0/001").write_bytes(b"short")
    (out / "tile/entries/000").write_bytes(b"\x00\x05ab")
    assert sorted(tiles.write_static(s, out, fake_note(1300, s.root()))) == ["checkpoint", "tile/0/001", "tile/entries/000"]
    assert tiles.TileSource(tiles.dir_fetch(out)).root() == s.root()
    # The checkpoint must describe the log.
    with pytest.raises(StoreError, match="does not match the log"):
        tiles.write_static(s, out, fake_note(1300, bytes(32)))
    with pytest.raises(StoreError, match="holds only 1300"):
        tiles.write_static(s, out, fake_note(1301, s.root()))
    with pytest.raises(InvalidNote):
        tiles.write_static(s, out, "not a checkpoint\n")
    s.close()


def test_empty_log_publishes_only_a_checkpoint(tmp_path: Path) -> None:
    s = LogStore(tmp_path / "log", create=True)
    assert tiles.write_static(s, tmp_path / "static", fake_note(0, merkle.EMPTY_ROOT)) == ["checkpoint"]
    b = open_board(str(tmp_path / "static"))
    assert b.size == 0 and b.root() == merkle.EMPTY_ROOT
    s.close()


# -------------------------------------------------------------------------------- server


def test_http_resources_and_headers(big: tuple[LogStore, Path, str], srv: BoardServer) -> None:
    s, d, note = big
    status, headers, body = get(srv, "/checkpoint")
    assert (status, body.decode()) == (200, note)
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert headers["cache-control"] == "public, max-age=5"
    status, headers, body = get(srv, "/tile/0/272")
    assert status == 200 and body == (d / "static/tile/0/272").read_bytes()
    assert "immutable" in headers["cache-control"]
    status, headers, body = get(srv, "/tile/1/001.p/17")
    assert status == 200 and len(body) == 17 * 32 and "immutable" not in headers["cache-control"]
    status, _, body = get(srv, "/tile/entries/273.p/112")
    assert status == 200 and body == (d / "static/tile/entries/273.p/112").read_bytes()
    status, _, body = get(srv, "/tile/0/000.p/3")  # a partial tile of an older size
    assert status == 200 and body == (d / "static/tile/0/000").read_bytes()[:96]
    status, headers, body = get(srv, "/tile/0/000", "HEAD")
    assert status == 200 and body == b"" and headers["content-length"] == "8192"
    h = hashlib.sha256(b"a large payload").hexdigest()
    assert get(srv, f"/data/{h}")[2] == b"a large payload"

    import json

    status, _, body = get(srv, "/proof/inclusion?index=1234&size=65537")
    got = json.loads(body)
    assert status == 200 and got["size"] == 65537 and got["index"] == 1234
    assert [base64.b64decode(p) for p in got["proof"]] == s.inclusion_proof(1234, 65537)
    assert base64.b64decode(got["root"]) == s.root(65537)
    status, _, body = get(srv, "/proof/consistency?old=300")
    got = json.loads(body)
    assert status == 200 and got["size"] == BIG
    assert [base64.b64decode(p) for p in got["proof"]] == s.consistency_proof(300, BIG)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/tile/0/abc", 400),
        ("/tile/0/0001", 400),
        ("/tile/0/000.p/256", 400),
        ("/tile/99/000", 400),
        ("/tile/0/272", 200),
        ("/tile/0/273", 404),  # only a partial tile exists there
        ("/tile/0/274", 404),  # beyond the tree
        ("/tile/0/x001/000", 404),
        ("/tile/0/273.p/113", 404),
        ("/tile/2/000", 404),
        ("/tile/3/000.p/1", 404),
        ("/tile/entries/274", 404),
        ("/proof/inclusion?index=70000&size=70000", 400),
        ("/proof/inclusion?index=70000", 400),
        ("/proof/inclusion?index=5&size=70001", 404),
        ("/proof/inclusion?index=-1", 400),
        ("/proof/inclusion?index=01", 400),
        ("/proof/inclusion?index=1&index=2", 400),
        ("/proof/inclusion?index=1&bogus=2", 400),
        ("/proof/inclusion", 400),
        ("/proof/inclusion?index=" + "9" * 5000, 400),
        ("/proof/consistency?old=0", 400),
        ("/proof/consistency?old=5&size=4", 400),
        ("/proof/consistency?old=5&size=80000", 404),
        ("/data/xyz", 400),
        ("/data/" + "0" * 64, 404),
        ("/data/../checkpoint", 400),
        ("/nothing", 404),
        ("/", 404),
    ],
)
def test_http_errors(srv: BoardServer, path: str, status: int) -> None:
    got, headers, body = get(srv, path)
    assert got == status, body
    if status != 200:
        assert headers["content-type"] == "text/plain; charset=utf-8"
        assert body.endswith(b"\n") and b"Traceback" not in body and len(body) < 400


def test_http_methods_and_empty_board(srv: BoardServer, tmp_path: Path) -> None:
    status, headers, body = get(srv, "/checkpoint", "POST")
    assert status == 405 and headers["allow"] == "GET, HEAD"
    s = build(tmp_path / "log", 10)
    server = serve(str(tmp_path / "log"))
    try:
        assert get(server, "/checkpoint")[0] == 404
        assert get(server, "/tile/0/000.p/5")[0] == 404
        s.write_checkpoint(fake_note(5, s.root(5)))
        assert get(server, "/tile/0/000.p/5")[0] == 200
        assert get(server, "/tile/0/000.p/6")[0] == 404  # beyond the checkpoint
        s.write_checkpoint(fake_note(11, s.root(10)))
        status, _, body = get(server, "/tile/0/000.p/5")
        assert status == 503 and b"ahead" in body
    finally:
        server.stop()
        s.close()


# -------------------------------------------------------------------------------- client


def test_open_board_everywhere(big: tuple[LogStore, Path, str], srv: BoardServer) -> None:
    s, d, note = big
    h = hashlib.sha256(b"a large payload").hexdigest()
    boards = [open_board(d / "log"), open_board(str(d / "static")), open_board(srv.url), open_board(srv.url.rstrip("/"))]
    assert isinstance(boards[0], LocalBoard) and isinstance(boards[1], TiledBoard)
    for b in boards:
        with b:
            assert b.checkpoint_note() == note and b.size == BIG
            assert b.root() == s.root()
            assert [b.entry(i) for i in (0, 255, 256, BIG - 1)] == [entry(i) for i in (0, 255, 256, BIG - 1)]
            assert list(b.entries(69_990)) == [entry(i) for i in range(69_990, BIG)]
            assert b.inclusion_proof(777, 1000) == s.inclusion_proof(777, 1000)
            assert b.consistency_proof(1000, 65_536) == s.consistency_proof(1000, 65_536)
            assert b.node(16, 0) == s.node(16, 0)
            assert b.get_data(h) == b"a large payload"
            with pytest.raises(StoreError):
                b.get_data("0" * 64)
            with pytest.raises(StoreError):
                b.entry(BIG)
            with pytest.raises(StoreError, match="beyond"):
                b.inclusion_proof(0, BIG + 1)
            with pytest.raises(InvalidProof):
                b.consistency_proof(0, 5)
    with pytest.raises(StoreError, match="neither"):
        open_board(str(d))
    with pytest.raises(StoreError):
        open_board("http://127.0.0.1:1/")  # nothing listens on port 1


def test_client_refuses_a_payload_that_does_not_match_its_hash(big: tuple[LogStore, Path, str], tmp_path: Path) -> None:
    _, d, _ = big
    copy = tmp_path / "static"
    shutil.copytree(d / "static", copy)
    h = hashlib.sha256(b"a large payload").hexdigest()
    (copy / "data" / h).write_bytes(b"something else")
    with pytest.raises(StoreError, match="does not match its hash"):
        open_board(str(copy)).get_data(h)


def test_log_view_never_writes_and_follows_the_writer(tmp_path: Path) -> None:
    s = build(tmp_path / "log", 300)
    entries = tmp_path / "log/entries.bin"
    torn = b"\x00\x00\x00\x05uncommitted"
    with open(entries, "ab") as f:  # the writer's batch, written but not yet committed
        f.write(torn)
    length = entries.stat().st_size
    with LogView(tmp_path / "log") as v:
        assert v.size == 300 and entries.stat().st_size == length
        assert v.root() == s.root() and v.entry(299) == entry(299)
        with pytest.raises(StoreError):
            v.entry(300)
        os.truncate(entries, length - len(torn))
        s.close()
        s = LogStore(tmp_path / "log")
        s.append([entry(i) for i in range(300, 400)])
        assert v.size == 400 and v.entry(399) == entry(399) and v.root() == s.root()
        assert tiles.tile_hashes(v, 0, 1, 144) == tiles.tile_hashes(s, 0, 1, 144)
    s.close()


def test_receipt_end_to_end_with_a_signed_checkpoint(tmp_path: Path) -> None:
    import saylau.board.note as note_mod
    s = build(tmp_path / "log", 1000)
    signer = note_mod.Signer(ORIGIN, bytes(range(32)))
    signed = note_mod.sign_checkpoint(note_mod.Checkpoint(ORIGIN, s.size, s.root()), signer)
    s.write_checkpoint(signed)
    server = serve(tmp_path / "log")
    try:
        board = open_board(server.url)
        cp = note_mod.open_checkpoint(board.checkpoint_note(), signer.verifier(), origin=ORIGIN)
        text = format_tlog_proof(421, board.inclusion_proof(421, cp.size), board.checkpoint_note())
        index, proof, checkpoint, extra = parse_tlog_proof(text)
        cp2 = note_mod.open_checkpoint(checkpoint, signer.verifier(), origin=ORIGIN)
        merkle.verify_inclusion(index, cp2.size, merkle.leaf_hash(entry(421)), proof, cp2.root_hash)
        with pytest.raises(InvalidProof):
            merkle.verify_inclusion(index, cp2.size, merkle.leaf_hash(entry(420)), proof, cp2.root_hash)
        assert extra is None
    finally:
        server.stop()
        s.close()


# ------------------------------------------------------------------------------ tlog-proof

H1 = hashlib.sha256(b"1").digest()
H2 = hashlib.sha256(b"2").digest()
CP = fake_note(10, H1)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_tlog_proof_format_and_round_trip() -> None:
    text = format_tlog_proof(5, [H1, H2], CP)
    assert text == f"{HEADER}\nindex 5\n{b64(H1)}\n{b64(H2)}\n\n{CP}"
    assert parse_tlog_proof(text) == (5, [H1, H2], CP, None)
    assert parse_tlog_proof(text.encode()) == (5, [H1, H2], CP, None)
    text = format_tlog_proof(0, [], CP, extra=b"tracker 42")
    assert text == f"{HEADER}\nextra {b64(b'tracker 42')}\nindex 0\n\n{CP}"
    p = parse_tlog_proof(text)
    assert (p.leaf_index, p.proof, p.checkpoint_note, p.extra) == (0, [], CP, b"tracker 42")
    assert parse_tlog_proof(format_tlog_proof(2**64 - 1, [H1] * 64, CP, b"")).extra == b""
    for bad_args in [(-1, [], CP), (1, [H1[:31]], CP), (1, [], "no newline"), (1, [], ""), (1, [H1] * 65, CP)]:
        with pytest.raises(ValueError):
            format_tlog_proof(*bad_args)


GOOD = f"{HEADER}\nindex 5\n{b64(H1)}\n\n{CP}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "first line"),
        (GOOD.replace(HEADER, "c2sp.org/tlog-proof@v2"), "first line"),
        (" " + GOOD, "first line"),
        (GOOD.replace("index 5", "index 05"), "bad index"),
        (GOOD.replace("index 5", "index -5"), "bad index"),
        (GOOD.replace("index 5", "index  5"), "bad index"),
        (GOOD.replace("index 5", "index 18446744073709551616"), "bad index"),
        (GOOD.replace("index 5", "Index 5"), "expected 'index"),
        (GOOD.replace("index 5\n", ""), "expected 'index"),
        (f"{HEADER}\nindex 5\nextra AAAA\n\n{CP}", "not a base64 32-byte hash"),
        (GOOD.replace("index 5", "extra\nindex 5"), "followed by a space"),
        (GOOD.replace("index 5", "extra !!!!\nindex 5"), "not standard padded base64"),
        (GOOD.replace("index 5", "extra AB\nindex 5"), "not standard padded base64"),
        (GOOD.replace("index 5", "extra AB==\nindex 5"), "non-canonical"),
        (GOOD.replace(b64(H1), b64(H1)[:-4]), "not a base64 32-byte hash"),
        (GOOD.replace(b64(H1), b64(H1 + b"x")), "not a base64 32-byte hash"),
        (GOOD.replace(b64(H1), b64(H1)[:-1]), "not a base64 32-byte hash"),
        (GOOD.replace(b64(H1), b64(H1)[:-2] + "B="), "non-canonical"),
        (GOOD.replace(b64(H1), b64(H1) + " "), "not a base64 32-byte hash"),
        (GOOD.replace(b64(H1), "-" * 43 + "="), "not a base64"),
        (f"{HEADER}\nindex 5\n{b64(H1)}\n", "checkpoint after the empty line is missing"),
        (f"{HEADER}\nindex 5\n{b64(H1)}", "no empty line"),
        (f"{HEADER}\nindex 5\n{b64(H1)}\n\n\n{CP}", "checkpoint after the empty line is missing"),
        (GOOD[:-1], "does not end in a newline"),
        (GOOD.replace("\n", "\r\n"), "carriage return"),
        (f"{HEADER}\nindex 5\n" + f"{b64(H1)}\n" * 65 + f"\n{CP}", "more than 64"),
    ],
)
def test_tlog_proof_refusals(text: str, message: str) -> None:
    with pytest.raises(InvalidProof, match=message):
        parse_tlog_proof(text)


def test_tlog_proof_refuses_bad_utf8() -> None:
    with pytest.raises(InvalidProof, match="UTF-8"):
        parse_tlog_proof(GOOD.encode() + b"\xff\n")


def test_checkpoint_tree_parsing() -> None:
    assert tiles.checkpoint_tree(CP) == (10, H1)
    for bad in ["", "origin\n", "origin\n10\n", f"origin\n010\n{b64(H1)}\n", f"origin\n10\n{b64(H1[:31])}\n", f"\n10\n{b64(H1)}\n", f"o\n10\n{b64(H1)[:-2]}B=\n"]:
        with pytest.raises(InvalidNote):
            tiles.checkpoint_tree(bad)


def test_fetchers_refuse_odd_paths_and_urls(tmp_path: Path) -> None:
    fetch = tiles.dir_fetch(tmp_path)
    for p in ["../x", "tile//0", "/etc/passwd", "", "a/./b"]:
        with pytest.raises(StoreError):
            fetch(p)
    with pytest.raises(tiles.NotFound):
        fetch("checkpoint")
    for url in ["ftp://127.0.0.1/", "http://", "http://127.0.0.1/?x=1"]:
        with pytest.raises(StoreError):
            tiles.http_fetch(url)
