"""Document-level decisions: places by context, countries of bodies, one entity per person.

- Places: a name that is a city and a country ("الجزاير", "تونس", "الكويت") is the country
  unless "العاصمه" or "مدينه" stands next to it; "عمان" is Amman or Oman by its spelling
  ("عُمان", "عمّان") and else by which of Jordan and Oman the article talks about; a name
  several cities share ("طرابلس") is the one whose country the article names most.
- The article's dominant country is the one its places, nationalities and titles name most;
  it resolves the country of an unqualified "وزاره الداخليه" (marked ``country_source:
  context``), never a person's.
- People: KB names first; then names of two parts or more, merged when one's parts begin the
  other's ("الامير عبدالعزيز بن سعود" / "عبدالعزيز بن سعود بن نايف"); then one-word
  references ("حموشي", "الحموشي", "السيد الحموشي"), linked to the person of the article whose
  family name they are, else to the KB's one-word references. A role with no name
  ("المسوول الامني المغربي", "الوزير", "نظيره الفرنسي") points to the person of the article
  with that country and office when there is one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from marsad.arabic import stems
from marsad.extract.entities.scan import Cand, Found, PersonCand, RoleCand, is_capital_word
from marsad.extract.entities.segments import Segment
from marsad.extract.entities.titles import TitleParse
from marsad.lexicon.countries import country_name
from marsad.lexicon.gazetteer import Gazetteer, surfaces
from marsad.lexicon.places import cities, regions
from marsad.link.kb import KbPerson, KnowledgeBase
from marsad.link.translit import bare, name_key, name_units, slug, transliterate
from marsad.model import Entity, Mention, PartialDate, Role

_AMMAN_CUES = {"JO": 2}
#: Heads general enough to refer back to anyone ("المسوول", "الضيف").
_ANY_HEAD = frozenset({"official", "counterpart", "leader"})
_DOMAIN_WORDS = {
    "interior": "الداخليه", "defence": "الدفاع", "foreign": "الخارجيه", "justice": "العدل",
    "security": "الامن", "intelligence": "المخابرات", "police": "الشرطه",
}


@dataclass(slots=True)
class Cluster:
    """One person of the article: every mention of them and what the text says."""

    members: list[PersonCand] = field(default_factory=list)
    kb: KbPerson | None = None
    units: list[str] = field(default_factory=list)
    id: str = ""
    country: str | None = None
    country_source: str | None = None

    @property
    def first(self) -> int:
        """Offset of the first mention."""
        return min(m.cand.start for m in self.members) if self.members else 0


def _counts(found: Found) -> Counter[str]:
    c: Counter[str] = Counter()
    for p in found.places:
        if p.type in ("COUNTRY", "NATIONALITY", "CITY") and p.country and not p.drop:
            c[p.country] += 1
    for pc in found.persons:
        if pc.title is not None and pc.title.country:
            c[pc.title.country] += 1
    for r in found.roles:
        if r.title.country:
            c[r.title.country] += 1
    return c


def _prev_is(cand: Cand, word: str) -> bool:
    prev = str(cand.attrs.get("_prev", ""))
    return any(stem == word for _, stem in stems(prev)) if prev else False


def resolve_places(found: Found, article_text: str) -> None:
    """Decide city-or-country names and cities several places share, from the context."""
    counts = _counts(found)
    table = cities()
    for p in found.places:
        if p.type == "COUNTRY" and p.options:
            prev = str(p.attrs.get("_prev", ""))
            prev2 = str(p.attrs.get("_prev2", ""))
            nxt = str(p.attrs.get("_next", ""))
            capital_before = bool(prev) and is_capital_word(prev)
            capital_after = nxt == "العاصمه"
            city_before = _prev_is(p, "مدينه")
            surface = article_text[p.start:p.end]
            if p.key == "OM" and "amman" in p.options:
                jo = counts.get("JO", 0) + (2 if capital_before else 0)
                om = counts.get("OM", 0)
                if "عُ" in surface:
                    om += 10
                if "مّ" in surface:
                    jo += 10
                if prev2 and is_capital_word(prev2) and prev.startswith("ال"):
                    jo += 5 if prev in ("الاردنيه",) else 0
                if jo > om or (jo == om and capital_before):
                    _to_city(p, "amman", table, 0.9 if jo > om + 1 else 0.6)
                else:
                    p.confidence = 0.9 if om > jo else 0.6
                    p.attrs["also_city"] = "amman"
                continue
            if capital_before or capital_after or city_before or (
                prev2 and is_capital_word(prev2) and prev.startswith("ال")
            ):
                _to_city(p, p.options[0], table, 0.9)
            else:
                p.attrs["also_city"] = p.options[0]
        elif p.type == "CITY" and len(p.options) > 1:
            best = max(p.options, key=lambda k: (counts.get(table[k].country, 0), -p.options.index(k)))
            p.key = best
            p.country = table[best].country
            if counts.get(p.country, 0) == 0:
                p.confidence = 0.7


def _to_city(p: Cand, key: str, table: dict[str, Any], confidence: float) -> None:
    p.type = "CITY"
    p.key = key
    p.country = table[key].country
    p.rule = "place.city_context"
    p.confidence = confidence


def dominant_country(found: Found) -> str | None:
    """The country the article names most (ties: the first named)."""
    counts = _counts(found)
    if not counts:
        return None
    order: dict[str, int] = {}
    for p in found.places:
        if p.country and p.country not in order:
            order[p.country] = p.start
    top = max(counts.values())
    best = [c for c, v in counts.items() if v == top]
    return min(best, key=lambda c: order.get(c, 1 << 30))


def resolve_org(cand: Cand, kb: KnowledgeBase, dominant: str | None) -> None:
    """Set an organisation's id, country and where the country comes from."""
    fixed = kb.orgs.get(cand.org_id) if cand.org_id else None
    explicit = cand.country
    if fixed is not None and (explicit is None or explicit == fixed.country or not cand.org_kind):
        cand.entity_id = fixed.id
        cand.country = fixed.country
        cand.attrs["country_source"] = "kb" if fixed.country else None
        cand.key = fixed.id
        return
    kind = cand.org_kind
    if kind is None:
        return
    source = "text"
    country = explicit
    if country is None:
        country = dominant
        source = "context"
    specific = kb.org_for_kind(kind, country)
    if specific is not None:
        cand.entity_id = specific.id
        if specific.acronyms and "acronym" not in cand.attrs:
            cand.attrs["acronym"] = specific.acronyms[0]
    elif country:
        cand.entity_id = f"org:{kind}:{country.lower()}"
    else:
        cand.entity_id = f"org:{kind}"
    cand.country = country
    cand.attrs["country_source"] = source if country else None
    cand.key = kind


