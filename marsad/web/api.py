"""The JSON API under ``/api``: events, stories, entities, articles, search, export, ingest.

Handlers are thin: they validate parameters, call :mod:`marsad.store.queries` and shape the
answer. Lists page with ``limit`` (1-1000) and ``offset``, except the events timeline, which
pages with an opaque ``cursor`` (keyset paging: every page costs the same).
"""

from __future__ import annotations

import hmac
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from marsad.model import Article, Event, PartialDate, Party, RawDocument, SourceMeta, to_jsonable
from marsad.settings import Settings
from marsad.store import queries
from marsad.web import render
from marsad.web.app import ApiError, Database, JsonResponse, conn_of, db_of, json_bytes, settings_of

router = APIRouter(prefix="/api", tags=["api"])

EventType = Literal["visit", "reception", "meeting"]
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

Limit = Annotated[int | None, Query(ge=1, le=1000, description="page size (default: web.page_size)")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]


def check_date(value: str | None, field: str) -> str | None:
    """A validated ISO date or prefix (``2025``, ``2025-11``, ``2025-11-03``); 422 otherwise."""
    if value is None or value == "":
        return None
    m = _DATE.match(value.strip())
    ok = False
    if m:
        year, month, day = (int(g) if g else None for g in m.groups())
        ok = PartialDate(year, month, day).is_valid()
    if not ok:
        raise ApiError(
            422, "invalid",
            f"{field}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
            [{"field": f"query.{field}", "message": "not a valid date"}],
        )
    return value.strip()


def page_size(request: Request, limit: int | None) -> int:
    """The requested page size, or the configured default."""
    return limit if limit is not None else settings_of(request).web.page_size


# --- serialisers ---------------------------------------------------------------------------


def party_json(p: Party | None) -> dict[str, Any] | None:
    """A party as JSON."""
    if p is None:
        return None
    return {"entity_id": p.entity_id, "name": p.name, "name_latin": p.name_latin,
            "title": p.title, "org": p.org, "country": p.country}


def event_item(row: dict[str, Any]) -> dict[str, Any]:
    """A timeline entry."""
    ev: Event = row["event"]
    return {
        "id": row["id"],
        "key": ev.id,
        "type": ev.type,
        "status": ev.status,
        "salience": ev.salience,
        "actor": party_json(ev.actor),
        "host_country": ev.host_country,
        "city": ({"name": ev.city.name, "name_latin": ev.city.name_latin} if ev.city else None),
        "start": ev.start.iso() if ev.start else None,
        "end": ev.end.iso() if ev.end else None,
        "date_precision": ev.date_precision,
        "date_inferred": ev.date_inferred,
        "candidate_years": ev.candidate_years,
        "counterparts": [party_json(c) for c in ev.counterparts],
        "inviter": party_json(ev.inviter),
        "occasion": ({"name": ev.occasion.name, "name_latin": ev.occasion.name_latin,
                      "edition": ev.occasion.edition, "year": ev.occasion.year}
                     if ev.occasion else None),
        "topics": ev.topics,
        "confidence": round(ev.confidence, 3),
        "story_id": ev.story_id,
        "summary": render.summary_en(ev),
        "article": {"id": row["document_id"], "title": row["article_title"],
                    "outlet": row["article_outlet"], "published": row["article_published"]},
        "links": {"self": f"/api/events/{row['id']}", "page": f"/events/{row['id']}"},
    }


def event_detail(row: dict[str, Any], article: Article | None) -> dict[str, Any]:
    """One event in the export format, with evidence sentences and a summary."""
    from marsad.export import event_record

    ev: Event = row["event"]
    evidence = []
    for e in ev.evidence:
        item: dict[str, Any] = {"slot": e.slot, "text": e.text, "start": e.start, "end": e.end,
                                "rule": e.rule, "confidence": e.confidence}
        if article is not None and e.sentence_start is not None and e.sentence_end is not None:
            item["sentence"] = article.text[e.sentence_start : e.sentence_end]
            item["sentence_start"], item["sentence_end"] = e.sentence_start, e.sentence_end
        evidence.append(item)
    source: dict[str, Any] = {
        "document": row.get("sha256"), "document_id": row["document_id"],
        "outlet": row["article_outlet"], "published": row["article_published"],
        "title": row["article_title"], "evidence": evidence,
    }
    if row.get("url"):
        source["url"] = row["url"]
    else:
        source["path"] = row.get("source")
    record = event_record(ev, [source])
    record["event_id"] = row["id"]
    record["salience"] = ev.salience
    record["summary"] = render.summary_en(ev)
    hijri = render.event_date_is_hijri(ev, article)
    record["dates_hijri"] = (
        {"start": render.hijri_of(ev.start), "end": render.hijri_of(ev.end)} if hijri else None
    )
    record["links"] = {"page": f"/events/{row['id']}", "article": f"/api/articles/{row['document_id']}"}
    return record


