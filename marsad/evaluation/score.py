"""Scoring extracted events against gold: event matching, per-slot precision/recall/F1, misses.

An extracted event matches a gold event of the same article when they agree on the host country
and on the visitor (by name, across scripts and spellings, or by country when the gold visitor is
an unnamed official). Matching is one-to-one, best pairs first. Each slot is then scored the usual
slot-filling way: a value equal to gold is a true positive, a wrong or spurious value a false
positive, a gold value missed or wrong a false negative. Unmatched events count against every
slot they fill.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from marsad.arabic import normalize
from marsad.evaluation.gold import GoldDoc, GoldEvent, GoldParty
from marsad.model import Article, Event, Party

SLOTS = (
    "type", "status", "visitor", "visitor_country", "host_country", "city", "start", "end",
    "counterparts", "inviter", "occasion", "topics", "delegation",
)

_HONORIFICS = frozenset(
    normalize(w)
    for w in (
        "السيد", "السيده", "الشيخ", "اللواء", "الفريق", "العميد", "العقيد", "الامير", "الدكتور",
        "معالي", "سعادة", "سمو", "صاحب", "الركن", "اول", "الجنرال", "الوزير", "المستشار",
        "sheikh", "cheikh", "prince", "m", "mr", "dr", "general", "gen", "minister",
    )
)
_CONNECTORS = frozenset({"بن", "ابن", "ولد", "bin", "ben", "ibn", "ould", "al", "el", "de", "la"})


def name_tokens(name: str) -> set[str]:
    """Comparable tokens of a person's name: no honorifics, no article, no 'bin'."""
    text = normalize(name).replace("-", " ").replace("'", " ")
    out: set[str] = set()
    for tok in re.findall(r"\w+", text):
        if tok in _HONORIFICS or tok in _CONNECTORS:
            continue
        if tok.startswith("ال") and len(tok) > 4:
            tok = tok[2:]
        if tok.startswith("عبد") and len(tok) > 4:
            out.add("عبد")
            tok = tok[3:]
            if tok.startswith("ال") and len(tok) > 3:
                tok = tok[2:]
        elif (tok.startswith("abdel") and len(tok) > 6) or (tok.startswith(("abdul", "abdal")) and len(tok) > 6):
            out.add("abd")
            tok = tok[5:]
        out.add(tok)
    return out


def names_match(pred: Iterable[str | None], gold: Iterable[str | None]) -> bool:
    """Whether any predicted form and any gold form name the same person.

    Two words in common, or the gold family name (its last word) among the predicted words, in
    either script: "حموشي" matches "عبد اللطيف الحموشي", "Hammouchi" matches "Abdellatif Hammouchi".
    """
    golds = [(name_tokens(g), _last(g)) for g in gold if g]
    for p in pred:
        if not p:
            continue
        pt = name_tokens(p)
        for gt, glast in golds:
            if len((pt & gt) - {"عبد", "abd"}) >= 2:
                return True
            if glast and glast in pt:
                return True
    return False


def _last(name: str | None) -> str | None:
    toks = sorted(name_tokens(name), key=len) if name else []
    if not toks:
        return None
    words = [t for t in re.findall(r"\w+", normalize(name or "").replace("-", " "))
             if t not in _CONNECTORS and t not in _HONORIFICS]
    if not words:
        return None
    last: str = words[-1]
    return last[2:] if last.startswith("ال") and len(last) > 4 else last


@cache
def _city_keys() -> dict[str, str]:
    from marsad.lexicon.load import load_tsv

    out: dict[str, str] = {}
    for row in load_tsv("cities.tsv"):
        key = row["key"]
        for form in [row.get("name_latin", ""), *row.get("latin_variants", "").split("|"),
                     *row.get("arabic_variants", "").split("|")]:
            if form.strip():
                out[normalize(form.strip())] = key
    return out


def city_key(name: str | None) -> str | None:
    """A comparable key for a city name in any script."""
    if not name:
        return None
    norm = normalize(name.strip())
    return _city_keys().get(norm, norm)


def _pred_names(p: Party | None) -> list[str | None]:
    return [p.name, p.name_latin] if p else []


