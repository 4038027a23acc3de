"""HTML pages: main text and metadata with trafilatura, dates with htmldate made to read Arabic.

htmldate does not know the Moroccan, Algerian or Levantine month names and reads
"19 شتنبر 2025" as 2025-01-01. Before asking it for the date we rewrite every
"day month-name year" in a copy of the page as ISO ``YYYY-MM-DD``; the text we keep comes from
the unmodified page. A date that htmldate can only have guessed (1 January of a year that the
page never writes in full) is dropped, not stored.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cache

from marsad.arabic import fold_digits, normalize
from marsad.errors import HtmlError
from marsad.lexicon.calendar import gregorian_months

LOGGER = logging.getLogger(__name__)
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass(slots=True)
class HtmlExtract:
    """What a page yields: the article text and what its markup says about it."""

    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    date: str | None = None
    url: str | None = None
    lang: str | None = None
    warnings: list[str] = field(default_factory=list)


@cache
def _month_date_re() -> re.Pattern[str]:
    names = sorted(gregorian_months(), key=len, reverse=True)
    alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?<!\d)(\d{{1,2}})\s+(?:[وبل])?({alternation})\s*[,،]?\s+(\d{{4}})(?!\d)")


def iso_dates(html: str) -> str:
    """``html`` with "day month-name year" (any Arabic month family) rewritten as ISO."""
    norm = normalize(fold_digits(html))
    if len(norm) != len(html):
        # Normalisation dropped diacritics or tatweel; work on the normalised copy, which is
        # only ever used for date finding.
        html = norm
    months = gregorian_months()

    def repl(m: re.Match[str]) -> str:
        day, name, year = m.group(1), " ".join(m.group(2).split()), m.group(3)
        month = months[normalize(name)][0]
        return f"{year}-{month:02d}-{int(day):02d}"

    return _month_date_re().sub(repl, norm)


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """Main text and metadata of a page; raises :class:`HtmlError` if it holds no article."""
    import htmldate
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:
        raise HtmlError(f"the page could not be parsed: {type(exc).__name__}: {exc}") from exc
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not text.strip():
        raise HtmlError("the page holds no extractable article text")
    out = HtmlExtract(
        text=text,
        title=getattr(doc, "title", None) or None,
        author=getattr(doc, "author", None) or None,
        sitename=getattr(doc, "sitename", None) or None,
        url=getattr(doc, "url", None) or url,
        lang=getattr(doc, "language", None) or None,
    )
    mapped = iso_dates(html)
    try:
        found = htmldate.find_date(
            mapped, original_date=True, extensive_search=True, outputformat="%Y-%m-%d", url=url
        )
    except Exception as exc:
        found = None
        out.warnings.append(f"htmldate failed: {type(exc).__name__}: {exc}")
    if found:
        if found.endswith("-01-01") and found not in mapped and found.replace("-", "/") not in mapped:
            out.warnings.append(
                f"page date {found} dropped: 1 January is htmldate's guess for a bare year"
            )
        else:
            out.date = found
            clock = re.search(
                re.escape(found) + r"\s*(?:[-|،,T]|علي\s+الساعه|a|at)?\s*(\d{1,2})[:h](\d{2})(?!\d)", mapped
            )
            if clock and int(clock.group(1)) < 24 and int(clock.group(2)) < 60:
                out.date = f"{found}T{int(clock.group(1)):02d}:{clock.group(2)}"
    return out
