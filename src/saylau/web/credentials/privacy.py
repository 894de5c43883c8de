"""Logging hygiene for the views where a voter meets the system (polling-station marking; the
voting server's booth and cast endpoint reuse it): no log record may carry anything that links a
voter to a ballot — an IIN, the client's IP address, a precise time.

- `@no_voter_trace` marks a view (put it under `@access`).
- `NoVoterTrace` is a logging filter. For a record about a request to a marked view it drops the
  request object (Django's `django.request` warnings carry it, with REMOTE_ADDR and the headers;
  the admins' e-mail handler would print them), drops `server_time`, masks any run of 12 digits in
  the message, and coarsens the record's time to the hour (a handler whose format prints
  `%(asctime)s` then shows no precise time).
- `install()` (called from `CredentialsConfig.ready`) puts the filter on Django's request,
  server and security loggers, and on every handler configured at start-up.
- The web server's (granian's) access log is anonymised in scripts/run-web.sh (method, path and
  status only).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

V = TypeVar("V", bound=Callable[..., Any])
MARK = "saylau_no_voter_trace"
LOGGERS = ("django.request", "django.server", "django.security", "django.security.csrf",
           "django.security.DisallowedHost", "django.security.SuspiciousOperation", "granian.access",
           "_granian")
_DIGITS = re.compile(r"\d{12}")


def no_voter_trace(view: V) -> V:
    setattr(view, MARK, True)
    return view


def _marked(request: object) -> bool:
    if request is None:
        return False
    if getattr(request, MARK, False):
        return True
    match = getattr(request, "resolver_match", None)
    return bool(match is not None and getattr(match.func, MARK, False))


class NoVoterTrace(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not _marked(request):
            return True
        record.request = None
        if hasattr(record, "server_time"):
            record.server_time = ""
        message = _DIGITS.sub("[redacted]", record.getMessage())
        record.msg, record.args = message, None
        record.created = record.created - record.created % 3600
        record.msecs = 0.0
        return True


_FILTER = NoVoterTrace()


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    loggers = [logging.getLogger()] + [x for x in logging.root.manager.loggerDict.values()
                                       if isinstance(x, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