def party_match(pred: Party | None, gold: GoldParty | None) -> bool:
    """Whether an extracted party is the gold party (by name, or by country if unnamed)."""
    if pred is None or gold is None:
        return False
    if gold.named:
        return names_match(_pred_names(pred), gold.names)
    return gold.country is not None and pred.country == gold.country


@dataclass(slots=True)
class Counts:
    """True positives, false positives, false negatives of one slot."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """TP / (TP + FP)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        """Counts and rates."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(slots=True)
class Report:
    """What an evaluation found."""

    events: Counts = field(default_factory=Counts)
    slots: dict[str, Counts] = field(default_factory=lambda: {s: Counts() for s in SLOTS})
    header: dict[str, Counts] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0
    missing_documents: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "documents": self.documents,
            "missing_documents": self.missing_documents,
            "events": self.events.as_dict(),
            "slots": {k: v.as_dict() for k, v in self.slots.items()},
            "header": {k: v.as_dict() for k, v in self.header.items()},
            "misses": self.misses,
            **self.extra,
        }


def _visitor_ok(p: Event, g: GoldEvent) -> bool:
    if g.visitor is None:
        return False
    if party_match(p.actor, g.visitor):
        return True
    # An unnamed gold visitor matches a named extraction of the same country.
    return not g.visitor.named and p.actor is not None and p.actor.country == g.visitor.country


def _score_pair(p: Event, g: GoldEvent) -> float:
    if g.host_country and p.host_country != g.host_country:
        return 0.0
    score = 0.0
    if _visitor_ok(p, g):
        score += 3
    elif g.visitor is not None and any(party_match(c, g.visitor) for c in p.counterparts) and (
        p.actor is not None and any(party_match(p.actor, gc) for gc in g.counterparts)
    ):
        score += 1.5  # visitor and host swapped
    elif (
        g.visitor is not None and p.actor is not None and g.visitor.country
        and p.actor.country == g.visitor.country
    ):
        score += 1
    else:
        return 0.0
    score += 1 if p.type == g.type else 0
    score += 0.5 if p.start and p.start.iso() == g.start else 0
    score += 0.5 if city_key(p.city.name_latin if p.city else None) == city_key(g.city) else 0
    return score


def match_events(pred: Sequence[Event], gold: Sequence[GoldEvent]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(pred_index, gold_index)``, best first."""
    scored = sorted(
        ((_score_pair(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score <= 0 or i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def _value(slot: str, e: Event) -> Any:
    if slot == "type":
        return e.type
    if slot == "status":
        return e.status
    if slot == "visitor":
        return e.actor if e.actor and (e.actor.name or e.actor.title) else None
    if slot == "visitor_country":
        return e.actor.country if e.actor else None
    if slot == "host_country":
        return e.host_country
    if slot == "city":
        return (e.city.name_latin or e.city.name) if e.city else None
    if slot == "start":
        return e.start.iso() if e.start else None
    if slot == "end":
        return e.end.iso() if e.end else None
    if slot == "inviter":
        return e.inviter
    if slot == "occasion":
        return e.occasion.name if e.occasion else None
    if slot == "delegation":
        return e.delegation or None
    raise KeyError(slot)


def _gold_value(slot: str, g: GoldEvent) -> Any:
    if slot == "visitor":
        return g.visitor
    if slot == "visitor_country":
        return g.visitor.country if g.visitor else None
    if slot == "delegation":
        return g.delegation or None
    value: Any = getattr(g, slot)
    return value


def _equal(slot: str, p: Event, g: GoldEvent) -> bool:
    if slot == "visitor":
        return _visitor_ok(p, g)
    if slot == "inviter":
        return party_match(p.inviter, g.inviter)
    if slot == "city":
        return city_key(_value("city", p)) == city_key(g.city)
    if slot == "occasion":
        # Gold occasions are free text, often in another language: presence is what is scored.
        return p.occasion is not None and g.occasion is not None
    return bool(_value(slot, p) == _gold_value(slot, g))


def score_document(report: Report, doc: GoldDoc, article: Article | None, pred: list[Event]) -> None:
    """Add one document's counts to ``report``."""
    report.documents += 1
    if doc.header and article is not None:
        for name in ("outlet", "author", "published", "title"):
            counts = report.header.setdefault(name, Counts())
            gv = getattr(doc, name)
            pv = getattr(article, name)
            if name == "published":
                pv = pv.iso() if pv else None
            if pv is not None and pv == gv:
                counts.tp += 1
            else:
                if pv is not None:
                    counts.fp += 1
                if gv is not None:
                    counts.fn += 1
    pairs = match_events(pred, doc.events)
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    report.events.tp += len(pairs)
    report.events.fp += len(pred) - len(pairs)
    report.events.fn += len(doc.events) - len(pairs)
    for i, j in pairs:
        p, g = pred[i], doc.events[j]
        wrong: dict[str, Any] = {}
        for slot in SLOTS:
            c = report.slots[slot]
            if slot == "counterparts":
                _score_counterparts(c, p, g)
                continue
            if slot == "topics":
                pt, gt = _pred_topics(p), g.topics
                c.tp += len(pt & gt)
                c.fp += len(pt - gt)
                c.fn += len(gt - pt)
                if pt != gt:
                    wrong[slot] = {"extracted": sorted(pt), "gold": sorted(gt)}
                continue
            pv, gv = _value(slot, p), _gold_value(slot, g)
            if pv is None and gv is None:
                continue
            if pv is not None and gv is not None and _equal(slot, p, g):
                c.tp += 1
                continue
            if pv is not None:
                c.fp += 1
            if gv is not None:
                c.fn += 1
            wrong[slot] = {"extracted": _show(pv), "gold": _show(gv)}
        if wrong:
            report.misses.append({"doc": doc.key, "event": p.id, "kind": "slots", "slots": wrong})
    for i, p in enumerate(pred):
        if i not in matched_p:
            for slot in SLOTS:
                v = _pred_topics(p) if slot == "topics" else (
                    p.counterparts if slot == "counterparts" else _value(slot, p))
                if v:
                    report.slots[slot].fp += len(v) if slot in ("topics", "counterparts") else 1
            report.misses.append({"doc": doc.key, "kind": "spurious", "event": _describe(p)})
    for j, g in enumerate(doc.events):
        if j not in matched_g:
            for slot in SLOTS:
                v = g.topics if slot == "topics" else (
                    g.counterparts if slot == "counterparts" else _gold_value(slot, g))
                if v:
                    report.slots[slot].fn += len(v) if slot in ("topics", "counterparts") else 1
            report.misses.append({"doc": doc.key, "kind": "missed", "gold": _describe_gold(g)})


def _pred_topics(p: Event) -> set[str]:
    from marsad.extract.topics import topic_family

    return {topic_family(t) for t in p.topics}


def _score_counterparts(c: Counts, p: Event, g: GoldEvent) -> None:
    used: set[int] = set()
    for gc in g.counterparts:
        hit = next(
            (k for k, pc in enumerate(p.counterparts) if k not in used and party_match(pc, gc)), None
        )
        if hit is None:
            c.fn += 1
        else:
            used.add(hit)
            c.tp += 1
    c.fp += len(p.counterparts) - len(used)


def _show(v: Any) -> Any:
    if isinstance(v, Party):
        return {"name": v.name, "name_latin": v.name_latin, "title": v.title, "country": v.country}
    if isinstance(v, GoldParty):
        return {"names": v.names, "title": v.title, "country": v.country}
    return v


def _describe(p: Event) -> dict[str, Any]:
    return {
        "id": p.id, "type": p.type, "visitor": _show(p.actor), "host_country": p.host_country,
        "start": p.start.iso() if p.start else None,
    }


def _describe_gold(g: GoldEvent) -> dict[str, Any]:
    return {"type": g.type, "visitor": _show(g.visitor), "host_country": g.host_country,
            "start": g.start}


def overall(report: Report) -> float:
    """Micro-averaged slot F1 over every slot."""
    total = Counts()
    for c in report.slots.values():
        total.tp += c.tp
        total.fp += c.fp
        total.fn += c.fn
    return total.f1
