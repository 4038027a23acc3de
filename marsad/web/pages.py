"""Server-rendered pages: timeline, event, entity, country, relations, map, search, article.

Each handler reads with :mod:`marsad.store.queries`, prepares display values with
:mod:`marsad.web.render` and renders a Jinja2 template (autoescaped). Highlighted text reaches
templates as segments, never as HTML.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from marsad.errors import NotFoundError
from marsad.model import Article, Event
from marsad.store import queries
from marsad.web import render
from marsad.web.api import check_date, parse_cursor
from marsad.web.app import ApiError, base_context, conn_of, db_of, request_lang, settings_of

router = APIRouter(include_in_schema=False)

_SLOT_ORDER = ("trigger", "actor", "host_country", "city", "start", "end", "counterpart",
               "inviter", "occasion", "topic", "delegation")


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the request's language; remember an explicit ``?lang`` in a cookie."""
    lang = request_lang(request)
    env = request.app.state.templates
    html = env.get_template(template).render(**base_context(request, lang), **context)
    response = HTMLResponse(html, status_code=status)
    asked = request.query_params.get("lang")
    if asked in ("ar", "en"):
        response.set_cookie("lang", asked, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def _param(request: Request, name: str, max_len: int = 200) -> str | None:
    value = (request.query_params.get(name) or "").strip()
    if len(value) > max_len:
        raise ApiError(422, "invalid", f"{name}: longer than {max_len} characters")
    return value or None


def _country_param(request: Request, name: str) -> str | None:
    value = _param(request, name, 2)
    if value and not re.fullmatch(r"[A-Za-z]{2}", value):
        raise ApiError(422, "invalid", f"{name}: {value!r} is not an ISO 3166-1 alpha-2 code")
    return value.upper() if value else None


def _choice(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    value = _param(request, name, 20)
    if value and value not in allowed:
        raise ApiError(422, "invalid", f"{name}: expected one of {', '.join(allowed)}")
    return value


def page_filter(request: Request) -> queries.EventFilter:
    """The timeline filter of a page's query string (empty form fields ignored)."""
    direction = _choice(request, "direction", ("any", "in", "out")) or "any"
    return queries.EventFilter(
        person=_param(request, "person"),
        country=_country_param(request, "country"),
        direction=direction,  # type: ignore[arg-type]
        org=_param(request, "org"),
        topic=_param(request, "topic", 100),
        type=_choice(request, "type", ("visit", "reception", "meeting")),
        status=_choice(request, "status", ("happened", "planned")),
        date_from=check_date(_param(request, "date_from", 10), "date_from"),
        date_to=check_date(_param(request, "date_to", 10), "date_to"),
        story=_param(request, "story"),
        origin=_country_param(request, "origin"),
        host=_country_param(request, "host"),
    )


def _group_label(start: str | None, lang: str) -> str:
    from marsad.web.i18n import translate

    if not start:
        return translate("ar" if lang == "ar" else "en", "no_date_group")
    if start.startswith("--"):
        return translate("ar" if lang == "ar" else "en", "no_year_group")
    year, _, rest = start.partition("-")
    if rest[:2].isdigit():
        month = int(rest[:2])
        names = render.MONTHS_AR if lang == "ar" else render.MONTHS_EN
        return f"{names[month - 1]} {year}"
    return year


def timeline_groups(rows: list[dict[str, Any]], lang: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """Rows grouped under month headings, in order."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for row in rows:
        label = _group_label(row["start"], lang)
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(_card(row, lang))
    return groups


def _card(row: dict[str, Any], lang: str) -> dict[str, Any]:
    ev: Event = row["event"]
    return {
        "id": row["id"],
        "ev": ev,
        "summary": render.summary_en(ev),
        "actor_ar": render.party_ar(ev.actor),
        "when": render.date_text(ev.start, ev.end, lang),
        "note": render.date_note_en(ev),
        "article_id": row["document_id"],
        "article_title": row["article_title"],
        "outlet": row["article_outlet"],
        "published": row["article_published"],
    }


def _filter_query(flt: queries.EventFilter, **extra: str) -> str:
    from urllib.parse import urlencode

    pairs = [(k, v) for k, v in (
        ("person", flt.person), ("country", flt.country),
        ("direction", flt.direction if flt.direction != "any" else None), ("org", flt.org),
        ("topic", flt.topic), ("type", flt.type), ("status", flt.status),
        ("date_from", flt.date_from), ("date_to", flt.date_to), ("story", flt.story),
        ("origin", flt.origin), ("host", flt.host),
    ) if v]
    pairs += list(extra.items())
    return urlencode(pairs)


# --- timeline -------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
@router.get("/events", response_class=HTMLResponse)
def timeline(request: Request) -> Response:
    """The events timeline with its filters."""
    lang = request_lang(request)
    conn = conn_of(request)
    db = db_of(request)
    flt = page_filter(request)
    size = settings_of(request).web.page_size
    rows, nxt = queries.list_events(conn, flt, limit=size,
                                    cursor=parse_cursor(_param(request, "cursor", 500)))
    countries = db.cached(("countries",), lambda: queries.countries_in_use(conn))
    return page(
        request, "timeline.html",
        title=render_title(lang, "nav_timeline"),
        flt=flt,
        groups=timeline_groups(rows, lang),
        n_rows=len(rows),
        total=db.cached(("count", flt), lambda: queries.count_events(conn, flt)),
        next_url=("/events?" + _filter_query(flt, cursor=nxt.encode())) if nxt else None,
        countries=sorted(countries, key=lambda c: render.country_label(c["code"], lang)),
        topics=db.cached(("topics",), lambda: queries.topics_in_use(conn)),
        people=db.cached(("people",), lambda: queries.list_entities(conn, limit=300)),
        orgs=db.cached(("orgs",), lambda: queries.list_entities(conn, type="ORG", limit=300)),
        filtered=any(v not in (None, "any") for v in (
            flt.person, flt.country, flt.org, flt.topic, flt.type, flt.status, flt.date_from,
            flt.date_to, flt.story, flt.origin, flt.host)),
    )


def render_title(lang: str, key: str) -> str:
    """A translated page title."""
    from marsad.web.i18n import translate

    return translate("ar" if lang == "ar" else "en", key)


# --- event ------------------------------------------------------------------------------------


def _slot_rows(ev: Event, article: Article | None, lang: str) -> list[dict[str, Any]]:
    """The event's slots in display order: value, details, linked entities, evidence sentences."""

    def party(p: Any) -> dict[str, Any]:
        details = [x for x in (p.title if p.name else None, p.name_latin,
                               render.country_label(p.country, lang) if p.country else None) if x]
        return {"name": render.party_ar(p), "details": details, "entity_id": p.entity_id}

    rows: list[dict[str, Any]] = []

    def add(slot: str, label: str, value: str | None = None,
            parties: list[dict[str, Any]] | None = None, link: str | None = None) -> None:
        if not value and not parties:
            return
        rows.append({"slot": slot, "label": label, "value": value, "parties": parties or [],
                     "link": link, "evidence": render.slot_evidence(ev, article, slot)})

    add("trigger", "trigger", render_title(lang, "type_" + ev.type))
    if ev.actor:
        add("actor", "visitor", parties=[party(ev.actor)])
    if ev.host_country:
        add("host_country", "host", render.country_label(ev.host_country, lang),
            link=f"/countries/{ev.host_country}")
    if ev.city:
        add("city", "city", ev.city.name + (f" ({ev.city.name_latin})" if ev.city.name_latin else ""))
    add("start", "dates", render.date_text(ev.start, ev.end, lang) or None)
    add("counterpart", "counterparts", parties=[party(c) for c in ev.counterparts])
    if ev.inviter:
        add("inviter", "inviter", parties=[party(ev.inviter)])
    if ev.occasion:
        occ = ev.occasion.name + "".join(
            f" · {x}" for x in (ev.occasion.name_latin,
                                f"#{ev.occasion.edition}" if ev.occasion.edition else None,
                                ev.occasion.year) if x)
        add("occasion", "occasion", occ)
    if ev.topics:
        add("topic", "topics", " · ".join(render.topic_label(t, lang) for t in ev.topics))
    if ev.delegation:
        add("delegation", "delegation", render_title(lang, "yes"))
    for key in ("previous_stop", "next_stop"):
        code = getattr(ev, key)
        if code:
            add(key, key, render.country_label(code, lang), link=f"/countries/{code}")
    return rows


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> Response:
    """One event: the summary, every slot with its evidence, the article with highlights."""
    lang = request_lang(request)
    conn = conn_of(request)
    row = queries.get_event(conn, event_id)
    ev: Event = row["event"]
    try:
        info, article = queries.get_article(conn, int(row["document_id"]))
    except NotFoundError:
        info, article = None, None
    spans = [(e.start, e.end, e.slot) for e in ev.evidence
             if article is not None and e.document in (None, ev.doc_id)]
    hijri = render.event_date_is_hijri(ev, article)
    others = []
    if article is not None:
        others = [r for r in queries.list_events(conn, queries.EventFilter(document=int(row["document_id"])),
                                                 limit=50)[0] if r["id"] != row["id"]]
    return page(
        request, "event.html",
        title=render.summary_en(ev)[:80],
        row=row, ev=ev, info=info, article=article,
        summary=render.summary_en(ev),
        actor_ar=render.party_ar(ev.actor),
        date_note=render.date_note_en(ev),
        hijri=({"start": render.hijri_of(ev.start, lang), "end": render.hijri_of(ev.end, lang)}
               if hijri else None),
        slots=_slot_rows(ev, article, lang),
        sentences=render.evidence_sentences(ev, article) if article else [],
        paragraphs=render.article_paragraphs(article, spans) if article else [],
        text_dir=render.text_dir(article.lang if article else None),
        others=[_card(r, lang) for r in others],
    )


# --- entities ---------------------------------------------------------------------------------


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request) -> Response:
    """People, offices and bodies, most active first."""
    lang = request_lang(request)
    etype = _choice(request, "type", ("PERSON", "ROLE", "ORG", "COUNTRY", "CITY", "REGION",
                                      "NATIONALITY", "OCCASION"))
    q = _param(request, "q")
    offset = _int_param(request, "offset", 0)
    size = settings_of(request).web.page_size
    conn = conn_of(request)
    items = db_of(request).cached(
        ("entities", etype, q, size, offset),
        lambda: queries.list_entities(conn, type=etype, q=q, limit=size, offset=offset))
    return page(request, "entities.html", title=render_title(lang, "nav_entities"), items=items,
                etype=etype, q=q or "", offset=offset, size=size,
                next_url=(f"/entities?{_qs(type=etype, q=q, offset=str(offset + size))}"
                          if len(items) == size else None))


def _int_param(request: Request, name: str, default: int) -> int:
    value = _param(request, name, 12)
    if value is None:
        return default
    if not value.isdigit():
        raise ApiError(422, "invalid", f"{name}: {value!r} is not a non-negative integer")
    return int(value)


def _qs(**values: str | None) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, v in values.items() if v])


