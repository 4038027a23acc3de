"""The web app: :func:`create_app` builds the FastAPI application over one database.

The database is opened read-only (``mode=ro``), one connection per worker thread. Ingestion
over HTTP (``POST /api/ingest``) exists only when ``web.ingest_token`` is set, and then only
for requests that carry it as a Bearer token; it writes through the normal store.

Every 4xx and 5xx answer of the API has one shape, pinned by a test::

    {"error": {"code": "not_found", "message": "no event '42'", "status": 404}}

Pages get the same errors as an HTML page. Article text is untrusted: templates autoescape
everything and a Content-Security-Policy forbids inline scripts.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.errors import MarsadError, NotFoundError, StoreError
from marsad.settings import Settings, load_settings
from marsad.store import queries
from marsad.web import render
from marsad.web.i18n import Lang, choose_lang, translate

try:  # optional: a faster JSON encoder
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None  # type: ignore[assignment]

LOGGER = logging.getLogger(__name__)

T = TypeVar("T")

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
    415: "unsupported_media_type", 422: "invalid", 429: "too_many_requests",
    500: "internal", 503: "unavailable",
}

#: Megabytes per cache per worker process (see :func:`create_app`).
DEFAULT_CACHE_MB = 64

#: No inline script or style, nothing from another origin: a script injected into a page
#: through article text could not run even if escaping failed.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class ApiError(Exception):
    """An error answered in the one JSON error shape (or as an error page)."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class LruBytes:
    """A least-recently-used map bounded by the bytes of its values (thread-safe)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> Any:
        """The value under ``key`` (now the most recent), or None."""
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            self._items.move_to_end(key)
            return hit[0]

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, Any]:
        """The values present under ``keys`` (one lock for all of them)."""
        out: dict[Hashable, Any] = {}
        with self._lock:
            for key in keys:
                hit = self._items.get(key)
                if hit is not None:
                    self._items.move_to_end(key)
                    out[key] = hit[0]
        return out

    def put(self, key: Hashable, value: Any, nbytes: int) -> None:
        """Remember ``value`` (``nbytes`` long), dropping the least recent ones beyond the bound."""
        if nbytes > self.max_bytes // 8:  # one huge value would flush everything else
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._items[key] = (value, nbytes)
            self.size += nbytes
            while self.size > self.max_bytes and self._items:
                _, (_, n) = self._items.popitem(last=False)
                self.size -= n

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
            self.size = 0


class Database:
    """The database the app reads: one read-only connection per thread, caches per version.

    The app never writes through these connections, so everything computed from the database
    can be remembered until the database changes. :meth:`state` says when it does: the size
    and modification time of the database and its WAL file, and SQLite's ``data_version`` (a
    counter of commits by other connections, which catches a write inside the same clock tick).
    Every cache here is dropped when the state changes.
    """

    def __init__(self, path: str | Path, *, cache_mb: int = DEFAULT_CACHE_MB) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.write_lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._version_lock = threading.Lock()
        # Opened now so that a database that cannot be opened fails here, not on a request.
        self._version_conn: sqlite3.Connection | None = queries.connect_readonly(self.path)
        self._seen: tuple[int, ...] | None = None
        #: Encoded timeline entries by event id (see ``marsad.web.api``), about 1 KB each.
        self.items = LruBytes(cache_mb << 20)
        #: Whole API answers by normalised request (see :class:`_ResponseCache`).
        self.responses = LruBytes(cache_mb << 20)

    def conn(self) -> sqlite3.Connection:
        """This thread's read-only connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = queries.connect_readonly(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def state(self) -> tuple[int, ...]:
        """A fingerprint of the database: it changes whenever anyone writes to it.

        Costs two ``stat`` calls and one pragma (about 5 µs). When it differs from the last one
        seen, the caches keyed by event id or request are emptied.
        """
        out: list[int] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(str(self.path) + suffix)
            except OSError:
                out += [0, 0]
            else:
                out += [st.st_mtime_ns, st.st_size]
        with self._version_lock:
            if self._version_conn is None:
                self._version_conn = queries.connect_readonly(self.path)
            out.append(int(self._version_conn.execute("PRAGMA data_version").fetchone()[0]))
            state = tuple(out)
            if state != self._seen:
                self._seen = state
                self.items.clear()
                self.responses.clear()
        return state

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered until the database changes (for aggregates and facets).

        The value is shared between requests: callers must not modify it.
        """
        full = (key, self.state())
        with self._lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return cast(T, self._cache[full])
        value = compute()
        with self._lock:
            self._cache[full] = value
            while len(self._cache) > 256:
                self._cache.popitem(last=False)
        return value

    def close(self) -> None:
        """Close every connection opened so far."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
        with self._version_lock:
            if self._version_conn is not None:
                self._version_conn.close()
                self._version_conn = None


