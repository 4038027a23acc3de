"""Personal names: where one starts, what belongs to it, where it ends.

Arabic names are runs of name words: given names, family names (often with the article:
"الحموشي"), particles that link parts ("بن", "ولد", "ال" of "آل خليفه"), compounds
("عبد" + name, "نور الدين"). A name ends at punctuation, at a title or honorific, at a place,
a nationality or an organisation, at a stop word (prepositions, time words, the verbs news puts
after a subject) and after five parts. A name that no title or honorific introduces must start
with a known given name (or "عبد"/"ابو") and have two parts at least.

Latin names (French and English articles) are runs of capitalised words with their particles
(bin, Al-, Ould...), introduced by a title or honorific, known to the KB, or starting with a
known given name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.arabic import stems
from marsad.extract.entities.segments import Segment
from marsad.lexicon.gazetteer import Gazetteer

#: A name never starts with a preposition + article ("للمشاركه", "بالرياض", "والوفد").
_NOT_FIRST = ("لل", "بال", "وال", "فال", "كال", "وبال", "ولل")
_PRONOUN_SUFFIXES = ("ته", "تها", "هم", "هما", "كم")
_PREPOSITIONS = frozenset({"في", "من", "الي", "عن", "مع", "الا", "او", "ثم"})
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")
_LATIN_WORD = re.compile(r"^[a-z]+$")
#: Lexicon kinds that end a name (unless the word is a known name word).
_NOT_NAME = frozenset({
    "head", "honorific", "domain", "filler", "former", "quantifier", "country", "nationality",
    "region", "region_adj", "org", "kind", "org_short", "kind_short", "occasion", "occ_strong",
    "occ_weak", "edition", "city", "latin_head", "latin_honorific",
})
_LATIN_PARTICLES = frozenset({"bin", "ben", "ibn", "bint", "al", "el", "ould", "de", "da", "del",
                              "di", "van", "von", "abu", "abou", "ait"})
_LATIN_STOPS = frozenset({
    "le", "la", "les", "the", "a", "an", "of", "and", "et", "du", "des", "son", "sa", "ses",
    "his", "her", "their", "with", "avec", "in", "en", "au", "aux", "on", "to", "par", "by",
    "pour", "for", "at", "from", "selon", "this", "cette", "ce", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "minister", "ministre", "interior", "interieur",
    "defense", "defence", "affairs", "affaires", "royaume", "kingdom", "majesty", "majeste",
    "roi", "king", "president", "state", "etat", "republic", "republique", "police",
    "ministry", "ministere", "cet", "article", "lire", "aussi", "plus", "related", "date",
    "dieu", "allah", "god", "excellence", "monsieur", "madame",
})


@dataclass(slots=True)
class NameParse:
    """A name read from tokens ``[i, j)``: its normalised words and its parts."""

    i: int
    j: int
    words: list[str]
    units: int
    latin: bool = False


def _is_arabic(word: str) -> bool:
    return bool(_ARABIC_WORD.match(word))


def plausible_after_title(name: NameParse, g: Gazetteer, *, quoted: bool = False) -> bool:
    """Whether a name read after a title or honorific is a name, not the clause after it.

    A word the lists know (a given name, a KB name word) makes it one. Otherwise: two parts
    or more (one unknown word after a title is usually a verb or a noun - "كشف", "ابلغه" - and a
    family name alone is caught by the surname pass once the full name is known), a first word
    that is not a present-tense verb ("تعكس اهتمام") nor a preposition + noun ("بضبط"), and not
    only definite nouns ("الحوزه الترابيه"). A quoted name must start with a known word.
    """
    if name.latin:
        return True
    words = g.words
    first = name.words[0]
    known = [w for w in name.words if w in words.given or w in g.kb_name_words]
    if name.units < 2 and first in words.ambiguous_given and first not in g.kb_name_words:
        return False  # "ولي عهده الامين", "المغفور له الحسن": an epithet or half a name
    if first in words.given or first in g.kb_name_words or first in ("عبد", "ابو"):
        return True
    if quoted or name.units < 2:
        return False
    if first[0] in "بلكوف" and first not in words.given:
        return False
    if first[0] in "تي" and len(first) >= 4:
        return False
    parts = [w for w in name.words if w not in words.particles]
    return bool(known) or not all(w.startswith("ال") for w in parts)


def is_preposition_ali(seg: Segment, k: int) -> bool:
    """Whether "علي" at token ``k`` is the preposition على rather than the name Ali."""
    if seg.word(k) != "علي":
        return False
    s, e = seg.span(k, k + 1)
    original = seg.text[s - seg.base : e - seg.base]
    if not original.endswith("ى"):
        return False
    # "محمد بن على كومان": after "بن" it is the name, whatever the spelling.
    return not (k > 0 and seg.word(k - 1) in ("بن", "ابن", "ولد"))


def name_word_ok(seg: Segment, k: int, g: Gazetteer, *, first: bool = True) -> bool:
    """Whether token ``k`` can be part of an Arabic name (``first``: as its first word)."""
    w = seg.word(k)
    if len(w) < 2 or not _is_arabic(w):
        return False
    words = g.words
    if w == "علي":
        return not is_preposition_ali(seg, k)
    if w in words.stops:
        return False
    known = w in words.given or w in g.kb_name_words
    if not known and w.startswith(_NOT_FIRST):
        return False  # "بالضيوف", "للمشاركه": a preposition and the article begin no name part
    if not known and w.endswith(_PRONOUN_SUFFIXES) and not w.startswith("ال") and len(w) > 4:
        return False  # "حكومته", "بلادها", "ضيوفهم": a noun with a possessive pronoun
    hit = seg.hits[k]
    if hit is not None:
        kinds = {t.kind for t in hit[2]}
        if kinds & {"kb_person", "kb_short"}:
            return True
        if kinds & _NOT_NAME and not known:
            return False
        if known and kinds & {"head", "honorific"} and (hit[1] or hit[0] > 1 or not first):
            # "والامير", "الامين العام", "... بن عبدالعزيز امير منطقه": a title, not a name
            return False
    if known:
        return True
    for plen, stem in stems(w)[1:]:
        if stem in words.stops or (plen and stem in words.particles):
            return False
    return True


#: Derived-noun prefixes (استفعال, انفعال): "استعداد", "انسحاب" follow a name, never end one.
_MASDAR_PREFIXES = ("است", "انس", "انت", "انط", "انف", "انق", "انع")


def _rank_as_family_name(seg: Segment, k: int) -> bool:
    """A one-word rank ("المقدم", "العميد") that no name follows is a family name."""
    hit = seg.hits[k]
    if hit is None or hit[0] != 1 or hit[1] or {t.kind for t in hit[2]} != {"honorific"}:
        return False
    n = len(seg.toks)
    if k + 1 >= n or seg.brk[k + 1]:
        return True
    nxt = seg.hits[k + 1]
    return nxt is not None and any(t.kind == "head" for t in nxt[2])


def _looks_like_noun_or_verb(w: str, units: int) -> bool:
    """A word after a name's first part that reads as a verbal noun or a present-tense verb."""
    if len(w) >= 6 and w.startswith(_MASDAR_PREFIXES):
        return True
    # "... الكريم يضم": a present-tense verb after a name of two parts or more.
    return units >= 2 and w[0] in "يتن"


