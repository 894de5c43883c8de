"""Tests of saylau.domain."""
