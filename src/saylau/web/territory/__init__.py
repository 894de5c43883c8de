"""Territorial units (region → district → locality), checked by `saylau.domain.territory`."""
