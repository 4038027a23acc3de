"""Near-duplicate articles: syndicated wire copy and re-posts, found by MinHash LSH.

An article's text is normalised (:func:`marsad.arabic.normalize`: alef forms, yeh, teh marbuta,
diacritics, digits, Latin case and accents), cut into overlapping word shingles, and summarised
by a MinHash signature (``datasketch``). Locality-sensitive hashing puts signatures in bands;
two articles that share a band are candidates, and their estimated Jaccard similarity decides.
Near-duplicates are linked, never deleted: a re-post is a source of its own (it shows who
carried the story) but not independent evidence, so fusion counts a group of copies once.

MinHash alone cannot tell events apart: two reports of one visit in official wording can
share fewer shingles than two reports of different visits by the same agency template. It
finds copies; :mod:`marsad.cluster.identity` decides what is one happening.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from marsad.arabic import normalize

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int) -> set[bytes]:
    """Word ``size``-grams of the normalised text, as bytes."""
    words = _WORD.findall(normalize(text))
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@lru_cache(maxsize=8)
def _template(num_perm: int) -> MinHash:
    return MinHash(num_perm=num_perm, seed=1)


def signature(text: str, size: int, num_perm: int) -> np.ndarray:
    """The MinHash signature (``num_perm`` unsigned ints) of a text's shingles."""
    tpl = _template(num_perm)
    m = MinHash(num_perm=num_perm, seed=1, permutations=tpl.permutations, scheme=tpl.scheme)
    sh = shingles(text, size)
    if sh:
        m.update_batch(list(sh))
    return np.asarray(m.hashvalues, dtype=np.uint64)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / float(len(a))


@lru_cache(maxsize=32)
def band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` that datasketch chooses for a threshold and signature size."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


def _band_digests(sig: np.ndarray, threshold: float) -> list[bytes]:
    bands, rows = band_shape(threshold, len(sig))
    return [
        hashlib.blake2b(np.ascontiguousarray(sig[i * rows : (i + 1) * rows], dtype=np.uint64).tobytes(),
                        digest_size=8, person=i.to_bytes(2, "big")).digest()
        for i in range(bands)
    ]


def band_keys(sig: np.ndarray, threshold: float) -> list[str]:
    """The LSH band keys of a signature as text (for the database)."""
    return [d.hex() for d in _band_digests(sig, threshold)]


def band_ints(sig: np.ndarray, threshold: float) -> list[int]:
    """The same band keys as integers (for the in-memory index: smaller than strings)."""
    return [int.from_bytes(d, "big") for d in _band_digests(sig, threshold)]


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """Two documents whose texts are near-copies."""

    a: str
    b: str
    jaccard: float


class NearDuplicateIndex:
    """An in-memory LSH index of document signatures."""

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.buckets: dict[int, list[str]] = {}
        self.signatures: dict[str, np.ndarray] = {}

    def add(self, doc: str, sig: np.ndarray) -> list[NearDuplicate]:
        """Index a document and return its near-duplicates among those indexed before."""
        if doc in self.signatures:
            return []
        found: dict[str, float] = {}
        keys = band_ints(sig, self.threshold)
        for key in keys:
            for other in self.buckets.get(key, ()):
                if other not in found:
                    found[other] = jaccard(sig, self.signatures[other])
        self.signatures[doc] = sig
        for key in keys:
            self.buckets.setdefault(key, []).append(doc)
        return [
            NearDuplicate(min(doc, other), max(doc, other), round(j, 4))
            for other, j in sorted(found.items())
            if j >= self.threshold
        ]

    def add_all(self, docs: Iterable[tuple[str, np.ndarray]]) -> list[NearDuplicate]:
        """Index many documents; every near-duplicate pair among them and the index."""
        out: list[NearDuplicate] = []
        for doc, sig in docs:
            out.extend(self.add(doc, sig))
        return out
