"""Page chrome: the lines of a page that are not the article.

Each rule is a small predicate on one line (or a run of lines) with a name that is stored with
every removal, so ``marsad show ID --removed`` says which rule removed what.
"""

from __future__ import annotations

import re
from functools import cache

from marsad.arabic import script_share
from marsad.clean.lines import Line
from marsad.lexicon.load import load_terms

_BULLET = re.compile(r"^[•●▪◦■►▶✓✔\-\*·»]\s*")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_NUM = r"[\d.,]+\s*[kKمألف]*"


@cache
def _lists() -> dict[str, tuple[str, ...]]:
    return load_terms("page_chrome.yaml")


@cache
def _nav_set() -> frozenset[str]:
    return frozenset(_lists()["navigation"])


@cache
def _counter_re() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(_lists()["counter_words"], key=len, reverse=True))
    return re.compile(
        rf"^(?:(?:{words})\s*[(\[]?\s*{_NUM}\s*[)\]]?|{_NUM}\s*(?:{words}))$"
    )


def _strip_marks(norm: str) -> str:
    return norm.strip(" -–—:|•*·\"'()[]،,.!؟?")


def is_breaking(line: Line) -> bool:
    """'عاجل' and its kin on a line of their own."""
    return _strip_marks(line.norm) in _lists()["breaking"]


def is_navigation(line: Line) -> bool:
    """A line made only of navigation, language-switch and share words."""
    if line.words > 12:
        return False
    text = _strip_marks(line.norm)
    if not text:
        return True
    nav = _nav_set()
    if text in nav:
        return True
    # Greedy cover of the line by navigation phrases of up to five words.
    words = text.replace("|", " ").split()
    i = 0
    while i < len(words):
        for n in range(min(5, len(words) - i), 0, -1):
            if " ".join(words[i : i + n]) in nav:
                i += n
                break
        else:
            return False
    return True


def is_counter(line: Line) -> bool:
    """Comment, view and share counters: 'التعاليق (0)', '180 شوهد'."""
    return line.words <= 4 and bool(_counter_re().match(_strip_marks(line.norm) or line.norm))


def is_editor_note(line: Line) -> bool:
    """Editor notes, legal lines, comment forms."""
    text = line.norm.lstrip(" -–—*•")
    return any(text.startswith(p) for p in _lists()["editor_note_prefixes"])


def is_url(line: Line) -> bool:
    """A bare address (image links and author pages that scrapers keep)."""
    return bool(_URL.match(line.text.strip()))


def is_placeholder(line: Line) -> bool:
    """A template token left in the text ('spot_imgspot_img', '{{ad}}')."""
    t = line.text.strip()
    return " " not in t and ("_" in t or "{{" in t or t.startswith("[")) and len(t) < 60


def is_caption(line: Line) -> bool:
    """Generic photo captions."""
    return _strip_marks(line.norm) in _lists()["captions"]


def is_section_label(line: Line) -> bool:
    """A section name printed above the headline ("مقالات الرأي")."""
    return line.words <= 4 and _strip_marks(line.norm) in _lists()["sections"]


def is_related_heading(line: Line) -> bool:
    """A heading that starts a list of other stories."""
    return line.words <= 6 and _strip_marks(line.norm) in _lists()["related_headings"]


def is_staff_title(line: Line) -> bool:
    """Masthead staff titles ('رئيس التحرير')."""
    return _strip_marks(line.norm) in _lists()["staff_titles"]


def is_relative_stamp(line: Line) -> bool:
    """'منذ ساعة واحدة', 'منذ 3 ساعات': a page widget's time, not a publication date."""
    words = line.norm.split()
    return (
        2 <= len(words) <= 4
        and words[0] in _lists()["relative_stamp_prefixes"]
        and any(w.startswith(("ساع", "دقيق", "يوم", "ايام", "اسبوع", "شهر")) or w.isdigit() for w in words[1:])
    )


def is_bullet(line: Line) -> bool:
    """A line that starts with a list bullet."""
    return bool(_BULLET.match(line.text)) and not line.text.startswith("--")


def is_teaser(line: Line) -> bool:
    """A teaser cut off with an ellipsis, as related-story lists print them."""
    return line.words <= 25 and line.text.rstrip().endswith(("...", "…", ". . ."))


def is_stray_latin(line: Line, article_is_arabic: bool) -> bool:
    """A short Latin-only line (a widget's text) inside an Arabic article."""
    if not article_is_arabic or line.words > 5:
        return False
    ar, la = script_share(line.text)
    return ar == 0 and la > 0


LINE_RULES = (
    ("chrome.breaking", is_breaking, "breaking-news label"),
    ("chrome.url", is_url, "bare web address"),
    ("chrome.counter", is_counter, "comment, view or share counter"),
    ("chrome.editor_note", is_editor_note, "editor's note, legal line or comment form"),
    ("chrome.navigation", is_navigation, "site navigation, language switch or share buttons"),
    ("chrome.caption", is_caption, "generic photo caption"),
    ("chrome.placeholder", is_placeholder, "template placeholder left by the page"),
    ("chrome.relative_stamp", is_relative_stamp, "relative page time of a widget"),
)


def mark_chrome(lines: list[Line], article_is_arabic: bool) -> None:
    """Classify chrome lines in place (anywhere in the text)."""
    for line in lines:
        for rule, pred, reason in LINE_RULES:
            if pred(line):
                line.mark("chrome", rule, reason)
                break
    # Masthead staff: the title and the name on the next line.
    for i, line in enumerate(lines):
        if line.kind == "body" and is_staff_title(line):
            line.mark("chrome", "chrome.masthead_staff", "masthead staff title")
            if i + 1 < len(lines) and lines[i + 1].words <= 4 and lines[i + 1].kind == "body":
                lines[i + 1].mark("chrome", "chrome.masthead_staff", "masthead staff name")
    # A related-stories heading removes the short lines after it, to the end.
    for i, line in enumerate(lines):
        if line.kind == "body" and is_related_heading(line):
            line.mark("chrome", "chrome.related", "heading of a list of other stories")
            for nxt in lines[i + 1 :]:
                if nxt.words > 40:
                    break
                nxt.mark("chrome", "chrome.related", "other story in a related-stories list")
            break
    # Teasers ("Bamako – Le Maroc est …") in pairs with their headlines, near the end.
    teasers = [i for i, ln in enumerate(lines) if ln.kind == "body" and is_teaser(ln)]
    if len(teasers) >= 2:
        first = teasers[0] - 1 if teasers[0] > 0 and not lines[teasers[0] - 1].text.endswith(".") else teasers[0]
        tail = lines[first:]
        if all(ln.words <= 30 for ln in tail if ln.kind == "body"):
            for ln in tail:
                ln.mark("chrome", "chrome.related", "other story in a related-stories list")
    # A stray short Latin line at the very start or end of an Arabic article.
    body = [ln for ln in lines if ln.kind == "body"]
    for ln in body[-2:]:
        if is_stray_latin(ln, article_is_arabic):
            ln.mark("chrome", "chrome.stray_widget", "short Latin text of a page widget")
