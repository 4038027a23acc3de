"""Load test of ``GET /api/events``: 100 concurrent clients over 100,000 stored events.

    python benchmarks/bench_web.py                          # build the database, then measure
    python benchmarks/bench_web.py --db /tmp/bench-web.db   # reuse (built if missing)
    python benchmarks/bench_web.py --client python          # the Python client instead of wrk
    python benchmarks/bench_web.py --events 100000 --clients 100 --seconds 20 --workers 2

The events are synthetic (actors, countries, dates, topics drawn at random) and are written
through the store API in bulk, 5 events per article, so the database has the shape a real one
has (events, parties, topics, articles with their JSON). The server is uvicorn in separate
processes, started with the options ``marsad serve --workers N`` uses
(:data:`marsad.web.app.UVICORN_OPTIONS`), access log off.

The queries are drawn from the data (the countries, person ids, topics and years the database
holds): first pages of the whole timeline, filters by country (and direction), person, topic,
type and date range, a few combined filters, and pages two to five through ``next_cursor``.
They are fetched once before the runs (following the real cursors) and written to a file, so
every run and both load generators send the same mix.

The load generator is Debian's ``wrk`` (C, ``apt-get install wrk``) driven by a Lua script
that picks a random request of the file; it uses a few percent of a core, so the server keeps
the machine. Without wrk, a small asyncio client in this process does the same (it takes a
part of the CPU the server needs: its figures are a lower bound). Runs, each ``--seconds``:

* analysts: 100 connections, each pausing a random 0-2 s before every request (they do not all
  start at once): the latency people see;
* no-pause: 100 connections that send the next request as soon as the last one is answered
  (closed loop): the most requests/s the server gives, and the latency when every connection
  waits in the queue (latency ~ connections / throughput);
* no-pause, response cache off: the same with every request computed
  (``MARSAD_WEB_RESPONSE_CACHE=0``), the bound for queries nobody asked before.

Both load generators are closed-loop: a slow answer delays that connection's next request,
so no-pause latencies are queueing times, not the latency of a fixed arrival rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]

COUNTRIES = ["MA", "DZ", "TN", "LY", "EG", "MR", "SA", "AE", "QA", "BH", "KW", "OM", "JO", "LB",
             "IQ", "SY", "YE", "TR", "ES", "FR", "IT", "PT", "DE", "GB", "US", "BE", "NL", "RU",
             "CN", "SN"]
CITIES = {"MA": ("الرباط", "Rabat"), "SA": ("الرياض", "Riyadh"), "ES": ("مدريد", "Madrid"),
          "FR": ("باريس", "Paris"), "AE": ("أبوظبي", "Abu Dhabi"), "QA": ("الدوحة", "Doha"),
          "EG": ("القاهرة", "Cairo"), "TR": ("أنقرة", "Ankara"), "PT": ("لشبونة", "Lisbon"),
          "JO": ("عمان", "Amman")}
TOPICS = ["terrorism", "extremism", "organized_crime", "illegal_migration", "drug_trafficking",
          "cybersecurity", "intelligence_sharing", "information_exchange", "training",
          "technology", "major_events_security", "border_security"]
GIVEN = ["محمد", "عبد الله", "خالد", "سعيد", "يوسف", "حسن", "عمر", "طارق", "كريم", "ناصر",
         "فيصل", "مراد", "سليم", "هشام", "رشيد"]
FAMILY = ["العلوي", "الشمري", "المنصوري", "التونسي", "الفاسي", "الكعبي", "الحربي", "بن علي",
          "الزعابي", "القحطاني", "السويدي", "العنزي", "الهاشمي", "الدوسري", "المري"]

#: wrk's Lua script: a random request of the paths file; an optional pause before each one.
WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local think_ms = tonumber(os.getenv("BENCH_THINK_MS") or "0")
local threads = {}
hits = 0

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("seed", #threads)
end

function init(args)
  math.randomseed(1000 + (seed or 0))
end

function response(status, headers, body)
  if headers["x-cache"] == "hit" then hits = hits + 1 end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

if think_ms > 0 then
  function delay()
    return math.random(0, 2 * think_ms)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local cached = 0
  for _, t in ipairs(threads) do cached = cached + (t:get("hits") or 0) end
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"status_errors":%d,'
    .. '"socket_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,'
    .. '"p99_us":%d,"max_us":%d,"mean_us":%.1f,"cache_hits":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, cached))
end
"""


