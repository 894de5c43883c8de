"""C2SP tlog-tiles: the log as static, immutable files (bulletin-board doc §7).

Layout, below a prefix:

- `checkpoint` — the signed checkpoint (mutable);
- `tile/<L>/<N>` — a full tile: 256 hashes (8,192 bytes). Hash `i` of tile `N` at tile
  level `L` is the complete Merkle node at Merkle level `8·L`, index `256·N + i`: the
  root of `256^L` leaves;
- `tile/<L>/<N>.p/<W>` — a partial tile of width `W` (1–255), at the right edge;
- `tile/entries/<N>[.p/<W>]` — the entries matching level-0 tile `N`, each prefixed by
  its length as a big-endian uint16;
- `data/<sha256 hex>` — (Saylau) payloads stored by hash beside the log.

`<N>` is written in groups of three digits, every group but the last prefixed by `x`
(1234067 → `x001/x234/067`). A tile's contents depend only on its path — a partial tile of
width W holds the first W hashes of the future full tile — so every file is immutable;
partial tiles may merely disappear once the full tile exists, and readers then fall back
to the full tile (as tlog-tiles allows).

Readers (`TileSource`) take a `fetch(path) -> bytes` function (`dir_fetch`,
`http_fetch`) and a tree size — normally that of a checkpoint whose signature the caller
has verified. Nothing fetched is trusted: hashes are only used to compute roots and
proofs, which the caller checks against the signed root; wrong lengths and malformed
bundles are refused with `StoreError` (`NotFound` when a file does not exist).
"""

from __future__ import annotations

import base64
import ipaddress
import os
import re
import struct
import urllib.error
import urllib.parse
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple, Protocol

from . import merkle
from .errors import InvalidNote, StoreError

HEIGHT = 8
"""Tile height: a tile level spans 8 Merkle levels."""
WIDTH = 256
"""Hashes (or entries) in a full tile."""
ENTRIES = -1
"""The `level` of a `TileRef` naming an entry bundle (`tile/entries/...`)."""
MAX_LEVEL = 63
MAX_BUNDLE = WIDTH * (2 + 65_535)
"""The largest possible entry bundle (256 entries of 65,535 bytes)."""

Fetch = Callable[[str], bytes]
"""Reads a file of the tile layout by relative path (`checkpoint`, `tile/0/000`, ...)."""


class NotFound(StoreError):
    """A tile, bundle, checkpoint or payload that does not exist (HTTP 404, missing file)."""


# ---------------------------------------------------------------------------------- paths

_GROUP = re.compile(r"x[0-9]{3}")
_LAST = re.compile(r"[0-9]{3}")
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")
_MAX_GROUPS = 8  # 10^24 > 2^64: room for any u64 index


class TileRef(NamedTuple):
    """Tile `n` at tile `level` (≥ 0), or entry bundle `n` (`level == ENTRIES`); `width` 256 = full."""

    level: int
    n: int
    width: int = WIDTH

    @property
    def full(self) -> bool:
        return self.width == WIDTH

    @property
    def path(self) -> str:
        if self.level == ENTRIES:
            return entries_path(self.n, self.width)
        return tile_path(self.level, self.n, self.width)


def encode_index(n: int) -> str:
    """`1234067` → `x001/x234/067`; `0` → `000`; `1000` → `x001/000`."""
    if n < 0:
        raise ValueError(f"tile index {n} is negative")
    groups = [f"{n % 1000:03d}"]
    n //= 1000
    while n:
        groups.append(f"x{n % 1000:03d}")
        n //= 1000
    return "/".join(reversed(groups))


def _check_width(width: int) -> None:
    if not 1 <= width <= WIDTH:
        raise ValueError(f"tile width {width} is not in 1..{WIDTH}")


def tile_path(level: int, index: int, width: int = WIDTH) -> str:
    """`tile/<L>/<N>` or, for a partial tile, `tile/<L>/<N>.p/<W>`."""
    if not 0 <= level <= MAX_LEVEL:
        raise ValueError(f"tile level {level} is not in 0..{MAX_LEVEL}")
    _check_width(width)
    return f"tile/{level}/{encode_index(index)}" + ("" if width == WIDTH else f".p/{width}")