def _units(pc: PersonCand) -> list[str]:
    units = pc.units
    if units is None:
        units = pc.units = [bare(u) for u in name_units(pc.words)]
    return units


def _agrees(kbp: KbPerson, pc: PersonCand) -> bool:
    """A name many people carry is this KB person only if the title agrees."""
    tp = pc.title
    if tp is None:
        return False
    if tp.country and tp.country != kbp.country:
        return False
    if tp.country == kbp.country:
        return True
    for d in tp.domains:
        word = _DOMAIN_WORDS.get(d)
        if word and any(word in r.title for r in kbp.roles):
            return True
    return False


def _kb_match(pc: PersonCand, kb: KnowledgeBase, given: frozenset[str]) -> KbPerson | None:
    found = kb.person_by_name(pc.words)
    if not found and not pc.latin:
        found = kb.person_by_key(pc.words, given)
    if not found and len(pc.words) == 1:
        found = kb.person_by_short(pc.words[0])
    found = [p for p in found if not p.ambiguous or _agrees(p, pc)]
    return found[0] if len(found) == 1 else (found[0] if found else None)


def _stated_country(pc: PersonCand, kb: KnowledgeBase) -> str | None:
    tp = pc.title
    if tp is None:
        return None
    if tp.country:
        return tp.country
    for org in pc.role.attrs.get("_orgs", []) if pc.role else []:
        fixed = kb.orgs.get(org.org_id) if org.org_id else None
        if fixed is not None and fixed.country:
            return fixed.country
    return None


def _prefix(a: list[str], b: list[str]) -> bool:
    return len(a) <= len(b) and b[: len(a)] == a


