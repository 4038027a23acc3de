"""Topics discussed: a lexicon-backed taxonomy (marsad/lexicon/data/topics.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from marsad.arabic import NormText, PhraseMatcher, Token, match_spans, tokenize
from marsad.lexicon.load import load_yaml


@dataclass(frozen=True, slots=True)
class TopicHit:
    """A topic term found in the text."""

    topic: str
    start: int
    end: int


@cache
def taxonomy() -> dict[str, dict[str, str]]:
    """Topic key -> ``{"family", "ar", "en"}`` (labels for display)."""
    out = {}
    for key, entry in load_yaml("topics.yaml").items():
        label = entry.get("label") or {}
        out[key] = {"family": entry["family"], "ar": label.get("ar", key), "en": label.get("en", key)}
    return out


def topic_family(key: str) -> str:
    """The coarse family of a topic key (``other`` for specific ones and unknown keys)."""
    entry = taxonomy().get(key)
    return entry["family"] if entry else key if key in _families() else "other"


@cache
def _families() -> frozenset[str]:
    return frozenset(v["family"] for v in taxonomy().values())


@cache
def topic_terms() -> tuple[tuple[str, str], ...]:
    """Every ``(term, topic key)`` of the taxonomy."""
    out = []
    for key, entry in load_yaml("topics.yaml").items():
        for terms in (entry.get("terms") or {}).values():
            for term in terms:
                out.append((str(term), str(key)))
    return tuple(out)


@cache
def _matcher() -> PhraseMatcher[str]:
    m: PhraseMatcher[str] = PhraseMatcher()
    for term, key in topic_terms():
        m.add(term, key)
    return m


def find_topics(norm: NormText, tokens: list[Token] | None = None) -> list[TopicHit]:
    """Topic terms in a normalised text, as original-text spans."""
    toks = tokens if tokens is not None else tokenize(norm.text)
    hits = []
    for start, end, keys in match_spans(_matcher(), norm, toks):
        for key in keys:
            hits.append(TopicHit(key, start, end))
    return hits
