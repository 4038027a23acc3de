"""Stories: every report of one real-world event in one story, fused into one event record.

A real visit is reported by several outlets, some copying each other, some in French or
English. The story stage links near-duplicate articles (:mod:`~marsad.cluster.neardup`),
decides which extracted events report one happening (:mod:`~marsad.cluster.identity`: the same
visitor, host country and compatible dates, with supporting facts and multilingual embeddings
as a secondary signal), groups them without chaining different visits together
(:mod:`~marsad.cluster.graph`), and fuses each story's reports into one event whose every slot
shows its sources and the values it did not choose (:mod:`~marsad.cluster.fusion`).

Entry points: :func:`update_stories` (incremental, after each ingest), :func:`recluster` (all
at once), :func:`cluster_all` and :func:`fuse` (in memory, no database).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from marsad.cluster.fusion import Source, fuse
    from marsad.cluster.graph import LinkParams, cluster_all, story_id
    from marsad.cluster.items import StoryItem, item_of
    from marsad.cluster.stories import StoryUpdate, params_of, recluster, update_stories

#: Where each public name lives. Imported on first use, so that the pipeline's Latin stage
#: (``marsad.cluster.latin``) does not load datasketch and scipy (0.6 s) with the package.
_EXPORTS = {
    "Source": "fusion", "fuse": "fusion",
    "LinkParams": "graph", "cluster_all": "graph", "story_id": "graph",
    "StoryItem": "items", "item_of": "items",
    "StoryUpdate": "stories", "params_of": "stories", "recluster": "stories",
    "update_stories": "stories",
}

__all__ = [
    "LinkParams",
    "Source",
    "StoryItem",
    "StoryUpdate",
    "cluster_all",
    "fuse",
    "item_of",
    "params_of",
    "recluster",
    "story_id",
    "update_stories",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'marsad.cluster' has no attribute {name!r}")
    return getattr(importlib.import_module(f"marsad.cluster.{module}"), name)
