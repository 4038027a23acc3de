"""Arabic text for matching: normalisation that keeps offsets, tokens, clitics, phrase lookup.

Matching happens on a normalised copy of the text (alef forms, yeh, teh marbuta, tatweel,
diacritics, presentation forms, Arabic-Indic and Persian digits, Latin case and accents); every
span found there is mapped back to the original text, which is what is kept and shown.

Arabic attaches conjunctions and prepositions to the next word: "بالرياض" holds "الرياض",
"للسعودية" holds "السعودية" (ل + ال contracts to لل), "وبرلين" holds "برلين". Words also have
hard boundaries: "مالي" is not inside "ماليزيا". :class:`PhraseMatcher` matches whole tokens
after stripping at most the proclitics of :func:`stems`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")

ARABIC_LETTER = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06ff"
#: Harakat, tanwin, shadda, sukun, dagger alef, Quranic marks: dropped for matching.
DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
TATWEEL = "\u0640"
#: Zero-width and bidi controls scrapers leave in text.
INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad"
PRESENTATION = "\ufb50-\ufdff\ufe70-\ufefc"

_DROP_OR_EXPAND = re.compile(f"[{DIACRITICS}{TATWEEL}{INVISIBLE}{PRESENTATION}]")
_DROP = re.compile(f"[{DIACRITICS}{TATWEEL}{INVISIBLE}]")


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for src, dst in {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ى": "ي", "ی": "ي", "ې": "ي", "ة": "ه", "ۀ": "ه", "ھ": "ه", "ە": "ه",
        "ک": "ك", "ڪ": "ك", "ؤ": "و", "ئ": "ي", "ٸ": "ي", "گ": "ك",
        "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "’": "'", "‘": "'",
        "–": "-", "—": "-", "ـ": "ـ",
    }.items():
        table[ord(src)] = dst
    for i in range(10):
        table[0x0660 + i] = str(i)  # Arabic-Indic digits
        table[0x06F0 + i] = str(i)  # Persian digits
    # Latin: lower case and strip accents, one character for one.
    for cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)):
        ch = chr(cp)
        base = unicodedata.normalize("NFKD", ch)[:1].lower()
        if base and base.isascii() and base.isalpha() and base != ch:
            table[cp] = base
    return table


_TABLE = _build_table()
_TABLE_CHARS = {chr(k): v for k, v in _TABLE.items()}
# Few characters of a text change (about 6 % of Arabic news), so substituting just those is
# about 2.7 times faster than ``str.translate``, which looks every character up in the dict.
_TABLE_RE = re.compile("[" + "".join(re.escape(c) for c in _TABLE_CHARS) + "]")


def _fold(text: str) -> str:
    """``text.translate(_TABLE)``, faster: one character for one, so offsets do not move."""
    return _TABLE_RE.sub(lambda m: _TABLE_CHARS[m[0]], text)


@dataclass(frozen=True, slots=True)
class NormText:
    """A normalised copy of a text and the way back to the original offsets."""

    text: str
    original: str
    #: ``index_map[i]`` is the original offset of normalised character ``i``; ``None`` when the
    #: normalisation kept every character in place (the common case).
    index_map: tuple[int, ...] | None = None

    def orig(self, i: int) -> int:
        """Original offset of normalised offset ``i`` (a start offset)."""
        if self.index_map is None:
            return i
        if i >= len(self.index_map):
            return len(self.original)
        return self.index_map[i]

    def orig_end(self, i: int) -> int:
        """Original offset just after normalised character ``i - 1`` (an end offset)."""
        if self.index_map is None:
            return i
        if i <= 0:
            return 0
        return self.index_map[i - 1] + 1

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of a normalised span."""
        return self.orig(start), self.orig_end(end)


def normalize(text: str) -> str:
    """Normalised form of ``text`` for matching (length may differ)."""
    return _fold(_DROP_OR_EXPAND.sub(_expand_one, text))


def _expand_one(m: re.Match[str]) -> str:
    ch = m.group(0)
    if _DROP.fullmatch(ch):
        return ""
    return unicodedata.normalize("NFKC", ch)