def parse_name(seg: Segment, i: int, g: Gazetteer, *, anchored: bool) -> NameParse | None:
    """The Arabic name starting at token ``i``, or None."""
    n = len(seg.toks)
    words = g.words
    first = seg.word(i)
    known_first = first in words.given or first in g.kb_name_words
    if first.startswith(_NOT_FIRST) and not known_first:
        return None
    # "وكذا", "ومختلف": after a title, "و" + word starts the next clause, not a name.
    if anchored and first[0] in "وف" and len(first) > 3 and not known_first and seg.hits[i] is None:
        return None
    max_units = 5 if anchored else 4
    k = i
    units = 0
    out: list[str] = []
    after_particle = False
    while k < n and units < max_units:
        if k > i and seg.brk[k]:
            break
        w = seg.word(k)
        if after_particle:
            # After "بن"/"ولد"/"ال" the next word is a name part ("ولد الشيخ", "آل ثاني").
            after_particle = False
            if w in _PREPOSITIONS:
                out.pop()
                k -= 1
                break
            if w in ("عبد", "ابو") and k + 1 < n and not seg.brk[k + 1]:
                out += [w, seg.word(k + 1)]
                k += 2
            else:
                out.append(w)
                k += 1
            units += 1
            continue
        if w in words.particles and w not in words.compound_heads:
            nxt = seg.word(k + 1) if k + 1 < n else ""
            # After "بن"/"ولد"/"ال" the next word is a name part, whatever else it can be
            # ("ولد الشيخ", "آل خليفه").
            if k == i or not nxt or seg.brk[k + 1] or not _is_arabic(nxt) or nxt in _PREPOSITIONS:
                break
            out.append(w)  # "بن", "ولد", "ال": the next word is the part it links
            k += 1
            after_particle = True
            continue
        if k > i and _rank_as_family_name(seg, k):
            out.append(w)  # "محسن بن عوض المقدم مساعد ...": the rank word is a family name
            k += 1
            units += 1
            continue
        if not name_word_ok(seg, k, g, first=k == i):
            break
        if k > i and _looks_like_noun_or_verb(w, units) and w not in words.given and (
            w not in g.kb_name_words
        ):
            break
        if w in ("عبد", "ابو", "ام") and k + 1 < n and not seg.brk[k + 1]:
            tail = seg.word(k + 1)
            # After "عبد" any word is part of the name ("عبد الامير", "عبد الملك").
            if not (_is_arabic(tail) and len(tail) >= 2 and tail not in words.stops):
                break
            out += [w, seg.word(k + 1)]
            k += 2
        elif k + 1 < n and not seg.brk[k + 1] and seg.word(k + 1) in words.compound_tails:
            out += [w, seg.word(k + 1)]
            k += 2
        else:
            out.append(w)
            k += 1
        units += 1
    if after_particle:  # a particle left dangling by punctuation
        out.pop()
        k -= 1
    if units == 0:
        return None
    return NameParse(i, k, out, units)


