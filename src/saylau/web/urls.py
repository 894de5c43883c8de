"""URLs: the open-data API and the admin without a language prefix; every page under
/kk/, /ru/ or /en/ (the prefix chooses the language; / redirects to the visitor's)."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from saylau.web.api import api
from saylau.web.core import boardlog

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/vote/", include("saylau.web.voting.api_urls")),
    path("api/", api.urls),
    path("board/log.vkey", boardlog.board_vkey, name="board-vkey"),
    path("board/log/<path:path>", boardlog.board_log, name="board-log"),
    *i18n_patterns(
        path("", include("saylau.web.elections.urls")),
        path("accounts/", include("saylau.web.core.urls")),
        path("", include("saylau.web.voters.urls")),
        path("", include("saylau.web.candidates.urls")),
        path("", include("saylau.web.territory.urls")),
        path("", include("saylau.web.commissions.urls")),
        path("", include("saylau.web.observers.urls")),
        path("", include("saylau.web.results.urls")),
        path("", include("saylau.web.ceremony.urls")),
        path("", include("saylau.web.credentials.urls")),
        path("", include("saylau.web.voting.urls")),
        prefix_default_language=True,
    ),
]