@router.get("/entities/{entity_id:path}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> Response:
    """A person, office or body: names, roles over time, events, mentions."""
    lang = request_lang(request)
    ent = queries.get_entity(conn_of(request), entity_id)
    return page(request, "entity.html", title=str(ent.get("name_latin") or ent.get("name") or entity_id),
                ent=ent, groups=timeline_groups(ent["events"], lang),
                person_query=_qs(person=entity_id))


# --- countries ---------------------------------------------------------------------------------


@router.get("/countries", response_class=HTMLResponse)
def countries_page(request: Request) -> Response:
    """Countries with visits received and sent."""
    lang = request_lang(request)
    conn = conn_of(request)
    items = db_of(request).cached(("countries",), lambda: queries.countries_in_use(conn))
    return page(request, "countries.html", title=render_title(lang, "nav_countries"), items=items)


@router.get("/countries/{code}", response_class=HTMLResponse)
def country_page(request: Request, code: str) -> Response:
    """Visits in and out of one country, its partners and the officials met."""
    lang = request_lang(request)
    if not re.fullmatch(r"[A-Za-z]{2}", code):
        raise ApiError(422, "invalid", f"{code!r} is not an ISO 3166-1 alpha-2 code")
    conn = conn_of(request)
    data = db_of(request).cached(("country", code.upper()),
                                 lambda: queries.country_summary(conn, code))
    return page(request, "country.html", title=render.country_label(data["code"], lang),
                data=data, groups_in=timeline_groups(data["visits_in"], lang),
                groups_out=timeline_groups(data["visits_out"], lang))


# --- relations and map ------------------------------------------------------------------------


def _date_range(request: Request) -> tuple[str | None, str | None]:
    return (check_date(_param(request, "date_from", 10), "date_from"),
            check_date(_param(request, "date_to", 10), "date_to"))


@router.get("/relations", response_class=HTMLResponse)
def relations_page(request: Request) -> Response:
    """Who visited whom: a country matrix and visitor-counterpart pairs."""
    lang = request_lang(request)
    conn = conn_of(request)
    db = db_of(request)
    date_from, date_to = _date_range(request)
    pairs = db.cached(("matrix", date_from, date_to),
                      lambda: queries.country_matrix(conn, date_from=date_from, date_to=date_to))
    totals: dict[str, int] = {}
    for p in pairs:
        totals[p["source"]] = totals.get(p["source"], 0) + p["visits"]
        totals[p["target"]] = totals.get(p["target"], 0) + p["visits"]
    top = sorted(totals, key=lambda c: (-totals[c], c))[:16]
    sources = [c for c in top if any(p["source"] == c for p in pairs)]
    targets = [c for c in top if any(p["target"] == c for p in pairs)]
    cell = {(p["source"], p["target"]): p["visits"] for p in pairs}
    return page(request, "relations.html", title=render_title(lang, "nav_relations"),
                pairs=pairs, sources=sources, targets=targets, cell=cell,
                people=db.cached(("network",), lambda: queries.people_network(conn, limit=100)),
                date_from=date_from or "", date_to=date_to or "")


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> Response:
    """The offline SVG map: countries shaded by visits received, arcs visitor → host."""
    from marsad.web.geo import fit_view, map_layers, world

    lang = request_lang(request)
    date_from, date_to = _date_range(request)
    view = _choice(request, "view", ("fit", "world")) or "fit"
    conn = conn_of(request)
    pairs = db_of(request).cached(
        ("matrix", date_from, date_to),
        lambda: queries.country_matrix(conn, date_from=date_from, date_to=date_to))
    shapes, arcs = map_layers(pairs)
    w = world()
    viewbox = fit_view(pairs) if view == "fit" else f"0 0 {w['width']:g} {w['height']:g}"
    return page(request, "map.html", title=render_title(lang, "map_title"), shapes=shapes,
                arcs=arcs, width=w["width"], height=w["height"], viewbox=viewbox, view=view,
                pairs=pairs[:30], date_from=date_from or "", date_to=date_to or "")


# --- search ------------------------------------------------------------------------------------


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request) -> Response:
    """Full-text search with highlighted snippets."""
    lang = request_lang(request)
    conn = conn_of(request)
    q = _param(request, "q", 500) or ""
    offset = _int_param(request, "offset", 0)
    size = settings_of(request).web.page_size
    results = []
    total = 0
    if q:
        rows, total = queries.search_articles(conn, q, limit=size, offset=offset)
        terms = queries.parse_query(q).terms()
        for r in rows:
            text = r.get("clean_text") or ""
            title = r.get("title") or ""
            results.append({
                **r,
                "title_parts": render.segments(title, 0, len(title),
                                               [(s, e, "hit") for s, e in queries.highlight_terms(title, terms)]),
                "snippet": render.snippet(text, queries.highlight_terms(text, terms)),
            })
    return page(request, "search.html", title=render_title(lang, "nav_search"), q=q,
                results=results, total=total, offset=offset,
                missing=queries.search_index_missing(conn),
                next_url=(f"/search?{_qs(q=q, offset=str(offset + size))}"
                          if offset + size < total else None))


