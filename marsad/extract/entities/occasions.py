"""Occasions: named exhibitions, conferences, sessions, tournaments, with edition, year, place.

Three shapes, all read from tokens:

- a lexicon name ("معرض الدفاع العالمي", "ميليبول قطر", "كاس العالم");
- an edition phrase before a name: "النسخه الثالثه من" + name, "الدوره 93 ل" + name,
  "الدوره الحاديه والاربعين ل" + organisation (the session of that body);
- a trigger noun and the words that qualify it: "معرض" / "مؤتمر" / "قمه" (strong: any
  qualifier will do) or "اجتماع" / "الدوره" / "اللجنه" (weak: only with an organisation, an
  edition, a year or a quoted or Latin name), up to a stop word, punctuation or a place after ب.

A four-digit year right after the name ("كاس الامم الافريقيه 2025") or in a parenthesis of
Latin words ("(IGEF 2025)") is the occasion's year; the first city or country after ب/في (or
after "العاصمه") in the next words of the same sentence is its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marsad.arabic import stems
from marsad.extract.entities.segments import Segment
from marsad.lexicon.gazetteer import Gazetteer, Term

_YEAR = re.compile(r"^(19[5-9]\d|20\d\d)$")
_NUMBER = re.compile(r"^(?:ال)?(\d{1,3})(?:eme|e|er|th|st|nd|rd)?$")
_LATIN = re.compile(r"^[a-z0-9]+$")
_QUAL_KINDS = frozenset({"org", "kind", "org_short", "kind_short", "nationality", "country",
                         "city", "region", "region_adj", "domain", "filler"})


@dataclass(slots=True)
class OccasionParse:
    """An occasion read from tokens ``[i, j)``."""

    i: int
    j: int
    key: str | None
    name_i: int
    name_j: int
    edition: int | None = None
    year: int | None = None
    org: Term | None = None
    countries: list[str] = field(default_factory=list)
    country: str | None = None
    rule: str = ""
    latin_name: str | None = None


def parse_number(seg: Segment, k: int, g: Gazetteer) -> tuple[int, int] | None:
    """An edition number at token ``k`` ("93", "الـ93", "الحاديه والاربعين"): (value, tokens)."""
    n = len(seg.toks)
    w = seg.word(k)
    m = _NUMBER.match(w)
    if m:
        return int(m.group(1)), 1
    ordinals = g.words.ordinals
    value = ordinals.get(w)
    if value is None:
        return None
    used = 1
    if value < 10 and k + 1 < n and not seg.brk[k + 1]:
        nxt = seg.word(k + 1)
        if nxt in g.words.teens:
            return value + 10, 2
        for plen, stem in stems(nxt):
            if plen == 1 and nxt.startswith("و") and ordinals.get(stem, 0) >= 20:
                return value + ordinals[stem], 2
    return value, used


def _year_at(seg: Segment, k: int) -> int | None:
    if k < len(seg.toks) and _YEAR.match(seg.word(k)):
        return int(seg.word(k))
    return None


def _is_place_clitic(seg: Segment, k: int) -> bool:
    """Token ``k`` is a place with ب/في before it (the venue, not part of the name)."""
    hit = seg.hits[k]
    if hit is None:
        return False
    kinds = {t.kind for t in hit[2]}
    if not kinds & {"city", "country"}:
        return False
    return hit[1] > 0 and seg.word(k)[hit[1] - 1] == "ب"


def _qualifiers(seg: Segment, k: int, g: Gazetteer, op: OccasionParse) -> int:
    """Extend the name from token ``k`` over qualifying words; return the end token."""
    n = len(seg.toks)
    start = k
    while k < n and k - start < 9 and not seg.brk[k]:
        w = seg.word(k)
        if w in g.words.occ_stops or (w in g.words.stops and not w.startswith("ال")):
            break
        if _is_place_clitic(seg, k):
            break
        if _YEAR.match(w):
            op.year = int(w)
            k += 1
            break
        hit = seg.hits[k]
        if hit is not None:
            kinds = {t.kind for t in hit[2]}
            if kinds & {"head", "honorific", "kb_person", "occ_strong", "edition"} and not (
                kinds & _QUAL_KINDS
            ):
                break
            for t in hit[2]:
                if t.kind in ("org", "kind") and op.org is None:
                    op.org = t
                if t.kind in ("nationality", "country") and t.country:
                    op.countries.append(t.country)
            k += hit[0]
            continue
        if _LATIN.match(w) or w.startswith("ال") or w[:2] in ("لل",) or (
            len(w) > 3 and w[0] in "ل" and w[1:3] == "ال"
        ):
            k += 1
            continue
        if w in g.words.stops:
            break
        # An indefinite word qualifies only right after the trigger ("معرض دبي").
        if k == start:
            k += 1
            continue
        break
    return k


def parse_occasion(seg: Segment, i: int, g: Gazetteer) -> OccasionParse | None:
    """The occasion starting at token ``i``, or None."""
    n = len(seg.toks)
    hit = seg.hits[i]
    if hit is None:
        return None
    kinds = {t.kind for t in hit[2]}
    edition: int | None = None
    k = i
    edition_word = "edition" in kinds and (hit[1] == 0 or seg.word(i)[0] in "وف")
    if edition_word and i + hit[0] < n and not seg.brk[i + hit[0]]:
        # "النسخه الثالثه من" / "الدوره 93 ل" + the name
        num = parse_number(seg, i + hit[0], g)
        if num is not None:
            edition = num[0]
            k = i + hit[0] + num[1]
            if k < n and not seg.brk[k] and seg.word(k) == "من":
                k += 1
            if k >= n or seg.brk[k]:
                return None
    name_hit = seg.hits[k] if k < n else None
    if name_hit is None:
        return None
    nk = {t.kind: t for t in name_hit[2]}
    if k == i and name_hit[1] and seg.word(i)[0] not in "وف":
        return None
    op = OccasionParse(i=i, j=k + name_hit[0], key=None, name_i=k, name_j=k + name_hit[0],
                       edition=edition)
    if "occasion" in nk:
        term = nk["occasion"]
        op.key = term.key
        op.country = term.country
        op.rule = "occasion.lexicon"
        op.j = _tail(seg, op.j, g, op)
    elif edition is not None and ("org" in nk or "kind" in nk):
        op.org = nk.get("org") or nk.get("kind")
        op.key = f"session:{op.org.key if op.org else 'unknown'}"
        op.rule = "occasion.session"
        op.j = _tail(seg, op.j, g, op)
    elif "occ_strong" in nk or "occ_weak" in nk or ("edition" in nk and edition is None):
        strong = "occ_strong" in nk
        end = _qualifiers(seg, op.name_j, g, op)
        quoted_end = _quoted(seg, end, op)
        has_quote = quoted_end > end
        end = quoted_end
        if end == op.name_j:
            return None
        op.j = op.name_j = end
        latin = False
        for x in range(op.name_i + name_hit[0], end):
            w = seg.word(x)
            if _YEAR.match(w):
                op.year = op.year or int(w)
            elif _LATIN.match(w):
                latin = True
            inner = seg.hits[x]
            if inner is not None and op.key is None:
                occ = next((t for t in inner[2] if t.kind == "occasion"), None)
                if occ is not None:
                    op.key = occ.key
                    op.country = occ.country
        proper = bool(op.org or edition or op.year or latin or has_quote or op.key)
        if not strong and not proper:
            return None
        if strong and not proper and not _definite(seg, op.name_i, end, name_hit[0]):
            return None  # "معرض دولي": an indefinite noun and adjective name nothing
        op.rule = "occasion.trigger.strong" if strong else "occasion.trigger.weak"
        op.j = _tail(seg, op.j, g, op)
    else:
        return None
    return op


def _definite(seg: Segment, i: int, end: int, trigger_len: int) -> bool:
    """Whether a trigger phrase names something: a definite trigger or a proper qualifier."""
    if seg.word(i).startswith("ال"):
        return True
    for k in range(i + trigger_len, end):
        w = seg.word(k)
        hit = seg.hits[k]
        if hit is not None and {t.kind for t in hit[2]} & {"city", "country", "org", "kind"}:
            return True
        if w.startswith(("ال", "لل")) or (len(w) > 3 and w[0] == "ل" and w[1:3] == "ال"):
            return True
    return False


def _quoted(seg: Segment, k: int, op: OccasionParse) -> int:
    """A quoted name right after the trigger ("معرض "ميليبول قطر""): its end token, or ``k``."""
    n = len(seg.toks)
    if k >= n or not seg.quoted_before(k):
        return k
    end = k
    while end < n and end - k < 6:
        end += 1
        if end < n and seg.brk[end]:
            if seg.quoted_before(end):
                return end
            break
    return end if end == n or seg.quoted_before(end) else k


def _tail(seg: Segment, k: int, g: Gazetteer, op: OccasionParse) -> int:
    """After the name: a year, or a parenthesis of Latin words and a year ("(IGEF 2025)")."""
    n = len(seg.toks)
    if k < n and not seg.brk[k]:
        year = _year_at(seg, k)
        if year is not None:
            op.year = year
            return k + 1
    if k < n and "(" in seg.gap[k]:
        end = k
        latin: list[str] = []
        while end < n and (end == k or not seg.brk[end]) and _LATIN.match(seg.word(end)):
            year = _year_at(seg, end)
            if year is not None:
                op.year = op.year or year
            else:
                latin.append(seg.surface(end, end + 1))
            end += 1
        if end > k and (end == n or ")" in seg.gap[end]):
            if latin:
                op.latin_name = " ".join(latin)
            return end
    return k
