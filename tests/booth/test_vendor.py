"""The vendored @noble/curves and @noble/hashes are exactly what MANIFEST.sha256 says (offline),
with the versions, integrity pins and licenses VENDOR.md states; the booth's modules load
nothing but these (no CDN) and only by relative path."""

from __future__ import annotations

import hashlib
import json
import re

from .conftest import BOOTH, REPO, VENDOR

PACKAGES = {"noble-curves-2.4.0": "@noble/curves", "noble-hashes-2.4.0": "@noble/hashes"}
OTHERS = {"uqr-0.1.3": "uqr"}  # the audit's QR code (tests/booth/test_vendor_uqr.py)


def test_vendored_files_match_the_manifest() -> None:
    manifest: dict[str, str] = {}
    for line in (VENDOR / "MANIFEST.sha256").read_text().splitlines():
        digest, name = line.split("  ", 1)
        manifest[name] = digest
    on_disk = {p.relative_to(VENDOR).as_posix() for d in (*PACKAGES, *OTHERS)
               for p in (VENDOR / d).rglob("*") if p.is_file()}
    assert set(manifest) == on_disk, f"unlisted: {sorted(on_disk - set(manifest))}; missing: {sorted(set(manifest) - on_disk)}"
    changed = [n for n, digest in manifest.items() if hashlib.sha256((VENDOR / n).read_bytes()).hexdigest() != digest]
    assert not changed, f"vendored files differ from MANIFEST.sha256: {changed}"
    assert not any("/src/" in n for n in manifest)
    assert len(manifest) == 98


def test_versions_licenses_and_pins_are_documented() -> None:
    doc = (VENDOR / "VENDOR.md").read_text()
    script = (REPO / "scripts" / "vendor-noble.sh").read_text()
    for d, name in PACKAGES.items():
        pkg = json.loads((VENDOR / d / "package.json").read_text())
        assert pkg["name"] == name and pkg["version"] == "2.4.0" and pkg["license"] == "MIT"
        assert pkg["type"] == "module"
        assert (VENDOR / d / "LICENSE").read_text().startswith("The MIT License (MIT)")
    pins = re.findall(r"(?:CURVES|HASHES)_INTEGRITY=(sha512-\S+)", script)
    assert len(pins) == 2
    for pin in pins:
        assert pin in doc


def test_booth_modules_import_only_vendored_files() -> None:
    for module in ("belenios.js", "audit.js"):
        text = (BOOTH / module).read_text()
        imports = re.findall(r"^import\s[^;]*?from '([^']+)';", text, flags=re.M)
        assert imports, module
        for spec in imports:
            assert spec.startswith("./"), f"{module}: {spec}"
            assert (BOOTH / spec).is_file(), f"{module}: {spec} does not exist"
        assert "http://" not in text and "https://" not in text