def _people(rng: random.Random, n: int = 400) -> list[dict[str, str]]:
    out = []
    for i in range(n):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        out.append({"id": f"person:bench-{i}", "name": f"{given} {family}",
                    "latin": f"Person {i}", "country": rng.choice(COUNTRIES),
                    "title": rng.choice(["وزير الداخلية", "المدير العام للأمن الوطني",
                                         "رئيس جهاز المخابرات", "قائد الشرطة"])})
    return out


def build_db(path: Path, n_events: int, seed: int = 11, per_article: int = 5) -> float:
    """Write ``n_events`` synthetic events through the store, in bulk; return the seconds taken."""
    from marsad.model import Article, Event, Evidence, PartialDate, Party, Place, RawDocument, Span
    from marsad.store import open_store

    rng = random.Random(seed)
    people = _people(rng)
    t0 = time.perf_counter()
    with open_store(path) as store:
        batch: list[tuple[RawDocument, Article]] = []
        for a in range(n_events // per_article):
            text = (f"خبر رقم {a}: " + " ".join(
                f"زار {p['name']} {rng.choice(list(CITIES.values()))[0]} في زيارة عمل."
                for p in rng.sample(people, per_article)))
            raw = RawDocument(source=f"bench/{a}.txt", data=text.encode(), fmt="text")
            year = rng.randint(2015, 2025)
            article = Article(doc_id=raw.sha256, source=raw.source, fmt="text", text=text,
                              lang="ar", title=f"خبر رقم {a}",
                              outlet=rng.choice(["وكالة أ", "صحيفة ب", "موقع ج"]),
                              paragraphs=[Span(0, len(text))],
                              published=PartialDate(year, rng.randint(1, 12), rng.randint(1, 28)))
            for k in range(per_article):
                actor = rng.choice(people)
                host = rng.choice([c for c in COUNTRIES if c != actor["country"]])
                other = rng.choice([p for p in people if p["country"] == host] or people)
                r = rng.random()
                if r < 0.7:
                    start: PartialDate | None = PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
                elif r < 0.9:
                    start = PartialDate(None, rng.randint(1, 12), rng.randint(1, 28))
                else:
                    start = None
                city = CITIES.get(host)
                article.events.append(Event(
                    id=f"{raw.sha256[:12]}-e{k + 1}", doc_id=raw.sha256,
                    type=rng.choice(["visit", "visit", "reception", "meeting"]),
                    actor=Party(actor["id"], actor["name"], actor["latin"], actor["title"], None,
                                actor["country"]),
                    host_country=host, city=Place(city[0], city[1], host) if city else None,
                    start=start, end=start, date_precision=start.precision if start else "unknown",
                    counterparts=[Party(other["id"], other["name"], other["latin"], other["title"],
                                        None, other["country"])],
                    topics=rng.sample(TOPICS, rng.randint(1, 3)),
                    evidence=[Evidence("actor", actor["name"], 0, 10, "bench", 0, 60),
                              Evidence("host_country", host, 10, 20, "bench", 0, 60)],
                    confidence=round(rng.random(), 2),
                ))
            batch.append((raw, article))
            if len(batch) >= 1000:
                store.save_articles(batch)
                batch.clear()
        if batch:
            store.save_articles(batch)
        store.conn.execute("ANALYZE")
    return time.perf_counter() - t0


# --- the query mix, drawn from the data ------------------------------------------------------


@dataclass(frozen=True)
class QuerySpace:
    """What the database holds that a user can filter on."""

    countries: list[str]
    persons: list[str]
    topics: list[str]
    years: tuple[int, int]


def query_space(db: Path) -> QuerySpace:
    """The countries, person ids, topics and years of the stored events (read-only)."""
    from marsad.store import queries

    conn = queries.connect_readonly(db)
    try:
        countries = sorted({str(r[0]) for r in conn.execute(
            "SELECT host_country FROM events WHERE host_country IS NOT NULL "
            "UNION SELECT actor_country FROM events WHERE actor_country IS NOT NULL")})
        persons = [str(r[0]) for r in conn.execute(
            "SELECT DISTINCT entity_id FROM event_parties WHERE entity_id LIKE 'person:%' "
            "ORDER BY entity_id")]
        topics = [str(r[0]) for r in conn.execute(
            "SELECT DISTINCT topic FROM event_topics ORDER BY topic")]
        lo, hi = conn.execute(
            "SELECT min(substr(start, 1, 4)), max(substr(start, 1, 4)) FROM events "
            "WHERE start GLOB '[0-9][0-9][0-9][0-9]*'").fetchone()
    finally:
        conn.close()
    years = (int(lo), int(hi)) if lo else (2020, 2025)
    return QuerySpace(countries or COUNTRIES, persons, topics or TOPICS, years)


def query_mix(rng: random.Random, space: QuerySpace) -> str:
    """One session's first query string (its later pages follow ``next_cursor``)."""
    kind = rng.random()
    params: dict[str, str] = {}
    y = rng.randint(*space.years)
    if kind < 0.25:
        pass  # the first page of the whole timeline
    elif kind < 0.45:
        params["country"] = rng.choice(space.countries)
        if rng.random() < 0.5:
            params["direction"] = rng.choice(["in", "out"])
    elif kind < 0.60 and space.persons:
        params["person"] = rng.choice(space.persons)
    elif kind < 0.72:
        params["topic"] = rng.choice(space.topics)
    elif kind < 0.82:
        if rng.random() < 0.5:
            params["date_from"], params["date_to"] = f"{y}-{rng.randint(1, 6):02d}", f"{y}-12"
        else:
            m, d = rng.randint(1, 12), rng.randint(1, 21)
            params["date_from"], params["date_to"] = f"{y}-{m:02d}-{d:02d}", f"{y}-{m:02d}-{d + 7:02d}"
    elif kind < 0.92:
        params["type"] = rng.choice(["visit", "reception", "meeting"])
        params["country"] = rng.choice(space.countries)
    else:
        params["country"] = rng.choice(space.countries)
        params["topic"] = rng.choice(space.topics)
        params["date_from"] = str(y)
    return urlencode(params)


def sample_paths(base: str, space: QuerySpace, sessions: int, seed: int = 5) -> list[str]:
    """Request paths of ``sessions`` sessions: 70 % one page, 30 % two to five pages."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(sessions):
        query = query_mix(rng, space)
        pages = 1 if rng.random() < 0.7 else rng.randint(2, 5)
        cursor = None
        for _page in range(pages):
            q = "&".join(p for p in (query, urlencode({"cursor": cursor}) if cursor else "") if p)
            path = "/api/events" + (f"?{q}" if q else "")
            out.append(path)
            with urllib.request.urlopen(base + path, timeout=30) as resp:
                cursor = json.load(resp).get("next_cursor")
            if not cursor:
                break
    return out


# --- load generators -------------------------------------------------------------------------


def _pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else float("nan")


def run_wrk(base: str, paths_file: Path, connections: int, seconds: float,
            think_ms: int, threads: int = 2) -> dict[str, Any]:
    """``wrk`` with :data:`WRK_SCRIPT`; percentiles, requests/s and wrk's own CPU."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT)
        script = fh.name
    env = {**os.environ, "BENCH_PATHS": str(paths_file), "BENCH_THINK_MS": str(think_ms)}
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
           "--timeout", "10s", "-s", script, base]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    finally:
        os.unlink(script)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result:\n{proc.stdout}\n{proc.stderr}")
    raw = json.loads(line[6:])
    elapsed = raw["duration_us"] / 1e6
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "requests": raw["requests"], "requests_per_s": round(raw["requests"] / elapsed, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1), "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1), "max_ms": round(raw["max_us"] / 1000, 1),
        "mean_ms": round(raw["mean_us"] / 1000, 1),
        "errors": raw["status_errors"] + raw["socket_errors"] + raw["timeouts"],
        "mb_per_s": round(raw["bytes"] / elapsed / 1e6, 1),
        "cache_hit_ratio": round(raw["cache_hits"] / max(raw["requests"], 1), 3),
        "client_cpu_cores": round(cpu / elapsed, 2),
    }


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> bool:
    """Send one GET and read the answer; whether it came from the response cache."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    chunked = hit = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
        elif name.lower() == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name.lower() == b"x-cache":
            hit = value.strip() == b"hit"
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}")
    return hit


async def _client(port: int, until: float, think_ms: int, seed: int, paths: list[str],
                  out: list[tuple[float, bool]]) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while True:
            if think_ms:
                await asyncio.sleep(rng.uniform(0, 2 * think_ms) / 1000)
            if time.perf_counter() >= until:
                break
            t0 = time.perf_counter()
            hit = await _request(reader, writer, rng.choice(paths))
            out.append((time.perf_counter() - t0, hit))
    finally:
        writer.close()


def run_python(port: int, paths: list[str], connections: int, seconds: float,
               think_ms: int) -> dict[str, Any]:
    """The fallback load generator: asyncio clients in this process (they share its CPU)."""
    out: list[tuple[float, bool]] = []

    async def drive() -> float:
        start = time.perf_counter()
        until = start + seconds
        await asyncio.gather(*(_client(port, until, think_ms, i, paths, out)
                               for i in range(connections)))
        return time.perf_counter() - start

    cpu0 = time.process_time()
    elapsed = asyncio.run(drive())
    cpu = time.process_time() - cpu0
    lat = sorted(x for x, _ in out)
    return {
        "requests": len(lat), "requests_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(_pct(lat, 0.50), 1), "p95_ms": round(_pct(lat, 0.95), 1),
        "p99_ms": round(_pct(lat, 0.99), 1), "max_ms": round(lat[-1] * 1000, 1) if lat else 0.0,
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else 0.0, "errors": 0,
        "cache_hit_ratio": round(sum(h for _, h in out) / max(len(out), 1), 3),
        "client_cpu_cores": round(cpu / elapsed, 2),
    }


# --- the server ------------------------------------------------------------------------------


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its descendants, from /proc (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                todo += [int(k) for k in kids]
        except (OSError, ValueError, IndexError):
            continue
    return total


@contextmanager
def server(db: Path, port: int, workers: int, *, http: str | None, loop: str | None,
           response_cache: int | None, access_log: bool) -> Iterator[subprocess.Popen[bytes]]:
    """uvicorn in separate processes with ``marsad serve --workers N``'s options."""
    from marsad.web.app import ENV_DB, ENV_RESPONSE_CACHE, UVICORN_OPTIONS

    opts: dict[str, Any] = dict(UVICORN_OPTIONS)
    if http:
        opts["http"] = http
    if loop:
        opts["loop"] = loop
    cmd = [sys.executable, "-m", "uvicorn", "marsad.web.app:app_from_environment", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
           "--log-level", "info" if access_log else "warning"]
    for key, value in opts.items():
        if key == "access_log":
            continue
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    if not access_log:
        cmd.append("--no-access-log")
    env = {**os.environ, "PYTHONPATH": str(ROOT), ENV_DB: str(db)}
    if response_cache is not None:
        env[ENV_RESPONSE_CACHE] = str(response_cache)
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL if access_log else None,
                            stdout=subprocess.DEVNULL if access_log else None)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure(args: argparse.Namespace, paths_file: Path, paths: list[str], name: str,
            think_ms: int, response_cache: int | None) -> dict[str, Any]:
    """Start a server, warm it up, run one load, stop it."""
    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    with server(args.db, port, args.workers, http=args.http, loop=args.loop,
                response_cache=response_cache, access_log=args.access_log) as proc:
        load = os.getloadavg()[0]

        def load_run(connections: int, seconds: float, think: int) -> dict[str, Any]:
            if args.client == "wrk":
                return run_wrk(base, paths_file, connections, seconds, think)
            return run_python(port, paths, connections, seconds, think)

        load_run(10, args.warmup, 0)  # warm-up: connections, page cache, per-worker caches
        cpu0, t0 = _tree_cpu(proc.pid), time.perf_counter()
        res = load_run(args.clients, args.seconds, think_ms)
        server_cpu = (_tree_cpu(proc.pid) - cpu0) / (time.perf_counter() - t0)
    return {"run": name, "client": args.client, "connections": args.clients,
            "think_ms": f"0-{2 * think_ms}" if think_ms else "0", "workers": args.workers,
            "response_cache": "off" if response_cache == 0 else "on", **res,
            "server_cpu_cores": round(server_cpu, 2), "load_before": round(load, 2)}