# --- index ---------------------------------------------------------------------------------


@router.get("", summary="What this server holds")
def api_index(request: Request) -> Response:
    """Version, schema version, row counts and the endpoint list."""
    from marsad import __version__

    conn = conn_of(request)
    return JsonResponse({
        "name": "marsad",
        "version": __version__,
        "schema_version": queries.schema_version(conn),
        "counts": queries.counts(conn),
        "ingest": bool(settings_of(request).web.ingest_token),
        "endpoints": sorted({re.sub(r":\w+}", "}", getattr(r, "path", "")) for r in router.routes}),
        "docs": "/api/docs",
        "openapi": "/api/openapi.json",
    })


# --- events --------------------------------------------------------------------------------


_CODE = r"^[A-Za-z]{2}$"  # ISO 3166-1 alpha-2


class EventQuery(BaseModel):
    """The query parameters of ``GET /api/events``, validated in one pydantic call.

    FastAPI validates declared parameters one by one in Python (0.15 ms for these fifteen);
    pydantic-core does all of them in a few microseconds, with the same messages. The
    OpenAPI schema lists them (:func:`query_parameters`).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    person: str | None = Field(None, max_length=200, description="entity id or part of a name/title")
    country: str | None = Field(None, pattern=_CODE, description="ISO 3166-1 alpha-2")
    direction: Literal["any", "in", "out"] = Field(
        "any", description="with country: visits in, out, or either")
    org: str | None = Field(None, max_length=200, description="organisation id (org:...)")
    topic: str | None = Field(None, max_length=100, description="topic key")
    type: EventType | None = Field(None, description="visit, reception or meeting")
    status: Literal["happened", "planned"] | None = None
    date_from: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")
    date_to: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")
    story: str | None = Field(None, max_length=200)
    document: int | None = Field(None, ge=1)
    origin: str | None = Field(None, pattern=_CODE, description="the visitor's country (ISO alpha-2)")
    host: str | None = Field(None, pattern=_CODE, description="the host country (ISO alpha-2)")
    limit: int | None = Field(None, ge=1, le=1000, description="page size (default: web.page_size)")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the previous page")

    @classmethod
    def parse(cls, request: Request) -> EventQuery:
        """The parameters of a request (the last of a repeated one); 422 when one is invalid."""
        try:
            return cls.model_validate(dict(request.query_params))
        except ValidationError as exc:
            raise RequestValidationError(
                [{**err, "loc": ("query", *err["loc"])} for err in exc.errors()]
            ) from None

    def event_filter(self) -> queries.EventFilter:
        """The timeline filter (dates checked: a bad date is a 422)."""
        return queries.EventFilter(
            person=self.person or None, country=self.country.upper() if self.country else None,
            direction=self.direction, org=self.org or None, topic=self.topic or None,
            type=self.type, status=self.status,
            date_from=check_date(self.date_from, "date_from"),
            date_to=check_date(self.date_to, "date_to"),
            story=self.story or None, document=self.document,
            origin=self.origin.upper() if self.origin else None,
            host=self.host.upper() if self.host else None,
        )


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """OpenAPI ``parameters`` for a model of optional query parameters."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    out = []
    for name, prop in schema["properties"].items():
        prop = {k: v for k, v in prop.items() if k not in ("title", "description")}
        if "$ref" in prop:
            prop = defs[prop["$ref"].rsplit("/", 1)[1]]
        param: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": prop}
        if model.model_fields[name].description:
            param["description"] = model.model_fields[name].description
        out.append(param)
    return out


