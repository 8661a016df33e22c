"""Regenerate the OpenMoji pictures Parole ships: static/img/openmoji/*.svg and their French
and English words, app/consultations/data/openmoji_fr.json.

    make pictograms
or, by hand:
    npm install --prefix .deps/openmoji --ignore-scripts openmoji@17.0.0 emojibase-data@17.0.0
    .venv/bin/python scripts/openmoji_subset.py .deps/openmoji/node_modules

The pictures are OpenMoji (https://openmoji.org, CC BY-SA 4.0); their French names and tags
come from emojibase-data (fr/data.json, MIT), the English ones from emojibase-data's
en/data.json and OpenMoji's own tags. Only the subgroups below are kept (people, places,
transport, food, health, money, time, feelings, documents, home, work, signs), at most
CAPS[subgroup] pictures from each in emoji order (the plain ones come first), no skin tones.
Running it again gives the same files."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_SVG = ROOT / "static" / "img" / "openmoji"
OUT_JSON = ROOT / "app" / "consultations" / "data" / "openmoji_fr.json"

# (group, subgroup) -> how many pictures at most, in emoji order.
CAPS: dict[tuple[str, str], int] = {
    ("smileys-emotion", "face-smiling"): 10,
    ("smileys-emotion", "face-concerned"): 14,
    ("smileys-emotion", "face-neutral-skeptical"): 8,
    ("smileys-emotion", "face-unwell"): 10,
    ("smileys-emotion", "face-sleepy"): 4,
    ("smileys-emotion", "face-negative"): 4,
    ("smileys-emotion", "heart"): 6,
    ("smileys-emotion", "emotion"): 4,
    ("people-body", "person"): 14,
    ("people-body", "person-role"): 40,
    ("people-body", "person-activity"): 16,
    ("people-body", "person-gesture"): 10,
    ("people-body", "person-resting"): 3,
    ("people-body", "family"): 8,
    ("people-body", "hands"): 7,
    ("people-body", "hand-single-finger"): 4,
    ("people-body", "hand-fingers-closed"): 4,
    ("people-body", "hand-fingers-open"): 4,
    ("people-body", "body-parts"): 12,
    ("food-drink", "food-fruit"): 10,
    ("food-drink", "food-vegetable"): 10,
    ("food-drink", "food-prepared"): 16,
    ("food-drink", "food-sweet"): 6,
    ("food-drink", "drink"): 10,
    ("food-drink", "dishware"): 5,
    ("travel-places", "place-map"): 3,
    ("travel-places", "place-building"): 27,
    ("travel-places", "place-other"): 8,
    ("travel-places", "hotel"): 2,
    ("travel-places", "transport-ground"): 32,
    ("travel-places", "transport-air"): 6,
    ("travel-places", "transport-water"): 4,
    ("travel-places", "time"): 14,
    ("travel-places", "sky-weather"): 12,
    ("activities", "event"): 8,
    ("activities", "sport"): 8,
    ("objects", "book-paper"): 17,
    ("objects", "money"): 11,
    ("objects", "mail"): 13,
    ("objects", "office"): 23,
    ("objects", "phone"): 6,
    ("objects", "computer"): 10,
    ("objects", "medical"): 7,
    ("objects", "household"): 16,
    ("objects", "lock"): 6,
    ("objects", "tool"): 8,
    ("objects", "writing"): 7,
    ("symbols", "warning"): 10,
    ("symbols", "transport-sign"): 10,
    ("symbols", "punctuation"): 6,
    ("symbols", "other-symbol"): 8,
    ("symbols", "currency"): 2,
}


def _words(*groups: object) -> list[str]:
    seen: list[str] = []
    for group in groups:
        items = group.split(",") if isinstance(group, str) else list(group or [])
        for item in items:
            word = " ".join(str(item).split()).strip()
            if word and word.casefold() not in (w.casefold() for w in seen):
                seen.append(word)
    return seen


def build(modules: Path) -> list[dict[str, object]]:
    french = json.loads((modules / "emojibase-data" / "fr" / "data.json").read_text("utf-8"))
    english = {
        e["hexcode"]: e
        for e in json.loads((modules / "emojibase-data" / "en" / "data.json").read_text("utf-8"))
    }
    openmoji = {
        e["hexcode"]: e
        for e in json.loads((modules / "openmoji" / "data" / "openmoji.json").read_text("utf-8"))
    }
    svg_folder = modules / "openmoji" / "color" / "svg"
    taken: dict[tuple[str, str], int] = {}
    entries: list[dict[str, object]] = []
    for emoji in sorted(french, key=lambda e: e.get("order", 0)):
        moji = openmoji.get(emoji["hexcode"])
        if moji is None or moji.get("skintone"):
            continue
        key = (moji["group"], moji["subgroups"])
        if taken.get(key, 0) >= CAPS.get(key, 0):
            continue
        svg = svg_folder / f"{emoji['hexcode']}.svg"
        if not svg.exists():
            continue
        taken[key] = taken.get(key, 0) + 1
        label_fr = " ".join(emoji["label"].replace("\u202f", " ").split())
        en = english.get(emoji["hexcode"], {})
        label_en = en.get("label") or moji.get("annotation") or ""
        entries.append(
            {
                "name": f"om-{emoji['hexcode'].lower()}",
                "file": svg.name,
                "alt_fr": label_fr[:1].upper() + label_fr[1:],
                "alt_en": label_en[:1].upper() + label_en[1:],
                "words_fr": _words([label_fr], emoji.get("tags")),
                "words_en": _words([label_en], en.get("tags"), moji.get("openmoji_tags", "")),
            }
        )
    return entries


def main(modules: Path) -> None:
    entries = build(modules)
    if OUT_SVG.exists():
        shutil.rmtree(OUT_SVG)
    OUT_SVG.mkdir(parents=True)
    for entry in entries:
        shutil.copyfile(
            modules / "openmoji" / "color" / "svg" / str(entry["file"]),
            OUT_SVG / str(entry["file"]),
        )
    (OUT_SVG / "LICENSE.txt").write_text(
        "These pictures are OpenMoji (https://openmoji.org), the open-source emoji and icon\n"
        "project, licensed under CC BY-SA 4.0: https://creativecommons.org/licenses/by-sa/4.0/\n"
        "Copied unchanged by scripts/openmoji_subset.py.\n",
        "utf-8",
    )
    OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
    lines = ",\n".join(json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries)
    OUT_JSON.write_text(f"[\n{lines}\n]\n", "utf-8")
    print(f"{len(entries)} pictures in {OUT_SVG.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "node_modules"))
