"""The ``marsad`` command: thin shells around library calls.

Each command builds settings from flags and files, calls the library, and prints a readable
table for a person or JSON (``--json``) for a program. Library errors become one-line CLI
errors with their code.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from marsad.errors import MarsadError
from marsad.model import Article, Failure, RawDocument, to_jsonable
from marsad.settings import Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])

console = Console(highlight=False, soft_wrap=True)
if not console.is_terminal:
    # Piped or captured output: wide enough for the tables not to wrap every word.
    console = Console(highlight=False, soft_wrap=True, width=160)
err_console = Console(stderr=True, highlight=False)


def _fail_cleanly(fn: F) -> F:
    """Turn library errors into a one-line message and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MarsadError as exc:
            err_console.print(f"[red]error:[/red] {exc}", markup=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


class Ctx:
    """Options shared by every command."""

    def __init__(self, config: Path | None, db: Path | None) -> None:
        self.config = config
        self.db_flag = db

    def settings(self, **overrides: dict[str, Any]) -> Settings:
        """Settings from the package defaults, the user file and the flags."""
        if self.db_flag is not None:
            overrides = {**overrides, "store": {**overrides.get("store", {}), "db": str(self.db_flag)}}
        return load_settings(self.config, **overrides)


def _db_option(fn: F) -> F:
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="SQLite database file (default: ./marsad.db, or store.db in the settings file).",
    )(fn)