def json_bytes(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON (orjson when installed: 5-10 times faster than json)."""
    if orjson is not None:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    return json.dumps(value, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")


class JsonResponse(JSONResponse):
    """A JSON response encoded by :func:`json_bytes`."""

    def render(self, content: Any) -> bytes:
        """The body."""
        return json_bytes(content)


class _SecurityHeaders:
    """ASGI middleware adding security headers to every HTTP response (cheaper than BaseHTTP)."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


#: API paths whose GET answers are a function of the path, the query and the database only
#: (no cookie, header or language changes them). Export streams, docs are pages.
_UNCACHED = ("/api/export", "/api/ingest", "/api/docs", "/api/openapi.json")


def cacheable(path: str) -> bool:
    """Whether GET answers on ``path`` go through the response cache."""
    return (path == "/api" or path.startswith("/api/")) and not path.startswith(_UNCACHED)


def cache_key(path: str, query_string: bytes) -> str:
    """The response-cache key of a request: its path and its query, parameters sorted by name.

    Values are decoded (``%20``, ``+`` and a space are one key); repeated parameters keep
    their order, since the last one is the one that counts.
    """
    if not query_string:
        return path
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8",
                      errors="surrogateescape")
    pairs.sort(key=lambda kv: kv[0])  # stable: repeated names keep their order
    return path + "?" + urlencode(pairs, encoding="utf-8", errors="surrogateescape")


