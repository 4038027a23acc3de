"""One pass over a segment's tokens: candidate mentions of every type, before resolution.

The walk takes the longest lexicon hit at each token and tries, in order: a person the KB
knows; a title (and the name after it, or on its own a role); honorifics and a name; an
occasion; an organisation; a place; a nationality; a one-word reference the KB knows; an
unintroduced name starting with a given name. After a name, a title in apposition
("عبد اللطيف حموشي، المدير العام ...") is attached to it when no name of its own follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.arabic import stems
from marsad.extract.entities.names import (
    ARAB_STATES,
    LATIN_OFFICE_WORDS,
    NameParse,
    can_start_unanchored,
    is_latin_capital,
    latin_word_ok,
    parse_latin_name,
    parse_name,
    plausible_after_title,
    unanchored_ok,
)
from marsad.extract.entities.occasions import parse_occasion
from marsad.extract.entities.segments import Segment
from marsad.extract.entities.titles import OrgPart, TitleParse, parse_title
from marsad.lexicon.gazetteer import Gazetteer, Term
from marsad.lexicon.places import capitals
from marsad.model import MentionType

_ORG_KINDS = frozenset({"org", "kind"})
_PLACE_PREPS = frozenset({"في", "الي", "من", "مع", "عن", "بين", "داخل", "خارج", "نحو", "جمهوريه",
                          "دوله", "حكومه", "شمال", "جنوب", "شرق", "غرب", "وسط", "عاصمه", "رييس",
                          "سفير", "سفاره", "بلد", "شعب"})


@dataclass(slots=True)
class Cand:
    """A candidate mention, before the document-level decisions."""

    type: MentionType
    start: int
    end: int
    text: str
    rule: str
    seg: int
    tok: int
    key: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    entity_id: str | None = None
    #: For places: every key the phrase can name (cities sharing a name, city or country).
    options: tuple[str, ...] = ()
    #: For organisations: the kind, a fixed KB id, the country the text states.
    org_kind: str | None = None
    org_id: str | None = None
    country: str | None = None
    drop: bool = False


@dataclass(slots=True)
class PersonCand:
    """A person mention with what the text says around it."""

    cand: Cand
    words: list[str]
    title: TitleParse | None = None
    role: Cand | None = None
    honorific: str | None = None
    anchored: bool = False
    latin: bool = False
    apposition: bool = False
    #: The name's units (compounds joined, particles dropped), computed once when clustering.
    units: list[str] | None = None


@dataclass(slots=True)
class RoleCand:
    """A title with no name: an unnamed official, or a reference to a named one."""

    cand: Cand
    title: TitleParse


@dataclass(slots=True)
class Found:
    """Everything the scan found in the article."""

    places: list[Cand] = field(default_factory=list)
    orgs: list[Cand] = field(default_factory=list)
    occasions: list[Cand] = field(default_factory=list)
    persons: list[PersonCand] = field(default_factory=list)
    roles: list[RoleCand] = field(default_factory=list)
    shorts: list[tuple[Cand, Sequence[Term]]] = field(default_factory=list)


def _first(terms: Sequence[Term], kind: str) -> Term | None:
    for t in terms:
        if t.kind == kind:
            return t
    return None


#: Lexicon kinds that begin nothing on their own (they only continue a title or a body).
_PASSIVE_KINDS = frozenset({"filler", "domain", "region_adj", "former"})


def scan_segment(seg: Segment, g: Gazetteer, found: Found) -> None:
    """Add the candidates of one segment to ``found``."""
    hits = seg.hits
    starters = g.words.starters
    passive = _PASSIVE_KINDS
    # Most words start nothing: no lexicon hit that can begin a mention, not a given name, not
    # Latin, not "العاصمه" (a filler or a domain word alone begins nothing; digits neither).
    todo = [
        k for k, w in enumerate(seg.toks)
        if w in starters or (w.isascii() and not w.isdigit()) or (
            (h := hits[k]) is not None and (len(h[2]) > 1 or h[2][0].kind not in passive)
        )
    ]
    i = 0
    for k in todo:
        if k < i:
            continue
        i = max(_at(seg, k, g, found), k + 1)


def is_capital_word(word: str) -> bool:
    """"العاصمه" with or without proclitics ("بالعاصمه", "للعاصمه")."""
    return any(stem == "العاصمه" for _, stem in stems(word))


def _capital_phrase(seg: Segment, i: int, found: Found) -> int:
    """"العاصمه الاردنيه" (+ "عمان"): the capital of the country the adjective names."""
    n = len(seg.toks)
    if i + 1 >= n or seg.brk[i + 1]:
        return i
    nxt = seg.hits[i + 1]
    if nxt is None or nxt[1]:
        return i
    nat = _first(nxt[2], "nationality")
    if nat is None or nat.country is None:
        return i
    key = capitals().get(nat.country)
    if key is None:
        return i
    end = i + 1 + nxt[0]
    if end < n and not seg.brk[end]:
        place = seg.hits[end]
        if place is not None and place[1] == 0:
            city = _first(place[2], "city")
            if city is not None and key in city.key.split("|"):
                end += place[0]
    hit = seg.hits[i]
    plen = len(seg.word(i)) - len("العاصمه")
    s, e = seg.span(i, end, plen if hit is None else 0)
    s = seg.span(i, i + 1, max(plen, 0))[0]
    found.places.append(Cand("CITY", s, e, seg.text[s - seg.base:e - seg.base],
                             "place.capital_phrase", seg.index, i, key=key, country=nat.country,
                             options=(key,), confidence=0.9))
    return end


def _at(seg: Segment, i: int, g: Gazetteer, found: Found) -> int:
    hit = seg.hits[i]
    word = seg.word(i)
    if word.endswith("العاصمه") and is_capital_word(word):
        end = _capital_phrase(seg, i, found)
        if end > i:
            return end
    if hit is None:
        if word.isascii():
            return _latin_person(seg, i, g, found, anchored=False)
        if _unanchored_here(seg, i, g):
            name = parse_name(seg, i, g, anchored=False)
            if name is not None and unanchored_ok(seg, name, g):
                return _person(seg, name, g, found, rule="person.given_name")
        return i + 1
    n_hit, plen, terms = hit
    kinds = {t.kind for t in terms}
    if kinds & _PERSON_STARTS and _after_facility(seg, i, g):
        return _skip_name(seg, i, g)
    if "kb_person" in kinds:
        if word.isascii():
            return _latin_person(seg, i, g, found, anchored=True)
        name = parse_name(seg, i, g, anchored=True)
        if name is not None and name.j >= i + n_hit:
            return _person(seg, name, g, found, rule="person.kb", plen=plen)
    if kinds & {"head", "quantifier"} and not kinds & {"country", "city", "occasion"}:
        tp = parse_title(seg, i, g)
        if tp is not None:
            return _after_title(seg, tp, g, found)
    if "honorific" in kinds and (not plen or word[0] in "وف"):
        end = _honorifics(seg, i)
        honor = _first(terms, "honorific")
        if _late_in_run(seg, i, end):
            return _skip_name(seg, i, g)  # "جلاله المغفور له الحسن الثاني": no party to any event
        name = parse_name(seg, end, g, anchored=True) if end < len(seg.toks) else None
        if name is not None and not plausible_after_title(name, g, quoted=seg.quoted_before(end)):
            name = None
        if name is not None:
            return _person(seg, name, g, found, rule="person.honorific",
                           honorific=honor.key if honor else None)
        return end
    if kinds & {"occasion", "occ_strong", "occ_weak", "edition"}:
        op = parse_occasion(seg, i, g)
        if op is not None:
            _occasion(seg, op, found)
            return op.j
    if kinds & {"latin_head", "latin_honorific"}:
        return _latin_after_title(seg, i, g, found)
    if kinds & _ORG_KINDS or kinds & {"org_short", "kind_short"}:
        end = _org(seg, i, g, found)
        if end > i:
            return end
    if "country" in kinds or "city" in kinds:
        return _place(seg, i, g, found)
    if "region" in kinds:
        t = _first(terms, "region")
        assert t is not None
        s, e = seg.span(i, i + n_hit, plen)
        found.places.append(Cand("REGION", s, e, seg.text[s - seg.base:e - seg.base],
                                 "place.region", seg.index, i, key=t.key))
        return i + n_hit
    if "nationality" in kinds:
        t = _first(terms, "nationality")
        assert t is not None
        if (not t.strict and plen == 0) or (plen and word[0] in "وف" and not t.strict):
            s, e = seg.span(i, i + n_hit, plen)
            found.places.append(Cand("NATIONALITY", s, e, seg.text[s - seg.base:e - seg.base],
                                     "place.nationality", seg.index, i, key=t.country,
                                     country=t.country, attrs={"form": t.info}))
        return i + n_hit
    if "kb_short" in kinds:
        s, e = seg.span(i, i + n_hit, plen)
        cand = Cand("PERSON", s, e, seg.text[s - seg.base:e - seg.base], "person.kb_short",
                    seg.index, i, confidence=0.8)
        found.shorts.append((cand, [t for t in terms if t.kind == "kb_short"]))
        return i + n_hit
    if word.isascii():
        return _latin_person(seg, i, g, found, anchored=False)
    if _unanchored_here(seg, i, g):
        name = parse_name(seg, i, g, anchored=False)
        if name is not None and unanchored_ok(seg, name, g):
            return _person(seg, name, g, found, rule="person.given_name")
    return i + 1


#: Lexicon kinds that begin a person's mention (a name, a title, a rank or form of address).
_PERSON_STARTS = frozenset({"kb_person", "head", "honorific", "kb_short"})
#: Words between a facility noun and the name it carries ("جامعه الامام محمد بن سعود").
_FACILITY_EPITHETS = frozenset({"الامام", "الشهيد", "الملك", "الامير", "الشيخ", "السلطان", "الرييس"})


def _after_facility(seg: Segment, i: int, g: Gazetteer) -> bool:
    """Whether token ``i`` follows a facility noun ("مطار الملك", "ضريح محمد", "جسر الملك").

    The name after "مطار", "جسر", "جامعه", "مستشفي"... is the name of the place; the person it
    honours takes no part in the article's events. Epithets may stand between ("جامعه الامام").
    """
    k = i - 1
    while k >= 0 and not seg.brk[k + 1] and i - k <= 3:
        w = seg.word(k)
        facilities = g.words.facilities
        if w in facilities or any(stem in facilities for _, stem in stems(w)[1:]):
            return True
        if w not in _FACILITY_EPITHETS:
            return False
        k -= 1
    return False


def _skip_name(seg: Segment, i: int, g: Gazetteer) -> int:
    """The token after the titles, ranks and name that start at ``i`` (nothing is kept)."""
    k = i
    n = len(seg.toks)
    while k < n and (k == i or not seg.brk[k]):
        hit = seg.hits[k]
        if hit is None or not {t.kind for t in hit[2]} & {"head", "honorific"}:
            break
        k += hit[0]
    if k < n and (k == i or not seg.brk[k]):
        name = parse_name(seg, k, g, anchored=True)
        if name is not None:
            return name.j
    return max(k, i + 1)


def _unanchored_here(seg: Segment, i: int, g: Gazetteer) -> bool:
    """Whether an unintroduced name may start at ``i`` (not inside a nasab, not a place's name)."""
    if not can_start_unanchored(seg, i, g):
        return False
    if i > 0 and not seg.brk[i] and seg.word(i - 1) in g.words.particles:
        return False  # "بن زايد ...": the middle of a name already read
    return not _after_facility(seg, i, g)


def _honorifics(seg: Segment, i: int) -> int:
    """The token after a run of honorifics ("الفريق الركن الشيخ")."""
    k = i
    while k < len(seg.toks):
        hit = seg.hits[k]
        if hit is None or not any(t.kind == "honorific" for t in hit[2]):
            break
        if hit[1] and (k > i or seg.word(k)[0] not in "وف"):
            break  # "واللواء" may open a run; a clitic inside one ends it
        if k > i and seg.brk[k] and seg.gap[k] not in ("/",):
            break
        k += hit[0]
    return k


def _late_in_run(seg: Segment, i: int, end: int) -> bool:
    """Whether the honorifics ``[i, end)`` say the person has died ("المغفور له", "الراحل")."""
    k = i
    while k < end:
        hit = seg.hits[k]
        if hit is None:
            return False
        if any(t.kind == "honorific" and t.key == "late" for t in hit[2]):
            return True
        k += hit[0]
    return False


def _name_start_ok(seg: Segment, k: int) -> bool:
    """A name may follow a title or honorific here (a comma, a quote or "/" in between)."""
    if k >= len(seg.toks):
        return False
    if not seg.brk[k]:
        return True
    return all(c in "،,\"'/:" for c in seg.gap[k])


#: Heads never followed by a person's name ("وفد امني", "المسوولين السعوديين").
_NO_NAME_HEADS = frozenset({"delegation", "officer", "leader"})


def _after_title(seg: Segment, tp: TitleParse, g: Gazetteer, found: Found) -> int:
    k = tp.j
    honorific = None
    if _name_start_ok(seg, k):
        end = _honorifics(seg, k)
        if end > k:
            hit = seg.hits[k]
            honorific = hit[2][0].key if hit else None
        k = end
    name: NameParse | None = None
    if _name_start_ok(seg, k) and k < len(seg.toks) and tp.head not in _NO_NAME_HEADS:
        if seg.word(k).isascii():
            name = parse_latin_name(seg, k)
        else:
            if not honorific and _title_adjective(seg, k, g):
                # "مستشار الامن القومي قاسم ...": an adjective the lists lack ends the title.
                k += 1
                tp.j = k
            name = parse_name(seg, k, g, anchored=True)
        foreign = tp.country is not None and tp.country not in ARAB_STATES
        if name is not None and not plausible_after_title(name, g, quoted=seg.quoted_before(k),
                                                          foreign=foreign):
            name = None
    role = _role_cand(seg, tp, g, found)
    if name is not None and not tp.plural:
        pc_end = _person(seg, name, g, found, rule="person.title", title=tp, role=role,
                         honorific=honorific)
        if not tp.qualified:
            # "الوزير عبد العزيز ...، رييس امن الدوله السعودي": the bare title gives way to the
            # full one in apposition.
            pc = found.persons[-1]
            pc_end = max(pc_end, _apposition(seg, name.j, g, found, pc))
        return pc_end
    found.roles.append(RoleCand(role, tp))
    return max(tp.j, k) if honorific else tp.j


def _title_adjective(seg: Segment, k: int, g: Gazetteer) -> bool:
    """Whether token ``k`` is an unknown definite nisba adjective with a given name after it."""
    w = seg.word(k)
    words = g.words
    if seg.hits[k] is not None or not w.startswith("ال") or not w.endswith(("ي", "يه")) or len(w) < 5:
        return False
    if w in words.given or w in g.kb_name_words or k + 1 >= len(seg.toks) or seg.brk[k + 1]:
        return False
    nxt = seg.word(k + 1)
    return nxt in words.given or nxt in g.kb_name_words or nxt in ("عبد", "ابو")


def _implied_country(tp: TitleParse) -> str | None:
    """The country a title's specific body fixes ("ومراقبه التراب الوطني" -> MA)."""
    for part in tp.orgs:
        org = _first(part.terms, "org") or _first(part.terms, "org_short")
        if org is not None and org.country:
            return org.country
    return None


def _role_cand(seg: Segment, tp: TitleParse, g: Gazetteer, found: Found) -> Cand:
    s, e = seg.span(tp.i, tp.j, _plen(seg, tp.i))
    implied = tp.country or _implied_country(tp)
    cand = Cand("ROLE", s, e, seg.text[s - seg.base:e - seg.base], "role.title", seg.index, tp.i,
                key=tp.head, country=implied)
    cand.attrs["head"] = tp.head
    if tp.plural:
        cand.attrs["plural"] = True
    if tp.relation:
        cand.attrs["relation"] = tp.relation
    if tp.former:
        cand.attrs["former"] = True
    if tp.region:
        cand.attrs["region"] = tp.region
    if tp.domains:
        cand.attrs["domains"] = list(tp.domains)
    for a, b, plen in tp.country_spans:
        hit = seg.hits[a]
        c = _first(hit[2], "country") if hit is not None else None
        if c is not None:
            cs, ce = seg.span(a, b, plen)
            found.places.append(Cand("COUNTRY", cs, ce, seg.text[cs - seg.base:ce - seg.base],
                                     "place.country_in_title", seg.index, a, key=c.country,
                                     country=c.country, attrs={"in_title": True}))
    for part in tp.orgs:
        org = _org_cand(seg, part, implied, rule="org.in_title")
        if org is not None:
            found.orgs.append(org)
            cand.attrs.setdefault("_orgs", []).append(org)
    return cand


def _plen(seg: Segment, i: int) -> int:
    hit = seg.hits[i]
    return 0 if hit is None else hit[1]


def _org_cand(seg: Segment, part: OrgPart, country: str | None, rule: str) -> Cand | None:
    org = _first(part.terms, "org") or _first(part.terms, "org_short")
    kind = _first(part.terms, "kind") or _first(part.terms, "kind_short")
    if org is None and kind is None:
        return None
    s, e = seg.span(part.i, part.j, part.plen)
    cand = Cand("ORG", s, e, seg.text[s - seg.base:e - seg.base], rule, seg.index, part.i,
                country=country)
    if org is not None:
        cand.org_id = org.key
        if org.info:
            cand.attrs["acronym"] = org.info
    if kind is not None:
        cand.org_kind = kind.key
        if kind.info and "acronym" not in cand.attrs:
            cand.attrs["acronym"] = kind.info
    cand.key = cand.org_id or cand.org_kind
    return cand


def _org(seg: Segment, i: int, g: Gazetteer, found: Found) -> int:
    """An organisation on its own, with the nationality that may follow it."""
    hit = seg.hits[i]
    assert hit is not None
    n, plen, terms = hit
    kinds = {t.kind for t in terms}
    strict_only = not (kinds & _ORG_KINDS)
    plen_ok = not (plen and seg.word(i)[0] not in "وفبل")
    j = i + n
    country = None
    end = j
    if j < len(seg.toks) and not seg.brk[j]:
        nxt = seg.hits[j]
        if nxt is not None and nxt[1] == 0:
            nat = _first(nxt[2], "nationality")
            if nat is not None:
                country = nat.country
                end = j + nxt[0]
    if strict_only and country is None:
        return i
    if not plen_ok:
        return i
    cand = _org_cand(seg, OrgPart(i, end, plen, terms), country, "org.lexicon")
    if cand is None:
        return i
    found.orgs.append(cand)
    return end


def _place(seg: Segment, i: int, g: Gazetteer, found: Found) -> int:
    hit = seg.hits[i]
    assert hit is not None
    n, plen, terms = hit
    s, e = seg.span(i, i + n, plen)
    text = seg.text[s - seg.base:e - seg.base]
    country = _first(terms, "country")
    city = _first(terms, "city")
    clitic = seg.word(i)[:plen]
    prev = seg.word(i - 1) if i > 0 and not seg.brk[i] else ""
    prev2 = seg.word(i - 2) if i > 1 and prev and not seg.brk[i - 1] else ""
    if country is not None and country.strict:
        # "مالي": a country after a preposition or "جمهوريه", or joined to another country.
        ok = prev in _PLACE_PREPS or clitic[-1:] in ("ب", "ل") or (
            clitic.startswith("و") and bool(found.places) and found.places[-1].type == "COUNTRY"
            and found.places[-1].end >= s - 3
        ) or (seg.brk[i] and not clitic)
        if not ok:
            return i + n
    if country is not None:
        cand = Cand("COUNTRY", s, e, text, "place.country", seg.index, i, key=country.country,
                    country=country.country)
        if city is not None:
            cand.options = tuple(city.key.split("|"))
        cand.attrs.update(_prev=prev, _prev2=prev2, _clitic=clitic)
        cand.attrs["_next"] = seg.word(i + n) if i + n < len(seg.toks) and not seg.brk[i + n] else ""
        found.places.append(cand)
        return i + n
    if city is not None:
        keys = tuple(city.key.split("|"))
        cand = Cand("CITY", s, e, text, "place.city", seg.index, i, key=keys[0],
                    country=city.country, options=keys)
        cand.attrs.update(_prev=prev, _prev2=prev2, _clitic=clitic)
        cand.attrs["_next"] = seg.word(i + n) if i + n < len(seg.toks) and not seg.brk[i + n] else ""
        found.places.append(cand)
        return i + n
    return i + n


def _occasion(seg: Segment, op: Any, found: Found) -> None:
    s, e = seg.span(op.i, op.j, _plen(seg, op.i))
    ns, ne = seg.span(op.name_i, op.name_j, 0)
    name_hit = seg.hits[op.name_i]
    if name_hit is not None and name_hit[1] and op.name_i > op.i:
        ns, ne = seg.span(op.name_i, op.name_j, name_hit[1])
    cand = Cand("OCCASION", s, e, seg.text[s - seg.base:e - seg.base], op.rule, seg.index, op.i,
                key=op.key)
    cand.attrs["name"] = seg.text[ns - seg.base:ne - seg.base]
    if op.edition is not None:
        cand.attrs["edition"] = op.edition
    if op.year is not None:
        cand.attrs["year"] = op.year
    if op.country:
        cand.attrs["country"] = op.country
    if op.org is not None:
        cand.attrs["_org"] = op.org.key
    if op.countries:
        cand.attrs["countries"] = list(dict.fromkeys(op.countries))
    if op.latin_name:
        cand.attrs["name_latin"] = op.latin_name
    cand.attrs["_seg_end_tok"] = op.j
    found.occasions.append(cand)


def _person(
    seg: Segment,
    name: NameParse,
    g: Gazetteer,
    found: Found,
    *,
    rule: str,
    title: TitleParse | None = None,
    role: Cand | None = None,
    honorific: str | None = None,
    plen: int = 0,
) -> int:
    hit = seg.hits[name.i]
    alias = next((t for t in hit[2] if t.kind == "kb_person"), None) if hit else None
    if alias is not None and hit is not None and name.j > name.i + hit[0]:
        nxt = seg.word(name.i + hit[0])
        if nxt not in g.words.particles:
            # "عبدالعزيز بن سعود اهميه": the KB name ends where the text's name should.
            cut = hit[0]
            name = NameParse(name.i, name.i + cut, name.words[:cut], name.units, name.latin)
    s, e = seg.span(name.i, name.j, plen)
    cand = Cand("PERSON", s, e, seg.text[s - seg.base:e - seg.base], rule, seg.index, name.i)
    words = list(name.words)
    if plen and words:
        words[0] = g.matcher.stem_for(seg.word(name.i), plen)
    pc = PersonCand(cand, words, title=title, role=role, honorific=honorific,
                    anchored=title is not None or honorific is not None or rule == "person.kb",
                    latin=name.latin)
    found.persons.append(pc)
    end = name.j
    if title is None:
        end = _apposition(seg, end, g, found, pc)
    return end


def _apposition(seg: Segment, k: int, g: Gazetteer, found: Found, pc: PersonCand) -> int:
    """A title right after a name describes it unless a name of its own follows.

    A person introduced by a title already ("الملك سلمان") takes a second one only after a
    comma: "استقبل الملك سلمان وزير الداخليه البحريني" names the king's guest.
    """
    if k >= len(seg.toks):
        return k
    if seg.brk[k] and not seg.comma_only(k):
        return k
    if pc.title is not None and not seg.brk[k]:
        return k
    hit = seg.hits[k]
    if hit is None or (hit[1] and seg.word(k)[0] in "وف"):
        return k
    kinds = {t.kind for t in hit[2]}
    if not kinds & {"head", "quantifier"}:
        return k
    tp = parse_title(seg, k, g)
    if tp is None or tp.plural or (not tp.qualified and tp.head not in ("minister",)):
        return k
    after = tp.j
    if after < len(seg.toks) and not seg.brk[after]:
        nh = seg.hits[after]
        if nh is not None and not nh[1] and any(t.kind == "honorific" for t in nh[2]):
            return k  # "X، وزير الداخليه اللواء Y": the title is Y's
        nxt = parse_name(seg, after, g, anchored=True)
        if nxt is not None:
            return k
    pc.title = tp
    pc.apposition = True
    pc.role = _role_cand(seg, tp, g, found)
    return tp.j


def _latin_person(seg: Segment, i: int, g: Gazetteer, found: Found, *, anchored: bool) -> int:
    first = seg.word(i)
    hit = seg.hits[i]
    known = hit is not None and any(t.kind in ("kb_person", "kb_short") for t in hit[2])
    if not (anchored or known or first in g.words.latin_given):
        return i + 1  # checked first: most ASCII tokens (numbers, words) start no name
    name = parse_latin_name(seg, i)
    if name is None:
        return i + 1
    return _person(seg, name, g, found, rule="person.latin")


#: Lower-case words a Latin title runs over before its name ("Minister of the Interior").
_LATIN_LINKS = frozenset({"of", "the", "for", "and", "de", "du", "des", "la", "le", "l", "d", "et",
                          "in", "charge", "en", "a", "s", "al", "el"})
_APOSTROPHES = ("'", "\u2019")


def _latin_country_before(seg: Segment, i: int) -> tuple[str | None, int]:
    """A nationality or a country's possessive right before a Latin title ("Turkish Interior
    Minister", "Egypt's Minister"), and the token where the title then starts."""
    b = i - 1
    while b >= 0 and i - b <= 4:
        h = seg.hits[b]
        w = seg.word(b)
        if h is not None:
            t = next((t for t in h[2] if t.kind in ("nationality", "country")), None)
            if t is None or (t.kind == "country" and seg.word(b + 1) != "s"):
                return None, i
            return t.country, (b + 2 if t.kind == "country" else b)
        if w == "s" and b > 0 and seg.gap[b] in _APOSTROPHES:
            b -= 1
            continue
        if seg.brk[b + 1] or w not in LATIN_OFFICE_WORDS:
            return None, i
        b -= 1
    return None, i


def _latin_after_title(seg: Segment, i: int, g: Gazetteer, found: Found) -> int:
    """"le ministre de l'Intérieur, M. Abdelouafi Laftit", "son homologue français Gérald D.".

    The name is looked for past the title's own words: lower-case links ("of the"), words of
    offices and bodies ("Interior", "Security", "Lekhwiya Force"), nationalities, countries,
    further titles and forms of address ("HE Sheikh"). Any other lower-case word ends the
    search ("Sheikh Fahad was received at Cairo International Airport": the name is "Fahad").
    The heads read and the nationality the title states make the person's title.
    """
    n = len(seg.toks)
    hit = seg.hits[i]
    k = i + (hit[0] if hit is not None else 1)
    limit = min(n, i + 16)
    address = False
    heads: list[str] = []
    relation = ""
    title_end = i
    country, title_start = _latin_country_before(seg, i)
    if hit is not None:
        for t in hit[2]:
            if t.kind == "latin_honorific":
                address = True
            elif t.kind == "latin_head":
                heads.append(t.key)
                relation = relation or t.info
                title_end = k
    while k < limit:
        if seg.brk[k] and not seg.comma_only(k) and seg.gap[k] not in _APOSTROPHES:
            break  # "l'Interieur" goes on; "(PSD)" or a full stop ends the title
        h = seg.hits[k]
        if h is not None and not any(t.kind in ("kb_person", "kb_short") for t in h[2]):
            for t in h[2]:
                if t.kind == "latin_honorific":
                    address = True
                elif t.kind == "latin_head" and t.key not in heads:
                    if not heads:
                        title_start = k  # "Son Excellence, le President ...": the office
                    heads.append(t.key)
                    relation = relation or t.info
                    title_end = k + h[0]
                elif t.kind in ("nationality", "country") and country is None and heads:
                    country = t.country
                    title_end = k + h[0]
            k += h[0]  # a title, a form of address, a nationality, a body: still the title
            continue
        name = parse_latin_name(seg, k)
        if name is not None:
            if not heads:
                return _person(seg, name, g, found, rule="person.latin_title", honorific="latin")
            tp = TitleParse(i=title_start, j=max(title_end, i + 1), heads=heads,
                            relation=relation, country=country, head_i=i)
            role = _role_cand(seg, tp, g, found)
            return _person(seg, name, g, found, rule="person.latin_title", title=tp, role=role,
                           honorific="latin")
        if address and latin_word_ok(seg, k):
            # "Sheikh Fahad was received at Cairo International Airport": a one-word reference
            # after a form of address ends the search (the full name is read where it stands).
            break
        w = seg.word(k)
        if not w.isascii() or not (
            w in _LATIN_LINKS or w in LATIN_OFFICE_WORDS or is_latin_capital(seg, k)
        ):
            break  # "was", "a recu": the clause goes on, no name comes
        if heads and (w in LATIN_OFFICE_WORDS or is_latin_capital(seg, k)):
            title_end = k + 1
        k += 1
    return i + 1
