"""Name keys that survive a change of script: one person, however reports spell him.

Entity ids are global when the knowledge base knows a person; for anyone else the entity stage
derives the id from the spelling, so "Khaled Nouri" (French), "خالد النوري" (Arabic, id from
its ``marsad-v1`` transliteration "Khaled Al-Nuri") and "Mercedes González" / "ميرسيديس
غونزاليث" get different ids. Stories compare such names by a consonant skeleton of their Latin
form: accents, case, the article, "bin", vowels and doubled letters go, and the letters that
Arabic and European spellings trade for each other are merged (kh/k/q/c, gh/g/j, sh/ch/s,
th/z/s, ou/u/w). "Nouri" and "Al-Nuri" both give ``nr``; "Gonzalez" and "Ghunzalith" both give
``jnsls``. A skeleton is a clue, not an identity: it only counts together with the other facts
of an event (see :mod:`marsad.cluster.identity`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from marsad.arabic import normalize
from marsad.link.translit import transliterate

#: Words that are not part of a person's name for comparison: articles, filiation, honorifics.
_SKIP = frozenset(
    {
        "al", "el", "bin", "ben", "ibn", "bint", "ould", "wuld", "de", "da", "del", "la",
        "le", "van", "von", "he", "his", "her", "excellency", "highness", "sheikh", "cheikh",
        "shaikh", "prince", "mr", "mrs", "ms", "m", "mme", "dr", "general", "gen",
        "lt", "col", "colonel", "brigadier", "major", "minister", "ministre", "sayed", "sayyid",
        "h", "e", "royal", "security", "chief", "director", "monsieur", "madame", "sir",
    }
)
_ARABIC = re.compile("[\u0600-\u06ff]")
_TOKEN = re.compile(r"[a-z]+")
#: Letters and pairs that spellings of one name trade: applied in this order.
_PAIRS = (
    ("kh", "k"), ("gh", "j"), ("sh", "s"), ("ch", "s"), ("th", "s"), ("dh", "d"), ("ph", "f"),
    ("dj", "j"), ("ou", "u"), ("ck", "k"), ("ts", "s"),
)
_SINGLE = str.maketrans({"q": "k", "c": "k", "g": "j", "z": "s", "x": "ks", "v": "f", "p": "b"})
_VOWELS = re.compile(r"[aeiouyw]")
_ABD = re.compile(r"^(abdel|abdul|abdal|abdoul|abdou|abdu|abdi|abd)(?=[a-z]{3,}|$)")
_SPECIAL = str.maketrans({"ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ø": "o", "æ": "ae", "ß": "ss"})


def _latin(name: str) -> str:
    """The Latin form of a name: transliterated when it is written in Arabic."""
    if _ARABIC.search(name):
        return transliterate(name)
    return name


def _fold(text: str) -> str:
    text = text.translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def skeleton(word: str) -> str:
    """The consonant skeleton of one Latin name word ("Hammouchi" -> ``hms``)."""
    w = _fold(word)
    # A final "ah"/"eh" is the feminine ending (ة) that Arabic-based spellings write "a".
    if len(w) > 3 and w[-1] == "h" and w[-2] in "aeiou":
        w = w[:-1]
    # Soft c before e/i/y sounds s (Mercedes, Céline); the rest is k.
    w = re.sub(r"c(?=[eiy])", "s", w)
    for a, b in _PAIRS:
        w = w.replace(a, b)
    w = w.translate(_SINGLE)
    head, rest = w[:1], w[1:]
    if head in "aeiouyw":
        head = ""
    out = re.sub(r"(.)\1+", r"\1", head + _VOWELS.sub("", rest))
    # A final d is often written t (Turkish Mahmut, Mehmet), and the reverse.
    return out[:-1] + "t" if len(out) > 2 and out.endswith("d") else out


@dataclass(frozen=True, slots=True)
class NameKey:
    """The comparable parts of one person's name (build it with :meth:`of`)."""

    #: Skeletons of the significant words, in order (``abd`` kept apart: "Abdellatif" -> abd, ltf).
    words: tuple[str, ...]
    #: The skeleton of the last word, the one reports keep when they shorten a name.
    family: str | None = None
    #: The skeleton of the first significant word.
    given: str | None = None
    #: All skeletons run together (for spellings that split or join words differently).
    joined: str = ""

    @classmethod
    def of(cls, words: tuple[str, ...]) -> NameKey:
        """The key of these word skeletons."""
        real = [w for w in words if w != "abd" and len(w) >= 2]
        return cls(words, real[-1] if real else None, real[0] if real else None,
                   "".join(w for w in words if w != "abd"))


@lru_cache(maxsize=65536)
def name_key(name: str) -> NameKey:
    """The :class:`NameKey` of a name written in any script."""
    latin = _fold(_latin(name)).replace("'", "").replace("’", "")
    words: list[str] = []
    for tok in _TOKEN.findall(latin.replace("-", " ")):
        if tok in _SKIP:
            continue
        if tok.startswith("al") and len(tok) > 5 and tok[2] not in "aeiou":
            # "Alshammari" written as one word.
            tok = tok[2:]
        m = _ABD.match(tok)
        if m:
            words.append("abd")
            tok = tok[m.end():]
            if not tok:
                continue
            if tok.startswith(("al", "el")) and len(tok) > 4:
                tok = tok[2:]
        sk = skeleton(tok)
        if sk:
            words.append(sk)
    return NameKey.of(tuple(words))


@lru_cache(maxsize=1 << 20)
def name_similarity(a: NameKey, b: NameKey) -> float:
    """How surely two name keys name one person: 1.0, 0.8 (family name only) or 0.0."""
    wa = {w for w in a.words if w != "abd"}
    wb = {w for w in b.words if w != "abd"}
    if not wa or not wb:
        return 0.0
    shared = wa & wb
    if len(shared) >= 2:
        return 1.0
    if a.joined and a.joined == b.joined:
        return 1.0
    fa, fb = a.family, b.family
    if fa is not None and fa == fb and len(fa) >= 3:
        # Same family name: the same person unless the given names say otherwise.
        ga, gb = a.given, b.given
        if ga in (fa, gb) or gb == fb:
            return 1.0 if ga == gb and ga != fa else 0.8
        return 0.0
    if len(shared) == 1 and (len(wa) == 1 or len(wb) == 1):
        only = next(iter(shared))
        return 0.8 if len(only) >= 3 else 0.0
    # Split or joined spellings ("Yerlikaya" / "Yarli Kaya"): the family runs into the other.
    if fa and fb and len(fa) >= 3 and len(fb) >= 3 and (b.joined.endswith(fa) or a.joined.endswith(fb)):
        return 0.8
    return 0.0


def normal_title(title: str | None) -> str | None:
    """A title in matching form (normalised, single-spaced)."""
    if not title:
        return None
    return " ".join(normalize(title).split()) or None
