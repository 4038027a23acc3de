"""Entities stage: people, roles, organisations, places, nationalities and occasions.

:func:`extract_entities` reads the article's title fields and kept paragraphs (never removed
spans: tickers and page chrome yield nothing), finds mentions with lexicons, patterns and the
knowledge base, and resolves them into entities with global, deterministic ids:

- ``person:<kb-id>`` for a person the KB knows, else ``person:<given>-<family>[-<cc>]`` from
  the name's canonical key (see :mod:`marsad.link.translit`), the same in every article;
- ``role:<office>:<body>:<cc>`` for an unnamed official ("محافظ الشرطه الهولنديه" ->
  ``role:governor:police:nl``);
- ``org:<kb-id>`` or ``org:<kind>:<cc>``; ``country:<cc>``; ``city:<key>``;
  ``region:<key>``; ``occasion:<key>[:<edition or year>]``.

Helpers for later stages: :func:`country_name`, :func:`city_info`, :func:`find_places`,
:func:`mentions_in_span` (the person and role mentions inside a span), :func:`entity_of`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from marsad.extract.entities.resolve import (
    Cluster,
    city_entity,
    cluster_persons,
    corefer_role,
    countries_from_roles,
    country_entity,
    dominant_country,
    gazetteer_kinds,
    mention_of,
    person_role,
    published_iso,
    region_entity,
    resolve_org,
    resolve_places,
    role_id,
    surname_refs,
)
from marsad.extract.entities.scan import Cand, Found, scan_segment
from marsad.extract.entities.segments import Segment, build_segment
from marsad.lexicon.countries import country_name
from marsad.lexicon.gazetteer import Gazetteer, gazetteer
from marsad.lexicon.places import city_info
from marsad.link.kb import KnowledgeBase, load_kb
from marsad.link.translit import slug, transliterate
from marsad.model import Article, Entity, Mention, MentionType, Role
from marsad.settings import EntitySettings

__all__ = [
    "PlaceMatch",
    "city_info",
    "country_name",
    "entity_of",
    "extract_entities",
    "extract_with",
    "find_places",
    "mentions_in_span",
    "resources",
]

LOGGER = logging.getLogger(__name__)

_HEADER_FIELDS = ("title", "alt_title")


def resources(cfg: EntitySettings | None = None) -> tuple[KnowledgeBase, Gazetteer]:
    """The knowledge base and gazetteer for these settings (built once, then cached)."""
    files = tuple(cfg.kb_files) if cfg is not None else ()
    kb = load_kb(files)
    return kb, gazetteer(kb)


def _segments(article: Article, g: Gazetteer) -> list[Segment]:
    spans: list[tuple[int, int, bool]] = []
    for f in article.fields:
        if f.name in _HEADER_FIELDS and f.end > f.start:
            spans.append((f.start, f.end, True))
    for p in article.paragraphs:
        if p.end > p.start:
            spans.append((p.start, p.end, False))
    spans.sort()
    out: list[Segment] = []
    last_end = -1
    for start, end, is_title in spans:
        if start < last_end:  # a field inside a paragraph already read
            continue
        out.append(build_segment(len(out), start, article.text[start:end], g, is_title))
        last_end = end
    return out


def extract_entities(article: Article, cfg: EntitySettings) -> Article:
    """Fill ``article.mentions`` and ``article.entities`` (see the module docstring)."""
    kb, g = resources(cfg)
    return extract_with(article, kb, g)


def extract_with(article: Article, kb: KnowledgeBase, g: Gazetteer | None = None) -> Article:
    """:func:`extract_entities` with a given knowledge base (for evaluations and tests)."""
    g = gazetteer(kb) if g is None else g
    segs = _segments(article, g)
    found = Found()
    for seg in segs:
        scan_segment(seg, g, found)
    mentions, entities = _resolve(article, found, kb, g, segs)
    article.mentions = mentions
    article.entities = entities
    return article


@dataclass(slots=True)
class _Entities:
    by_id: dict[str, Entity]

    def add(self, entity: Entity, alias: str | None = None) -> Entity:
        have = self.by_id.get(entity.id)
        if have is None:
            have = self.by_id[entity.id] = entity
        if alias and alias not in have.aliases:
            have.aliases.append(alias)
        return have

    def add_lazy(self, eid: str, make: Callable[[], Entity], alias: str | None = None) -> None:
        """Add the entity ``make()`` builds unless ``eid`` is already there."""
        have = self.by_id.get(eid)
        if have is None:
            have = self.by_id[eid] = make()
        if alias and alias not in have.aliases:
            have.aliases.append(alias)


def _resolve(
    article: Article, found: Found, kb: KnowledgeBase, g: Gazetteer, segs: list[Segment]
) -> tuple[list[Mention], list[Entity]]:
    published = published_iso(article.published)
    resolve_places(found, article.text)
    dominant = dominant_country(found)
    ents = _Entities({})
    out: list[Cand] = []

    # Places and nationalities.
    for p in found.places:
        if p.drop:
            continue
        key = p.key
        if key is None:
            continue
        if p.type == "COUNTRY":
            p.entity_id = f"country:{key.lower()}"
            ents.add_lazy(p.entity_id, partial(country_entity, key), p.text)
        elif p.type == "NATIONALITY":
            p.entity_id = f"country:{key.lower()}"
            ents.add_lazy(p.entity_id, partial(country_entity, key))
        elif p.type == "CITY":
            p.entity_id = f"city:{key}"
            if p.country:
                p.attrs["country"] = p.country
            ents.add_lazy(p.entity_id, partial(city_entity, key, p.text), p.text)
        elif p.type == "REGION":
            p.entity_id = f"region:{key}"
            ents.add_lazy(p.entity_id, partial(region_entity, key, p.text), p.text)
        out.append(p)

    # People first: a body in a person's title with no country of its own is the person's.
    clusters = cluster_persons(found, kb, g.words.given)
    surname_refs(segs, found, clusters, g.words.name_stops)
    countries_from_roles(found.roles, clusters)
    for cl in clusters:
        for m in cl.members:
            for org in m.role.attrs.get("_orgs", []) if m.role is not None else []:
                if org.country is None and cl.country:
                    org.country = cl.country
                    org.attrs["_from_person"] = True

    # "وزير الداخلية، X … شهدت وزارة الداخلية": a bare ministry is the one of the article's
    # named holder of that office (when one country holds it), before the country named most.
    held: dict[str, set[str]] = {}
    for o in found.orgs:
        if o.attrs.get("_from_person") and o.org_kind and o.country:
            held.setdefault(o.org_kind, set()).add(o.country)
    for o in found.orgs:
        if o.country is None and o.org_kind and len(held.get(o.org_kind, ())) == 1 \
                and not (kb.orgs.get(o.org_id) if o.org_id else None):
            o.country = next(iter(held[o.org_kind]))
            o.attrs["_from_person"] = True

    # Organisations.
    kinds = gazetteer_kinds(g)
    for o in found.orgs:
        resolve_org(o, kb, dominant)
        if o.attrs.pop("_from_person", False) and o.attrs.get("country_source") == "text":
            o.attrs["country_source"] = "person"
        if o.country:
            o.attrs["country"] = o.country
        if o.org_kind:
            o.attrs["kind"] = o.org_kind
        if o.entity_id:
            fixed = kb.orgs.get(o.entity_id)
            ent = Entity(
                id=o.entity_id, type="ORG", name=fixed.name if fixed else o.text,
                name_latin=fixed.name_latin if fixed else kinds.get(o.org_kind or ""),
                latin_source="kb" if fixed or o.org_kind else None, country=o.country,
            )
            if o.attrs.get("acronym"):
                ent.attrs["acronym"] = o.attrs["acronym"]
            ents.add(ent, o.text)
        out.append(o)

    # People.
    owner: dict[int, Cluster] = {}
    for cl in clusters:
        for m in cl.members:
            owner[id(m)] = cl
    for cl in clusters:
        ent = _person_entity(cl, article, published)
        ents.add(ent)
        for m in cl.members:
            c = m.cand
            c.entity_id = cl.id
            c.key = cl.id
            if m.title is not None and m.role is not None:
                _role_attrs(m.role, m.title)
                c.attrs.update({k: v for k, v in m.role.attrs.items() if not k.startswith("_")})
                m.role.entity_id = cl.id
                m.role.attrs["person"] = cl.id
                if not m.latin:
                    # A Latin title stays on the person (title, country): the events stage reads
                    # Latin text from person mentions.
                    out.append(m.role)
            if cl.country:
                c.attrs["country"] = cl.country
                c.attrs["country_source"] = cl.country_source
            if m.honorific and m.honorific != "latin":
                c.attrs["honorific"] = m.honorific
            if c.text not in ent.aliases:
                ent.aliases.append(c.text)
            out.append(c)

    # Roles with no name: references to a person, or unnamed officials.
    last_office: dict[int, Any] = {}
    for pc in found.persons:
        if pc.title is not None and pc.title.relation != "counterpart":
            last_office[pc.cand.seg] = pc.title
    for rc in found.roles:
        _role_attrs(rc.cand, rc.title)
        target = corefer_role(rc, clusters)
        if target is not None:
            rc.cand.entity_id = target.id
            rc.cand.attrs["person"] = target.id
            rc.cand.attrs["coref"] = True
            rc.cand.rule = "role.coref"
            rc.cand.confidence = 0.7
            out.append(rc.cand)
            continue
        if not rc.title.qualified:
            continue  # "الوزير", "رؤساء وفود": nothing to go on
        orgs = rc.cand.attrs.get("_orgs", [])
        org_id = orgs[0].entity_id if orgs else None
        country = rc.title.country or (orgs[0].country if orgs and orgs[0].attrs.get("country_source") != "context" else None)
        if country:
            rc.cand.attrs["country"] = country
            rc.cand.country = country
        office = None
        if rc.title.relation == "counterpart":
            office = _office_before(rc, found)
            if office is not None:
                rc.cand.attrs["office"] = "+".join(office.heads)
        rid = role_id(rc.title, org_id, country, office)
        rc.cand.entity_id = rid
        rc.cand.key = rid
        if rid is not None:
            ents.add(
                Entity(id=rid, type="ROLE", name=rc.cand.text, country=country,
                       roles=[Role(rc.cand.text, org_id, country, published, published)],
                       attrs={"plural": rc.title.plural}),
                rc.cand.text,
            )
        out.append(rc.cand)

    # Occasions.
    _occasion_keys(found.occasions)
    for o in found.occasions:
        _occasion_place(o, found, article.text)
        suffix = o.attrs.get("edition") or o.attrs.get("year")
        o.entity_id = f"occasion:{o.key}" + (f":{suffix}" if suffix else "")
        ents.add(Entity(id=o.entity_id, type="OCCASION", name=str(o.attrs.get("name", o.text)),
                        name_latin=o.attrs.get("name_latin"),
                        latin_source="text" if o.attrs.get("name_latin") else None,
                        country=o.attrs.get("country"),
                        attrs={k: v for k, v in o.attrs.items() if k in ("edition", "year", "city")}),
                 o.text)
        out.append(o)

    mentions = _dedupe([mention_of(c) for c in out])
    used = {m.entity_id for m in mentions if m.entity_id}
    entities = [e for e in ents.by_id.values() if e.id in used]
    entities.sort(key=lambda e: (e.type, e.id))
    return mentions, entities


def _office_before(rc: Any, found: Found) -> Any:
    """The office a "نظيره" refers to: the nearest title before it in the same paragraph."""
    best = None
    for pc in found.persons:
        t = pc.title
        if t is None or t.relation == "counterpart" or pc.cand.seg != rc.cand.seg:
            continue
        if pc.cand.start < rc.cand.start and (best is None or pc.cand.start > best[0]):
            best = (pc.cand.start, t)
    for r in found.roles:
        t = r.title
        if t.relation == "counterpart" or r.cand.seg != rc.cand.seg or not t.qualified:
            continue
        if r.cand.start < rc.cand.start and (best is None or r.cand.start > best[0]):
            best = (r.cand.start, t)
    return best[1] if best else None


def _role_attrs(c: Cand, tp: Any) -> None:
    c.attrs["title"] = c.text
    orgs = c.attrs.get("_orgs", [])
    if orgs and orgs[0].entity_id:
        c.attrs["org"] = orgs[0].entity_id
    if tp.country:
        c.attrs["country"] = tp.country
    elif orgs and orgs[0].country and orgs[0].attrs.get("country_source") != "context":
        c.attrs["country"] = orgs[0].country
    if tp.relation:
        c.attrs["relation"] = tp.relation
    c.attrs["plural"] = bool(tp.plural)


def _person_entity(cl: Cluster, article: Article, published: str | None) -> Entity:
    texts = [m.cand.text for m in cl.members]
    arabic = [t for t in texts if not t.isascii()]
    latin = [t for t in texts if t.isascii()]
    if cl.kb is not None:
        name, name_latin, source = cl.kb.name, cl.kb.name_latin, "kb"
    elif latin:
        name = max(arabic, key=len) if arabic else max(latin, key=len)
        name_latin, source = max(latin, key=len), "text"
    else:
        name = max(arabic, key=len) if arabic else texts[0]
        name_latin, source = transliterate(name), "transliterated"
    roles: list[Role] = []
    for m in cl.members:
        r = person_role(m, published)
        if r is not None and all(x.title != r.title for x in roles):
            roles.append(r)
    return Entity(id=cl.id, type="PERSON", name=name, name_latin=name_latin, latin_source=source,
                  country=cl.country, roles=roles, attrs={"kb": cl.kb is not None})


def _occasion_key(name: str) -> str:
    return slug(transliterate(name)) or "occasion"


def _occasion_keys(occasions: list[Cand]) -> None:
    """Keys of the article's occasions; one occasion named twice gets one key and edition.

    A trigger phrase that begins a named occasion of the same article ("معرض الدفاع" in a
    headline, "معرض الدفاع العالمي" in the body) is that occasion; an occasion named once with
    its edition or year and once without is the same edition.
    """
    from marsad.lexicon.countries import phrase_key

    names = {phrase_key(str(o.attrs.get("name", o.text))): o.key for o in occasions if o.key}
    for o in occasions:
        if o.key is None:
            name = phrase_key(str(o.attrs.get("name", o.text)))
            o.key = next((k for full, k in names.items() if k and full.startswith(name + " ")), None)
            if o.key is None:
                o.key = _occasion_key(str(o.attrs.get("name", o.text)))
        elif o.key.startswith("session:"):
            org_key = o.key.split(":", 1)[1]
            o.key = "session:" + (org_key.split(":", 1)[1] if org_key.startswith("org:") else org_key)
    by_key: dict[str, set[Any]] = {}
    for o in occasions:
        suffix = o.attrs.get("edition") or o.attrs.get("year")
        if suffix:
            by_key.setdefault(str(o.key), set()).add((o.attrs.get("edition"), o.attrs.get("year")))
    for o in occasions:
        known = by_key.get(str(o.key))
        if known and len(known) == 1 and not (o.attrs.get("edition") or o.attrs.get("year")):
            edition, year = next(iter(known))
            if edition:
                o.attrs["edition"] = edition
            if year:
                o.attrs["year"] = year
            o.attrs["edition_from"] = "article"


def _occasion_place(o: Cand, found: Found, text: str) -> None:
    """The city or country named right after an occasion, in the same sentence."""
    for p in found.places:
        if p.seg != o.seg or p.start < o.end or p.drop:
            continue
        if p.start - o.end > 160 or "." in text[o.end:p.start] or p.type not in ("CITY", "COUNTRY"):
            if p.start - o.end > 160 or "." in text[o.end:p.start]:
                break
            continue
        clitic = str(p.attrs.get("_clitic", ""))
        prev = str(p.attrs.get("_prev", ""))
        if clitic.endswith("ب") or prev == "في" or p.rule in ("place.capital_phrase",) or (
            prev and prev.endswith("العاصمه")
        ):
            if p.type == "CITY":
                o.attrs["city"] = p.key
                o.attrs["country"] = p.country
            elif "country" not in o.attrs:
                o.attrs["country"] = p.country
            break


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    seen: set[tuple[int, int, str]] = set()
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -m.end, m.type)):
        key = (m.start, m.end, m.type)
        if key in seen:
            continue
        seen.add(key)
        out.append(m)
    return out


# --- helpers for later stages -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place found in a piece of text by :func:`find_places`."""

    start: int
    end: int
    text: str
    type: MentionType
    key: str
    country: str | None


def find_places(text: str, cfg: EntitySettings | None = None) -> list[PlaceMatch]:
    """Countries, cities, regions and nationalities in ``text`` (offsets into ``text``)."""
    _, g = resources(cfg)
    seg = build_segment(0, 0, text, g, False)
    found = Found()
    scan_segment(seg, g, found)
    resolve_places(found, text)
    return [
        PlaceMatch(p.start, p.end, p.text, p.type, p.key or "", p.country)
        for p in found.places
        if not p.drop and p.key
    ]


def mentions_in_span(
    article: Article,
    start: int,
    end: int,
    types: Iterable[MentionType] = ("PERSON", "ROLE"),
) -> list[Mention]:
    """The mentions of ``types`` lying inside ``[start, end)`` of ``article.text``."""
    wanted = set(types)
    return [m for m in article.mentions if m.type in wanted and m.start >= start and m.end <= end]


def entity_of(article: Article, mention: Mention) -> Entity | None:
    """The entity a mention refers to, if the article has it."""
    if mention.entity_id is None:
        return None
    for e in article.entities:
        if e.id == mention.entity_id:
            return e
    return None