def cluster_persons(found: Found, kb: KnowledgeBase, given: frozenset[str] = frozenset()) -> list[Cluster]:
    """Group the person mentions of the article into people."""
    clusters: list[Cluster] = []
    by_kb: dict[str, Cluster] = {}
    pending: list[PersonCand] = []
    singles: list[PersonCand] = []
    for pc in found.persons:
        kbp = _kb_match(pc, kb, given)
        if kbp is not None:
            cl = by_kb.get(kbp.id)
            if cl is None:
                cl = by_kb[kbp.id] = Cluster(kb=kbp, units=_units(pc))
                clusters.append(cl)
            cl.members.append(pc)
            if len(_units(pc)) > len(cl.units):
                cl.units = _units(pc)
        elif len(_units(pc)) >= 2:
            pending.append(pc)
        else:
            singles.append(pc)
    # Longest names first, so that a shorter form joins the full one.
    for pc in sorted(pending, key=lambda p: -len(_units(p))):
        units = _units(pc)
        key = name_key(pc.words)
        target = None
        for cl in clusters:
            if name_key(cl.units) == key or _prefix(units, cl.units) or (
                cl.kb is None and _prefix(cl.units, units)
            ):
                target = cl
                break
        if target is None:
            target = Cluster(units=units)
            clusters.append(target)
        target.members.append(pc)
    for pc in singles:
        _attach_single(pc, clusters, by_kb, kb)
    for cand, terms in found.shorts:
        pc = PersonCand(cand, [article_word(cand)], anchored=False)
        pc.cand.rule = "person.kb_short"
        target = _single_target(pc, clusters)
        if target is None:
            kbp = kb.persons.get(terms[0].key) if terms else None
            if kbp is None:
                continue
            target = by_kb.get(kbp.id)
            if target is None:
                target = by_kb[kbp.id] = Cluster(kb=kbp, units=[bare(u) for u in name_units(kbp.name.split())])
                clusters.append(target)
        target.members.append(pc)
    for cl in clusters:
        cl.members.sort(key=lambda m: m.cand.start)
        stated = [c for c in (_stated_country(m, kb) for m in cl.members) if c]
        if stated:
            cl.country = Counter(stated).most_common(1)[0][0]
            cl.country_source = "title"
        elif cl.kb is not None and cl.kb.country:
            cl.country = cl.kb.country
            cl.country_source = "kb"
        cl.id = cl.kb.id if cl.kb is not None else _person_id(cl.units, cl.country)
    return clusters


def surname_refs(segs: list[Segment], found: Found, clusters: list[Cluster], words: frozenset[str]) -> None:
    """Later one-word references to a person of the article ("وأكد العبادي ...").

    The family name of every person named with two parts or more is looked for in the other
    words of the article, with or without the article ("العبادي", "عبادي"). A bare family name
    that is also a given name or a stop word is skipped; one without the article followed by a
    definite noun is skipped too ("خطاب الوزير" is a speech, not Mr Khattab).
    """
    forms: dict[str, Cluster] = {}
    for cl in clusters:
        if len(cl.units) < 2:
            continue
        last = bare(cl.units[-1])
        if len(last) < 3 or last in words or cl.units[-1] in words:
            continue  # "الثاني" of "عبدالله الثاني" names no one on its own
        for form in (last, "ال" + last):
            forms.setdefault(form, cl)
    if not forms:
        return
    written: dict[str, tuple[Cluster, int, str]] = {}
    for form, cl in forms.items():
        for surface, plen in surfaces(form):
            written.setdefault(surface, (cl, plen, form))
    hits = [(seg, k) for seg in segs if not written.keys().isdisjoint(seg.toks)
            for k, w in enumerate(seg.toks) if w in written]
    if not hits:
        return
    covered = _covered(found, clusters)
    for seg, k in hits:
        target, plen, stem = written[seg.toks[k]]
        if not stem.startswith("ال") and k + 1 < len(seg.toks) and not seg.brk[k + 1] and (
            seg.word(k + 1).startswith("ال")
        ):
            continue
        start, end = seg.span(k, k + 1, plen)
        if any(a < end and start < b for a, b in covered):
            continue
        cand = Cand("PERSON", start, end, seg.text[start - seg.base:end - seg.base],
                    "person.surname_ref", seg.index, k, confidence=0.8)
        target.members.append(PersonCand(cand, [stem]))
        covered.append((start, end))


def _covered(found: Found, clusters: list[Cluster]) -> list[tuple[int, int]]:
    """Spans that already hold a mention (a surname reference never overlaps one)."""
    covered: list[tuple[int, int]] = []
    for c in (*found.places, *found.orgs, *found.occasions):
        covered.append((c.start, c.end))
    for pc in found.persons:
        covered.append((pc.cand.start, pc.cand.end))
        if pc.role is not None:
            covered.append((pc.role.start, pc.role.end))
    for rc in found.roles:
        covered.append((rc.cand.start, rc.cand.end))
    for cand, _ in found.shorts:
        covered.append((cand.start, cand.end))
    for cl in clusters:
        for m in cl.members:
            covered.append((m.cand.start, m.cand.end))
    return covered


