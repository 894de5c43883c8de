"""WSGI entry point: `granian --interface wsgi saylau.web.wsgi:application` (scripts/run-web.sh), or
any WSGI server."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saylau.web.settings")
application = get_wsgi_application()
