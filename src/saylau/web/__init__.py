"""Saylau's web platform (Django 5.2 LTS): the only package that imports Django.

    settings.py  urls.py  wsgi.py  manage.py (`python -m saylau.web.manage …`)  api.py (open data)
    core/        roles and access control, the append-only audit log, error → message map,
                 the base template, security headers, login
    territory/   territorial units (region → district → locality), checked by domain.territory
    elections/   elections and their lifecycle, calling domain.election
    formats/kk/  Kazakh date and number formats (Django has none)
    locale/      kk (default), ru and en catalogues; .mo files are committed (see locale/README.md)

Views parse and render; services decide (and write the audit log); selectors read. Domain
errors are translated here, at the edge, by `core.errors.error_message`.
"""