# --- articles -----------------------------------------------------------------------------------


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request) -> Response:
    """Stored articles, newest first."""
    lang = request_lang(request)
    offset = _int_param(request, "offset", 0)
    size = settings_of(request).web.page_size
    items = queries.list_articles(conn_of(request), limit=size, offset=offset)
    return page(request, "articles.html", title=render_title(lang, "nav_articles"), items=items,
                next_url=f"/articles?offset={offset + size}" if len(items) == size else None)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int) -> Response:
    """The cleaned text, what cleaning removed (on demand), and the original."""
    lang = request_lang(request)
    conn = conn_of(request)
    info, article = queries.get_article(conn, article_id)
    events, _ = queries.list_events(conn, queries.EventFilter(document=article_id), limit=100)
    removals = [{"rule": r.rule, "reason": r.reason, "text": article.text[r.start : r.end],
                 "start": r.start, "end": r.end} for r in article.removals]
    hijri = []
    for t in render.hijri_times(article):
        hijri.append({"text": t.text, "gregorian": (t.value_start.iso() if t.value_start else None),
                      "end": (t.value_end.iso() if t.value_end and t.value_end != t.value_start else None),
                      "reason": t.reason})
    return page(request, "article.html", title=article.title or f"#{article_id}", info=info,
                article=article, paragraphs=render.article_paragraphs(article, []),
                removals=removals, events=[_card(r, lang) for r in events], hijri=hijri,
                text_dir=render.text_dir(article.lang))