def _ctx(ctx: click.Context, db: Path | None) -> Ctx:
    obj: Ctx = ctx.obj
    if db is not None:
        obj.db_flag = db
    return obj


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    help="A TOML settings file; any key overrides the package defaults.",
)
@_db_option
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="marsad")
@click.pass_context
def main(ctx: click.Context, config: Path | None, db: Path | None, verbose: int) -> None:
    """marsad: official visits and meetings from Arabic news, with evidence.

    Ingest articles, extract who visited whom, when, and what they discussed, and keep every
    value tied to the sentence that states it.
    """
    logging.basicConfig(
        level=logging.WARNING - 10 * min(verbose, 2), format="%(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = Ctx(config, db)


# --- ingest -----------------------------------------------------------------------------------


def _ingest(
    settings: Settings, paths: tuple[str, ...], quiet: bool
) -> tuple[Any, Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from marsad.ingest import iter_documents
    from marsad.pipeline import run_batch
    from marsad.store import open_store

    store = open_store(settings.store.db)
    items = list(iter_documents(paths, settings.ingest))
    if quiet or len(items) < 2:
        summary = run_batch(items, settings, store)
    else:
        with Progress(
            TextColumn("[bold]ingest[/bold]"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[last]}"), TimeElapsedColumn(),
            console=err_console, transient=True,
        ) as bar:
            task = bar.add_task("ingest", total=len(items), last="")

            def tick(item: RawDocument | Failure) -> None:
                bar.update(task, advance=1, last=Path(item.source).name[:40])

            summary = run_batch(items, settings, store, progress=tick)
    from marsad.cluster import update_stories

    update_stories(store, settings.cluster)  # new events join stories or start them
    return store, summary


def _print_summary(summary: Any, db: Path) -> None:
    err_console.print(
        f"[bold]{summary.new}[/bold] new, [bold]{summary.duplicate}[/bold] duplicate, "
        f"[bold]{summary.failed}[/bold] failed"
        + (f", {summary.warnings} with warnings" if summary.warnings else "")
        + f"  → {db}"
    )
    for f in summary.failures[:20]:
        where = f"{f.source}" + (f" #{f.record}" if f.record else "")
        err_console.print(f"  [red]failed[/red] {where} ({f.stage}): [{f.code}] {f.reason}")
    if len(summary.failures) > 20:
        err_console.print(f"  … and {len(summary.failures) - 20} more (marsad failures)")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--assume-year-from-ingest", is_flag=True,
    help="Let dates without a year take the ingest year (marked assumed). Off by default.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@_fail_cleanly
def ingest(
    ctx: click.Context, paths: tuple[str, ...], db: Path | None, quiet: bool,
    assume_year_from_ingest: bool, as_json: bool,
) -> None:
    """Read articles from files, folders, globs or stdin (-) and store them.

    Formats: plain text, HTML, JSONL (one article per line), WARC and WARC.gz. Re-running on
    the same input adds nothing; a file that cannot be read is recorded (see `marsad failures`)
    and the batch goes on.
    """
    dates: dict[str, Any] = {"assume_year_from_ingest": assume_year_from_ingest}
    if assume_year_from_ingest:
        import datetime as dt

        dates["ingest_date"] = dt.date.today().isoformat()
    settings = _ctx(ctx, db).settings(dates=dates)
    store, summary = _ingest(settings, paths, quiet or as_json)
    if as_json:
        click.echo(json.dumps({
            "new": summary.new, "duplicate": summary.duplicate, "failed": summary.failed,
            "warnings": summary.warnings, "db": str(settings.store.db),
            "failures": [to_jsonable(f) for f in summary.failures],
        }, ensure_ascii=False, indent=2))
    else:
        _print_summary(summary, settings.store.db)
    store.close()


# --- articles ---------------------------------------------------------------------------------


@main.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.option("--limit", default=100, show_default=True, help="How many articles.")
@click.option("--offset", default=0, help="Skip this many.")
@click.pass_context
@_fail_cleanly
def articles(ctx: click.Context, db: Path | None, as_json: bool, limit: int, offset: int) -> None:
    """List stored articles."""
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        rows = store.list_articles(limit, offset)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(show_lines=False)
    for col in ("id", "title", "outlet", "author", "published", "lang", "chars", "removed", "source"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            str(r["id"]), (r["title"] or "—")[:70], r["outlet"] or "—", r["author"] or "—",
            r["published"] or "—", r["lang"] or "", str(r["chars"]), str(r["n_removed"]),
            Path(r["source"]).name + (f"#{r['record']}" if r["record"] else ""),
        )
    console.print(table)


def _print_article(doc_id: int, article: Article, removed: bool, dates: bool = False) -> None:
    console.print(f"[bold]article {doc_id}[/bold]  {article.doc_id[:12]}  ({article.source})")
    for label, value in (
        ("title", article.title), ("outlet", article.outlet), ("author", article.author),
        ("published", article.published.iso() if article.published else None),
        ("lang", article.lang), ("url", article.url), ("encoding", article.encoding),
    ):
        if value:
            console.print(f"  {label:<10} {value}")
    for alt in article.alt_titles:
        console.print(f"  {'alt title':<10} {alt}")
    for w in article.warnings:
        console.print(f"  [yellow]warning[/yellow]   {w}")
    console.print()
    console.print(article.clean_text)
    if dates:
        from marsad.extract.dates import describe_time

        console.print()
        console.print(f"[bold]time expressions ({len(article.times)})[/bold]")
        for t in article.times:
            console.print("  " + _escape(describe_time(t)))
    if removed:
        console.print()
        console.print(f"[bold]removed by cleaning ({len(article.removals)})[/bold]")
        for r in article.removals:
            snippet = article.text[r.start : r.end].replace("\n", " ⏎ ")
            console.print(f"  [{r.start}:{r.end}] [cyan]{r.rule}[/cyan] — {r.reason}")
            console.print(f"      «{snippet[:160]}»")


@main.command()
@click.argument("ref")
@_db_option
@click.option("--removed", is_flag=True, help="Also show what cleaning removed and why.")
@click.option("--dates", "show_dates", is_flag=True,
              help="Also list each time expression with its span, resolution and reasoning.")
@click.option("--original", is_flag=True, help="Print the decoded original text instead.")
@click.option("--json", "as_json", is_flag=True, help="The whole article record as JSON.")
@click.pass_context
@_fail_cleanly
def show(
    ctx: click.Context, ref: str, db: Path | None, removed: bool, show_dates: bool, original: bool,
    as_json: bool,
) -> None:
    """Show one article (by id, content-hash prefix or external id), cleaned."""
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        doc_id, article = store.get_article(ref)
    if as_json:
        click.echo(json.dumps(to_jsonable(article), ensure_ascii=False, indent=2))
    elif original:
        click.echo(article.text)
    else:
        _print_article(doc_id, article, removed, show_dates)


@main.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.option("--warnings", "with_warnings", is_flag=True, help="Include warnings.")
@click.pass_context
@_fail_cleanly
def failures(ctx: click.Context, db: Path | None, as_json: bool, with_warnings: bool) -> None:
    """List inputs that could not be stored, with the stage and the reason."""
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        rows = store.list_failures(None if with_warnings else "error")
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print("no failures")
        return
    table = Table()
    for col in ("source", "record", "stage", "code", "reason", "attempts", "last seen"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            r["source"], str(r["record"] or ""), r["stage"], r["code"], r["reason"],
            str(r["attempts"]), r["last_seen"],
        )
    console.print(table)


# --- entities ---------------------------------------------------------------------------------


@main.command()
@_db_option
@click.option("--type", "etype", default=None,
              type=click.Choice(["PERSON", "ROLE", "ORG", "COUNTRY", "CITY", "REGION", "NATIONALITY", "OCCASION"]),
              help="Only entities of this type.")
@click.option("--limit", default=100, show_default=True, help="How many entities.")
@click.option("--offset", default=0, help="Skip this many.")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.pass_context
@_fail_cleanly
def entities(
    ctx: click.Context, db: Path | None, etype: str | None, limit: int, offset: int, as_json: bool
) -> None:
    """List entities (one per real person, body, place, occasion) with mention counts."""
    from marsad.store import open_store
    from marsad.store.entity_store import list_entities

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        rows = list_entities(store.conn, etype, limit, offset)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    for col in ("id", "type", "name", "latin", "country", "mentions", "articles"):
        table.add_column(col, overflow="fold")
    for r in rows:
        latin = (r["name_latin"] or "") + (" (translit.)" if r.get("latin_source") == "transliterated" else "")
        table.add_row(r["id"], r["type"], r["name"] or "", latin, r["country"] or "",
                      str(r["mentions"]), str(r["documents"]))
    console.print(table)


@main.command()
@click.argument("entity_id")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")
@click.pass_context
@_fail_cleanly
def entity(ctx: click.Context, entity_id: str, db: Path | None, as_json: bool) -> None:
    """Show one entity: aliases, roles over time, and every mention with its sentence."""
    from marsad.store import open_store
    from marsad.store.entity_store import get_entity

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        data = get_entity(store.conn, entity_id)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{data['id']}[/bold]  {data['type']}  {data.get('name') or ''}"
                  f"  {data.get('name_latin') or ''}  {data.get('country') or ''}")
    if data["aliases"]:
        console.print("  aliases: " + " · ".join(data["aliases"]))
    for role in data["roles"]:
        span = " – ".join(x for x in (role.get("first_seen"), role.get("last_seen")) if x)
        console.print(f"  role: {role['title']}" + (f" ({role['country']})" if role.get("country") else "")
                      + (f"  [{span}]" if span else ""))
    console.print(f"  {len(data['mentions'])} mentions")
    for m in data["mentions"][:50]:
        console.print(f"   article {m['document_id']} [{m['start']}:{m['end']}] «{m['text']}» ({m['rule']})")
        if m.get("sentence"):
            console.print(f"      {_escape(m['sentence'])}")


# --- events -----------------------------------------------------------------------------------


def _who(p: Any) -> str:
    if p is None:
        return "—"
    name = p.name or p.title or "?"
    return f"{name} ({p.country})" if p.country else name


def _events_table(rows: list[dict[str, Any]], store: Any) -> Table:
    table = Table()
    for col in ("id", "type", "visitor", "host", "city", "start", "end", "counterparts", "topics", "article"):
        table.add_column(col, overflow="fold")
    for r in rows:
        _, ev = store.get_event(r["id"])
        table.add_row(
            str(r["id"]),
            ev.type + (" (planned)" if ev.status == "planned" else ""),
            _who(ev.actor),
            ev.host_country or "—",
            (ev.city.name_latin or ev.city.name) if ev.city else "—",
            ev.start.iso() if ev.start else "—",
            ev.end.iso() if ev.end else "—",
            "; ".join(_who(c) for c in ev.counterparts[:3]) or "—",
            ", ".join(ev.topics[:4]) or "—",
            str(r["document_id"]),
        )
    return table


@main.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.option("--limit", default=100, show_default=True, help="How many events.")
@click.option("--country", default=None, help="Only events in or from this country (ISO code).")
@click.option("--actor", default=None, help="Only events with this entity id or name.")
@click.option("--topic", default=None, help="Only events with this topic key.")
@click.pass_context
@_fail_cleanly
def events(
    ctx: click.Context, db: Path | None, as_json: bool, limit: int, country: str | None,
    actor: str | None, topic: str | None,
) -> None:
    """List extracted events (visits, receptions, meetings)."""
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        rows = store.list_events(limit=limit, country=country, actor=actor, topic=topic)
        if as_json:
            click.echo(json.dumps(
                [{**r, "event": to_jsonable(store.get_event(r["id"])[1])} for r in rows],
                ensure_ascii=False, indent=2,
            ))
            return
        console.print(_events_table(rows, store))


@main.command()
@click.argument("ref")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="The event record as JSON.")
@click.pass_context
@_fail_cleanly
def event(ctx: click.Context, ref: str, db: Path | None, as_json: bool) -> None:
    """Show one event: every slot with its sentence and the evidence highlighted."""
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        row, ev = store.get_event(ref)
        _, article = store.get_article(row["document_id"])
    if as_json:
        click.echo(json.dumps(to_jsonable(ev), ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]event {row['id']}[/bold]  {ev.type} · {ev.status} · article {row['document_id']}"
                  f" ({Path(row['source']).name})  confidence {ev.confidence:.2f}")
    slots = [
        ("visitor", _who(ev.actor) + (f" — {ev.actor.title}" if ev.actor and ev.actor.title and ev.actor.name else "")),
        ("latin", ev.actor.name_latin if ev.actor else None),
        ("host", ev.host_country),
        ("city", (ev.city.name + (f" / {ev.city.name_latin}" if ev.city.name_latin else "")) if ev.city else None),
        ("start", ev.start.iso() if ev.start else None),
        ("end", ev.end.iso() if ev.end else None),
        ("dates", ev.date_reason),
        ("counterparts", "; ".join(_who(c) for c in ev.counterparts) or None),
        ("inviter", _who(ev.inviter) if ev.inviter else None),
        ("occasion", ev.occasion.name if ev.occasion else None),
        ("delegation", "yes" if ev.delegation else None),
        ("from", ev.previous_stop),
        ("topics", ", ".join(ev.topics) or None),
        ("cameo", ", ".join(ev.cameo)),
        ("plover", f"{ev.plover.get('event')} / {ev.plover.get('mode')}" if ev.plover else None),
    ]
    for label, value in slots:
        if value:
            console.print(f"  {label:<13} {value}")
    console.print()
    console.print("[bold]evidence[/bold]")
    for e in ev.evidence:
        if e.sentence_start is None or e.sentence_end is None:
            continue
        sentence = article.text[e.sentence_start : e.sentence_end]
        a, b = e.start - e.sentence_start, e.end - e.sentence_start
        console.print(f"  [cyan]{e.slot}[/cyan] ({e.rule})")
        console.print(
            "    " + _escape(sentence[:a]) + "[reverse]" + _escape(sentence[a:b]) + "[/reverse]"
            + _escape(sentence[b:]),
            markup=True,
        )


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text.replace("\n", " "))


