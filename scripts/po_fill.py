"""Fill translations into the web app's gettext catalogues, then compile them.

    python scripts/po_fill.py TRANSLATIONS.json [LOCALE_DIR ...]

TRANSLATIONS.json maps each msgid to its three translations, `{"msgid": {"kk": "…", "ru": "…",
"en": "…"}}` (for a plural entry, give lists: `{"kk": ["one", "other"], …}`). Every entry of the
catalogues under each LOCALE_DIR (default: every `locale/` folder under src/saylau/web) whose
msgid is in the file gets that translation, and loses its fuzzy flag; obsolete entries (strings
gone from the source) are dropped; the .mo files are then
recompiled with msgfmt. Run `python -m django makemessages --all --add-location=file` in
src/saylau/web first, so that the catalogues hold the current strings. Prints what is still
untranslated or fuzzy, and exits 1 if anything is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib

WEB = Path(__file__).resolve().parent.parent / "src" / "saylau" / "web"
LANGUAGES = ("kk", "ru", "en")


def fill(po_path: Path, language: str, table: dict[str, dict[str, object]]) -> list[str]:
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in [e for e in po if e.obsolete]:  # strings no longer in the source
        po.remove(entry)
    for entry in po:
        if entry.obsolete or entry.msgid not in table:
            continue
        given = table[entry.msgid].get(language)
        if given is None:
            continue
        if entry.msgid_plural:
            forms = given if isinstance(given, list) else [given]
            entry.msgstr_plural = {i: str(f) for i, f in enumerate(forms)}
        else:
            entry.msgstr = str(given)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    po.save()
    subprocess.run(["msgfmt", "--check", "-o", str(po_path.with_suffix(".mo")), str(po_path)], check=True)
    return [f"{po_path}: {'fuzzy' if 'fuzzy' in e.flags else 'untranslated'}: {e.msgid!r}"
            for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    table: dict[str, dict[str, object]] = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    dirs = [Path(d) for d in argv[1:]] or sorted(p for p in WEB.rglob("locale") if p.is_dir())
    missing: list[str] = []
    for d in dirs:
        for language in LANGUAGES:
            po = d / language / "LC_MESSAGES" / "django.po"
            if po.is_file():
                missing += fill(po, language, table)
    print("\n".join(missing) or "every entry is translated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
