"""Catalogue checks used by the tests and by `make i18n`.

`python -m app.core.i18n_check fill-en` copies each English msgid into the English
catalogue where it is still empty (msgids are English).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from config import BASE_DIR

TRANSLATIONS = BASE_DIR / "translations"
POT = TRANSLATIONS / "messages.pot"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
EXTRACT_ARGS = [
    "extract",
    "-F",
    "babel.cfg",
    "-k",
    "_l",
    "-k",
    "lazy_gettext",
    "-k",
    "ngettext:1,2",
    "-k",
    "lazy_ngettext:1,2",
    "--no-location",
    "--sort-output",
    "--project=Parole",
    "--copyright-holder=Parole",
]


def load(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def message_ids(catalog: Catalog) -> set[str]:
    return {
        str(m.id) if not isinstance(m.id, tuple) else "\x00".join(m.id) for m in catalog if m.id
    }


def extract_fresh() -> Catalog:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fresh.pot"
        subprocess.run(  # noqa: S603 - fixed arguments, our own venv
            [sys.executable, "-m", "babel.messages.frontend", *EXTRACT_ARGS, "-o", str(out), "."],
            cwd=BASE_DIR,
            check=True,
            capture_output=True,
        )
        return load(out)


def stale_entries() -> tuple[set[str], set[str]]:
    """(in the code but not in messages.pot, in messages.pot but no longer in the code)."""
    fresh, current = message_ids(extract_fresh()), message_ids(load(POT))
    return fresh - current, current - fresh


def catalogue_problems(locale: str) -> list[str]:
    catalog = load(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")
    template_ids = message_ids(load(POT))
    problems = []
    ids = message_ids(catalog)
    for missing in sorted(template_ids - ids):
        problems.append(f"{locale}: not in catalogue: {missing!r}")
    for message in catalog:
        if not message.id:
            continue
        label = message.id if isinstance(message.id, str) else message.id[0]
        if message.fuzzy:
            problems.append(f"{locale}: fuzzy: {label!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"{locale}: not translated: {label!r}")
            continue
        ids_ = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids_))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"{locale}: placeholders differ: {label!r}")
    return problems


def fill_english() -> int:
    path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    catalog = load(path)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id[:1] + message.id[1:2] * (len(message.string) - 1))
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return filled


def apply_translations(locale: str, translations: dict[str, str]) -> int:
    """Write msgstrs from a {msgid: msgstr} mapping (used with a JSON file by translators)."""
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    catalog = load(path)
    done = 0
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key not in translations:
            continue
        value = translations[key]
        if isinstance(message.id, tuple):
            forms = value if isinstance(value, list) else [value]
            forms = forms + forms[-1:] * (len(message.string) - len(forms))
            message.string = tuple(forms[: len(message.string)])
        else:
            message.string = value
        message.flags.discard("fuzzy")
        done += 1
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return done


def untranslated(locale: str) -> list[str]:
    catalog = load(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")
    return [str(m.id) for m in catalog if m.id and not isinstance(m.id, tuple) and not m.string]


USAGE = """usage: python -m app.core.i18n_check fill-en
       python -m app.core.i18n_check missing LOCALE
       python -m app.core.i18n_check apply LOCALE FILE.json   ({"msgid": "msgstr", ...})"""

if __name__ == "__main__":
    import json

    args = sys.argv[1:]
    if args == ["fill-en"]:
        print(f"English catalogue: {fill_english()} entries filled from their msgid.")
    elif len(args) == 2 and args[0] == "missing":
        print(json.dumps({m: "" for m in untranslated(args[1])}, ensure_ascii=False, indent=1))
    elif len(args) == 3 and args[0] == "apply":
        mapping = json.loads(Path(args[2]).read_text(encoding="utf-8"))
        print(f"{apply_translations(args[1], mapping)} entries written.")
    else:
        print(USAGE)
        sys.exit(2)
