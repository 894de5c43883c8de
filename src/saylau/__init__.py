"""Saylau: a verifiable election platform for Kazakhstan's election commissions."""

__version__ = "0.1.0"
