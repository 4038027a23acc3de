"""The dates stage's word tables: time_words.yaml plus the calendar names, loaded once.

Every word or phrase becomes a set of categories (``month``, ``relday``, ``dir``...) with a
value. Single words go into one dict, multi-word phrases into another keyed by their first
token; :data:`TOKEN` splits both the data and the text, so they always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from marsad.arabic import normalize
from marsad.errors import LexiconError
from marsad.lexicon.calendar import (
    ambiguous_months,
    gregorian_months,
    hijri_months,
    latin_months,
    latin_weekdays,
    weekdays,
)
from marsad.lexicon.load import load_yaml

#: Numbers, words (letters only), and single punctuation marks.
TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\w\s]")

#: Section of time_words.yaml -> (category, how the key becomes the value).
SECTIONS: dict[str, tuple[str, str]] = {
    "relative_days": ("relday", "int"),
    "relative_parts": ("relpart", "offset_part"),
    "directions": ("dir", "str"),
    "this_words": ("this", "str"),
    "units": ("unit", "str"),
    "month_parts": ("mpart", "str"),
    "day_parts": ("dpart", "str"),
    "weekday_prefixes": ("wdpre", "str"),
    "number_words": ("numw", "int"),
    "ordinal_days": ("ord", "int"),
    "clock_hours": ("hourw", "int"),
    "clock_minutes": ("minw", "int"),
    "hour_words": ("hourmark", "str"),
    "am_pm": ("ampm", "str"),
    "year_words": ("yword", "str"),
    "year_prepositions": ("yprep", "str"),
    "eras": ("era", "str"),
    "range_from": ("rfrom", "str"),
    "range_to": ("rto", "str"),
    "range_and": ("rand", "str"),
    "ago_words": ("ago", "str"),
    "duration_cues": ("dcue", "str"),
    "duration_units": ("dunit", "str"),
    "duration_plurals": ("dplural", "str"),
    "duration_duals": ("ddual", "str"),
    "edition_words": ("edition", "str"),
    "number_blockers": ("blocker", "str"),
    "count_nouns": ("count", "str"),
    "day_noun_modifiers": ("daymod", "str"),
    "day_noun_determiners": ("daydet", "str"),
    "future_markers": ("future", "str"),
}

#: Categories that anchor a time expression: text without any of them (and without a digit)
#: is skipped before tokenisation.
TRIGGER_CATS = frozenset({
    "month", "hmonth", "wd", "relday", "relpart", "dcue", "ddual", "dplural", "hourmark",
})
#: Unit words ("العام", "الشهر") anchor an expression only beside a direction, "this" or a part
#: of the month ("العام الماضي", "هذا الشهر", "مطلع الأسبوع"): "المدير العام" alone is no time.
UNIT_CATS = frozenset({"unit", "dunit"})
PARTNER_CATS = frozenset({"dir", "this", "mpart", "ago"})
#: Function words of trigger phrases that are too common to mark a segment as worth parsing.
_COMMON = frozenset({
    "بعد", "من", "الي", "حتي", "علي", "في", "ما", "هذا", "هذه", "يوم", "the", "day", "of",
    "de", "du", "le", "la", "ce", "cet", "cette", "this", "a", "une", "pour", "duree", "d", "en",
})
_CLITIC_PREFIXES = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")

Cats = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Tables:
    """Word and phrase tables of the dates stage."""

    words: dict[str, Cats]
    #: First token -> [(following tokens, categories)], longest first.
    phrases: dict[str, list[tuple[tuple[str, ...], Cats]]]
    #: Words (with clitic forms) whose presence makes a segment worth parsing.
    triggers: frozenset[str]
    #: Unit words, and the words that make them a time expression (with clitic forms).
    units: frozenset[str]
    partners: frozenset[str]
    #: Month part -> (first day, last day) by convention.
    part_days: dict[str, tuple[int, int]]


def variants(value: Any, section: str, key: Any) -> list[str]:
    """The variants of one entry: a list, or regional blocks of lists."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        out: list[str] = []
        for block, items in value.items():
            if not isinstance(items, list):
                raise LexiconError(f"time_words.yaml: {section}.{key}.{block} must be a list")
            out.extend(str(v) for v in items)
        return out
    raise LexiconError(f"time_words.yaml: {section}.{key} must be a list or regional blocks")


def _value(kind: str, key: Any) -> Any:
    if kind == "int":
        return int(key)
    if kind == "offset_part":
        off, part = str(key).split()
        return (int(off), part)
    return str(key)


def tokens_of(term: str) -> tuple[str, ...]:
    """The tokens of a (normalised) term, as the text is tokenised."""
    return tuple(TOKEN.findall(normalize(term)))


@cache
def tables() -> Tables:
    """Build the tables once."""
    data = load_yaml("time_words.yaml")
    if not isinstance(data, dict):
        raise LexiconError("time_words.yaml must map section names to entries")
    entries: dict[tuple[str, ...], Cats] = {}

    def add(term: str, cat: str, value: Any) -> None:
        key = tokens_of(term)
        if key:
            entries.setdefault(key, {}).setdefault(cat, value)

    for section, (cat, kind) in SECTIONS.items():
        block = data.get(section)
        if not isinstance(block, dict):
            raise LexiconError(f"time_words.yaml: section {section} is missing")
        for key, value in block.items():
            for term in variants(value, section, key):
                add(term, cat, _value(kind, key))
    amb = ambiguous_months()
    for name, (num, _family) in gregorian_months().items():
        add(name, "month", num)
        if name in amb:
            add(name, "amb", True)
    for name, num in latin_months().items():
        add(name, "month", num)
        if name in amb:
            add(name, "amb", True)
    for name, num in hijri_months().items():
        add(name, "hmonth", num)
    for name, num in weekdays().items():
        add(name, "wd" if name.startswith("ال") else "wdbare", num)
    for name, num in latin_weekdays(abbreviated=False).items():
        add(name, "wd", num)

    words: dict[str, Cats] = {}
    grouped: dict[str, list[tuple[tuple[str, ...], Cats]]] = {}
    groups: dict[frozenset[str], set[str]] = {TRIGGER_CATS: set(), UNIT_CATS: set(), PARTNER_CATS: set()}
    for key, cats in entries.items():
        if len(key) == 1:
            words[key[0]] = cats
        else:
            grouped.setdefault(key[0], []).append((key[1:], cats))
        for group, members in groups.items():
            if group.isdisjoint(cats):
                continue
            if len(key) == 1:
                members.add(key[0])
            else:
                members.update(t for t in key if len(t) >= 2 and t not in _COMMON and t.isalpha())
    groups[TRIGGER_CATS].add("غد")
    for rows in grouped.values():
        rows.sort(key=lambda r: len(r[0]), reverse=True)
    parts = data.get("month_part_days", {})
    part_days = {str(k): (int(v[0]), int(v[1])) for k, v in parts.items()}
    return Tables(
        words, grouped, _with_clitics(groups[TRIGGER_CATS]), _with_clitics(groups[UNIT_CATS]),
        _with_clitics(groups[PARTNER_CATS]), part_days,
    )


def _with_clitics(words: set[str]) -> frozenset[str]:
    """The words and their forms with proclitics ("الجاري" -> "والجاري", "للشهر" ...)."""
    out = set(words)
    for w in words:
        if not _is_arabic(w):
            continue
        out.update(p + w for p in _CLITIC_PREFIXES)
        if w.startswith("ال"):
            out.update(p + "ل" + w[2:] for p in ("ل", "ول", "فل"))
    return frozenset(out)


def _is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"