def parse_cursor(cursor: str | None) -> queries.Cursor | None:
    """The keyset cursor of a ``cursor`` parameter (422 when it is not one)."""
    if not cursor:
        return None
    try:
        return queries.Cursor.decode(cursor)
    except ValueError as exc:
        raise ApiError(422, "invalid", "cursor: not a cursor this server gave",
                       [{"field": "query.cursor", "message": "invalid cursor"}]) from exc


def timeline_page(db: Database, conn: sqlite3.Connection, flt: queries.EventFilter, size: int,
                  cursor: queries.Cursor | None) -> bytes:
    """The JSON body of a timeline page: ``{"items": [...], "limit", "next_cursor"}``.

    Each entry (:func:`event_item`) is encoded once and kept by event id in ``db.items``
    until the database changes; only the rows of entries not yet encoded are read, so a
    page of known events costs one index query and a join of bytes.
    """
    db.state()  # empties db.items if the database changed since the last request
    ids, nxt = queries.list_event_ids(conn, flt, limit=size, cursor=cursor)
    encoded: dict[Any, bytes] = db.items.get_many(ids)
    if len(encoded) < len(ids):
        rows = queries.event_rows(conn, [i for i in ids if i not in encoded])
        for i, row in rows.items():
            item = json_bytes(event_item(queries.event_row(row)))
            db.items.put(i, item, len(item) + 64)
            encoded[i] = item
    tail = json_bytes({"limit": size, "next_cursor": nxt.encode() if nxt else None})
    return b'{"items":[' + b",".join(encoded[i] for i in ids if i in encoded) + b"]," + tail[1:]


def runs_inline(flt: queries.EventFilter) -> bool:
    """Whether a timeline query is cheap enough to run in the event loop (at most a few ms).

    Every filter but two goes through an index and stops at the page size; the worst of them
    (a country or status nobody has) reads the timeline index once, about 5 ms at 100k events.
    A free-text person (distinct names matched in Python, then a scan of the parties: 90 ms)
    and an organisation (read from each event's JSON: 0.5 s) run in a worker thread, so that
    they do not hold up the other requests of the process.
    """
    return not flt.org and not (flt.person and ":" not in flt.person)


@router.get("/events", summary="Events, newest first, filtered",
            openapi_extra={"parameters": query_parameters(EventQuery)})
async def api_events(request: Request) -> Response:
    """A page of the timeline and the cursor of the next page (``null`` at the end)."""
    query = EventQuery.parse(request)
    flt = query.event_filter()
    db, size, after = db_of(request), page_size(request, query.limit), parse_cursor(query.cursor)
    if runs_inline(flt):
        # In the event loop: a thread hop per request halves the requests/s (bench_web.py).
        body = timeline_page(db, db.conn(), flt, size, after)
    else:
        body = await run_in_threadpool(lambda: timeline_page(db, db.conn(), flt, size, after))
    return Response(body, media_type="application/json")


@router.get("/events/{event_id}", summary="One event with its sources and evidence")
def api_event(request: Request, event_id: str) -> Response:
    """An event by id or key, in the export format plus evidence sentences and a summary."""
    conn = conn_of(request)
    row = queries.get_event(conn, event_id)
    try:
        _, article = queries.get_article(conn, int(row["document_id"]))
    except Exception:
        article = None
    return JsonResponse(event_detail(row, article))


# --- stories -------------------------------------------------------------------------------


def story_item(item: dict[str, Any]) -> dict[str, Any]:
    """A story in a listing: sizes, fused dates and an English summary of the fused event."""
    fused: Event | None = item.get("fused")
    out = {k: v for k, v in item.items() if k != "fused"}
    out["summary"] = render.summary_en(fused) if fused else None
    out["links"] = {"self": f"/api/stories/{item['id']}", "page": f"/stories/{item['id']}"}
    return out


@router.get("/stories", summary="Stories: reports of one real-world event")
def api_stories(request: Request, limit: Limit = None, offset: Offset = 0) -> Response:
    """Stories with their sizes, largest first (an empty list before the clustering stage ran)."""
    size = page_size(request, limit)
    items = queries.list_stories(conn_of(request), limit=size, offset=offset)
    return JsonResponse({"items": [story_item(i) for i in items], "limit": size, "offset": offset})