def can_start_unanchored(seg: Segment, i: int, g: Gazetteer) -> bool:
    """Whether token ``i`` can start a name that no title or honorific introduces."""
    w = seg.word(i)
    words = g.words
    if w in ("عبد", "ابو"):
        return True
    if i + 1 < len(seg.toks) and not seg.brk[i + 1] and seg.word(i + 1) in words.compound_tails:
        return w in words.compound_heads or w in words.given  # "نور الدين", "عز الدين"
    return w in words.given and w not in words.ambiguous_given and w != "علي"


def unanchored_ok(seg: Segment, name: NameParse, g: Gazetteer) -> bool:
    """Whether an unintroduced name is convincing: two parts, the second a name word."""
    if name.units < 2:
        return False
    words = g.words
    first = name.words[0]
    rest = name.words[2:] if first in ("عبد", "ابو") else name.words[1:]
    if not rest:
        return False
    second = rest[0] if rest[0] not in words.particles else (rest[1] if len(rest) > 1 else "")
    if first in words.ambiguous_given:
        return second in words.given or second.startswith("ال") or second in g.kb_name_words
    return bool(second)


def _latin_cap(seg: Segment, k: int) -> bool:
    s, e = seg.span(k, k + 1)
    original = seg.text[s - seg.base : e - seg.base]
    return bool(original) and original[0].isupper()


def latin_word_ok(seg: Segment, k: int) -> bool:
    """Whether token ``k`` can be part of a Latin name (capitalised, not a known word)."""
    w = seg.word(k)
    if len(w) < 2 or not _LATIN_WORD.match(w) or w in _LATIN_STOPS:
        return False
    s, e = seg.span(k, k + 1)
    original = seg.text[s - seg.base : e - seg.base]
    if len(original) > 1 and original.isupper():
        return False  # "MAP", "DGSN": acronyms are not name parts
    hit = seg.hits[k]
    if hit is not None:
        kinds = {t.kind for t in hit[2]}
        if kinds & {"kb_person", "kb_short"}:
            return True
        if kinds & _NOT_NAME:
            return False
    return _latin_cap(seg, k)


def parse_latin_name(seg: Segment, i: int) -> NameParse | None:
    """The Latin name starting at token ``i`` ("Rashed bin Abdullah Al-Khalifa"), or None."""
    n = len(seg.toks)
    k = i
    units = 0
    out: list[str] = []
    while k < n and units < 6:
        if k > i and seg.brk[k]:
            break
        w = seg.word(k)
        if w in _LATIN_PARTICLES and k > i and k + 1 < n and not seg.brk[k + 1]:
            if latin_word_ok(seg, k + 1):
                out.append(w)
                k += 1
                continue
            break
        if not latin_word_ok(seg, k):
            break
        out.append(w)
        units += 1
        k += 1
    if units < 2:
        return None
    return NameParse(i, k, out, units, latin=True)
