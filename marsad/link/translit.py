"""Latin forms of Arabic names the knowledge base does not know: the ``marsad-v1`` scheme.

The scheme is deterministic, so the same spelling always gives the same Latin form (and the
same entity id), and it reads like the spellings news agencies use rather than an academic
transliteration (docs/notes/entities.md gives the full table):

1. Frequent name words come from a table (``names.yaml``: محمد -> Mohammed, عبد العزيز ->
   Abdulaziz, بن -> bin, ولد -> Ould).
2. The article: ال + word -> ``Al-`` + word ("الزعابي" -> Al-Za'abi); آل -> ``Al``.
3. عبد + word not in the table -> ``Abdel`` + word ("عبد الوافي" -> Abdelwafi).
4. Letters: ب b, ت t, ث th, ج j, ح h, خ kh, د d, ذ dh, ر r, ز z, س s, ش sh, ص s, ض d, ط t,
   ظ z, ع ' (nothing at the start of a word), غ gh, ف f, ق q, ك k, ل l, م m, ن n, ه h,
   ة a, ء ' ; ا a ; و u and ي i between consonants or at the end, w and y elsewhere.
5. Short vowels are not written in Arabic; one ``a`` is put after a word's first consonant
   when a second consonant follows ("لفتيت" -> Laftit, "حموشي" -> Hamushi).
6. Each word gets a capital initial; particles (bin, ibn, bint) stay lower case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from marsad.arabic import DIACRITICS, TATWEEL, normalize
from marsad.lexicon.load import load_yaml

SCHEME = "marsad-v1"

_LETTERS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ة": "a", "ء": "'", "ؤ": "'", "ئ": "'", "پ": "p", "چ": "ch", "ژ": "zh",
    "گ": "g", "ڤ": "v", "ک": "k", "ی": "y",
}
_VOWELS = {"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ى": "a", "ٱ": "a"}
_SEMI = {"و": ("u", "w"), "ي": ("i", "y")}
_STRIP = re.compile(f"[{DIACRITICS}{TATWEEL}]")
_LOWER_PARTICLES = frozenset({"bin", "ibn", "bint"})


@cache
def _table() -> dict[str, str]:
    data = load_yaml("names.yaml")
    return {" ".join(normalize(str(k)).split()): str(v) for k, v in (data.get("latin") or {}).items()}


def _is_vowel_letter(ch: str) -> bool:
    return ch in _VOWELS or ch in _SEMI


def _word(word: str) -> str:
    """Latin form of one Arabic word (no article, no table entry)."""
    if word.isascii():
        return word
    out: list[str] = []
    n = len(word)
    skip = 0
    if n > 2 and word[0] == "ع" and word[1] in _SEMI:
        # "عون" Aoun, "عيد" Eid, "عياد" Ayad: the ع opens the word with a vowel, never nothing.
        before_vowel = _is_vowel_letter(word[2])
        out.append(("aw" if before_vowel else "aou") if word[1] == "و" else ("ay" if before_vowel else "ei"))
        skip = 2
    for i, ch in enumerate(word):
        if i < skip:
            continue
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < n else ""
        if ch == "ي" and prev == "ي" and i == n - 1 and i > 1:
            out.append("a")  # "يحيي" (يحيى): Yahya
            continue
        if ch == "ي" and nxt == "ي" and i == n - 2 and i > 0:
            out.append("y")
            continue
        if ch in _VOWELS:
            out.append(_VOWELS[ch])
        elif ch in _SEMI:
            vowel, cons = _SEMI[ch]
            at_start = i == 0
            after_vowel = bool(prev) and prev in _VOWELS
            before_vowel = bool(nxt) and _is_vowel_letter(nxt) and nxt != ch
            out.append(cons if at_start or after_vowel or before_vowel else vowel)
        elif ch in _LETTERS:
            latin = _LETTERS[ch]
            if ch == "ع" and i == 0:
                latin = ""
            if ch == "ه" and i == n - 1 and prev and not _is_vowel_letter(prev):
                latin = "a"  # a final ه written for ة
            out.append(latin)
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            out.append("")
        # One short vowel after the first consonant of a cluster that opens the word.
        if i == 0 and ch not in _VOWELS and nxt and not _is_vowel_letter(nxt) and ch != "ع":
            out.append("a")
        if i == 0 and ch == "ع" and nxt and not _is_vowel_letter(nxt):
            out.append("a")
    latin = "".join(out)
    return latin if latin.strip("'") else "a"  # "ع" alone: never an empty name


def _cap(word: str) -> str:
    if word in _LOWER_PARTICLES or not word:
        return word
    if word.startswith("'"):
        return "'" + _cap(word[1:])
    return word[0].upper() + word[1:]


def transliterate(name: str) -> str:
    """The ``marsad-v1`` Latin form of an Arabic name ("طلال راشد الزعابي" -> Talal Rashid Al-Za'abi)."""
    cleaned = _STRIP.sub("", unicodedata.normalize("NFC", name))
    words = re.findall(r"\w+", cleaned)
    table = _table()
    out: list[str] = []
    i = 0
    while i < len(words):
        raw = words[i]
        key = normalize(raw)
        if key in ("عبد", "ابو") and i + 1 < len(words):
            joined = key + normalize(words[i + 1])
            if joined in table:
                out.append(table[joined])
                i += 2
                continue
            nxt = words[i + 1]
            rest = nxt[2:] if normalize(nxt).startswith("ال") and len(nxt) > 3 else nxt
            head = "Abdel" if key == "عبد" else "Abu "
            out.append(head + _word(rest).lower() if key == "عبد" else head + _cap(_word(rest)))
            i += 2
            continue
        if key in table:
            out.append(table[key])
        elif key == "ال":
            out.append("Al")
        elif key.startswith("ال") and len(key) > 3:
            out.append("Al-" + _cap(_word(raw[2:])))
        else:
            out.append(_cap(_word(raw)))
        i += 1
    return " ".join(w for w in out if w)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by ``-`` (for ids)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


#: Words joined to the next one into one unit ("عبد اللطيف", "Abdul Hamid").
_COMPOUND_HEADS = frozenset({"عبد", "ابو", "abdul", "abdel", "abd", "abdoul", "abu", "abou"})
#: Particles dropped between units ("بن", "ولد", "bin", "Ould").
_PARTICLES = frozenset({"بن", "ابن", "بنت", "ولد", "ال", "اولد", "bin", "ben", "ibn", "bint",
                        "ould", "al", "el"})


def name_units(tokens: Sequence[str]) -> list[str]:
    """Normalised name tokens with compounds joined and particles dropped.

    "عبد اللطيف الحموشي" -> ["عبداللطيف", "الحموشي"]; "راشد بن عبدالله آل خليفة" ->
    ["راشد", "عبدالله", "خليفه"].
    """
    norm = [w for tok in tokens for w in _words(tok)]
    units: list[str] = []
    i = 0
    while i < len(norm):
        w = norm[i]
        if w in _COMPOUND_HEADS and i + 1 < len(norm):
            units.append(w + norm[i + 1])
            i += 2
            continue
        if w in _PARTICLES and i + 1 < len(norm):
            i += 1
            continue
        if units and w in ("الدين", "الله") and not units[-1].endswith(w):
            units[-1] = units[-1] + w
            i += 1
            continue
        units.append(w)
        i += 1
    return units


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    """Normalised words of ``text`` (fast path for a word that is already normalised)."""
    if text.isalpha() and normalize(text) == text:
        return [text]
    return _WORD.findall(normalize(text))


def bare(unit: str) -> str:
    """A name unit without the article ("الحموشي" -> "حموشي")."""
    return unit[2:] if unit.startswith("ال") and len(unit) > 4 else unit


def name_key(tokens: Sequence[str]) -> str:
    """Canonical key of a name: first and last unit, the last without the article.

    "عبد اللطيف الحموشي" and "عبداللطيف حموشي" both give "عبداللطيف حموشي"; "احمد ناصر
    الريسي" and "احمد الريسي" both give "احمد ريسي".
    """
    units = name_units(tokens)
    if not units:
        return ""
    if len(units) == 1:
        return bare(units[0])
    return f"{units[0]} {bare(units[-1])}"