def normalize_with_map(text: str) -> NormText:
    """Normalise ``text`` and keep the map from normalised to original offsets."""
    if not _DROP_OR_EXPAND.search(text):
        return NormText(_fold(text), text, None)
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _DROP_OR_EXPAND.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
            index.extend(range(pos, m.start()))
        ch = m.group(0)
        if not _DROP.fullmatch(ch):
            expanded = unicodedata.normalize("NFKC", ch)
            parts.append(expanded)
            index.extend([m.start()] * len(expanded))
        pos = m.end()
    parts.append(text[pos:])
    index.extend(range(pos, len(text)))
    return NormText(_fold("".join(parts)), text, tuple(index))


_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}


def fold_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII digits, nothing else changed."""
    return text.translate(_DIGITS)


def is_normalized(term: str) -> bool:
    """Whether ``term`` is already in normalised form (lexicon entries must be)."""
    return normalize(term) == term


# --- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)


class Token(NamedTuple):
    """A word of the normalised text with its normalised offsets.

    A named tuple, not a frozen dataclass: made for every word of every sentence, and a tuple
    is built three times faster.
    """

    text: str
    start: int
    end: int


def tokenize(norm: str) -> list[Token]:
    """Words (runs of letters and digits) of a normalised text."""
    return [Token(m[0], m.start(), m.end()) for m in _TOKEN.finditer(norm)]


_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")


@lru_cache(maxsize=200_000)
def stems(token: str) -> tuple[tuple[int, str], ...]:
    """The token and its readings with proclitics removed: ``(prefix_length, stem)``.

    Handles و and ف (conjunctions), then ب، ل، ك (prepositions), and ل + ال contracted to لل
    ("للسعودية" -> "السعودية"). A stem keeps at least two letters.
    """
    out: list[tuple[int, str]] = [(0, token)]
    rest, plen = token, 0
    if len(rest) > 3 and rest[0] in _CONJ:
        rest, plen = rest[1:], 1
        out.append((plen, rest))
    if len(rest) > 3 and rest[0] in _PREP:
        if rest.startswith("لل") and len(rest) > 3:
            out.append((plen + 1, "ا" + rest[1:]))  # لل + X -> ال + X
            out.append((plen + 1, "ا" + rest))  # للجنة = ل + اللجنة
        out.append((plen + 1, rest[1:]))
    return tuple(out)


class PhraseMatcher(Generic[T]):
    """Longest-match lookup of multi-word phrases over tokens, clitic-aware on the first word.

    Phrases are given in any form and normalised on load; each maps to a payload. Matching is
    on whole tokens, so a phrase never matches inside a longer word.
    """

    def __init__(self, phrases: Iterable[tuple[str, T]] = (), *, strip_clitics: bool = True):
        self._table: dict[tuple[str, ...], list[T]] = {}
        self._first: set[str] = set()
        #: Every proper prefix of a phrase: a match is extended only while it is one.
        self._prefixes: set[tuple[str, ...]] = set()
        self.max_len = 0
        self.strip_clitics = strip_clitics
        for phrase, payload in phrases:
            self.add(phrase, payload)

    def add(self, phrase: str, payload: T) -> None:
        """Add one phrase.

        Proclitics are stripped only from words of four letters or more (a shorter stem would
        be too ambiguous), so a phrase whose first word has two letters ("من المنتظر", "حل")
        is also added with و and ف attached ("ومن المنتظر", "وحل").
        """
        key = tuple(t.text for t in tokenize(normalize(phrase)))
        if not key:
            return
        self._add_key(key, payload)
        if self.strip_clitics and len(key[0]) == 2 and not key[0].isascii():
            for conj in _CONJ:
                self._add_key((conj + key[0], *key[1:]), payload)

    def _add_key(self, key: tuple[str, ...], payload: T) -> None:
        bucket = self._table.setdefault(key, [])
        if payload not in bucket:
            bucket.append(payload)
        self._first.add(key[0])
        self._prefixes.update(key[:n] for n in range(1, len(key)))
        self.max_len = max(self.max_len, len(key))

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, phrase: str) -> bool:
        key = tuple(t.text for t in tokenize(normalize(phrase)))
        return key in self._table

    def lookup(self, phrase: str) -> list[T]:
        """Payloads of an exact phrase (normalised), clitics not stripped."""
        key = tuple(t.text for t in tokenize(normalize(phrase)))
        return list(self._table.get(key, []))

    def match_at(self, tokens: Sequence[Token], i: int) -> tuple[int, int, list[T]] | None:
        """Longest phrase starting at token ``i``: ``(n_tokens, prefix_length, payloads)``."""
        best: tuple[int, int, list[T]] | None = None
        for n, plen, hit in self.all_at(tokens, i):
            if best is None or n > best[0]:
                best = (n, plen, hit)
        return best

    def all_at(self, tokens: Sequence[Token], i: int) -> list[tuple[int, int, list[T]]]:
        """Every phrase starting at token ``i`` (all lengths): ``(n_tokens, prefix, payloads)``."""
        text = tokens[i].text
        candidates = stems(text) if self.strip_clitics else ((0, text),)
        first, table, prefixes = self._first, self._table, self._prefixes
        out: list[tuple[int, int, list[T]]] = []
        for plen, stem in candidates:
            if stem not in first:
                continue
            key: tuple[str, ...] = (stem,)
            n = 1
            while True:
                hit = table.get(key)
                if hit is not None:
                    out.append((n, plen, hit))
                if key not in prefixes or i + n >= len(tokens):
                    break
                key = (*key, tokens[i + n].text)
                n += 1
        return out

    def finditer(
        self, tokens: Sequence[Token], *, overlapping: bool = False
    ) -> Iterator[tuple[int, int, int, list[T]]]:
        """Matches as ``(first_token, n_tokens, prefix_length, payloads)``, left to right.

        Greedy longest match; with ``overlapping`` every start position is tried.
        """
        i = 0
        while i < len(tokens):
            hit = self.match_at(tokens, i)
            if hit is None:
                i += 1
                continue
            n, plen, payloads = hit
            yield i, n, plen, payloads
            i += 1 if overlapping else n


def match_spans(
    matcher: PhraseMatcher[T], norm: NormText, tokens: Sequence[Token] | None = None
) -> Iterator[tuple[int, int, list[T]]]:
    """Original-text spans ``(start, end, payloads)`` of matches, proclitics excluded."""
    toks = tokenize(norm.text) if tokens is None else tokens
    for i, n, plen, payloads in matcher.finditer(toks):
        s = toks[i].start + plen
        e = toks[i + n - 1].end
        start, end = norm.orig_span(s, e)
        yield start, end, payloads


# --- sentences ------------------------------------------------------------------------------

_SENTENCE_END = re.compile(
    # Not after a single capital or a title abbreviation ("M. Hammouchi", "Dr. X", "S.E.").
    r"(?<=[.!?؟।])(?<!\b[A-Z]\.)(?<!\bMM\.)(?<!\bMme\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMr\.)"
    r"(?<!\bMrs\.)(?<!\bGen\.)[\"'»”)]*\s+|\n+"
)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (at ``. ! ? ؟`` followed by space, and newlines).

    Arabic news often runs one sentence over several commas; we never split at commas.
    Abbreviations with a full stop are rare in Arabic; a following digit does not split
    ("3.5").
    """
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, stop):
        s, e = pos, m.start()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        pos = m.end()
    s, e = pos, stop
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))
    return spans


# Runs, not single letters: counting the lengths of a few runs is 3-4 times faster.
_ARABIC_RE = re.compile(f"[{ARABIC_LETTER}]+")
_LATIN_RE = re.compile(r"[A-Za-zÀ-ɏ]+")


def script_share(text: str) -> tuple[float, float]:
    """Share of Arabic letters and of Latin letters among the letters of ``text``."""
    ar = sum(map(len, _ARABIC_RE.findall(text)))
    la = sum(map(len, _LATIN_RE.findall(text)))
    total = ar + la
    if total == 0:
        return 0.0, 0.0
    return ar / total, la / total


def guess_lang(text: str) -> str:
    """``ar``, ``fr`` or ``en`` by script and a few function words (good enough for news)."""
    ar, la = script_share(text[:1500])
    if ar >= 0.5:
        return "ar"
    if la == 0:
        return "und"
    sample = f" {text[:4000].lower()} "
    fr = sum(sample.count(w) for w in (" le ", " la ", " les ", " des ", " du ", " et ", " à "))
    en = sum(sample.count(w) for w in (" the ", " and ", " of ", " to ", " in ", " with "))
    return "fr" if fr > en else "en"
