"""Every entity lexicon in one phrase index, built once per knowledge base.

The entity stage looks each token up once: :class:`FastMatcher` precomputes the clitic forms of
every phrase's first word ("بالرياض", "للسعوديه", "ووزير"), so a token that starts no phrase
costs one dict lookup, and a hit gives every phrase starting there with its payloads
(:class:`Term`). Word lists used token by token (stops, given names, particles, ordinals) are
plain sets here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Generic, Literal, TypeVar

from marsad.arabic import Token
from marsad.lexicon.calendar import gregorian_months, hijri_months, weekdays
from marsad.lexicon.countries import country_forms, nationality_forms, phrase_key
from marsad.lexicon.load import load_lines, load_yaml
from marsad.lexicon.places import cities, city_candidates, region_adjectives, regions
from marsad.link.kb import KnowledgeBase

T = TypeVar("T")

TermKind = Literal[
    "country", "nationality", "city", "region", "region_adj", "org", "org_short", "kind",
    "kind_short", "head", "honorific", "domain", "filler", "former", "quantifier", "occasion",
    "occ_strong", "occ_weak", "edition", "kb_person", "kb_short", "latin_head",
    "latin_honorific",
]
Case = Literal["any", "title", "upper"]

_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")


@dataclass(frozen=True, slots=True)
class Term:
    """What a phrase of a lexicon is."""

    kind: TermKind
    key: str
    country: str | None = None
    case: Case = "any"
    #: Qualifies titles and bodies only; never a mention on its own.
    strict: bool = False
    plural: bool = False
    #: Kind-specific detail: nationality gender/number, head relation, org acronym...
    info: str = ""


def surfaces(stem: str) -> list[tuple[str, int]]:
    """Every written form of ``stem`` with proclitics, and the proclitics' length.

    The inverse of :func:`marsad.arabic.stems`: the same length conditions, so a token matches
    a phrase here exactly when ``stems`` would have found it.
    """
    out = [(stem, 0)]
    if len(stem) >= 3:
        for c in _CONJ:
            out.append((c + stem, 1))
        for p in _PREP:
            out.append((p + stem, 1))
            for c in _CONJ:
                out.append((c + p + stem, 2))
    if stem.startswith("ال") and len(stem) >= 4:
        # ل + الشرطه -> للشرطه; ل + اللجنه -> للجنه (the article's lam merges with the noun's).
        contracted = stem[1:] if stem.startswith("الل") else "لل" + stem[2:]
        out.append((contracted, 1))
        for c in _CONJ:
            out.append((c + contracted, 2))
    return out


class FastMatcher(Generic[T]):
    """Longest-match phrase lookup over tokens, proclitic-aware on the first word.

    The tables hold tuples, not lists: tuples of strings and numbers are left alone by the
    garbage collector, which otherwise walks the ~100,000 containers of the lexicons at every
    full collection (a quarter of the stage's time on long articles).
    """

    def __init__(self) -> None:
        self._table: dict[tuple[str, ...], tuple[T, ...]] = {}
        self._first: dict[str, tuple[tuple[int, str], ...]] = {}
        #: First word -> the lengths of the phrases it starts, longest first.
        self._lens: dict[str, tuple[int, ...]] = {}
        #: Words whose hit depends on nothing but the word (every phrase they start is one word).
        self._single: dict[str, tuple[int, int, tuple[T, ...]]] = {}
        self.max_len = 0

    def add(self, key: str, payload: T) -> None:
        """Add a phrase given as a phrase key (normalised tokens joined by spaces)."""
        words = tuple(key.split())
        if not words:
            return
        self._single.clear()
        bucket = self._table.get(words, ())
        if payload not in bucket:
            self._table[words] = (*bucket, payload)
        if len(words) > self.max_len:
            self.max_len = len(words)
        lens = self._lens.get(words[0], ())
        if len(words) not in lens:
            self._lens[words[0]] = tuple(sorted((*lens, len(words)), reverse=True))
        for surface, plen in surfaces(words[0]):
            readings = self._first.get(surface, ())
            if (plen, words[0]) not in readings:
                self._first[surface] = (*readings, (plen, words[0]))

    def __len__(self) -> int:
        return len(self._table)

    def starts(self, word: str) -> bool:
        """Whether some phrase can start at a token written ``word``."""
        return word in self._first

    @property
    def first_words(self) -> dict[str, tuple[tuple[int, str], ...]]:
        """Every written form of a phrase's first word (for fast membership tests)."""
        return self._first

    def lookup(self, key: str) -> list[T]:
        """Payloads of an exact phrase key."""
        return list(self._table.get(tuple(key.split()), []))

    def match_at(self, tokens: Sequence[Token], i: int) -> tuple[int, int, tuple[T, ...]] | None:
        """Longest phrase starting at token ``i``: ``(n_tokens, prefix_length, payloads)``."""
        return self.match_words([t.text for t in tokens], i)

    def match_words(self, words: Sequence[str], i: int) -> tuple[int, int, tuple[T, ...]] | None:
        """:meth:`match_at` over a list of normalised words."""
        word = words[i]
        single = self._single.get(word)
        if single is not None:
            return single
        readings = self._first.get(word)
        if readings is None:
            return None
        best: tuple[int, int, tuple[T, ...]] | None = None
        left = len(words) - i
        table = self._table
        for plen, stem in readings:
            for n in self._lens[stem]:
                if n > left:
                    continue
                if best is not None and n <= best[0]:
                    break
                hit = table.get((stem,)) if n == 1 else table.get((stem, *words[i + 1:i + n]))
                if hit is not None:
                    best = (n, plen, hit)
                    break
        if best is not None and all(self._lens[stem] == (1,) for _, stem in readings):
            self._single[word] = best  # only one-word phrases start here: the word decides
        return best

    def match_all(self, words: Sequence[str]) -> list[tuple[int, int, tuple[T, ...]] | None]:
        """:meth:`match_words` at every position (``None`` where no phrase starts)."""
        single = self._single
        first = self._first
        match = self.match_words
        out: list[tuple[int, int, tuple[T, ...]] | None] = []
        append = out.append
        for i, w in enumerate(words):
            hit = single.get(w)
            if hit is not None:
                append(hit)
            elif w in first:
                append(match(words, i))
            else:
                append(None)
        return out

    def stem_for(self, token: str, plen: int) -> str:
        """The first word a phrase starts with, read off ``token`` without ``plen`` proclitics."""
        for p, stem in self._first.get(token, []):
            if p == plen:
                return stem
        return token[plen:]

    def all_at(self, words: Sequence[str], i: int) -> list[tuple[int, int, tuple[T, ...]]]:
        """Every phrase starting at word ``i``, longest first."""
        readings = self._first.get(words[i])
        if readings is None:
            return []
        out: list[tuple[int, int, tuple[T, ...]]] = []
        limit = len(words) - i
        for plen, stem in readings:
            for n in self._lens[stem]:
                if n > limit:
                    continue
                key = (stem, *words[i + 1 : i + n])
                hit = self._table.get(key)
                if hit is not None:
                    out.append((n, plen, hit))
        out.sort(key=lambda h: -h[0])
        return out


def _add_all(m: FastMatcher[Term], names: Iterable[str], term: Term) -> None:
    for name in names:
        key = phrase_key(name)
        if key:
            m.add(key, term)


def _latin_case(name: str) -> Case:
    return "upper" if name.isupper() and len(name) <= 8 else "title"


@dataclass(frozen=True, slots=True)
class Words:
    """Token-level word lists (all normalised)."""

    stops: frozenset[str]
    particles: frozenset[str]
    compound_heads: frozenset[str]
    compound_tails: frozenset[str]
    given: frozenset[str]
    ambiguous_given: frozenset[str]
    latin_given: frozenset[str]
    ordinals: dict[str, int]
    teens: frozenset[str]
    occ_stops: frozenset[str]
    calendar: frozenset[str]
    #: Frequent words that are never part of a personal name (common_words.txt).
    common: frozenset[str]
    #: Nouns after which a name is the name of a place ("مطار", "جسر", "ضريح").
    facilities: frozenset[str]
    #: Ordinals that end a ruler's name ("الثاني", "السادس").
    regnal: frozenset[str]
    #: Title nouns that take the next word as their complement ("معهد", "جهه").
    construct: frozenset[str]
    #: Given names that also read as a preposition + word ("لحسن" = ل + حسن).
    clitic_given: frozenset[str]
    #: Words that are never a family name referred to on its own (given names, stops, ordinals).
    name_stops: frozenset[str]
    #: Words that begin something with no lexicon hit: a name no title introduces (given
    #: names, "عبد", "ابو") or "العاصمه" with its proclitics ("بالعاصمه الاردنيه عمان").
    starters: frozenset[str]


@cache
def words() -> Words:
    """The token-level word lists."""
    names = load_yaml("names.yaml")
    occ = load_yaml("occasions.yaml")
    ordinals: dict[str, int] = {}
    for value, forms in occ["ordinals"].items():
        for form in forms:
            ordinals[phrase_key(str(form))] = int(value)
    calendar = set(gregorian_months()) | set(hijri_months()) | set(weekdays())
    cal_words = {w for name in calendar for w in name.split() if len(w) > 2}
    latin_given = {phrase_key(str(v)).split(" ")[0] for v in (names.get("latin") or {}).values()}
    latin_given |= {phrase_key(str(v)) for v in names.get("latin_given") or []}
    given = set(load_lines("given_names.txt"))
    stops = frozenset(phrase_key(str(w)) for w in names["stops"]) | frozenset(cal_words)
    regnal = frozenset(phrase_key(str(w)) for w in names["regnal"])
    common = frozenset(load_lines("common_words.txt")) - given
    titles = load_yaml("titles.yaml")
    # "لحسن" (Lahcen) is also "ل" + "حسن" ("شكره لحسن الاستقبال").
    clitic_given = frozenset(
        w for w in given
        if len(w) > 3 and ((w[0] == "ل" and w[1:] in given) or (w[0] in "بلك" and w[1:] in common))
    )
    return Words(
        stops=stops,
        particles=frozenset(phrase_key(str(w)) for w in names["particles"]),
        compound_heads=frozenset(phrase_key(str(w)) for w in names["compound_heads"]),
        compound_tails=frozenset(phrase_key(str(w)) for w in names["compound_tails"]),
        given=frozenset(given),
        ambiguous_given=frozenset(phrase_key(str(w)) for w in names["ambiguous_given"]),
        latin_given=frozenset(w for w in latin_given if len(w) > 2),
        ordinals=ordinals,
        teens=frozenset(phrase_key(str(w)) for w in occ["teen_words"]),
        occ_stops=frozenset(phrase_key(str(w)) for w in occ["name_stops"]),
        calendar=frozenset(cal_words),
        common=common,
        facilities=frozenset(phrase_key(str(w)) for w in names["facilities"]),
        regnal=regnal,
        construct=frozenset(phrase_key(str(w)) for w in titles["construct"]),
        clitic_given=clitic_given,
        name_stops=frozenset(given) | stops | regnal,
        starters=frozenset(given) | {"عبد", "ابو"} | {form for form, _ in surfaces("العاصمه")},
    )


@dataclass(frozen=True, slots=True)
class OrgKind:
    """A kind of body from organisations.yaml."""

    key: str
    name: str


@dataclass(slots=True)
class Gazetteer:
    """The phrase index and the word lists, for one knowledge base."""

    matcher: FastMatcher[Term]
    words: Words
    kinds: dict[str, OrgKind]
    #: Every token of every KB person name (a name word even where no list has it).
    kb_name_words: frozenset[str]


_CACHE: dict[int, Gazetteer] = {}


def gazetteer(kb: KnowledgeBase) -> Gazetteer:
    """The gazetteer for ``kb`` (built once per KB object)."""
    g = _CACHE.get(id(kb))
    if g is None:
        g = _CACHE[id(kb)] = _build(kb)
    return g


def _build(kb: KnowledgeBase) -> Gazetteer:
    m: FastMatcher[Term] = FastMatcher()
    for key, form in country_forms().items():
        m.add(key, Term("country", form.iso2, form.iso2, form.case, strict=form.context))
    for key, nat in nationality_forms().items():
        m.add(key, Term("nationality", nat.iso2, nat.iso2, nat.case, nat.strict,
                        nat.number == "pl", f"{nat.gender}{nat.number}"))
    all_cities = cities()
    for key, city_keys in city_candidates().items():
        first = all_cities[city_keys[0]]
        latin = any("a" <= c <= "z" for c in key)
        m.add(key, Term("city", "|".join(city_keys), first.country, "title" if latin else "any"))
    for region in regions().values():
        _add_all(m, region.arabic, Term("region", region.key))
        for name in region.latin:
            m.add(phrase_key(name), Term("region", region.key, case=_latin_case(name)))
    for key, region_key in region_adjectives().items():
        m.add(key, Term("region_adj", region_key, strict=True))

    orgs = load_yaml("organisations.yaml")["kinds"]
    kinds: dict[str, OrgKind] = {}
    for kind, entry in orgs.items():
        kinds[str(kind)] = OrgKind(str(kind), str(entry.get("name", kind)))
        _add_all(m, entry.get("arabic") or [], Term("kind", str(kind)))
        _add_all(m, entry.get("short") or [], Term("kind_short", str(kind), strict=True))
        for name in entry.get("latin") or []:
            m.add(phrase_key(name), Term("kind", str(kind), case="title"))
        for name in entry.get("acronyms") or []:
            m.add(phrase_key(name), Term("kind", str(kind), case="upper", info=str(name)))
    for org in kb.orgs.values():
        acronym = org.acronyms[0] if org.acronyms else ""
        _add_all(m, org.arabic, Term("org", org.id, org.country, info=acronym))
        _add_all(m, org.short, Term("org_short", org.id, org.country, strict=True, info=acronym))
        for name in org.latin:
            m.add(phrase_key(name), Term("org", org.id, org.country, "title", info=acronym))
        if not org.kind:
            for name in org.acronyms:
                m.add(phrase_key(name), Term("org", org.id, org.country, "upper", info=name))

    titles = load_yaml("titles.yaml")
    plural = {phrase_key(str(w)) for w in titles.get("plural", [])}
    for head, forms in titles["heads"].items():
        relation = "counterpart" if head == "counterpart" else ""
        for form in forms:
            key = phrase_key(str(form))
            m.add(key, Term("head", str(head), plural=key in plural, info=relation))
    for rank, forms in titles["honorifics"].items():
        _add_all(m, forms, Term("honorific", str(rank)))
    for domain, forms in titles["domains"].items():
        _add_all(m, forms, Term("domain", str(domain)))
    _add_all(m, titles["fillers"], Term("filler", "filler"))
    _add_all(m, titles["former"], Term("former", "former"))
    _add_all(m, titles["quantifiers"], Term("quantifier", "quantifier", plural=True))
    latin_titles = titles.get("latin") or {}
    for head, forms in (latin_titles.get("heads") or {}).items():
        relation = "counterpart" if head == "counterpart" else ""
        _add_all(m, forms, Term("latin_head", str(head), info=relation))
    for form in latin_titles.get("honorifics") or []:
        # "HE", "HRH" in capitals only: "He said" is no honorific.
        m.add(phrase_key(str(form)), Term("latin_honorific", "honorific", case=_latin_case(str(form))))

    occ = load_yaml("occasions.yaml")
    for key, entry in occ["occasions"].items():
        term = Term("occasion", str(key), _opt(entry.get("country")))
        _add_all(m, entry.get("arabic") or [], term)
        for name in entry.get("latin") or []:
            # A name written in lower case in the list ("session du Conseil …") is matched in
            # any case: it is a description, not a proper name.
            case: Case = "any" if name[:1].islower() else _latin_case(name)
            m.add(phrase_key(name), Term("occasion", str(key), _opt(entry.get("country")), case))
    _add_all(m, occ["triggers"]["strong"], Term("occ_strong", "trigger"))
    _add_all(m, occ["triggers"]["weak"], Term("occ_weak", "trigger"))
    _add_all(m, occ["edition_words"], Term("edition", "edition"))

    name_words: set[str] = set()
    for person in kb.persons.values():
        for name in (person.name, *person.aliases):
            key = phrase_key(name)
            m.add(key, Term("kb_person", person.id, person.country))
            name_words.update(key.split())
        for name in (person.name_latin, *person.latin_aliases):
            key = phrase_key(name)
            if " " in key:
                m.add(key, Term("kb_person", person.id, person.country, "title"))
        for name in person.short:
            m.add(phrase_key(name), Term("kb_short", person.id, person.country))
        for name in person.latin_aliases:
            key = phrase_key(name)
            if " " not in key:
                m.add(key, Term("kb_short", person.id, person.country, "title"))
    return Gazetteer(m, words(), kinds, frozenset(name_words))


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