def main(argv: list[str] | None = None) -> int:
    """Build (if needed), sample the queries, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "marsad-bench-web.db")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=100, help="concurrent connections")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up per server")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--sessions", type=int, default=2000, help="sessions in the query file")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto",
                        help="load generator (auto: wrk when installed)")
    parser.add_argument("--runs", default="analysts,no-pause,no-pause-uncached",
                        help="comma-separated: analysts, no-pause, no-pause-uncached")
    parser.add_argument("--http", default=None, help="uvicorn --http (default: the app's)")
    parser.add_argument("--loop", default=None, help="uvicorn --loop (default: the app's)")
    parser.add_argument("--access-log", action="store_true",
                        help="log every request, as `marsad serve` does (to /dev/null)")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "python"

    if args.rebuild and args.db.exists():
        for suffix in ("", "-wal", "-shm", ".paths"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
    if not args.db.exists():
        took = build_db(args.db, args.events)
        print(f"built {args.db}: {args.events} events in {took:.1f} s "
              f"({args.db.stat().st_size / 1e6:.0f} MB)")
    paths_file = Path(str(args.db) + ".paths")
    if not paths_file.exists() or paths_file.stat().st_mtime < args.db.stat().st_mtime:
        port = args.port or _free_port()
        with server(args.db, port, 1, http=args.http, loop=args.loop, response_cache=0,
                    access_log=False):
            paths = sample_paths(f"http://127.0.0.1:{port}", query_space(args.db), args.sessions)
        paths_file.write_text("\n".join(paths) + "\n")
    paths = paths_file.read_text().split()
    print(f"{len(paths)} requests in {paths_file} ({len(set(paths))} distinct); "
          f"load generator: {args.client}; {args.workers} worker(s) on {os.cpu_count()} cores")

    plan = {"analysts": (1000, None), "no-pause": (0, None), "no-pause-uncached": (0, 0)}
    results = []
    for name in args.runs.split(","):
        think_ms, cache = plan[name.strip()]
        res = measure(args, paths_file, paths, name.strip(), think_ms, cache)
        results.append(res)
        print(f"{res['run']:>18}: {res['connections']} connections, pause {res['think_ms']} ms, "
              f"{res['requests']} requests, {res['requests_per_s']} req/s, p50 {res['p50_ms']} ms, "
              f"p95 {res['p95_ms']} ms, p99 {res['p99_ms']} ms, errors {res['errors']}, "
              f"cache hits {res.get('cache_hit_ratio', 0):.0%}; "
              f"server {res['server_cpu_cores']} cores, {args.client} {res['client_cpu_cores']} "
              f"cores (load average before: {res['load_before']})", flush=True)
    print(json.dumps(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