@router.get("/articles/{article_id}/raw")
def article_raw(request: Request, article_id: int) -> Response:
    """The stored input bytes, as a download that no browser renders."""
    data = queries.get_raw(conn_of(request), article_id)
    return Response(data, media_type="application/octet-stream", headers={
        "content-disposition": f'attachment; filename="marsad-{article_id}.raw"'})


# --- stories ------------------------------------------------------------------------------------


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request) -> Response:
    """Stories (groups of reports of one event), largest first."""
    lang = request_lang(request)
    offset = _int_param(request, "offset", 0)
    size = settings_of(request).web.page_size
    items = queries.list_stories(conn_of(request), limit=size, offset=offset)
    for it in items:
        fused = it.get("fused")
        it["summary"] = render.summary_en(fused) if fused else ""
        it["when"] = render.date_text(fused.start, fused.end, lang) if fused else ""
    return page(request, "stories.html", title=render_title(lang, "nav_stories"), items=items,
                next_url=f"/stories?offset={offset + size}" if len(items) == size else None)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> Response:
    """One story: the fused event, conflicts between sources, and every report."""
    lang = request_lang(request)
    story = queries.get_story(conn_of(request), story_id)
    fused = story["fused"]
    return page(request, "story.html", title=f"{render_title(lang, 'story')} {story['id']}",
                story=story, groups=timeline_groups(story["events"], lang),
                summary=render.summary_en(fused) if fused else None,
                when=render.date_text(fused.start, fused.end, lang) if fused else "")


# --- API documentation (served locally; FastAPI's Swagger UI would load from a CDN) -------------


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API reference, rendered from the OpenAPI schema."""
    lang = request_lang(request)
    schema = request.app.openapi()
    ops = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            ops.append({"path": path, "method": method.upper(), "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                        "params": [{"name": p["name"], "in": p["in"],
                                    "required": p.get("required", False),
                                    "description": p.get("description", ""),
                                    "schema": _schema_text(p.get("schema", {}))}
                                   for p in op.get("parameters", [])]})
    return page(request, "api_docs.html", title=render_title(lang, "api_title"), ops=ops)


def _schema_text(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_schema_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    text = str(schema.get("type", ""))
    bounds = [f"{k}={schema[k]}" for k in ("minimum", "maximum", "maxLength", "pattern") if k in schema]
    return text + (f" ({', '.join(bounds)})" if bounds else "")


@router.get("/favicon.ico")
def favicon() -> Response:
    """The icon."""
    return RedirectResponse("/static/favicon.svg")
