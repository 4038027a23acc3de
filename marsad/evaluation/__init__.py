"""Evaluation against gold files: events per slot, header fields, stories.

``marsad eval GOLD.jsonl`` scores what a database holds against a gold file in the format of
``../shared/seeds/gold.jsonl`` (see docs/GOLD.md) or of ``../shared/realdev/articles.jsonl``.
With ``ingest=True`` the gold's articles are ingested first (files next to a marsad gold file,
or the texts inside a realdev file).
"""

from __future__ import annotations

from pathlib import Path

from marsad.evaluation.gold import GoldDoc, load_gold
from marsad.evaluation.score import Report, overall, score_document
from marsad.model import Article, Event
from marsad.settings import Settings
from marsad.store import SqliteStore

__all__ = ["Report", "evaluate", "ingest_gold", "load_gold", "overall"]


def gold_sources(path: Path, docs: list[GoldDoc]) -> list[str]:
    """The inputs a gold file refers to."""
    if docs and docs[0].match_by == "external_id":
        return [str(path)]
    out = []
    for d in docs:
        name = d.key.partition("#")[0]
        candidate = path.parent / name
        if str(candidate) not in out:
            out.append(str(candidate))
    return out


def ingest_gold(path: str | Path, store: SqliteStore, settings: Settings) -> None:
    """Ingest the articles a gold file refers to (already stored ones are skipped)."""
    from marsad.ingest import iter_documents
    from marsad.pipeline import run_batch

    path = Path(path)
    docs = load_gold(path)
    run_batch(iter_documents(gold_sources(path, docs), settings.ingest), settings, store)
    from marsad.cluster import update_stories

    update_stories(store, settings.cluster)


def _lookup(store: SqliteStore, doc: GoldDoc) -> int | None:
    if doc.match_by == "external_id":
        return store.find_document(external_id=doc.key)
    return store.find_document(file_name=doc.key)


def evaluate(store: SqliteStore, path: str | Path) -> Report:
    """Score the database's articles and events against the gold file at ``path``."""
    docs = load_gold(path)
    report = Report()
    predicted: dict[str, list[str | None]] = {}
    for doc in docs:
        doc_pk = _lookup(store, doc)
        article: Article | None = None
        events: list[Event] = []
        if doc_pk is None:
            report.missing_documents.append(doc.key)
        else:
            _, article = store.get_article(doc_pk)
            events = store.events_of(doc_pk)
            predicted[doc.key] = [e.story_id for e in events if e.salience == "main"][:1] or [None]
        score_document(report, doc, article, events)
    report.extra["overall_slot_f1"] = round(overall(report), 4)
    stories = _story_scores(docs, predicted)
    if stories is not None:
        report.extra["stories"] = stories
    return report


def _story_scores(
    docs: list[GoldDoc], predicted: dict[str, list[str | None]]
) -> dict[str, float] | None:
    """Pairwise clustering precision/recall/F1 of articles into stories (gold ``story`` keys)."""
    keyed = [d for d in docs if d.story and d.key in predicted]
    if not any(p[0] for p in predicted.values()):
        return None
    tp = fp = fn = 0
    for i, a in enumerate(keyed):
        for b in keyed[i + 1 :]:
            same_gold = a.story == b.story
            pa, pb = predicted[a.key][0], predicted[b.key][0]
            same_pred = pa is not None and pa == pb
            if same_gold and same_pred:
                tp += 1
            elif same_pred:
                fp += 1
            elif same_gold:
                fn += 1
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"pairs_tp": tp, "pairs_fp": fp, "pairs_fn": fn, "precision": round(p, 4),
            "recall": round(r, 4), "f1": round(f, 4)}
