"""The ``marsad`` command: thin shells around library calls.

Each command builds settings from flags and files, calls the library, and prints a readable
table for a person or JSON (``--json``) for a program. Library errors become one-line CLI
errors with their code.
"""

from __future__ import annotations

import functools
import json
import logging
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
    settings = _ctx(ctx, db).settings(dates={"assume_year_from_ingest": assume_year_from_ingest})
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


def _print_article(doc_id: int, article: Article, removed: bool) -> None:
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
@click.option("--original", is_flag=True, help="Print the decoded original text instead.")
@click.option("--json", "as_json", is_flag=True, help="The whole article record as JSON.")
@click.pass_context
@_fail_cleanly
def show(
    ctx: click.Context, ref: str, db: Path | None, removed: bool, original: bool, as_json: bool
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
        _print_article(doc_id, article, removed)


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


# --- run: the main job -------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
@_fail_cleanly
def run(ctx: click.Context, paths: tuple[str, ...], db: Path | None, quiet: bool) -> None:
    """The main job: ingest PATHS and print what was found."""
    settings = _ctx(ctx, db).settings()
    store, summary = _ingest(settings, paths, quiet)
    _print_summary(summary, settings.store.db)
    for doc_id, article in store.iter_articles():
        console.rule(f"article {doc_id}")
        _print_article(doc_id, article, removed=False)
    store.close()


if __name__ == "__main__":  # pragma: no cover
    main()
