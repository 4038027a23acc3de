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
#: Words of offices and institutions, capitalised in English titles ("Director General of
#: Security", "Lekhwiya Force", "Cairo International Airport"): never a name part, and a Latin
#: title runs over them to its name.
LATIN_OFFICE_WORDS = frozenset({
    "interior", "interieur", "interieure", "interieures", "defense", "defence", "affairs",
    "affaires", "police", "ministry", "ministere", "state", "etat", "republic", "republique",
    "kingdom", "royaume", "security", "securite", "surete", "public", "publique", "national",
    "nationale", "general", "generale", "generales", "directorate", "direction", "department",
    "departement", "force", "forces", "guard", "garde", "gendarmerie", "army", "armee", "navy",
    "air", "coast", "border", "borders", "customs", "douanes", "immigration", "intelligence",
    "renseignement", "agency", "agence", "council", "conseil", "office", "bureau", "service",
    "services", "authority", "autorite", "command", "commandement", "unit", "unite", "academy",
    "academie", "university", "universite", "institute", "institut", "center", "centre",
    "administration", "airport", "aeroport", "port", "international", "internationale", "royal",
    "royale", "federal", "federale", "civil", "civile", "civic", "presidency", "presidence",
    "government", "gouvernement", "cabinet", "embassy", "ambassade", "consulate", "consulat",
    "summit", "sommet", "conference", "forum", "delegation", "nations", "union", "league", "ligue",
    "organization", "organisation", "chief", "chef", "head", "director", "directeur", "directrice",
    "commander", "commandant", "secretary", "secretaire", "deputy", "adjoint", "assistant",
    "undersecretary", "highness", "excellency", "sheikh", "prince", "special", "speciale",
    "criminal", "judicial", "judiciaire", "investigation", "investigations", "protection",
    "emergency", "counter", "terrorism", "narcotics", "drug", "drugs", "anti", "traffic", "prison",
    "prisons", "penitentiary", "exterieure", "exterieures", "etrangeres", "homeland", "internal",
    "external", "foreign", "municipal", "regional", "supreme", "higher", "high", "joint", "staff",
    "operations", "territoire", "territoriale", "surveillance", "first", "acting", "vice",
    "premier", "delegue",
})
_LATIN_STOPS = _LATIN_STOPS | LATIN_OFFICE_WORDS


@dataclass(slots=True)
class NameParse:
    """A name read from tokens ``[i, j)``: its normalised words and its parts."""

    i: int
    j: int
    words: list[str]
    units: int
    latin: bool = False


def _clitic_article(word: str) -> bool:
    """Whether ``word`` reads as a proclitic + the article + a noun ("بالضيوف", "للمشاركه").

    The noun has three letters at least: "كالن" (Kalin) or "والي" are no such reading.
    """
    return any(word.startswith(p) and len(word) - len(p) >= 3 for p in _NOT_FIRST)


def _is_arabic(word: str) -> bool:
    return bool(_ARABIC_WORD.match(word))


def _core(word: str) -> str:
    """``word`` without its proclitics and article ("وبالاستقبال" -> "استقبال")."""
    w = word
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    if len(w) > 3 and w[0] in "بلك":
        w = "ال" + w[2:] if w.startswith("لل") else w[1:]
    if w.startswith("ال") and len(w) > 4:
        w = w[2:]
    return w


def is_verbal_noun(word: str) -> bool:
    """Whether ``word`` (proclitics and article included) has a derived verbal-noun shape.

    تفعيل ("تنفيذ", "تسهيل"), تفاعل ("تبادل", "تعاون"), استفعال ("استقبال"), انفعال
    ("انطلاق") and افتعال ("اجتماع"): nouns that follow a name ("... الكعبي تنفيذ"), never a
    name part. A word ending in ي is a nisba ("تواتي") and is left alone.
    """
    w = _core(word)
    n = len(w)
    if n < 5 or w.endswith("ي"):
        return False
    if n == 5 and w[0] == "ت":
        return w[3] == "ي" or w[2] == "ا"
    if n == 7:
        return w.startswith("است") and w[5] == "ا"
    if n == 6 and w[0] == "ا":
        return w[4] == "ا" and (w[1] == "ن" or w[2] == "ت")
    return False