def article_word(cand: Cand) -> str:
    """The normalised single word of a one-word person mention."""
    from marsad.lexicon.countries import phrase_key

    return phrase_key(cand.text)


def _single_target(pc: PersonCand, clusters: list[Cluster]) -> Cluster | None:
    word = bare(name_units(pc.words)[0]) if pc.words else ""
    if not word:
        return None
    best: Cluster | None = None
    for cl in clusters:
        if not cl.units or (len(cl.units) < 2 and cl.kb is None):
            continue
        same = cl.units[-1] == word or (pc.honorific in ("sheikh", "prince") and cl.units[0] == word)
        # Prefer the person introduced before the reference, else the first one after it.
        if same and (best is None or cl.first <= pc.cand.start < best.first or best.first > pc.cand.start):
            best = cl
    return best


def _attach_single(
    pc: PersonCand, clusters: list[Cluster], by_kb: dict[str, Cluster], kb: KnowledgeBase
) -> None:
    target = _single_target(pc, clusters)
    if target is None:
        short = kb.person_by_short(pc.words[0]) if pc.words else []
        if short:
            kbp = short[0]
            target = by_kb.get(kbp.id)
            if target is None:
                target = by_kb[kbp.id] = Cluster(kb=kbp, units=[bare(u) for u in name_units(kbp.name.split())])
                clusters.append(target)
    if target is None:
        if not pc.anchored:
            return
        target = Cluster(units=_units(pc))
        clusters.append(target)
        pc.cand.confidence = min(pc.cand.confidence, 0.6)
    target.members.append(pc)


def _person_id(units: list[str], country: str | None) -> str:
    if not units:
        return "person:unknown"
    parts = [units[0]] if len(units) == 1 else [units[0], units[-1]]
    base = "-".join(slug(transliterate(p)) for p in parts)
    return f"person:{base}-{country.lower()}" if country else f"person:{base}"


_HEAD_WORDS = {
    "minister": "وزير", "director": "مدير", "director_general": "المدير العام", "head": "رييس",
    "commander": "قايد", "commander_in_chief": "القايد العام", "secretary_general": "الامين العام",
    "inspector_general": "المفتش العام", "assistant": "مساعد", "deputy": "نايب",
    "chief_of_staff": "الاركان", "governor": "محافظ", "ambassador": "سفير",
}


def _head_ok(role_head: str, cl: Cluster) -> bool:
    """Whether the person holds (in this article or in the KB) an office with this head."""
    if role_head in _ANY_HEAD:
        return True
    for m in cl.members:
        if m.title is not None and role_head in m.title.heads:
            return True
    if cl.kb is not None:
        w = _HEAD_WORDS.get(role_head)
        return w is not None and any(w in r.title for r in cl.kb.roles)
    return False


def _org_keys(orgs: list[Cand]) -> set[str]:
    keys: set[str] = set()
    for o in orgs:
        if o.org_id:
            keys.add(o.org_id)
        if o.entity_id:
            keys.add(o.entity_id)
        if o.org_kind:
            keys.add(o.org_kind)
    return keys


def _body_ok(rc: RoleCand, cl: Cluster) -> bool:
    """Whether the role's bodies and domains fit the person's titles or KB roles."""
    tp = rc.title
    want = _org_keys(rc.cand.attrs.get("_orgs", []))
    if not want and not tp.domains:
        return True
    for m in cl.members:
        if m.title is None:
            continue
        have = _org_keys(m.role.attrs.get("_orgs", [])) if m.role is not None else set()
        if want & have or set(tp.domains) & set(m.title.domains):
            return True
    if cl.kb is not None:
        for r in cl.kb.roles:
            org = r.org or ""
            kind = org.split(":")[0] if not org.startswith("org:") else org
            if org in want or kind in want:
                return True
            if any(_DOMAIN_WORDS.get(d, "~") in r.title for d in tp.domains):
                return True
    return False