@router.get("/stories/{story_id}", summary="One story")
def api_story(request: Request, story_id: str) -> Response:
    """A story: the fused event in the export format (with every source), conflicts, reports."""
    from marsad.export import event_record

    story = queries.get_story(conn_of(request), story_id)
    fused: Event | None = story["fused"]
    return JsonResponse({
        "id": story["id"],
        "info": story["info"],
        "summary": render.summary_en(fused) if fused else None,
        "fused": event_record(fused, story["sources"]) if fused else None,
        "conflicts": story["conflicts"],
        "events": [event_item(r) for r in story["events"]],
    })


# --- entities ------------------------------------------------------------------------------


@router.get("/entities", summary="People, offices, organisations")
def api_entities(
    request: Request,
    type: Annotated[Literal["PERSON", "ROLE", "ORG", "COUNTRY", "CITY", "REGION", "NATIONALITY", "OCCASION"] | None,
                    Query(description="entity type")] = None,
    q: Annotated[str | None, Query(max_length=200, description="part of a name (normalised)")] = None,
    limit: Limit = None,
    offset: Offset = 0,
) -> Response:
    """Entities with event (and mention) counts, most active first."""
    size = page_size(request, limit)
    items = queries.list_entities(conn_of(request), type=type, q=q, limit=size, offset=offset)
    return JsonResponse({"items": items, "limit": size, "offset": offset})


@router.get("/entities/{entity_id:path}", summary="One entity")
def api_entity(request: Request, entity_id: str) -> Response:
    """An entity: names, aliases, roles over time, events and mentions."""
    ent = queries.get_entity(conn_of(request), entity_id)
    ent["events"] = [event_item(r) for r in ent["events"]]
    return JsonResponse(ent)


# --- countries and relations ---------------------------------------------------------------


@router.get("/countries", summary="Countries with visits in and out")
def api_countries(request: Request) -> Response:
    """Every country that hosts or sends a visit, with counts."""
    conn = conn_of(request)
    rows = db_of(request).cached(("countries",), lambda: queries.countries_in_use(conn))
    items = [{**it, "name": render.country_label(it["code"], "en"),
              "name_ar": render.country_label(it["code"], "ar")} for it in rows]
    return JsonResponse({"items": items})


@router.get("/countries/{code}", summary="One country")
def api_country(request: Request, code: str) -> Response:
    """Visits in and out, partner countries, counterparts."""
    if not re.fullmatch(r"[A-Za-z]{2}", code):
        raise ApiError(422, "invalid", f"code: {code!r} is not an ISO 3166-1 alpha-2 code",
                       [{"field": "path.code", "message": "expected two letters"}])
    conn = conn_of(request)
    data = dict(db_of(request).cached(("country", code.upper()),
                                      lambda: queries.country_summary(conn, code)))
    data["visits_in"] = [event_item(r) for r in data["visits_in"]]
    data["visits_out"] = [event_item(r) for r in data["visits_out"]]
    data["name"] = render.country_label(data["code"], "en")
    data["name_ar"] = render.country_label(data["code"], "ar")
    return JsonResponse(data)


@router.get("/relations", summary="Who visited whom")
def api_relations(
    request: Request,
    date_from: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    type: Annotated[EventType | None, Query()] = None,
) -> Response:
    """Country pairs (visitor's country → host) and visitor → counterpart pairs."""
    conn = conn_of(request)
    db = db_of(request)
    start, end = check_date(date_from, "date_from"), check_date(date_to, "date_to")
    pairs = db.cached(("matrix", start, end, type),
                      lambda: queries.country_matrix(conn, date_from=start, date_to=end, type=type))
    people = db.cached(("network-api",), lambda: queries.people_network(conn))
    return JsonResponse({"countries": pairs, "people": people})


# --- articles and search -------------------------------------------------------------------


@router.get("/articles", summary="Articles, newest first")
def api_articles(request: Request, limit: Limit = None, offset: Offset = 0) -> Response:
    """Article headers with their event counts."""
    size = page_size(request, limit)
    items = queries.list_articles(conn_of(request), limit=size, offset=offset)
    return JsonResponse({"items": items, "limit": size, "offset": offset})