def is_common_word(word: str, g: Gazetteer) -> bool:
    """Whether an unknown ``word`` is a common word, with or without proclitics, or a verbal noun.

    "برنامج", "بمستوي" (ب + مستوي), "لتسهيل" (ل + a verbal noun), "الاستقبال": never part of a
    personal name. Given names and KB name words are not asked (they always may be).
    """
    words = g.words
    if word in words.common:
        return True
    for _plen, stem in stems(word)[1:]:
        if stem in words.common or stem in words.stops:
            return stem not in words.given and stem not in g.kb_name_words
    if is_verbal_noun(word):
        core = _core(word)
        return core not in words.given and core not in g.kb_name_words
    return False


#: Members of the Arab League: names of their officials are Arabic names, which the lists know.
ARAB_STATES = frozenset({
    "MA", "DZ", "TN", "LY", "EG", "MR", "SD", "SO", "DJ", "KM", "SA", "AE", "QA", "BH", "KW",
    "OM", "YE", "JO", "LB", "SY", "IQ", "PS",
})


def plausible_after_title(name: NameParse, g: Gazetteer, *, quoted: bool = False,
                          foreign: bool = False) -> bool:
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
    if name.units < 2 and (first in words.ambiguous_given or first in words.clitic_given) and (
        first not in g.kb_name_words
    ):
        return False  # "ولي عهده الامين", "المغفور له الحسن": an epithet or half a name
    if first in words.given or first in g.kb_name_words or first in ("عبد", "ابو"):
        return True
    if quoted or name.units < 2:
        return False
    if foreign and not any(is_common_word(w, g) for w in name.words):
        # After "وزير الداخلية المالطي" comes a transliterated name ("بايرون كاميليري"), whose
        # first letter may look like a proclitic or a verb prefix.
        return not all(w.startswith("ال") for w in name.words)
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
    if not known and _clitic_article(w):
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
    return not is_common_word(w, g)


#: Derived-noun prefixes (استفعال, انفعال): "استعداد", "انسحاب" follow a name, never end one.
_MASDAR_PREFIXES = ("است", "انس", "انت", "انط", "انف", "انق", "انع")


#: Military and police ranks (titles.yaml honorifics) that are family names too ("المقدم").
_RANKS = frozenset({"major_general", "lieutenant_general", "general", "brigadier", "colonel",
                    "sheikh", "mr"})


def _rank_as_family_name(seg: Segment, k: int, g: Gazetteer) -> bool:
    """A one-word rank ("المقدم", "العميد", "السيد") that no name follows is a family name.

    No name follows when the rank ends the clause, or a title, a stop word or a common word
    comes next ("محسن بن عوض المقدم مساعد ...", "ايمن السيد مع الوفد").
    """
    hit = seg.hits[k]
    if hit is None or hit[0] != 1 or hit[1] or {t.kind for t in hit[2]} != {"honorific"}:
        return False
    if not seg.word(k).startswith("ال") or hit[2][0].key not in _RANKS:
        return False  # "سمو", "معالي": a form of address is never a family name
    n = len(seg.toks)
    if k + 1 >= n or seg.brk[k + 1]:
        return True
    nxt = seg.hits[k + 1]
    if nxt is not None:
        return any(t.kind == "head" for t in nxt[2])
    w = seg.word(k + 1)
    return w in g.words.stops or w in g.words.common


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
    if _clitic_article(first) and not known_first:
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
        if units == 1 and w in words.regnal and (out[0] in words.given or out[0] in g.kb_name_words):
            out.append(w)  # "عبدالله الثاني", "محمد السادس": a ruler's name ends here
            k += 1
            units += 1
            break
        if k > i and _rank_as_family_name(seg, k, g):
            out.append(w)  # "محسن بن عوض المقدم مساعد ...": the rank word is a family name
            k += 1
            units += 1
            continue
        if not name_word_ok(seg, k, g, first=k == i) and not (
            k == i and anchored and w in words.ambiguous_given and seg.hits[k] is None
        ):
            break  # after a title or rank, "صباح" (also "morning") may begin a name
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
    if w in words.ambiguous_given and i + 2 < len(seg.toks) and not seg.brk[i + 1] and (
        seg.word(i + 1) in ("بن", "ابن", "ولد")
    ):
        return True  # "سيف بن زايد": a nasab makes an ambiguous given name a name
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
    if second[:1] == "ي" and len(second) >= 4 and second not in words.given and (
        second not in g.kb_name_words
    ):
        return False  # "زايد يبدا": a present-tense verb after a given name
    if first in words.ambiguous_given or first in words.clitic_given:
        return second in words.given or second.startswith("ال") or second in g.kb_name_words
    return bool(second)


def is_latin_capital(seg: Segment, k: int) -> bool:
    """Whether token ``k`` is written with a capital initial."""
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
    return is_latin_capital(seg, k)


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
