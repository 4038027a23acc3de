"""Load test of ``GET /api/events``: 100 concurrent clients over 100,000 stored events.

    python benchmarks/bench_web.py                          # build the database, then measure
    python benchmarks/bench_web.py --db /tmp/bench-web.db   # reuse (built if missing)
    python benchmarks/bench_web.py --events 100000 --clients 100 --seconds 20 --workers 2

The events are synthetic (actors, countries, dates, topics drawn at random) and are written
through the store API in bulk, 5 events per article, so the database has the shape a real one
has (events, parties, topics, articles with their JSON). The server is uvicorn in separate
processes, started as ``marsad serve --workers N`` starts it; the load generator is a small
asyncio HTTP/1.1 client (keep-alive, one connection per client) in this process, so the
figures include the cost of sharing the machine's cores with it.

Two runs, each ``--seconds`` long, over the same query mix (first pages, filters by country,
person, topic, type and date range, and pages two to five through ``next_cursor``):

* analysts: 100 clients, each pausing a random 0-2 s between requests (they do not all start
  at once): the latency people see;
* saturation: 100 clients with no pause: the most requests/s the server gives, and the
  latency when every client waits in the queue (latency = clients / throughput).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
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


def query_mix(rng: random.Random, people: list[dict[str, str]]) -> str:
    """One request's query string (a cursor is followed separately)."""
    kind = rng.random()
    params: dict[str, str] = {}
    if kind < 0.30:
        pass  # the first page of the whole timeline
    elif kind < 0.50:
        params["country"] = rng.choice(COUNTRIES)
        if rng.random() < 0.5:
            params["direction"] = rng.choice(["in", "out"])
    elif kind < 0.65:
        params["person"] = rng.choice(people)["id"]
    elif kind < 0.80:
        params["topic"] = rng.choice(TOPICS)
    elif kind < 0.90:
        y = rng.randint(2015, 2025)
        params["date_from"], params["date_to"] = f"{y}-{rng.randint(1, 6):02d}", f"{y}-12"
    else:
        params["type"] = rng.choice(["visit", "reception", "meeting"])
        params["country"] = rng.choice(COUNTRIES)
    return urlencode(params)


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> bytes:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
        elif name.lower() == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            body += await reader.readexactly(size + 2)
    else:
        body = await reader.readexactly(length)
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}: {body[:200]!r}")
    return body


async def _client(port: int, until: float, think: float, seed: int, people: list[dict[str, str]],
                  out: list[tuple[str, float]]) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    if think:
        await asyncio.sleep(rng.uniform(0, 2 * think))  # analysts do not all click at once
    try:
        while time.perf_counter() < until:
            query = query_mix(rng, people)
            pages = 1 if rng.random() < 0.7 else rng.randint(2, 5)
            cursor = None
            for page in range(pages):
                q = query + (("&" if query else "") + urlencode({"cursor": cursor}) if cursor else "")
                t0 = time.perf_counter()
                body = await _request(reader, writer, "/api/events" + (f"?{q}" if q else ""))
                out.append(("first" if page == 0 else "next", time.perf_counter() - t0))
                cursor = json.loads(body).get("next_cursor")
                if not cursor or time.perf_counter() >= until:
                    break
                if think:
                    await asyncio.sleep(rng.uniform(0, 2 * think))
            if think:
                await asyncio.sleep(rng.uniform(0, 2 * think))
    finally:
        writer.close()


def run_load(port: int, clients: int, seconds: float, think: float,
             people: list[dict[str, str]]) -> dict[str, Any]:
    """Run ``clients`` concurrent clients for ``seconds``; latency percentiles and throughput."""
    out: list[tuple[str, float]] = []

    async def drive() -> float:
        start = time.perf_counter()
        until = start + seconds
        await asyncio.gather(*(_client(port, until, think, i, people, out) for i in range(clients)))
        return time.perf_counter() - start

    cpu0 = time.process_time()
    elapsed = asyncio.run(drive())
    client_cpu = (time.process_time() - cpu0) / elapsed
    lat = sorted(x for _, x in out)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else float("nan")

    nxt = sorted(x for k, x in out if k == "next")
    return {
        "clients": clients, "think_s": think, "requests": len(lat),
        "requests_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(pct(lat, 0.50), 1), "p95_ms": round(pct(lat, 0.95), 1),
        "p99_ms": round(pct(lat, 0.99), 1), "mean_ms": round(statistics.fmean(lat) * 1000, 1),
        "p95_next_pages_ms": round(pct(nxt, 0.95), 1),
        "client_cpu_cores": round(client_cpu, 2),
    }


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """uvicorn in separate processes, as ``marsad serve --workers N`` starts it."""
    cmd = [sys.executable, "-m", "uvicorn", "marsad.web.app:app_from_environment", "--factory",
           "--http", "marsad.web.app:NoDelayH11Protocol",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
           "--workers", str(workers), "--no-access-log"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MARSAD_WEB_DB": str(db)}
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def main(argv: list[str] | None = None) -> int:
    """Build (if needed), serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "marsad-bench-web.db")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    if args.rebuild and args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
    if not args.db.exists():
        took = build_db(args.db, args.events)
        print(f"built {args.db}: {args.events} events in {took:.1f} s "
              f"({args.db.stat().st_size / 1e6:.0f} MB)")
    people = _people(random.Random(11))
    if not args.port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            args.port = sock.getsockname()[1]
    proc = start_server(args.db, args.port, args.workers)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/api") as r:
            counts = json.load(r)["counts"]
        print(f"serving {counts.get('events')} events with {args.workers} worker(s) "
              f"on {os.cpu_count()} cores")
        run_load(args.port, 10, 3, 0.0, people)  # warm-up: connections, page cache
        results = {
            "analysts": run_load(args.port, args.clients, args.seconds, 1.0, people),
            "saturation": run_load(args.port, args.clients, args.seconds, 0.0, people),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for name, res in results.items():
        print(f"{name:>10}: {res['clients']} clients, {res['requests']} requests, "
              f"{res['requests_per_s']} req/s, p50 {res['p50_ms']} ms, p95 {res['p95_ms']} ms, "
              f"p99 {res['p99_ms']} ms (next pages p95 {res['p95_next_pages_ms']} ms); "
              f"the load generator used {res['client_cpu_cores']} of a core")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