@main.command()
@_db_option
@click.option("--what", type=click.Choice(["extractions", "events"]), default="events",
              show_default=True, help="Per-article extractions, or fused events.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.pass_context
@_fail_cleanly
def export(ctx: click.Context, db: Path | None, what: str, fmt: str, output: Path | None) -> None:
    """Export events in the stable format of docs/FORMAT.md (JSONL or CSV)."""
    from marsad.export import iter_events, iter_extractions, write_csv, write_jsonl
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        records = iter_extractions(store) if what == "extractions" else iter_events(store)
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            n = (write_csv if fmt == "csv" else write_jsonl)(records, out)
        finally:
            if output:
                out.close()
    err_console.print(f"{n} {what} written" + (f" to {output}" if output else ""))


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_db_option
@click.option("--ingest", "do_ingest", is_flag=True,
              help="Ingest the gold's articles first (files next to it, or its texts).")
@click.option("--json", "as_json", is_flag=True, help="The full report as JSON.")
@click.option("--misses", default=20, show_default=True, help="How many misses to list.")
@click.pass_context
@_fail_cleanly
def eval_(ctx: click.Context, gold: Path, db: Path | None, do_ingest: bool, as_json: bool, misses: int) -> None:
    """Score the database against a gold file: per-slot precision, recall, F1 and misses."""
    from marsad.evaluation import evaluate, ingest_gold
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        if do_ingest:
            ingest_gold(gold, store, settings)
        report = evaluate(store, gold)
    data = report.as_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{gold} — {report.documents} articles")
    for col in ("slot", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(col)
    rows = [("events", report.events)] + list(report.slots.items()) + [
        (f"header.{k}", v) for k, v in report.header.items()
    ]
    for name, c in rows:
        table.add_row(name, f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}", str(c.tp), str(c.fp), str(c.fn))
    console.print(table)
    console.print(f"overall slot F1 {data['overall_slot_f1']:.3f}")
    if "stories" in data:
        st = data["stories"]
        console.print(f"stories (pairwise) P {st['precision']:.2f} R {st['recall']:.2f} F1 {st['f1']:.2f}")
    if report.missing_documents:
        console.print(f"[yellow]not in the database:[/yellow] {', '.join(report.missing_documents[:10])}")
    for miss in report.misses[:misses]:
        console.print(f"  [red]{miss['kind']}[/red] {miss['doc']}: "
                      + json.dumps({k: v for k, v in miss.items() if k not in ("kind", "doc")}, ensure_ascii=False))


# --- serve ------------------------------------------------------------------------------------


@main.command()
@_db_option
@click.option("--host", default=None, help="Address to listen on (default: web.host, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: web.port, 8000).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (each opens the database read-only).")
@click.pass_context
@_fail_cleanly
def serve(ctx: click.Context, db: Path | None, host: str | None, port: int | None,
          workers: int) -> None:
    """Serve the web app and the JSON API over a database, read-only.

    Pages at http://HOST:PORT/, API under /api (reference at /api/docs). POST /api/ingest is
    enabled only when web.ingest_token is set in the settings file.
    """
    import uvicorn

    from marsad.web import create_app
    from marsad.web.app import ENV_CONFIG, ENV_DB, HTTP_PROTOCOL

    obj = _ctx(ctx, db)
    settings = obj.settings()
    host = host or settings.web.host
    port = port or settings.web.port
    app = create_app(settings.store.db, settings)  # fails cleanly if the database is missing
    err_console.print(f"marsad: http://{host}:{port}/ (API docs at /api/docs) over {settings.store.db}")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, http=HTTP_PROTOCOL, log_level="info")
        return
    os.environ[ENV_DB] = str(settings.store.db)
    if obj.config is not None:
        os.environ[ENV_CONFIG] = str(obj.config)
    uvicorn.run("marsad.web.app:app_from_environment", factory=True, host=host, port=port,
                http=HTTP_PROTOCOL, workers=workers, log_level="info")


# --- stories ----------------------------------------------------------------------------------


def _print_stories_update(out: Any) -> None:
    err_console.print(
        f"stories: {out.new_events} new events, {out.stories_written} stories written, "
        f"{out.stories_total} in all, {out.near_duplicates} near-duplicate pairs"
    )


@main.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@click.option("--limit", default=50, show_default=True, help="How many stories.")
@click.option("--min-sources", default=1, show_default=True,
              help="Only stories reported by at least this many articles.")
@click.option("--country", default=None, help="Only stories hosted in this country (ISO code).")
@click.pass_context
@_fail_cleanly
def stories(
    ctx: click.Context, db: Path | None, as_json: bool, limit: int, min_sources: int,
    country: str | None,
) -> None:
    """List stories (every report of one real-world event), most sources first."""
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        rows = store.list_stories(limit=limit, min_documents=min_sources, country=country)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table()
    for col in ("story", "sources", "events", "visitor", "host", "start", "end", "conflicts"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["id"], str(r["n_documents"]), str(r["n_events"]), r["actor_name"] or "—",
                      r["host_country"] or "—", r["start"] or "—", r["end"] or "—",
                      str(r["n_conflicts"]))
    console.print(table)


@main.command()
@click.argument("ref")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="The fused event (export format) and conflicts as JSON.")
@click.pass_context
@_fail_cleanly
def story(ctx: click.Context, ref: str, db: Path | None, as_json: bool) -> None:
    """Show one story: the fused event, each source with its evidence, and the conflicts."""
    from marsad.export import event_record
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        info, st, sources = store.get_story(ref)
    ev = st.fused
    if as_json:
        click.echo(json.dumps(
            {"story": info, "event": event_record(ev, sources) if ev else None,
             "conflicts": st.conflicts, "event_keys": st.event_ids},
            ensure_ascii=False, indent=2,
        ))
        return
    console.print(f"[bold]story {st.id}[/bold]  {len(st.doc_ids)} sources · {len(st.event_ids)} events")
    if ev is not None:
        slots = [
            ("visitor", _who(ev.actor) + (f" / {ev.actor.name_latin}" if ev.actor and ev.actor.name_latin
                                          and ev.actor.name_latin != ev.actor.name else "")),
            ("type", ev.type + (" (planned)" if ev.status == "planned" else "")),
            ("host", ev.host_country),
            ("city", (ev.city.name + (f" / {ev.city.name_latin}" if ev.city.name_latin else "")) if ev.city else None),
            ("start", ev.start.iso() if ev.start else None),
            ("end", ev.end.iso() if ev.end else None),
            ("dates", ev.date_reason + (" (inferred)" if ev.date_inferred else "") if ev.date_reason else None),
            ("counterparts", "; ".join(_who(c) for c in ev.counterparts) or None),
            ("topics", ", ".join(ev.topics) or None),
            ("confidence", f"{ev.confidence:.2f}"),
        ]
        for label, value in slots:
            if value:
                console.print(f"  {label:<13} {_escape(str(value))}")
    console.print()
    table = Table(title="sources")
    for col in ("document", "outlet", "published", "lang", "evidence", "copies"):
        table.add_column(col, overflow="fold")
    for s in sources:
        table.add_row(str(s.get("document_id")), s.get("outlet") or "—", s.get("published") or "—",
                      s.get("lang") or "—", str(len(s["evidence"])),
                      ", ".join(d[:12] for d in s["near_duplicates"]) or "—")
    console.print(table)
    for c in st.conflicts:
        console.print(f"  [yellow]conflict[/yellow] {_escape(c['text'])}")


