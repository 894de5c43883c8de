"""Settings for mypy's django-stubs plugin only (pyproject.toml [tool.django-stubs]).

The plugin imports the settings to learn the models; the real settings refuse to load without
a secret key unless DEBUG is on, so this module turns development mode on first. Never serve
with it.
"""

from __future__ import annotations

import os
import tempfile

os.environ["SAYLAU_DEBUG"] = "1"
os.environ.setdefault("SAYLAU_VAR_DIR", os.path.join(tempfile.gettempdir(), "saylau-typecheck"))

from saylau.web.settings import *  # noqa: E402,F403
