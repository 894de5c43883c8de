"""Model fields of Saylau's own."""

from __future__ import annotations

import json
from typing import Any

from django.db import models


class ExactJSONField(models.TextField):  # type: ignore[type-arg]
    """JSON kept as text, exactly in the order it was given.

    PostgreSQL's `jsonb` (Django's JSONField there) reorders object keys and drops duplicates;
    that breaks anything signed or hashed over a JSON text — a trustee's certificate, a
    polynomial, a Belenios object — whose check re-serialises the stored value. This field
    stores `json.dumps(value, ensure_ascii=False, separators=(",", ":"))` and gives back
    `json.loads` of it, the same on SQLite and PostgreSQL. Not queryable by key (none is needed).
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def value_to_string(self, obj: Any) -> str:
        return self.get_prep_value(self.value_from_object(obj)) or ""