@main.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@_fail_cleanly
def recluster(ctx: click.Context, db: Path | None, as_json: bool) -> None:
    """Cluster every stored event into stories again from scratch (after a change of settings)."""
    from dataclasses import asdict

    from marsad.cluster import recluster as recluster_all
    from marsad.store import open_store

    settings = _ctx(ctx, db).settings()
    with open_store(settings.store.db) as store:
        out = recluster_all(store, settings.cluster)
    if as_json:
        click.echo(json.dumps(asdict(out), ensure_ascii=False, indent=2))
        return
    _print_stories_update(out)


# --- run: the main job -------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
@_fail_cleanly
def run(ctx: click.Context, paths: tuple[str, ...], db: Path | None, quiet: bool) -> None:
    """The main job: ingest PATHS, extract, and print the events found (and the articles)."""
    settings = _ctx(ctx, db).settings()
    store, summary = _ingest(settings, paths, quiet)
    _print_summary(summary, settings.store.db)
    rows = store.list_events(limit=10_000)
    if rows:
        console.rule(f"{len(rows)} events")
        console.print(_events_table(rows, store))
        console.print("details: marsad --db " + str(settings.store.db) + " event ID")
    else:
        for doc_id, article in store.iter_articles():
            console.rule(f"article {doc_id}")
            _print_article(doc_id, article, removed=False)
    store.close()


if __name__ == "__main__":  # pragma: no cover
    main()