@router.get("/articles/{article_id}", summary="One article")
def api_article(request: Request, article_id: int) -> Response:
    """The whole article record (text, cleaning, times, mentions, entities, events)."""
    info, article = queries.get_article(conn_of(request), article_id)
    data = to_jsonable(article)
    data["clean_text"] = article.clean_text
    data["document"] = info
    return JsonResponse(data)


@router.get("/search", summary="Full-text search over articles")
def api_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="words; \"phrase\"; prefix*")],
    limit: Limit = None,
    offset: Offset = 0,
) -> Response:
    """Articles matching all words (Arabic normalised, proclitics and article ignored)."""
    size = page_size(request, limit)
    conn = conn_of(request)
    rows, total = queries.search_articles(conn, q, limit=size, offset=offset)
    terms = queries.parse_query(q).terms()
    items = []
    for r in rows:
        text = r.pop("clean_text") or ""
        spans = queries.highlight_terms(text, terms)
        r["snippet"] = "".join(s.text for s in render.snippet(text, spans))
        r["matches"] = len(spans)
        items.append(r)
    return JsonResponse({"items": items, "total": total, "limit": size, "offset": offset,
                         "index": "fts5" if queries.SEARCH_TABLE in queries.schema_tables(conn)
                         else "scan"})


# --- export --------------------------------------------------------------------------------


@router.get("/export", summary="Export events (PLOVER JSONL, CSV or GeoJSON)")
def api_export(
    request: Request,
    format: Annotated[Literal["jsonl", "csv", "geojson"], Query(description="output format")] = "jsonl",
    what: Annotated[Literal["events", "extractions"], Query(description="fused events or per-article")] = "events",
) -> Response:
    """The export contract of docs/FORMAT.md as a download (GeoJSON: one Point per event)."""
    from marsad.export import iter_events, iter_extractions, write_csv

    db = request.app.state.db

    def records() -> Iterator[dict[str, Any]]:
        conn = queries.connect_readonly(db.path)
        try:
            store = queries.store_view(conn, db.path)
            yield from (iter_events(store) if what == "events" else iter_extractions(store))
        finally:
            conn.close()

    def jsonl() -> Iterator[str]:
        for rec in records():
            yield json.dumps(rec, ensure_ascii=False) + "\n"

    def csv_rows() -> Iterator[str]:
        buf = io.StringIO()
        batch: list[dict[str, Any]] = []
        header = True
        for rec in records():
            batch.append(rec)
            if len(batch) >= 200:
                write_csv(batch, buf)
                yield _drop_header(buf.getvalue(), header)
                header = False
                buf.seek(0)
                buf.truncate()
                batch.clear()
        if batch or header:
            write_csv(batch, buf)
            yield _drop_header(buf.getvalue(), header)

    def geojson() -> Iterator[str]:
        from marsad.web.geo import geojson_feature

        yield '{"type":"FeatureCollection","features":['
        first = True
        for rec in records():
            yield ("" if first else ",") + json.dumps(geojson_feature(rec), ensure_ascii=False)
            first = False
        yield "]}\n"

    media = {"jsonl": "application/x-ndjson", "csv": "text/csv",
             "geojson": "application/geo+json"}[format]
    body = {"jsonl": jsonl, "csv": csv_rows, "geojson": geojson}[format]()
    return StreamingResponse(
        body, media_type=media + "; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="marsad-{what}.{format}"'},
    )


def _drop_header(text: str, keep: bool) -> str:
    if keep:
        return text
    return text.split("\n", 1)[1] if "\n" in text else ""


# --- ingest --------------------------------------------------------------------------------

_META = ("url", "title", "outlet", "author", "published", "lang")