def corefer_role(rc: RoleCand, clusters: list[Cluster]) -> Cluster | None:
    """The person a role with no name refers to ("المسوول الامني المغربي" -> Hammouchi)."""
    tp = rc.title
    if tp.plural or tp.former:
        return None
    if not tp.qualified and not rc.cand.text.lstrip("وف").startswith(("ال", "ٱل", "أل")):
        return None  # an indefinite bare office ("مدير ...") refers to no one in particular
    country = tp.country or rc.cand.country
    ok: list[Cluster] = []
    for cl in clusters:
        person_country = cl.country or (cl.kb.country if cl.kb is not None else None)
        if country and person_country != country:
            continue
        if tp.relation == "counterpart" and not country:
            continue
        if not _head_ok(tp.head, cl):
            continue
        if tp.head not in _ANY_HEAD and not _body_ok(rc, cl):
            continue
        ok.append(cl)
    if not ok:
        return None
    start = rc.cand.start
    before = [c for c in ok if c.first <= start]
    if before:
        return max(before, key=lambda c: max(m.cand.start for m in c.members if m.cand.start <= start))
    if not country and not tp.qualified:
        return None
    return min(ok, key=lambda c: c.first)


def countries_from_roles(roles: list[RoleCand], clusters: list[Cluster]) -> None:
    """Give a person with no stated country the country of the one office only they can hold.

    "وزير الداخليه السعودي" in a headline and, in the body, "الامير فلان، وزير الداخليه" next
    to "وزير الداخليه الفرنسي علان": the French minister is named, so the Saudi office is the
    other minister's. Only when exactly one person of the article fits the office (head and
    body or domain) and no person with that country does.
    """
    for rc in roles:
        tp = rc.title
        country = tp.country
        if not country or tp.plural or tp.former or tp.relation == "counterpart" or tp.head in _ANY_HEAD:
            continue
        fits = [cl for cl in clusters if _head_ok(tp.head, cl) and _body_ok(rc, cl)]
        if not fits or any((cl.country or (cl.kb.country if cl.kb else None)) == country for cl in fits):
            continue
        free = [cl for cl in fits if cl.kb is None and not cl.country]
        if len(free) != 1:
            continue
        cl = free[0]
        cl.country = country
        cl.country_source = "role"
        cl.id = _person_id(cl.units, country)


def role_id(tp: TitleParse, org_id: str | None, country: str | None, office: TitleParse | None = None) -> str | None:
    """A deterministic id for an unnamed official: office, body, country."""
    src = office if (tp.relation == "counterpart" and office is not None) else tp
    if src.relation == "counterpart":
        return None
    org_part = ""
    if org_id and org_id.startswith("org:"):
        # "org:dgsn-ma" -> "dgsn-ma"; "org:police:nl" -> "police" (the country comes last).
        org_part = org_id.split(":")[1]
    specific = org_id is not None and org_id.count(":") == 1
    if not org_part:
        org_part = "-".join(src.domains) if src.domains else "-"
    if not (country or tp.region or specific):
        return None
    head = "+".join(src.heads)
    return f"role:{head}:{org_part}:{(country or tp.region or '-').lower()}"


def published_iso(published: PartialDate | None) -> str | None:
    """The publication date as the ISO text roles are dated with."""
    return published.iso() if published is not None else None


def country_entity(code: str) -> Entity:
    """The entity of a country."""
    return Entity(
        id=f"country:{code.lower()}", type="COUNTRY", name=country_name(code, "ar"),
        name_latin=country_name(code, "en"), latin_source="kb", country=code,
    )


def city_entity(key: str, surface: str) -> Entity:
    """The entity of a city."""
    city = cities().get(key)
    return Entity(
        id=f"city:{key}", type="CITY", name=surface, name_latin=city.name_latin if city else None,
        latin_source="kb" if city else None, country=city.country if city else None,
    )


def region_entity(key: str, surface: str) -> Entity:
    """The entity of a region."""
    region = regions().get(key)
    return Entity(id=f"region:{key}", type="REGION", name=surface,
                  name_latin=region.name if region else None, latin_source="kb" if region else None)


def mention_of(c: Cand) -> Mention:
    """The public mention of a candidate (private ``_`` attributes dropped)."""
    attrs = {k: v for k, v in c.attrs.items() if not k.startswith("_") and v is not None}
    return Mention(c.start, c.end, c.text, c.type, c.rule, c.entity_id, c.key, attrs,
                   round(c.confidence, 3))


def person_role(pc: PersonCand, published: str | None) -> Role | None:
    """The role a title in the text gives a person."""
    if pc.role is None:
        return None
    orgs = pc.role.attrs.get("_orgs", [])
    org_id = orgs[0].entity_id if orgs else None
    return Role(title=pc.role.text, org=org_id, country=pc.role.country, first_seen=published,
                last_seen=published)


def gazetteer_kinds(g: Gazetteer) -> dict[str, str]:
    """Kind key -> English name (for organisation entities without a KB entry)."""
    return {k: v.name for k, v in g.kinds.items()}
