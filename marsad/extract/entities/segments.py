"""A segment of the article (a title line or a body paragraph) tokenised for the entity rules.

Each token is looked up once in the gazetteer; the rules then walk the tokens and these hits.
Punctuation between two tokens is a boundary (a name, a title or an occasion never runs over
a comma); a hyphen with no space around it joins ("غراندي-مارلاسكا", "الجزايريه-المصريه").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from marsad.arabic import NormText, normalize_with_map
from marsad.lexicon.gazetteer import Gazetteer, Term

#: Marks that join two words into one run: hyphens, and apostrophes of an elision ("l'Intérieur").
_JOINERS = frozenset("-_'\u2019")
#: A run of tatweel that joins no letters ("كومان ـــ الامين") is a dash, not elongation.
_TATWEEL_DASH = re.compile("(?<![\u0621-\u064a])\u0640+|\u0640+(?![\u0621-\u064a])")
_SPLIT = re.compile(r"(\w+)")
_QUOTES = frozenset("\"'")

Hit = tuple[int, int, Sequence[Term]]


@dataclass(slots=True)
class Segment:
    """One title line or paragraph: its text, tokens, boundaries and lexicon hits."""

    index: int
    base: int
    text: str
    nt: NormText
    #: The normalised words (tokens) of the segment, and their offsets in ``nt.text``.
    toks: list[str]
    starts: list[int]
    ends: list[int]
    #: ``brk[i]``: punctuation (or a line break) between token ``i - 1`` and token ``i``.
    brk: list[bool]
    #: ``gap[i]``: the non-space characters between token ``i - 1`` and token ``i``.
    gap: list[str]
    hits: list[Hit | None]
    is_title: bool

    def __len__(self) -> int:
        return len(self.toks)

    def span(self, i: int, j: int, plen: int = 0) -> tuple[int, int]:
        """Article offsets of tokens ``[i, j)``, the first token's proclitics left out.

        The contracted "لل" ("للامن" = ل + الامن) keeps its letters: the article's alef is not
        written, so the span starts at the token.
        """
        if plen and self.toks[i][plen - 1 : plen + 1] == "لل":
            plen -= 1
        s, e = self.nt.orig_span(self.starts[i] + plen, self.ends[j - 1])
        return self.base + s, self.base + e

    def surface(self, i: int, j: int, plen: int = 0) -> str:
        """The original text of tokens ``[i, j)``."""
        s, e = self.span(i, j, plen)
        return self.text[s - self.base : e - self.base]

    def word(self, i: int) -> str:
        """The normalised token ``i``."""
        return self.toks[i]

    def kinds(self, i: int) -> set[str]:
        """Kinds of the longest lexicon hit at token ``i``."""
        hit = self.hits[i]
        return {t.kind for t in hit[2]} if hit else set()

    def terms(self, i: int, kind: str) -> list[Term]:
        """Terms of ``kind`` in the longest hit at token ``i``."""
        hit = self.hits[i]
        return [t for t in hit[2] if t.kind == kind] if hit else []

    def comma_only(self, i: int) -> bool:
        """Whether the boundary before token ``i`` is only a comma (an apposition)."""
        g = self.gap[i]
        return bool(g) and all(c in "،," for c in g)

    def quoted_before(self, i: int) -> bool:
        """Whether a quotation mark opens right before token ``i``."""
        return any(c in _QUOTES for c in self.gap[i])


def _case_ok(seg: Segment, i: int, n: int, plen: int, term: Term) -> bool:
    if term.case == "any":
        return True
    s, e = seg.span(i, i + n, plen)
    original = seg.text[s - seg.base : e - seg.base]
    letters = [c for c in original if c.isalpha()]
    if not letters:
        return False
    if term.case == "upper":
        return all(c.isupper() for c in letters)
    return letters[0].isupper()


def _is_break(between: str) -> bool:
    """Whether the text between two tokens separates them (punctuation or a line break)."""
    if "\n" in between:
        return True
    marks = "".join(c for c in between if not c.isspace())
    if not marks:
        return False
    # "غراندي-مارلاسكا" joins; "مراكش - الرباط" and "وزير، عبد" break.
    return not (between == marks and set(marks) <= _JOINERS)


def build_segment(index: int, base: int, text: str, g: Gazetteer, is_title: bool) -> Segment:
    """Normalise, tokenise and look up one segment."""
    if "\u0640" in text:
        # Same length, so offsets into the normalised text still map onto ``text``.
        nt = normalize_with_map(_TATWEEL_DASH.sub(lambda m: "\u2014" * len(m.group()), text))
    else:
        nt = normalize_with_map(text)
    parts = _SPLIT.split(nt.text)  # [gap, word, gap, word, ..., gap]
    words = parts[1::2]
    gaps = parts[0::2]
    offsets = list(accumulate(map(len, parts), initial=0))
    starts = offsets[1::2][: len(words)]
    ends = offsets[2::2][: len(words)]
    brk = [True] + [False if b == " " else _is_break(b) for b in gaps[1:-1]] if words else []
    gap = [""] + ["" if b == " " else "".join(c for c in b if not c.isspace()) for b in gaps[1:-1]]
    if words:
        gap[0] = "".join(c for c in gaps[0] if not c.isspace())
    seg = Segment(index, base, text, nt, words, starts, ends, brk, gap[: len(words)], [], is_title)
    hits: list[Hit | None] = list(g.matcher.match_all(words))
    for k, hit in enumerate(hits):
        # Most hits are one Arabic word: nothing to check. A phrase over several words must not
        # cross punctuation; a Latin one must have its letter case.
        if hit is not None and (hit[0] > 1 or words[k].isascii()):
            hits[k] = _checked(seg, k, hit, g)
    seg.hits = hits
    return seg


def _checked(seg: Segment, k: int, hit: Hit | None, g: Gazetteer) -> Hit | None:
    """``hit`` at token ``k``, shortened not to cross punctuation, Latin terms of the wrong case
    left out."""
    if hit is None:
        return None
    n, plen, terms = hit
    # A phrase never runs over punctuation ("مصر. العربيه" is not one name).
    if n > 1 and True in seg.brk[k + 1 : k + n]:
        hit = _shorter(seg, k, g)
        if hit is None:
            return None
        n, plen, terms = hit
    if not seg.toks[k].isascii():
        return (n, plen, terms)  # letter case only matters for Latin phrases
    kept = [t for t in terms if t.case == "any" or _case_ok(seg, k, n, plen, t)]
    return (n, plen, kept) if kept else None


def _shorter(seg: Segment, k: int, g: Gazetteer) -> Hit | None:
    """The longest hit at token ``k`` that does not cross a boundary."""
    for n, plen, terms in g.matcher.all_at(seg.toks, k):
        if not any(seg.brk[k + m] for m in range(1, n)):
            return (n, plen, terms)
    return None
