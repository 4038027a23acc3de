"""Repeated paragraphs: scrapers often deliver a block twice; keep the first, record the rest.

Exact repeats are found on the normalised text without punctuation; near repeats (a word
changed, a comma added) by the Jaccard similarity of word 3-shingles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_PUNCT = re.compile(r"[^\w\s]")


def _key(norm: str) -> str:
    return " ".join(_PUNCT.sub(" ", norm).split())


def _shingles(key: str, k: int = 3) -> frozenset[tuple[str, ...]]:
    words = key.split()
    if len(words) < k:
        return frozenset({tuple(words)})
    return frozenset(tuple(words[i : i + k]) for i in range(len(words) - k + 1))


def jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    """Jaccard similarity of two shingle sets."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def find_repeats(
    texts: Sequence[str], threshold: float, min_words_near: int = 8
) -> list[tuple[int, int, float]]:
    """Repeated items as ``(index, index_of_first_occurrence, similarity)``.

    ``texts`` are normalised paragraphs in reading order.
    """
    keys = [_key(t) for t in texts]
    seen: dict[str, int] = {}
    kept: list[tuple[int, frozenset[tuple[str, ...]], int]] = []
    out: list[tuple[int, int, float]] = []
    for i, key in enumerate(keys):
        if not key:
            continue
        if key in seen:
            out.append((i, seen[key], 1.0))
            continue
        n_words = key.count(" ") + 1
        if n_words >= min_words_near:
            sh = _shingles(key)
            best, best_j = 0.0, -1
            for j, other, other_words in kept:
                # Paragraphs of very different length cannot reach the threshold.
                if min(n_words, other_words) < threshold * max(n_words, other_words):
                    continue
                sim = jaccard(sh, other)
                if sim > best:
                    best, best_j = sim, j
            if best >= threshold:
                out.append((i, best_j, best))
                continue
            kept.append((i, sh, n_words))
        seen[key] = i
    return out
