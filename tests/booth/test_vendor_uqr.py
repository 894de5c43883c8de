"""The vendored uqr (the audit's QR code in the booth) is the npm package as published: its
version, MIT license and integrity pin are in VENDOR.md, its module imports nothing, and the
booth's published file hashes include it."""

from __future__ import annotations

import json
import re

from .conftest import VENDOR

UQR = VENDOR / "uqr-0.1.3"
INTEGRITY = "sha512-0rjE8iEJe4YmT9TOhwsZtqCMRLc5DXZUI2UEYUUg63ikBkqqE5EYWaI0etFe/5KUcmcYwLih2RND1kq+hrUJXA=="


def test_uqr_version_license_and_pin() -> None:
    pkg = json.loads((UQR / "package.json").read_text())
    assert (pkg["name"], pkg["version"], pkg["license"], pkg["type"]) == ("uqr", "0.1.3", "MIT", "module")
    assert (UQR / "LICENSE").read_text().startswith("MIT License")
    doc = (VENDOR / "VENDOR.md").read_text()
    assert "`uqr-0.1.3/`" in doc and INTEGRITY in doc


def test_uqr_module_is_self_contained() -> None:
    text = (UQR / "dist" / "index.mjs").read_text()
    assert not re.search(r"^\s*import\s", text, flags=re.M)
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
