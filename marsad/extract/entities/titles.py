"""Titles: an office noun and what continues it, read off the tokens.

A title is a head ("وزير", "المدير العام", "نظيره", "كبار المسؤولين") followed by any run of
words that continue it: organisations ("للامن الوطني", "جهاز امن الدوله"), domain words
("الداخليه", "الامنيين"), fillers ("العام", "والجماعات المحليه"), a nationality
("الايطالي") or a country after ب or in construct ("بالجمهوريه الفرنسيه", "داخليه المغرب"),
another head ("مساعد وزير", "ووزير الدفاع"). It ends at punctuation or at the first word
that does none of this, which is where a name starts ("وزير الداخليه الايطالي ماتيو ...").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from marsad.extract.entities.segments import Segment
from marsad.lexicon.gazetteer import Gazetteer, Term

_ORG_KINDS = frozenset({"org", "org_short", "kind", "kind_short"})
#: Heads that begin a new title rather than continue one when joined by "و".
_NO_CONJOIN = frozenset({"counterpart", "delegation", "official", "officer", "leader"})
#: Offices held in a city abroad ("السفير المصري في الرباط").
_POSTED = frozenset({"ambassador", "attache"})


@dataclass(slots=True)
class OrgPart:
    """An organisation named inside a title or on its own."""

    i: int
    j: int
    plen: int
    terms: Sequence[Term]


@dataclass(slots=True)
class TitleParse:
    """A title read from tokens ``[i, j)`` of a segment."""

    i: int
    j: int
    heads: list[str] = field(default_factory=list)
    plural: bool = False
    relation: str = ""
    orgs: list[OrgPart] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    country: str | None = None
    region: str | None = None
    city: str | None = None
    former: bool = False
    #: Token ranges of country names inside the title (they are mentions too).
    country_spans: list[tuple[int, int, int]] = field(default_factory=list)
    #: The head's own first token (after a quantifier).
    head_i: int = 0
    #: What the last word read was (``head``, ``org``, ``domain``, ``filler``...).
    last: str = "head"
    last_next: str = "head"
    #: The last word read is a noun in construct ("مدير", "معهد", "جهه"): its complement follows.
    open: bool = False

    @property
    def head(self) -> str:
        """The first head (the office that gives the role its name)."""
        return self.heads[0] if self.heads else ""

    @property
    def qualified(self) -> bool:
        """Whether the title says more than a bare office noun ("الوزير")."""
        return bool(self.orgs or self.domains or self.country or self.region or len(self.heads) > 1)


def _first_kind(terms: Sequence[Term], kinds: frozenset[str] | set[str]) -> Term | None:
    for t in terms:
        if t.kind in kinds:
            return t
    return None


def _indefinite(word: str, plen: int) -> bool:
    """Whether ``word`` (``plen`` proclitic letters) is written without the article."""
    return not (word[plen:].startswith("ال") or (plen and word[plen - 1 : plen + 1] == "لل"))


#: At most this many unknown words complete a noun in construct ("جهه" + "درعه تافيلالت").
_MAX_COMPLEMENT = 3


def _complement(seg: Segment, j: int, g: Gazetteer) -> bool:
    """Whether token ``j`` can complete an open construct: an unknown word that is no name."""
    if seg.hits[j] is not None:
        return False
    w = seg.word(j)
    words = g.words
    if len(w) < 2 or not ("\u0621" <= w[0] <= "\u064a") or w in words.stops:
        return False
    if w in words.given or w in g.kb_name_words or w in ("عبد", "ابو"):
        return False
    return not (len(w) > 3 and w[0] in "وف")  # "وعامل": a new conjunct, not a complement


def _opens(seg: Segment, j: int, tp: TitleParse, g: Gazetteer) -> bool:
    """Whether the one word just read at ``j`` is a noun in construct ("مساعد وزير", "معهد")."""
    hit = seg.hits[j]
    if hit is None:
        return False
    word, plen = seg.word(j), hit[1]
    if not _indefinite(word, plen):
        return False
    return tp.last == "head" or word[plen:] in g.words.construct


def parse_title(seg: Segment, i: int, g: Gazetteer | None = None) -> TitleParse | None:
    """The title starting at token ``i`` (a head, or a quantifier then a head), or None.

    With a gazetteer, a noun in construct at the end ("مدير معهد", "والي جهه") takes the
    unknown words after it as its complement ("تدريب الشرطه", "درعه تافيلالت"): a noun written
    without the article is always followed by its complement, never by a name.
    """
    n_toks = len(seg.toks)
    j = i
    plural = False
    hit = seg.hits[j]
    if hit is None:
        return None
    q = _first_kind(hit[2], {"quantifier"})
    if q is not None:
        if hit[1] != 0:
            return None
        j += hit[0]
        plural = True
        if j >= n_toks or seg.brk[j]:
            return None
        hit = seg.hits[j]
        if hit is None:
            return None
    head = _first_kind(hit[2], {"head"})
    if head is None:
        return None
    # "ووزير", "بوزير", "لنظيره": a title after a conjunction or a preposition is still the
    # title of a person ("التقى بنظيره الاردني"); "كوزير" (as a minister) is not.
    if hit[1] and seg.word(j)[hit[1] - 1] not in "وفبل":
        return None
    tp = TitleParse(i=i, j=j + hit[0], heads=[head.key], plural=plural or head.plural,
                    relation=head.info, head_i=j)
    tp.open = (
        hit[0] == 1 and head.info != "counterpart" and _indefinite(seg.word(j), hit[1])
        and (g is None or seg.word(j)[hit[1]:] not in g.words.given)  # "امير اوحنا": a name
    )
    j += hit[0]
    absorbed = 0
    while j < n_toks and not seg.brk[j]:
        step = _continue(seg, j, tp)
        tp.last = tp.last_next
        if step == 0:
            if not (g is not None and tp.open and absorbed < _MAX_COMPLEMENT and _complement(seg, j, g)):
                break
            absorbed += 1
            tp.open = _indefinite(seg.word(j), 0)
            tp.last = tp.last_next = "filler"
            step = 1
        elif g is not None:
            tp.open = step == 1 and _opens(seg, j, tp, g)
        j += step
        tp.j = j
    return tp


def _domain_or_filler(tp: TitleParse, terms: Sequence[Term], n: int) -> int:
    d = _first_kind(terms, {"domain"})
    if d is not None:
        if d.key not in tp.domains:
            tp.domains.append(d.key)
        tp.last_next = "domain"
        return n
    tp.last_next = "filler"
    return n


def _conjoined_field(seg: Segment, j: int) -> bool:
    """Whether the unknown word at ``j`` is one more field of a ministry ("والتوظيف"): و + the
    article, and a nationality or a known field follows within two words."""
    word = seg.word(j)
    if not (word.startswith("وال") and len(word) > 5):
        return False
    for k in (j + 1, j + 2):
        if k >= len(seg.toks) or seg.brk[k]:
            return False
        hit = seg.hits[k]
        if hit is not None:
            return bool({t.kind for t in hit[2]} & {"nationality", "domain"}) and hit[1] in (0, 1)
        if not seg.word(k).startswith("وال"):
            return False
    return False


#: Words that introduce who heads a delegation: "وفد … برئاسة X" (the events stage reads the
#: head after them too).
HEADED_BY = frozenset({"برياسه", "يتراسه", "يراسه", "براسه", "يقوده", "بقياده", "conduite",
                       "conduit", "led", "headed"})
_TITLE_ENDS = HEADED_BY | {"تحت"}


def _continue(seg: Segment, j: int, tp: TitleParse) -> int:
    """How many tokens from ``j`` continue the title (0: it ends before ``j``)."""
    tp.last_next = "other"
    word = seg.word(j)
    if word in _TITLE_ENDS:
        return 0
    hit = seg.hits[j]
    if hit is None:
        if word == "من" and tp.head == "delegation" and not tp.plural \
                and tp.last in ("head", "domain", "filler") \
                and j + 1 < len(seg.toks) and not seg.brk[j + 1]:
            nxt = seg.hits[j + 1]
            if nxt is not None and nxt[1] == 0:
                kinds = {t.kind for t in nxt[2]}
                if kinds & (_ORG_KINDS | {"country", "org_short"}):
                    # "وفد من الشرطة الماليزية", "وفدا من جمهورية جزر القمر": whose delegation
                    tp.last_next = "filler"
                    return 1
        if word == "في" and j + 1 < len(seg.toks) and not seg.brk[j + 1]:
            nxt = seg.hits[j + 1]
            if nxt is not None and nxt[1] == 0:
                kinds = {t.kind for t in nxt[2]}
                if kinds & _ORG_KINDS:
                    tp.orgs.append(OrgPart(j + 1, j + 1 + nxt[0], 0, nxt[2]))  # "نظرايه في الاجهزه"
                    return 1 + nxt[0]
                if "city" in kinds and "country" not in kinds and tp.head in _POSTED:
                    tp.city = _first_kind(nxt[2], {"city"}).key  # type: ignore[union-attr]
                    return 1 + nxt[0]  # "السفير المصري في الرباط"
        if tp.last in ("domain", "filler") and _conjoined_field(seg, j):
            tp.last_next = "filler"
            return 1  # "وزير الشؤون الداخلية والأمن والتوظيف المالطي": one ministry's fields
        return 0
    n, plen, terms = hit
    kinds = {t.kind for t in terms}
    clitic = seg.word(j)[:plen] if plen else ""
    if "head" in kinds and not (kinds & _ORG_KINDS):
        head = _first_kind(terms, {"head"})
        assert head is not None
        prev = seg.word(j - 1)
        if plen == 0 and not (kinds & {"domain", "filler"}) and tp.last == "head" and not (
            prev.startswith("ال") or head.info == "counterpart"
        ):
            tp.heads.append(head.key)  # "مساعد وزير", "نائب رييس"
            tp.last_next = "head"
            return n
        if clitic.startswith("و") and head.key not in _NO_CONJOIN and not tp.plural:
            tp.heads.append(head.key)  # "... ووزير الدفاع"
            tp.last_next = "head"
            return n
        if kinds & {"domain", "filler"}:
            pass
        else:
            return 0
    if kinds & _ORG_KINDS:
        tp.orgs.append(OrgPart(j, j + n, plen, terms))
        dom = _first_kind(terms, {"domain"})
        if dom is not None and dom.key not in tp.domains:
            tp.domains.append(dom.key)  # "الداخليه": the ministry and the domain
        nat = _first_kind(terms, {"nationality"})
        if nat is not None and tp.country is None:
            tp.country = nat.country
        return n
    if "nationality" in kinds and plen == 0:
        nat = _first_kind(terms, {"nationality"})
        assert nat is not None
        if nat.strict and ("domain" in kinds or tp.last == "filler"):
            # "وزير الماليه" (finance), "رييس الاداره الماليه": not Malian.
            return _domain_or_filler(tp, terms, n)
        if tp.country is not None and nat.country != tp.country:
            return 0
        tp.country = nat.country
        return n
    if "region_adj" in kinds and plen == 0:
        tp.region = _first_kind(terms, {"region_adj"}).key  # type: ignore[union-attr]
        return n
    if "country" in kinds and (
        (plen == 0 and not seg.word(j - 1).startswith("ال")) or clitic.endswith("ب")
    ):
        # "وزير داخليه المغرب" (construct), "وزير الداخليه بالجمهوريه الفرنسيه"; not
        # "زار الوفد بريطانيا", where the country is the object.
        c = _first_kind(terms, {"country"})
        assert c is not None
        if tp.country is not None and c.country != tp.country:
            return 0
        tp.country = c.country
        tp.country_spans.append((j, j + n, plen))
        return n
    if "domain" in kinds or "filler" in kinds:
        return _domain_or_filler(tp, terms, n)
    if "former" in kinds and plen == 0:
        tp.former = True
        return n
    return 0