def entries_path(index: int, width: int = WIDTH) -> str:
    """`tile/entries/<N>` or `tile/entries/<N>.p/<W>`."""
    _check_width(width)
    return f"tile/entries/{encode_index(index)}" + ("" if width == WIDTH else f".p/{width}")


def parse_tile_path(path: str) -> TileRef:
    """Parse `tile/<L|entries>/<N>[.p/<W>]` strictly (canonical forms only); ValueError else."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "tile":
        raise ValueError(f"not a tile path: {path!r}")
    if parts[1] == "entries":
        level = ENTRIES
    elif _DECIMAL.fullmatch(parts[1]) and int(parts[1]) <= MAX_LEVEL:
        level = int(parts[1])
    else:
        raise ValueError(f"bad tile level {parts[1]!r} in {path!r}")
    groups = parts[2:]
    width = WIDTH
    if len(groups) >= 2 and groups[-2].endswith(".p"):
        w = groups[-1]
        if not _DECIMAL.fullmatch(w) or not 1 <= int(w) < WIDTH:
            raise ValueError(f"bad partial tile width {w!r} in {path!r} (1..255)")
        width = int(w)
        groups = groups[:-2] + [groups[-2][:-2]]
    if not 1 <= len(groups) <= _MAX_GROUPS:
        raise ValueError(f"bad tile index in {path!r}")
    if not _LAST.fullmatch(groups[-1]) or not all(_GROUP.fullmatch(g) for g in groups[:-1]):
        raise ValueError(f"bad tile index in {path!r}: groups of 3 digits, all but the last prefixed by 'x'")
    index = int("".join(g.lstrip("x") for g in groups))
    ref = TileRef(level, index, width)
    if ref.path != path:  # e.g. a leading x000 group
        raise ValueError(f"non-canonical tile path {path!r} (canonical: {ref.path!r})")
    return ref


def tile_refs(size: int) -> list[TileRef]:
    """Every tile and entry bundle of a tree of `size` leaves, level 0 (and bundles) first.

    At tile level L there are `size // 256^(L+1)` full tiles and, if `(size // 256^L) % 256`
    is not zero, one partial tile of that width; entry bundles mirror level 0.
    """
    out: list[TileRef] = []
    level = 0
    while size >> (HEIGHT * level):
        count = size >> (HEIGHT * level)  # hashes at this tile level
        full, width = divmod(count, WIDTH)
        levels = [level, ENTRIES] if level == 0 else [level]
        for lv in levels:
            out.extend(TileRef(lv, n) for n in range(full))
            if width:
                out.append(TileRef(lv, full, width))
        level += 1
    return out


def tile_width(size: int, level: int, index: int) -> int:
    """The width tile `index` at tile `level` (or the bundle, for ENTRIES) has for `size`.

    256 for a full tile; StoreError if the tree has no such tile.
    """
    count = size >> (HEIGHT * max(level, 0))
    full, width = divmod(count, WIDTH)
    if 0 <= index < full:
        return WIDTH
    if index == full and width:
        return width
    what = f"entry bundle {index}" if level == ENTRIES else f"tile {level}/{index}"
    raise StoreError(f"{what} is beyond a tree of size {size}")


# ---------------------------------------------------------------------------- contents


class NodeSource(Protocol):
    def node(self, level: int, index: int) -> bytes: ...


def tile_hashes(source: NodeSource, level: int, index: int, width: int = WIDTH) -> bytes:
    """The `width` hashes of tile `index` at tile `level`: the complete nodes at Merkle
    level `8·level`, indices `256·index ...`, read from `source` (a store or view)."""
    _check_width(width)
    start = index * WIDTH
    node_range = getattr(source, "node_range", None)
    if node_range is not None:  # one contiguous read (LogView)
        data = node_range(HEIGHT * level, start, width)
        if isinstance(data, bytes) and len(data) == width * merkle.HASH_SIZE:
            return data
        raise StoreError(f"tile {level}/{index}: short read from the log")
    return b"".join(source.node(HEIGHT * level, start + i) for i in range(width))


_LEN = struct.Struct(">H")


def entry_bundle(entries: Iterable[bytes]) -> bytes:
    """Entries as a tlog-tiles bundle: each prefixed by its length, a big-endian uint16."""
    out = bytearray()
    for i, e in enumerate(entries):
        if len(e) > 0xFFFF:
            raise StoreError(f"entry {i} of the bundle is {len(e)} bytes, above 65,535")
        out += _LEN.pack(len(e)) + e
    return bytes(out)


def parse_entry_bundle(data: bytes, width: int, what: str = "entry bundle") -> list[bytes]:
    """Exactly `width` length-prefixed entries and nothing after them; StoreError else."""
    entries: list[bytes] = []
    pos = 0
    while pos < len(data):
        if len(entries) == width:
            raise StoreError(f"{what}: {len(data) - pos} bytes after its {width} entries")
        if pos + 2 > len(data):
            raise StoreError(f"{what}: truncated length prefix of entry {len(entries)}")
        (n,) = _LEN.unpack_from(data, pos)
        if pos + 2 + n > len(data):
            raise StoreError(f"{what}: entry {len(entries)} is truncated ({len(data) - pos - 2} of {n} bytes)")
        entries.append(data[pos + 2 : pos + 2 + n])
        pos += 2 + n
    if len(entries) != width:
        raise StoreError(f"{what}: holds {len(entries)} entries, expected {width}")
    return entries


_TREE_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")
_B64_HASH = re.compile(r"[A-Za-z0-9+/]{43}=")


def checkpoint_tree(note: str) -> tuple[int, bytes]:
    """The (size, root hash) a checkpoint note states. InvalidNote if malformed.

    This only reads the first three lines; it does NOT verify any signature.
    """
    lines = note.split("\n", 3)
    if len(lines) < 4 or not lines[0]:
        raise InvalidNote("checkpoint: expected origin, size and root hash lines")
    if not _TREE_SIZE.fullmatch(lines[1]) or int(lines[1]) >= 1 << 64:
        raise InvalidNote(f"checkpoint: bad tree size {lines[1][:40]!r}")
    if not _B64_HASH.fullmatch(lines[2]):
        raise InvalidNote(f"checkpoint: bad root hash {lines[2][:60]!r}")
    root = base64.b64decode(lines[2])
    if base64.b64encode(root).decode() != lines[2]:
        raise InvalidNote(f"checkpoint: non-canonical base64 root hash {lines[2]!r}")
    return int(lines[1]), root


# -------------------------------------------------------------------------------- writer


class _Store(NodeSource, Protocol):
    @property
    def size(self) -> int: ...

    def entry(self, index: int) -> bytes: ...

    def root(self, size: int | None = None) -> bytes: ...

    def get_data(self, h: str) -> bytes: ...


def _write_atomic(target: Path, data: bytes, *, sync: bool = False) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        if sync:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, target)


def _bundle_ok(path: Path, width: int) -> bool:
    try:
        parse_entry_bundle(path.read_bytes(), width)
    except (OSError, StoreError):
        return False
    return True


def _tile_ok(path: Path, width: int) -> bool:
    try:
        return path.stat().st_size == width * merkle.HASH_SIZE
    except OSError:
        return False


def write_static(store: _Store, out_dir: str | os.PathLike[str], checkpoint_note: str, *, include_data: bool = True) -> list[str]:
    """Publish the tree of `checkpoint_note` as static tlog-tiles files under `out_dir`.

    Writes every full and partial tile and entry bundle of the checkpoint's tree size,
    then (with `include_data`) the payloads stored by hash beside the log under `data/`,
    and the `checkpoint` file **last**, so a reader never sees a checkpoint whose tiles
    are missing. Incremental: a file that already exists with a valid shape is skipped
    (contents depend only on the path); partial tiles of earlier sizes are kept. Every
    file is replaced atomically. Returns the relative paths written.

    The checkpoint's size must not exceed the log's and its root must equal the log's
    root at that size (StoreError); the signature is not checked here.
    """
    size, root = checkpoint_tree(checkpoint_note)
    if size > store.size:
        raise StoreError(f"checkpoint is for size {size} but the log holds only {store.size} entries")
    if store.root(size) != root:
        raise StoreError(f"checkpoint root does not match the log at size {size}")
    out = Path(out_dir)
    written: list[str] = []
    for ref in tile_refs(size):
        target = out / ref.path
        if ref.level == ENTRIES:
            if _bundle_ok(target, ref.width):
                continue
            start = ref.n * WIDTH
            data = entry_bundle(store.entry(i) for i in range(start, start + ref.width))
        else:
            if _tile_ok(target, ref.width):
                continue
            data = tile_hashes(store, ref.level, ref.n, ref.width)
        _write_atomic(target, data)
        written.append(ref.path)
    if include_data:
        data_hashes = getattr(store, "data_hashes", None)
        if data_hashes is not None:
            hashes: list[str] = list(data_hashes())
        else:
            src = getattr(store, "path", None)
            d = Path(src) / "data" if src is not None else None
            hashes = sorted(p.name for p in d.iterdir()) if d is not None and d.is_dir() else []
        for h in hashes:
            if not re.fullmatch(r"[0-9a-f]{64}", h) or (out / "data" / h).is_file():
                continue
            _write_atomic(out / "data" / h, store.get_data(h))  # get_data checks the hash
            written.append(f"data/{h}")
    _write_atomic(out / "checkpoint", checkpoint_note.encode("utf-8"), sync=True)
    written.append("checkpoint")
    return written


# ------------------------------------------------------------------------------ fetchers


def dir_fetch(root: str | os.PathLike[str]) -> Fetch:
    """A `Fetch` reading the tile layout from a directory (a mirror, `write_static` output)."""
    base = Path(root)

    def fetch(path: str) -> bytes:
        parts = path.split("/")
        if not path or any(p in ("", ".", "..") for p in parts) or "\\" in path or "\x00" in path:
            raise StoreError(f"refusing path {path!r}")
        try:
            return (base / path).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise NotFound(f"{base}: {path} not found") from None
        except OSError as exc:
            raise StoreError(f"{base}: cannot read {path}: {exc.strerror}") from None

    return fetch


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def http_fetch(base_url: str, *, timeout: float = 30.0, max_bytes: int = MAX_BUNDLE) -> Fetch:
    """A `Fetch` over HTTP(S) (urllib; proxies from the environment except for loopback)."""
    parsed = urllib.parse.urlsplit(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise StoreError(f"not an http(s) URL: {base_url!r}")
    if parsed.query or parsed.fragment:
        raise StoreError(f"a board URL takes no query or fragment: {base_url!r}")
    base = base_url if base_url.endswith("/") else base_url + "/"
    handlers: list[urllib.request.BaseHandler] = []
    if _is_loopback(parsed.hostname):
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)

    def fetch(path: str) -> bytes:
        url = base + path
        req = urllib.request.Request(url, headers={"User-Agent": "saylau-board-client", "Accept-Encoding": "identity"})
        try:
            with opener.open(req, timeout=timeout) as resp:
                data: bytes = resp.read(max_bytes + 1)
        except urllib.error.HTTPError as exc:
            try:
                reason = exc.read(300).decode("utf-8", "replace").strip()
            except Exception:  # noqa: BLE001 - best effort, for the message only
                reason = ""
            finally:
                exc.close()
            if exc.code == 404:
                raise NotFound(f"{url}: not found ({reason or 404})") from None
            raise StoreError(f"{url}: HTTP {exc.code} {reason}".rstrip()) from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{url}: {getattr(exc, 'reason', exc)}") from None
        if len(data) > max_bytes:
            raise StoreError(f"{url}: response is larger than {max_bytes} bytes")
        return data

    return fetch


# -------------------------------------------------------------------------------- reader


class TileSource:
    """A `merkle.NodeSource` (and entry reader) for a tree of `size` leaves, from tiles.

    `size` should come from a checkpoint the caller has verified; without it the
    `checkpoint` file is fetched and its (unverified) size used. Tiles are cached (LRU,
    `cache` tiles); not thread-safe.
    """

    def __init__(self, fetch: Fetch, size: int | None = None, *, cache: int = 512) -> None:
        self.fetch = fetch
        if size is None:
            size, _ = checkpoint_tree(_decode_note(fetch("checkpoint")))
        if size < 0:
            raise ValueError(f"negative tree size {size}")
        self.size = size
        self._cache: OrderedDict[tuple[int, int], bytes | list[bytes]] = OrderedDict()
        self._cache_max = max(cache, 1)

    # -- raw files

    def _cached(self, key: tuple[int, int]) -> bytes | list[bytes] | None:
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
        return hit

    def _remember(self, key: tuple[int, int], value: bytes | list[bytes]) -> None:
        self._cache[key] = value
        if len(self._cache) > self._cache_max:
            self._cache.popitem(last=False)

    def _fetch_sized(self, ref: TileRef) -> tuple[bytes, int]:
        """Fetch `ref` and say which width was read: a partial tile (or bundle) that is gone
        is read from its full tile, of which it is a prefix (tlog-tiles allows pruning)."""
        try:
            return self.fetch(ref.path), ref.width
        except NotFound:
            if ref.full:
                raise
        return self.fetch(ref._replace(width=WIDTH).path), WIDTH

    def tile(self, level: int, index: int) -> bytes:
        """The hashes of tile `index` at tile `level`, as wide as the tree of `size` has it.

        A partial tile that is not published (pruned, or of a size never checkpointed) is
        read from its full tile if that exists, else rebuilt from the full tiles one level
        below (one fetch per hash); full tiles are always required.
        """
        hit = self._cached((level, index))
        if isinstance(hit, bytes):
            return hit
        width = tile_width(self.size, level, index)
        try:
            data, got = self._fetch_sized(TileRef(level, index, width))
        except NotFound:
            if width == WIDTH or level == 0:
                raise
            data = self._rebuild(level, index, width)
            got = width
        if len(data) != got * merkle.HASH_SIZE:
            raise StoreError(
                f"{tile_path(level, index, got)} is {len(data)} bytes, expected {got * merkle.HASH_SIZE}: "
                "truncated or malformed tile"
            )
        data = data[: width * merkle.HASH_SIZE]
        self._remember((level, index), data)
        return data

    def _rebuild(self, level: int, index: int, width: int) -> bytes:
        """A partial tile from the roots of the full tiles below it."""
        out = bytearray()
        for j in range(width):
            below = self.tile(level - 1, index * WIDTH + j)  # full: covered by the partial tile
            hashes = [below[k : k + merkle.HASH_SIZE] for k in range(0, len(below), merkle.HASH_SIZE)]
            while len(hashes) > 1:
                hashes = [merkle.node_hash(hashes[k], hashes[k + 1]) for k in range(0, len(hashes), 2)]
            out += hashes[0]
        return bytes(out)

    def bundle(self, index: int) -> list[bytes]:
        """The entries of bundle `index`, checked against the leaf hashes of level-0 tile `index`."""
        hit = self._cached((ENTRIES, index))
        if isinstance(hit, list):
            return hit
        width = tile_width(self.size, ENTRIES, index)
        data, got = self._fetch_sized(TileRef(ENTRIES, index, width))
        path = entries_path(index, got)
        entries = parse_entry_bundle(data, got, path)[:width]
        hashes = self.tile(0, index)
        for j, e in enumerate(entries):
            if merkle.leaf_hash(e) != hashes[j * merkle.HASH_SIZE : (j + 1) * merkle.HASH_SIZE]:
                raise StoreError(f"{path}: entry {index * WIDTH + j} does not match its leaf hash in tile/0")
        self._remember((ENTRIES, index), entries)
        return entries

    # -- NodeSource

    def node(self, level: int, index: int) -> bytes:
        if level < 0 or index < 0 or (index + 1) << level > self.size:
            raise StoreError(f"node ({level}, {index}) is beyond the tree of size {self.size}")
        tlevel, r = divmod(level, HEIGHT)
        first = index << r  # index of its first descendant at Merkle level 8·tlevel
        n, off = divmod(first, WIDTH)
        tile = self.tile(tlevel, n)
        hs = merkle.HASH_SIZE
        hashes = [tile[(off + j) * hs : (off + j + 1) * hs] for j in range(1 << r)]
        while len(hashes) > 1:
            hashes = [merkle.node_hash(hashes[j], hashes[j + 1]) for j in range(0, len(hashes), 2)]
        return hashes[0]

    # -- conveniences

    def entry(self, index: int) -> bytes:
        if not 0 <= index < self.size:
            raise StoreError(f"entry {index} is not in the tree of size {self.size}")
        return self.bundle(index // WIDTH)[index % WIDTH]

    def _check_size(self, size: int | None) -> int:
        if size is None:
            return self.size
        if size > self.size:
            raise StoreError(f"size {size} is beyond the tree of size {self.size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        return merkle.root(self, self._check_size(size))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return merkle.inclusion_proof(self, index, self._check_size(size))

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        return merkle.consistency_proof(self, size1, self._check_size(size2))


def _decode_note(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidNote("checkpoint is not valid UTF-8") from None
