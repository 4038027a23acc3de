"""Trigger and cue lexicons of the events stage (marsad/lexicon/data/event_*.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from marsad.arabic import NormText, PhraseMatcher, Token, match_spans
from marsad.lexicon.load import load_yaml

#: Frame kinds a trigger can open.
KINDS = ("visit", "arrival", "visit_noun", "reception", "welcomed", "meeting")


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger word found in the text."""

    kind: str
    tense: str
    start: int
    end: int
    #: Index of the trigger's first and last token in the sentence's token list.
    tok_start: int
    tok_end: int


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue phrase (delegation, inviter, planned, negative, anaphora ...) found in the text."""

    kind: str
    start: int
    end: int
    tok_start: int
    tok_end: int


@cache
def trigger_matcher() -> PhraseMatcher[tuple[str, str]]:
    """Phrase -> (kind, tense)."""
    m: PhraseMatcher[tuple[str, str]] = PhraseMatcher()
    for kind, by_tense in load_yaml("event_triggers.yaml").items():
        for tense, phrases in by_tense.items():
            for phrase in phrases:
                m.add(str(phrase), (kind, tense))
    return m


@cache
def cue_matcher() -> PhraseMatcher[str]:
    """Phrase -> cue kind."""
    m: PhraseMatcher[str] = PhraseMatcher()
    for kind, phrases in load_yaml("event_cues.yaml").items():
        for phrase in phrases:
            m.add(str(phrase), kind)
    return m


@cache
def combined_matcher() -> PhraseMatcher[tuple[str, ...]]:
    """Triggers, cues and topics in one matcher (payloads tagged by lexicon), read in one pass."""
    from marsad.extract.topics import topic_terms

    m: PhraseMatcher[tuple[str, ...]] = PhraseMatcher()
    for kind, by_tense in load_yaml("event_triggers.yaml").items():
        for tense, phrases in by_tense.items():
            for phrase in phrases:
                m.add(str(phrase), ("trigger", kind, tense))
    for kind, phrases in load_yaml("event_cues.yaml").items():
        for phrase in phrases:
            m.add(str(phrase), ("cue", kind))
    for phrase, key in topic_terms():
        m.add(phrase, ("topic", key))
    return m


def scan_sentence(
    norm: NormText, tokens: list[Token]
) -> tuple[list[Trigger], list[Cue], list[tuple[str, int, int]]]:
    """Triggers (longest, non-overlapping), cues (all) and topics (longest, non-overlapping)."""
    m = combined_matcher()
    triggers: list[Trigger] = []
    cues: list[Cue] = []
    topics: list[tuple[str, int, int]] = []
    trig_until = topic_until = -1
    for i in range(len(tokens)):
        found = m.all_at(tokens, i)
        if not found:
            continue
        best_trig: tuple[int, int, tuple[str, ...]] | None = None
        best_topic: tuple[int, int, tuple[str, ...]] | None = None
        for n, plen, payloads in found:
            s, e = norm.orig_span(tokens[i].start + plen, tokens[i + n - 1].end)
            for p in payloads:
                if p[0] == "cue":
                    cues.append(Cue(p[1], s, e, i, i + n - 1))
                elif p[0] == "trigger":
                    if best_trig is None or n > best_trig[0]:
                        best_trig = (n, plen, p)
                elif best_topic is None or n > best_topic[0]:
                    best_topic = (n, plen, p)
        if best_trig is not None and i > trig_until:
            n, plen, p = best_trig
            s, e = norm.orig_span(tokens[i].start + plen, tokens[i + n - 1].end)
            triggers.append(Trigger(p[1], p[2], s, e, i, i + n - 1))
            trig_until = i + n - 1
        if best_topic is not None and i > topic_until:
            n, plen, p = best_topic
            s, e = norm.orig_span(tokens[i].start + plen, tokens[i + n - 1].end)
            topics.append((p[1], s, e))
            topic_until = i + n - 1
    return triggers, cues, topics


def find_triggers(norm: NormText, tokens: list[Token]) -> list[Trigger]:
    """Triggers in a sentence (one per match; the first payload wins)."""
    out = []
    m = trigger_matcher()
    for i, n, plen, payloads in m.finditer(tokens):
        kind, tense = payloads[0]
        s, e = norm.orig_span(tokens[i].start + plen, tokens[i + n - 1].end)
        out.append(Trigger(kind, tense, s, e, i, i + n - 1))
    return out


def find_cues(norm: NormText, tokens: list[Token]) -> list[Cue]:
    """Cue phrases in a sentence (all payloads of a phrase)."""
    out = []
    m = cue_matcher()
    for i, n, plen, payloads in m.finditer(tokens, overlapping=True):
        s, e = norm.orig_span(tokens[i].start + plen, tokens[i + n - 1].end)
        for kind in payloads:
            out.append(Cue(kind, s, e, i, i + n - 1))
    return out


__all__ = ["KINDS", "Cue", "Trigger", "cue_matcher", "find_cues", "find_triggers", "match_spans",
           "trigger_matcher"]