def _raw_from_json(obj: Any, n: int) -> RawDocument:
    """A JSONL-style article object (``text`` or ``html`` plus metadata) as a raw document."""
    if not isinstance(obj, dict):
        raise ApiError(422, "invalid", f"item {n}: an article is a JSON object")
    text, html = obj.get("text"), obj.get("html")
    has_text = isinstance(text, str) and bool(text.strip())
    has_html = isinstance(html, str) and bool(html.strip())
    if not (has_text or has_html):
        raise ApiError(422, "invalid", f"item {n}: needs a non-empty 'text' or 'html' string")
    meta = SourceMeta(
        **{k: (str(obj[k]) if obj.get(k) not in (None, "") else None) for k in _META},
        external_id=str(obj["id"]) if obj.get("id") not in (None, "") else None,
    )
    line = json.dumps(obj, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return RawDocument(
        source="<http>", data=line, fmt="jsonl", record=n, meta=meta,
        payload=html if has_html else text, payload_kind="html" if has_html else "text",
    )


def _ingest(settings: Settings, db_path: Any, items: list[RawDocument]) -> dict[str, Any]:
    """Run the pipeline on ``items`` and store them (write connection, then closed)."""
    from marsad.cluster import update_stories
    from marsad.pipeline import run_batch
    from marsad.store import open_store

    store = open_store(db_path)
    try:
        # Stored, indexed for search and linked to its entities in one transaction per batch.
        summary = run_batch(items, settings, store)
        update_stories(store, settings.cluster)  # new events join stories or start them
        docs = []
        for sha in summary.new_ids:
            doc_pk = store.resolve_document_id(sha)
            _, article = store.get_article(doc_pk)
            docs.append({"id": doc_pk, "sha256": sha, "page": f"/articles/{doc_pk}",
                         "events": len(article.events)})
        return {
            "new": summary.new, "duplicate": summary.duplicate, "failed": summary.failed,
            "documents": docs,
            "failures": [{"stage": f.stage, "code": f.code, "reason": f.reason, "record": f.record}
                         for f in summary.failures],
        }
    finally:
        store.close()


@router.post("/ingest", summary="Ingest articles (only with web.ingest_token)", status_code=201)
async def api_ingest(request: Request) -> Response:
    """Store articles sent as JSON (one object or a list, JSONL fields) or as a file body.

    Needs ``Authorization: Bearer <web.ingest_token>``; without a configured token the
    endpoint does not exist (404). A file body's format is sniffed, or taken from ``?name=``.
    """
    settings = settings_of(request)
    token = settings.web.ingest_token
    if not token:
        raise ApiError(404, "not_found", f"no such path {request.url.path!r}")
    auth = request.headers.get("authorization", "")
    given = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise ApiError(403, "forbidden", "ingestion needs the ingest token as a Bearer token")
    limit = settings.ingest.max_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "too_large", f"body over ingest.max_bytes ({limit} bytes)")
    body = await request.body()
    if len(body) > limit:
        raise ApiError(413, "too_large", f"body over ingest.max_bytes ({limit} bytes)")
    if not body.strip():
        raise ApiError(422, "invalid", "empty body")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    items: list[RawDocument] = []
    if ctype in ("application/json", "application/x-ndjson", "application/jsonl"):
        try:
            if ctype == "application/json":
                parsed = json.loads(body.decode("utf-8-sig"))
                objs = parsed if isinstance(parsed, list) else [parsed]
            else:
                objs = [json.loads(line) for line in body.decode("utf-8-sig").splitlines()
                        if line.strip()]
        except (UnicodeDecodeError, ValueError) as exc:
            raise ApiError(422, "invalid", f"body is not valid JSON: {exc}") from exc
        if not objs or len(objs) > 1000:
            raise ApiError(422, "invalid", "send between 1 and 1000 articles")
        items = [_raw_from_json(obj, i + 1) for i, obj in enumerate(objs)]
    else:
        from marsad.ingest.sources import detect_format

        name = request.query_params.get("name") or "upload"
        fmt = detect_format(name, body[:4096], settings.ingest)
        if fmt not in ("text", "html"):
            raise ApiError(415, "unsupported_media_type",
                           f"send {fmt} as application/json or application/x-ndjson, or from the CLI")
        items = [RawDocument(source=f"<http>/{name}", data=body, fmt=fmt)]
    db = request.app.state.db

    def locked() -> dict[str, Any]:
        with db.write_lock:  # one writer at a time, taken in the worker thread
            return _ingest(settings, db.path, items)

    result = await run_in_threadpool(locked)
    return JsonResponse(result, status_code=201)
