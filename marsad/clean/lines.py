"""Lines of a scraped text with their offsets, and re-joining of lines that links split.

Scrapers deliver one paragraph per line. Some pages put every link on its own line, so one
sentence arrives as "أشاد / وزير الداخلية / عبد الأمير الشمري / ، اليوم الأحد، …": such runs are
joined back into one paragraph (the span simply covers several lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marsad.arabic import normalize

_TERMINAL = tuple(".!?؟:…\"»”)")
_CONTINUATION = tuple("،,.؛;:)»”")


@dataclass(slots=True)
class Line:
    """A non-blank line: its stripped span, text, normalised text and what cleaning made of it."""

    start: int
    end: int
    text: str
    norm: str
    words: int
    kind: str = "body"
    rule: str = ""
    reason: str = ""
    #: Index of the last line when this line starts a joined run of link-split lines.
    joined_to: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def mark(self, kind: str, rule: str, reason: str) -> None:
        """Classify the line (first classification wins)."""
        if self.kind == "body":
            self.kind, self.rule, self.reason = kind, rule, reason


_WORD = re.compile(r"\w+")


def split_lines(text: str, start: int = 0) -> list[Line]:
    """Non-blank lines of ``text[start:]`` with stripped spans."""
    out: list[Line] = []
    pos = start
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl == -1:
            nl = n
        s, e = pos, nl
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            chunk = text[s:e]
            norm = " ".join(normalize(chunk).split())
            out.append(Line(s, e, chunk, norm, len(_WORD.findall(norm))))
        pos = nl + 1
    return out


def _short(line: Line) -> bool:
    return line.words <= 3


def join_fragments(lines: list[Line]) -> None:
    """Mark runs of link-split lines so they become one paragraph.

    A run links line *i* to line *i+1* when line *i* does not end a sentence and either line is
    a fragment (three words or fewer) or line *i+1* starts with a continuation mark (،).
    A run starts with a fragment and counts only if at least one of its lines starts with a
    continuation mark: headlines and labels stacked above an article are short too, but none of
    them starts with a comma. Lines already classified (chrome, date lines) break a run.
    """
    i = 0
    while i < len(lines):
        if not _short(lines[i]) or lines[i].kind != "body":
            # A run starts with a fragment; a headline above it is longer.
            i += 1
            continue
        j = i
        has_continuation = False
        while j + 1 < len(lines):
            a, b = lines[j], lines[j + 1]
            if a.kind != "body" or b.kind != "body":
                break
            if a.text.endswith(_TERMINAL) and not b.text.startswith(_CONTINUATION):
                break
            if not (_short(a) or _short(b) or b.text.startswith(_CONTINUATION)):
                break
            if b.text.startswith(_CONTINUATION):
                has_continuation = True
            j += 1
        if j > i and has_continuation:
            lines[i].joined_to = j
            for k in range(i + 1, j + 1):
                lines[k].kind = "joined"
            i = j + 1
        else:
            i += 1
