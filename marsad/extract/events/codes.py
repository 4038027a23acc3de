"""Event codes: PLOVER (event type, mode, context) and CAMEO.

PLOVER codes a visit as CONSULT with mode ``visit`` (or ``third-party``/``multilateral`` for
meetings held elsewhere or at a multilateral occasion) and agreed intelligence sharing as
COOPERATE with context ``intelligence``. CAMEO: 042 make a visit, 043 host a visit, 040 consult,
046 engage in negotiation, 064 share intelligence or information.
"""

from __future__ import annotations

from typing import Any

from marsad.model import Event

_INTEL = {"intelligence_sharing", "information_exchange"}


def plover(ev: Event) -> dict[str, Any]:
    """The PLOVER coding of an event."""
    mode = "visit"
    if ev.type == "meeting":
        host_is_party = ev.host_country in {
            ev.actor.country if ev.actor else None, *(c.country for c in ev.counterparts)
        }
        mode = "multilateral" if ev.occasion is not None else (
            "visit" if host_is_party else "third-party"
        )
    out: dict[str, Any] = {
        "event": "CONSULT",
        "mode": mode,
        "actor": ev.actor.country if ev.actor else None,
        "recipient": ev.host_country if ev.type != "meeting" or not ev.counterparts
        else ev.counterparts[0].country,
        "location": ev.host_country,
    }
    if ev.status == "planned":
        out["status"] = "planned"
    if _INTEL & set(ev.topics):
        out["also"] = [{"event": "COOPERATE", "context": ["intelligence"]}]
    return out


def cameo(ev: Event) -> list[str]:
    """CAMEO codes of an event (several where it is several things at once)."""
    codes: list[str] = []
    if ev.type in ("visit", "reception"):
        codes += ["042", "043"]
    else:
        codes.append("040")
        if "agreements" in ev.topics:
            codes.append("046")
    if "intelligence_sharing" in ev.topics:
        codes.append("064")
    return codes
