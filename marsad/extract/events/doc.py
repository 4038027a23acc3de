"""A sentence-level view of an article for the events stage.

Each sentence carries what the earlier stages found inside it (entity mentions, time
expressions) and what this stage looks for (triggers, cues, topics), all as spans of
``Article.text``, plus helpers to ask "which word comes before this mention?".
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from marsad.arabic import NormText, Token, normalize_with_map, split_sentences, tokenize
from marsad.extract.events.lexicon import Cue, Trigger, scan_sentence
from marsad.extract.topics import TopicHit
from marsad.model import Article, Entity, Field, Mention, Place, TimeExpr

PARTY_TYPES = frozenset({"PERSON", "ROLE"})
PLACE_TYPES = frozenset({"COUNTRY", "CITY"})


@dataclass(slots=True)
class Sentence:
    """One sentence and everything found in it (spans are offsets into ``Article.text``)."""

    idx: int
    start: int
    end: int
    para: int
    is_title: bool
    text: str
    norm: NormText
    tokens: list[Token]
    #: Original-text start of each token (for mapping a position to a token index).
    tok_starts: list[int]
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    topics: list[TopicHit] = field(default_factory=list)
    #: The sentence's parties, read once (``frames.parties_in``).
    parties: list[Any] | None = None

    def token_at(self, pos: int) -> int:
        """Index of the token that contains (or follows) original offset ``pos``."""
        i = bisect.bisect_right(self.tok_starts, pos) - 1
        return max(i, 0)

    def token_text(self, i: int) -> str:
        """Normalised text of token ``i`` ('' out of range)."""
        return self.tokens[i].text if 0 <= i < len(self.tokens) else ""

    def word_before(self, pos: int) -> str:
        """The normalised word before the token holding ``pos``, plus any clitic prefix.

        For "بالرياض" with ``pos`` at "الرياض" it returns "ب"; for "إلى الرياض" it returns "الي".
        """
        i = self.token_at(pos)
        tok = self.tokens[i] if self.tokens else None
        if tok is not None:
            tok_orig = self.norm.orig(tok.start) + self.start
            if tok_orig < pos:
                prefix = self.norm.text[tok.start : tok.start + (pos - tok_orig)]
                if prefix:
                    return prefix
        return self.token_text(i - 1)

    def has_cue(self, kind: str, before: int | None = None, after: int | None = None) -> list[Cue]:
        """Cues of ``kind``, optionally only those ending before / starting after a position."""
        return [
            c for c in self.cues
            if c.kind == kind and (before is None or c.end <= before)
            and (after is None or c.start >= after)
        ]


@dataclass(slots=True)
class DocView:
    """The sentences of an article and its entities by id."""

    article: Article
    sentences: list[Sentence]
    entities: dict[str, Entity]
    #: Country of the dateline city ("الكويت – العُمانية"): where the story was filed.
    dateline_country: str | None = None
    #: Trips the article tells (frame id -> (visitor party, host country)), filled by assembly.
    trips: dict[int, tuple[Any, str]] = field(default_factory=dict)
    #: The longest written form of each person entity (read once instead of per party).
    person_names: dict[str, str] = field(default_factory=dict)


def _dateline_country(article: Article) -> str | None:
    from marsad.lexicon.places import city_info, dateline_city

    for f in article.fields:
        if f.name == "dateline":
            key = dateline_city(f.value)
            info = city_info(key) if key else None
            if info is not None:
                return info[1]
    return None


def dateline_place(article: Article, country: str | None) -> tuple[Place, Field] | None:
    """The city of the article's dateline ("دمشق-سانا", "ROME, June 10 (WAM) --") when it lies
    in ``country``, with the dateline field (the evidence), or None."""
    from marsad.lexicon.places import city_info, dateline_city

    f = next((f for f in article.fields if f.name == "dateline"), None)
    key = dateline_city(f.value, country) if f is not None and country else None
    info = city_info(key) if key else None
    if f is None or info is None:
        return None
    return Place(name=f.value, name_latin=info[0], country=info[1], entity_id=f"city:{key}"), f


def _title_spans(article: Article) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in article.fields if f.name == "title"]


def build_view(article: Article) -> DocView:
    """Split the article into sentences and distribute mentions, times, triggers, cues, topics."""
    spans: list[tuple[int, int, int, bool]] = []
    for s, e in _title_spans(article):
        spans.append((s, e, -1, True))
    for p_idx, para in enumerate(article.paragraphs):
        # A paragraph joined from link-split lines keeps its newlines inside one sentence.
        for s, e in split_sentences(article.text, para.start, para.end):
            spans.append((s, e, p_idx, False))
    spans.sort()
    sentences: list[Sentence] = []
    text = article.text
    for idx, (s, e, p_idx, is_title) in enumerate(spans):
        chunk = text[s:e]
        norm = normalize_with_map(chunk)
        tokens = tokenize(norm.text)
        sent = Sentence(
            idx=idx, start=s, end=e, para=p_idx, is_title=is_title, text=chunk, norm=norm,
            tokens=tokens, tok_starts=[s + norm.orig(t.start) for t in tokens],
        )
        triggers, cues, topics = scan_sentence(norm, tokens)
        sent.triggers = [_shift_trigger(t, s) for t in triggers]
        sent.cues = [_shift_cue(c, s) for c in cues]
        sent.topics = [TopicHit(key, ts + s, te + s) for key, ts, te in topics]
        sentences.append(sent)
    starts = [st.start for st in sentences]

    def owner(pos: int) -> Sentence | None:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and sentences[i].start <= pos < sentences[i].end:
            return sentences[i]
        return None

    for m in article.mentions:
        holder = owner(m.start)
        if holder is not None:
            holder.mentions.append(m)
    for t in article.times:
        holder = owner(t.start)
        if holder is not None:
            holder.times.append(t)
    for sent in sentences:
        sent.mentions.sort(key=lambda m: (m.start, -m.end))
        sent.times.sort(key=lambda t: t.start)
        # A trigger inside a name is no trigger: "فيصل" is not ف + "يصل".
        names = [m for m in sent.mentions if m.type in ("PERSON", "ORG", "OCCASION")]
        sent.triggers = [
            t for t in sent.triggers
            if not any(m.start <= t.start and t.end <= m.end for m in names)
        ]
    longest: dict[str, str] = {}
    for m in article.mentions:
        if m.type == "PERSON" and m.entity_id and len(m.text) > len(longest.get(m.entity_id, "")):
            longest[m.entity_id] = m.text
    return DocView(
        article, sentences, {e.id: e for e in article.entities}, _dateline_country(article),
        person_names=longest,
    )


def _shift_trigger(t: Trigger, offset: int) -> Trigger:
    return Trigger(t.kind, t.tense, t.start + offset, t.end + offset, t.tok_start, t.tok_end)


def _shift_cue(c: Cue, offset: int) -> Cue:
    return Cue(c.kind, c.start + offset, c.end + offset, c.tok_start, c.tok_end)