class _ResponseCache:
    """ASGI middleware answering repeated API GETs from memory, until the database changes.

    The app is read-only, so an answer depends only on the request and the database: a
    successful (200) JSON answer of a :func:`cacheable` path is kept under :func:`cache_key`
    and :meth:`Database.state`, and served again without routing, validation, SQL or encoding
    (a timeline page: about 0.1 ms of CPU with the HTTP work, against 0.7 ms computed). Any
    write to the database (``marsad ingest``, ``POST /api/ingest``) changes the state and
    empties the cache. Errors are never cached. The answer says ``x-cache: hit`` or ``miss``.
    One cache per worker process, in memory, bounded (``cache_mb``).
    """

    def __init__(self, app: Callable[..., Awaitable[None]], db: Database, enabled: bool) -> None:
        self.app = app
        self.db = db
        self.enabled = enabled

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if (not self.enabled or scope["type"] != "http" or scope["method"] != "GET"
                or not cacheable(scope["path"])):
            await self.app(scope, receive, send)
            return
        key = cache_key(scope["path"], scope.get("query_string", b""))
        state = self.db.state()
        hit = self.db.responses.get(key)
        if hit is not None:
            headers, body = hit
            await send({"type": "http.response.start", "status": 200,
                        "headers": [*headers, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        start: MutableMapping[str, Any] = {}
        chunks: list[bytes] = []
        whole = True

        async def capture(message: MutableMapping[str, Any]) -> None:
            nonlocal whole
            if message["type"] == "http.response.start":
                start.update(message)
                message["headers"] = [*message.get("headers", []), (b"x-cache", b"miss")]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                whole = whole and not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, capture)
        headers = list(start.get("headers", []))
        if (start.get("status") == 200 and whole and len(chunks) == 1
                and (b"content-type", b"application/json") in headers
                and not any(name == b"set-cookie" for name, _ in headers)
                and self.db.state() == state):
            self.db.responses.put(key, (headers, chunks[0]), len(chunks[0]) + 256)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The one error shape."""
    err: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details is not None:
        err["details"] = details
    return {"error": err}


def _error_response(request: Request, status: int, code: str, message: str,
                    details: Any = None) -> Response:
    if _is_api(request):
        return JsonResponse(error_body(status, code, message, details), status_code=status)
    lang = request_lang(request)
    env: Environment = request.app.state.templates
    html = env.get_template("error.html").render(
        **base_context(request, lang), status=status, code=code, message=message,
        title=translate(lang, "not_found" if status == 404 else "error"),
    )
    return HTMLResponse(html, status_code=status)


def request_lang(request: Request) -> Lang:
    """The interface language of a request."""
    return choose_lang(request.query_params.get("lang"), request.cookies.get("lang"),
                       request.headers.get("accept-language"))


def lang_url(request: Request, lang: str) -> str:
    """The current URL with ``lang`` set (for the language switch)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", lang))
    from urllib.parse import urlencode

    return request.url.path + "?" + urlencode(params)


def base_context(request: Request, lang: Lang) -> dict[str, Any]:
    """What every template gets: language, direction, translations, helpers."""

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    return {
        "request": request,
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "t": t,
        "other_lang": "en" if lang == "ar" else "ar",
        "switch_url": lang_url(request, "en" if lang == "ar" else "ar"),
        "country": lambda code: render.country_label(code, lang),
        "topic": lambda key: render.topic_label(key, lang),
        "path": request.url.path,
    }


_FROZEN = threading.Event()


def _freeze_startup_objects() -> None:
    """Hide what is loaded at startup from the garbage collector, once per process.

    FastAPI, pydantic, the lexicons and Babel live as long as the process; out of the
    collector's sight, a full collection no longer walks them (a full collection took about
    50 ms, with the event loop stopped: it showed in the p99 of the no-pause benchmark).
    """
    if not _FROZEN.is_set():
        _FROZEN.set()
        gc.collect()
        gc.freeze()


def create_app(db: str | Path, settings: Settings | None = None, *,
               cache_mb: int = DEFAULT_CACHE_MB, response_cache: bool = True) -> FastAPI:
    """The marsad web app over the database ``db`` (opened read-only).

    ``settings.web`` gives the page size and the ingest token; with no token, ``POST
    /api/ingest`` answers 404 as if it did not exist. ``cache_mb`` bounds each of the two
    in-memory caches of a worker process (whole API answers, encoded timeline entries);
    ``response_cache=False`` turns the first off (every request is computed).
    """
    from marsad import __version__ as version

    settings = settings or load_settings()
    database = Database(db, cache_mb=cache_mb)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        _freeze_startup_objects()
        yield
        database.close()

    app = FastAPI(
        title="marsad API",
        version=version,
        description="Official visits and meetings extracted from Arabic news, with evidence.",
        docs_url=None, redoc_url=None, openapi_url="/api/openapi.json", lifespan=lifespan,
    )
    app.state.db = database
    app.state.settings = settings
    app.state.templates = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True, lstrip_blocks=True,
    )

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return _error_response(request, exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> Response:
        return _error_response(request, 404, "not_found", exc.reason)

    @app.exception_handler(MarsadError)
    async def _marsad_error(request: Request, exc: MarsadError) -> Response:
        LOGGER.warning("marsad error on %s: %s", request.url.path, exc)
        return _error_response(request, 500, "internal", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path {request.url.path!r}"
        return _error_response(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"field": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors()
        ]
        message = "; ".join(f"{d['field']}: {d['message']}" for d in details) or "invalid request"
        return _error_response(request, 422, "invalid", message, details)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        LOGGER.exception("unhandled error on %s", request.url.path)
        return _error_response(request, 500, "internal", "internal error (see the server log)")

    from marsad.web.api import router as api_router
    from marsad.web.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(_ResponseCache, db=database, enabled=response_cache)
    app.add_middleware(_SecurityHeaders)  # added last: the outermost, so cached answers get it
    return app


def _set_no_delay(transport: Any) -> None:
    """Turn Nagle's algorithm off on a TCP transport (nothing on other sockets)."""
    import contextlib
    import socket

    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # not a TCP socket after all
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _no_delay_h11() -> type:
    """uvicorn's h11 protocol with ``TCP_NODELAY`` set on every connection."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class NoDelayH11Protocol(H11Protocol):
        """h11 with Nagle's algorithm off.

        With ``--workers`` uvicorn hands each worker a copy of the listening socket whose
        ``proto`` is 0, so asyncio does not set ``TCP_NODELAY`` on accepted connections; a
        response written as headers then body then waits for the client's delayed ACK (40 ms
        on Linux). Measured with benchmarks/bench_web.py: 5 clients, p50 44 ms -> 6 ms.
        """

        def connection_made(self, transport: Any) -> None:
            _set_no_delay(transport)
            super().connection_made(transport)

    return NoDelayH11Protocol


def _no_delay_httptools() -> type | None:
    """uvicorn's httptools protocol with ``TCP_NODELAY`` (None when httptools is absent)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return None

    class NoDelayHttpToolsProtocol(HttpToolsProtocol):
        """httptools (the C HTTP parser) with Nagle's algorithm off, as for h11 above.

        uvloop sets ``TCP_NODELAY`` itself; the plain asyncio loop does not under ``--workers``.
        """

        def connection_made(self, transport: Any) -> None:
            _set_no_delay(transport)
            super().connection_made(transport)

    return NoDelayHttpToolsProtocol


NoDelayH11Protocol = _no_delay_h11()
NoDelayHttpToolsProtocol = _no_delay_httptools()


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


#: What to pass as uvicorn's ``http`` option (``uvicorn --http``): httptools, a C parser, when
#: installed (``uvicorn[standard]``), else h11 (pure Python, about 0.3 ms more per request).
HTTP_PROTOCOL = ("marsad.web.app:NoDelayHttpToolsProtocol" if NoDelayHttpToolsProtocol is not None
                 else "marsad.web.app:NoDelayH11Protocol")
#: uvicorn's ``loop`` option: uvloop (libuv) when installed, else asyncio's own loop.
LOOP = "uvloop" if _has_module("uvloop") else "asyncio"
#: The options ``marsad serve`` gives ``uvicorn.run`` besides the app, host, port and workers.
UVICORN_OPTIONS: dict[str, Any] = {"http": HTTP_PROTOCOL, "loop": LOOP}

#: Environment variables :func:`app_from_environment` reads (set by ``marsad serve --workers``).
ENV_DB = "MARSAD_WEB_DB"
ENV_CONFIG = "MARSAD_WEB_CONFIG"
ENV_RESPONSE_CACHE = "MARSAD_WEB_RESPONSE_CACHE"


def app_from_environment() -> FastAPI:
    """The app for ``uvicorn --factory`` when several worker processes each build their own.

    uvicorn starts workers from an import string, so ``marsad serve --workers N`` passes the
    database (``MARSAD_WEB_DB``) and the settings file (``MARSAD_WEB_CONFIG``, optional) in
    the environment; ``MARSAD_WEB_RESPONSE_CACHE=0`` (response cache off) is for benchmarks.
    Nothing else reads these variables.
    """
    db = os.environ.get(ENV_DB)
    if not db:
        raise StoreError(f"{ENV_DB} is not set: start the app with `marsad serve --db FILE`")
    config = os.environ.get(ENV_CONFIG)
    cache = os.environ.get(ENV_RESPONSE_CACHE, "")
    return create_app(db, load_settings(Path(config) if config else None),
                      response_cache=cache.strip() not in ("0", "off", "no", "false"))


def conn_of(request: Request) -> sqlite3.Connection:
    """The request thread's read-only connection."""
    db: Database = request.app.state.db
    return db.conn()


def db_of(request: Request) -> Database:
    """The app's database."""
    db: Database = request.app.state.db
    return db


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings
