"""Roles and access control, the append-only audit log, error messages, the base template."""
