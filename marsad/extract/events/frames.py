"""Sentence-level event frames: who did what to whom, where and when, around one trigger.

Arabic news puts the verb first ("استقبل وزير الداخلية … نظيره …", VSO) or the subject first in
headlines and present-tense leads ("حموشي يزور …", SVO); nouns carry visits too ("في زيارة عمل
إلى …", "زيارة حموشي للسعودية"). A frame finds, around one trigger and inside its clause, the
parties (persons or role-only officials), the place it goes to or happens in, the time, and the
cues that qualify it (planned, on invitation, heading a delegation, coming from elsewhere).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from marsad.arabic import normalize
from marsad.extract.entities.titles import HEADED_BY
from marsad.extract.events.doc import PARTY_TYPES, PLACE_TYPES, DocView, Sentence
from marsad.extract.events.lexicon import Trigger
from marsad.model import Mention, TimeExpr

#: Words before a place that make it the destination / the origin / the location.
_TO = frozenset({"الي", "ل", "نحو", "صوب", "للمشاركه", "والي", "ول", "a", "au", "aux", "en", "to",
                 "in", "for"})
_FROM = frozenset({"من", "بعد", "عقب", "ومن", "de", "from", "after"})
_AT = frozenset({"ب", "في", "وفي", "ففي", "وب", "فب", "a", "au", "en", "in", "at"})
#: Auxiliary verbs that carry a visit noun: "قام X بزيارة".
_AUX = frozenset(
    ["قام", "يقوم", "سيقوم", "قامت", "تقوم", "ستقوم", "ادي", "يودي", "سيودي", "ادت", "تودي", "اجري", "يجري", "اجرت", "تجري", "بدا", "يبدا", "بدات", "تبدا", "استهل", "يستهل", "استهلت", "اختتم", "يختتم", "اختتمت", "انهي", "ينهي", "يواصل", "واصل", "شرع", "يشرع"]
)
#: Verbs that carry a talks noun: "أجرى X مباحثات مع Y", "عقد X جلسة عمل مع Y".
_AUX_TALK = frozenset(
    ["اجري", "يجري", "سيجري", "اجرت", "تجري", "عقد", "يعقد", "سيعقد", "عقدت", "تعقد", "جمع", "جمعت",
     "يجمع", "شهد", "شهدت", "تناول", "تناولت"]
)
#: Motion verbs: a place after "من" is where the visitor came from.
_MOTION = frozenset(
    ["انتقل", "ينتقل", "انتقلت", "توجه", "يتوجه", "توجهت", "وصل", "يصل", "وصلت", "حل", "يحل", "حلت",
     "قدم", "سافر", "يسافر", "غادر", "عاد", "تحول", "يتحول", "تحولت"]
)
_HEAD_OF = HEADED_BY
_WITH = frozenset({"مع", "avec", "with", "بين", "entre", "between"})
_PLURAL_VISIT = frozenset({"زيارات", "جولات"})
_AND_THEN = frozenset({"ثم", "و", "،", ",", "كما", "فضلا", "اضافه"})


@dataclass(slots=True)
class PartyMention:
    """A person or role-only official in a sentence (a title and a name joined when adjacent)."""

    start: int
    end: int
    main: Mention
    title: str | None = None
    country: str | None = None
    org: str | None = None
    relation: str | None = None
    plural: bool = False
    #: The delegation this official heads ("وفدا من وزارة الداخلية القطرية برئاسة X").
    heads: PartyMention | None = None

    @property
    def entity_id(self) -> str | None:
        """The entity the mention refers to."""
        return self.main.entity_id

    @property
    def named(self) -> bool:
        """Whether a name (not only a role) is given (a title linked to a known person counts)."""
        return self.main.type == "PERSON" or str(self.main.attrs.get("person") or "").startswith("person:")

    @property
    def is_delegation(self) -> bool:
        """A delegation ("وفد أمني") rather than one official."""
        return _is_entourage(self.main)


_NOT_SECURITY_HEADS = frozenset({"king", "crown_prince", "emir", "president_title", "prime_minister"})
_NOT_SECURITY_DOMAINS = frozenset({"foreign", "civil", "justice", "government"})
_SECURITY_DOMAINS = frozenset({"interior", "defence", "security", "intelligence", "police", "military"})
#: Envoys attend talks; they are neither visitors nor counterparts.
ENVOY_HEADS = frozenset({"ambassador", "attache"})


_BARE_HEADS_OF_STATE = frozenset({"الرييس", "رييس الجمهوريه", "رييس الدوله", "الملك", "العاهل"})


def is_security_official(p: PartyMention) -> bool | None:
    """True for interior, security, police, intelligence or defence officials; False for heads of
    state or government, foreign or civil ministers and envoys; None when the text does not say."""
    attrs = p.main.attrs
    head = attrs.get("head")
    domains = set(attrs.get("domains") or [])
    if domains & _SECURITY_DOMAINS or attrs.get("org"):
        return True
    if p.heads is not None and is_security_official(p.heads):
        return True  # the head of an interior ministry's delegation, whatever his own department
    if " ".join(normalize(p.title or "").split()) in _BARE_HEADS_OF_STATE:
        return False
    if head in _NOT_SECURITY_HEADS or head in ENVOY_HEADS or domains & _NOT_SECURITY_DOMAINS:
        return False
    return None


@dataclass(slots=True)
class Frame:
    """What one trigger says."""

    kind: str
    sent: Sentence
    trigger: Trigger
    subject: PartyMention | None = None
    objects: list[PartyMention] = field(default_factory=list)
    dest: Mention | None = None
    dest_extra: list[Mention] = field(default_factory=list)
    origin: Mention | None = None
    location: Mention | None = None
    time: TimeExpr | None = None
    planned: bool = False
    negative: bool = False
    inviter: PartyMention | Mention | None = None
    occasion: Mention | None = None
    delegation: bool = False
    anaphoric: bool = False
    location_is_subject: bool = False
    attendees: list[PartyMention] = field(default_factory=list)
    #: "بحث X مع Y في إطار زيارة يقوم بها إلى …": talks said to be part of a visit.
    within_visit: bool = False
    #: Further visitors listed with the first ("كما هو شأن X وكذا Y"): one trip each.
    extra_visitors: list[PartyMention] = field(default_factory=list)


def _is_entourage(m: Mention) -> bool:
    """The visitor's own delegation ("وفد أمني", "الوفد المرافق"): not a party of its own."""
    return m.type == "ROLE" and m.attrs.get("head") == "delegation"


def parties_in(sent: Sentence) -> list[PartyMention]:
    """Persons and role-only officials in a sentence; a title and its name are one party.

    A title joins the name it belongs to: the entity stage links a title to its person
    (``attrs["person"]``); otherwise a title right before a name ("وزير الداخلية عبد الوافي
    لفتيت") or right after it behind a comma ("طلال راشد الزعابي، مدير جهاز …") joins it.
    "نظيره التركي" after a name is the other person's title, never the first one's.
    """
    if sent.parties is None:
        sent.parties = _read_parties(sent)
    return sent.parties


def _read_parties(sent: Sentence) -> list[PartyMention]:
    raw = [m for m in sent.mentions if m.type in PARTY_TYPES]
    kept: list[Mention] = []
    for m in raw:
        if any(
            o is not m and o.start <= m.start and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start) for o in raw
        ):
            continue
        kept.append(m)
    out: list[PartyMention] = []
    text = sent.text
    for m in kept:
        attrs = m.attrs
        pm = PartyMention(
            m.start, m.end, m, attrs.get("title"), attrs.get("country"), attrs.get("org"),
            attrs.get("relation"), bool(attrs.get("plural")),
        )
        if out:
            prev = out[-1]
            gap = text[prev.end - sent.start : m.start - sent.start]
            adjacent = len(gap) <= 3 and gap.strip(" ،,") == ""
            linked = _linked(prev, pm) and len(gap) <= 25 and not any(ch in gap for ch in ".؟!")
            if (adjacent or linked) and _belong_together(prev, pm, gap):
                person, role = (prev, pm) if prev.main.type == "PERSON" else (pm, prev)
                person.title = person.title or role.title or role.main.text
                person.country = person.country or role.country
                person.org = person.org or role.org
                person.relation = person.relation or role.relation
                person.start, person.end = min(prev.start, pm.start), max(prev.end, pm.end)
                out[-1] = person
                continue
        out.append(pm)
    return out


def _linked(a: PartyMention, b: PartyMention) -> bool:
    """A title and a name the entity stage linked to the same person."""
    ids = {
        a.main.attrs.get("person") or a.entity_id, b.main.attrs.get("person") or b.entity_id
    }
    return len(ids) == 1 and None not in ids and str(next(iter(ids))).startswith("person:")


def _belong_together(first: PartyMention, second: PartyMention, gap: str) -> bool:
    """Whether two adjacent mentions (a title and a name) are one party."""
    types = (first.main.type, second.main.type)
    if set(types) != {"PERSON", "ROLE"}:
        return False
    person, role = (first, second) if types[0] == "PERSON" else (second, first)
    linked = role.main.attrs.get("person")
    if linked and person.entity_id:
        return bool(linked == person.entity_id)
    if types == ("ROLE", "PERSON"):
        return True  # "وزير الداخلية عبد الوافي لفتيت"
    # A name then a title: only an apposition behind a comma, never "X نظيره …".
    return "،" in gap or "," in gap


def places_in(sent: Sentence, parties: list[PartyMention]) -> list[Mention]:
    """Country and city mentions that are not part of a party's title."""
    return [
        m for m in sent.mentions
        if m.type in PLACE_TYPES and not any(p.start <= m.start and m.end <= p.end for p in parties)
        and not _inside_org(sent, m)
    ]


def _inside_org(sent: Sentence, m: Mention) -> bool:
    return any(
        o.type in ("ORG", "OCCASION") and o.start <= m.start and m.end <= o.end for o in sent.mentions
    )


def _clause(sent: Sentence, trig: Trigger) -> tuple[int, int]:
    """Character bounds of the trigger's clause.

    Verbs bound clauses; a visit noun's clause also ends at the next trigger of any kind
    ("زيارة حموشي للجارة الشمالية عقب الزيارة التي قام بها لفتيت لمدريد": two visits).
    """
    bounding = [t for t in sent.triggers if t is not trig and t.tense != "noun"]
    before = [t.end for t in bounding if t.end <= trig.start]
    after = [t.start for t in bounding if t.start >= trig.end]
    if trig.kind == "visit_noun":
        after += [t.start for t in sent.triggers if t.start >= trig.end and t is not trig]
    return (max(before) if before else sent.start, min(after) if after else sent.end)


def _tokens_between(sent: Sentence, a: int, b: int) -> int:
    return max(0, sent.token_at(b) - sent.token_at(a))


def _first_after(items: list[PartyMention], pos: int, limit: int) -> PartyMention | None:
    for p in items:
        if pos <= p.start < limit:
            return p
    return None


def _last_before(items: list[PartyMention], pos: int, floor: int) -> PartyMention | None:
    best = None
    for p in items:
        if floor <= p.start and p.end <= pos:
            best = p
    return best


def _aux_before(
    sent: Sentence, trig: Trigger, floor: int, verbs: frozenset[str] = _AUX
) -> int | None:
    """Position of an auxiliary verb ("قام", "يقوم", "أجرى") before a noun trigger, in the clause."""
    for i in range(trig.tok_start - 1, -1, -1):
        pos = sent.tok_starts[i]
        if pos < floor:
            break
        word = sent.token_text(i)
        if word in verbs or (word[:1] in "وف" and word[1:] in verbs):
            return pos
    return None


#: Words that describe an occasion's own dates: "الدورة … المنعقدة من 23 إلى 26 نوفمبر".
_OCCASION_DATING = frozenset({
    "المنعقده", "المنعقد", "تنعقد", "انعقدت", "ينعقد", "انعقد", "المقامه", "المقام", "تقام",
    "المنظمه", "المنظم", "تنظم", "المقرره", "المقرر", "المتواصله", "المستمره", "تتواصل", "تستمر",
    "تحتضنها", "يحتضنها", "الممتده", "tenue", "tenu", "organise", "organisee", "held", "running",
})


def occasion_dating(sent: Sentence, t: TimeExpr) -> bool:
    """Whether a time gives the dates of an occasion ("المنعقدة في الفترة من …"), not of the
    encounter: one of :data:`_OCCASION_DATING` within the six words before it."""
    k = sent.token_at(t.start)
    return any(sent.token_text(j) in _OCCASION_DATING for j in range(max(0, k - 6), k))


def pick_time(sent: Sentence, pos: int) -> TimeExpr | None:
    """The time expression of a frame: a date, range, weekday or relative day, nearest after.

    An occasion's own dates are used only when the sentence has no other time.
    """
    usable = [
        t for t in sent.times
        if not t.is_name_year and t.kind not in ("time", "duration", "year")
        and (t.value_start is not None or t.candidate_years or t.parsed)
    ]
    if not usable:
        return None
    own = [t for t in usable if not occasion_dating(sent, t)]
    usable = own or usable
    after = [t for t in usable if t.start >= pos]
    before = [t for t in usable if t.end <= pos and pos - t.end <= 12]
    if before and (not after or after[0].start - pos > 40):
        return before[-1]  # "effectuera les 29 et 30 septembre une visite": just before the word
    return after[0] if after else min(usable, key=lambda t: abs(t.start - pos))


def _ahead(t: TimeExpr) -> bool:
    """Whether a relative time points forward: "غدا", "الأسبوع المقبل", "الأربعاء القادم",
    "شهر جانفي المقبل"."""
    p = t.parsed
    return t.kind in ("relative", "weekday", "month") and (
        (p.get("rel_day") or 0) > 0 or p.get("dir") == "next"
    )


def build_frames(view: DocView, sent: Sentence) -> list[Frame]:
    """The frames of one sentence, one per trigger (noun triggers inside a verb's clause merge)."""
    parties = parties_in(sent)
    places = places_in(sent, parties)
    frames: list[Frame] = []
    verbal = [t for t in sent.triggers if t.kind != "visit_noun"]
    nouns = [t for t in sent.triggers if t.kind == "visit_noun"]
    for trig in sent.triggers:
        if trig.kind == "visit_noun" and any(
            v.start <= trig.start <= v.end + 60 and v.kind in ("visit", "arrival", "reception", "meeting")
            and v.tense != "noun"  # "في ختام اللقاء … برمجة زيارة لوفد": the noun is its own frame
            for v in verbal
        ):
            continue  # "قام … بزيارة" is one frame: the verb's
        if trig.kind == "meeting" and sent.word_before(trig.start) == "ل" and any(
            v is not trig and v.end <= trig.start for v in sent.triggers
        ):
            continue  # "يلتقي … لبحث التعاون": the purpose of the encounter already read
        frame = _frame(view, sent, trig, parties, places)
        if frame is not None:
            if frame.kind == "meeting" and trig.kind == "meeting" and any(
                n.start > trig.end and not sent.has_cue("anaphora", before=n.end, after=n.start - 12)
                for n in nouns
            ):
                frame.within_visit = True
            frames.extend(_split_destinations(frame, places))
            for extra in frame.extra_visitors:
                clone = Frame(**{f: getattr(frame, f) for f in frame.__dataclass_fields__})
                clone.subject, clone.extra_visitors = extra, []
                frames.append(clone)
    return frames


def _frame(
    view: DocView, sent: Sentence, trig: Trigger, parties: list[PartyMention], places: list[Mention]
) -> Frame | None:
    lo, hi = _clause(sent, trig)
    kind = {"arrival": "visit", "visit_noun": "visit"}.get(trig.kind, trig.kind)
    frame = Frame(kind=kind, sent=sent, trigger=trig)
    frame.planned = trig.tense == "future" or bool(sent.has_cue("planned", before=trig.end))
    frame.negative = bool(sent.has_cue("negative"))
    frame.delegation = bool(sent.has_cue("delegation"))
    frame.anaphoric = bool(sent.has_cue("anaphora"))
    after = [p for p in parties if p.start >= trig.end and p.start < hi]
    before = [p for p in parties if p.end <= trig.start and p.start >= lo]
    inv_cue = sent.has_cue("inviter")
    frame.inviter = _inviter(sent, inv_cue[0].end, parties) if inv_cue else None
    receiver: Mention | None = None  # a body that receives ("استضافت وزارة الداخلية وفدا")

    if trig.kind == "visit_noun":
        aux = _aux_before(sent, trig, lo)
        rel = _relative_doer(sent, trig, parties, hi)
        if rel is not None:
            frame.subject = rel  # "الزيارة التي قام بها وزير الداخلية …"
        elif aux is not None:
            frame.subject = _first_after(parties, aux, trig.start) or _last_before(parties, aux, lo)
        else:
            nxt = _first_after(parties, trig.end, hi)
            if nxt is not None and _tokens_between(sent, trig.end, nxt.start) <= 1:
                frame.subject = nxt  # "زيارة حموشي للسعودية"
            else:
                frame.subject = _last_before(parties, trig.start, lo)
        if frame.subject is None and aux is not None:
            frame.subject = _delegation_subject(sent, aux, trig.start)
        if frame.subject is not None and inv_cue and frame.subject is frame.inviter:
            # "حل X بالرباط بدعوة من Y في زيارة": Y invited; the visitor is named before the cue.
            frame.subject = _last_before(parties, inv_cue[0].start, lo)
        if frame.subject is None:
            frame.anaphoric = True
    elif trig.kind in ("visit", "arrival"):
        if frame.inviter is not None:  # "بدعوة من حموشي، يزور X المغرب": who invited does not travel
            after = [p for p in after if p is not frame.inviter]
            before = [p for p in before if p is not frame.inviter]
        frame.subject = _verb_subject(sent, trig, after, before)
        rest = [p for p in after if p is not frame.subject and not p.is_delegation]
        frame.objects = rest[:1] if rest and trig.kind == "visit" else []
    elif trig.kind == "reception":
        first = after[0].start if after else sent.end
        receiver = next((m for m in sent.mentions if m.type == "ORG" and trig.end <= m.start < first
                         and _tokens_between(sent, trig.end, m.start) <= 1), None)
        if receiver is not None:
            frame.subject = None  # "استقبلت المديرية العامة للأمن الوطني وفدا …": a body receives
            if receiver.attrs.get("country_source") not in ("text", "kb", "person"):
                receiver = None  # its country is a guess: it cannot place the reception
        else:
            frame.subject = _verb_subject(sent, trig, after, before)
        guests = [p for p in after if p is not frame.subject and p.start > (frame.subject.end if frame.subject else trig.end)]
        frame.objects = _delegation_head(sent, guests)
    elif trig.kind == "welcomed":
        frame.objects = after[:2]
    else:  # meeting
        aux = _aux_before(sent, trig, lo, _AUX_TALK) if trig.tense == "noun" else None
        if aux is not None:
            frame.subject = _first_after(parties, aux, trig.start) or _last_before(parties, aux, lo)
        else:
            frame.subject = _verb_subject(sent, trig, after, before)
        others = [p for p in parties if p is not frame.subject and p.start >= lo and p.start < hi]
        if frame.subject is not None:
            others = [p for p in others if p.start > frame.subject.start or p.end <= trig.start]
        if trig.tense == "noun":
            others = [o for o in others if _introduced(sent, o, trig)]
        frame.objects = [o for o in others if not o.is_delegation][:4]
        if trig.tense == "noun" and frame.subject is None and len(frame.objects) >= 2:
            frame.subject, frame.objects = frame.objects[0], frame.objects[1:4]
        if trig.tense == "noun" and not frame.objects:
            frame.anaphoric = True
            frame.subject = None
        frame.objects = _expand_plural(sent, frame.objects, places, hi)

    # Places: destination after a motion word, origin after "من/بعد", location after "ب/في".
    motion = trig.kind in ("visit", "arrival") and _motion_word(sent, trig)
    for m in places:
        word = sent.word_before(m.start)
        if m.start >= trig.end and m.start < hi:
            if word in _FROM and frame.origin is None:
                if motion:
                    frame.origin = m
            elif frame.dest is None and (word in _TO or word in _AT or kind == "visit"):
                frame.dest = m
            elif frame.dest is not None and m is not frame.dest:
                frame.dest_extra.append(m)
        elif m.end <= trig.start and m.start >= lo:
            if motion and (word in _FROM or word == "بعد"):
                frame.origin = frame.origin or m
            elif word in _AT and frame.location is None:
                frame.location = m
    if frame.dest is None and frame.location is None:
        loc = next((m for m in places if sent.word_before(m.start) in _AT), None)
        frame.location = loc or receiver or _seat(sent)
    frame.location_is_subject = any(
        w in ("بمكتبه", "بمقر", "مكتبه", "بمقر وزارته") for w in (t.text for t in sent.tokens)
    )
    frame.time = pick_time(sent, trig.start)
    if trig.tense in ("present", "noun") and frame.time is not None and _ahead(frame.time):
        frame.planned = True  # "يزور … ابتداء من يوم غد", "في زيارة … الأسبوع المقبل"
    if sent.has_cue("participation") or sent.has_cue("sidelines"):
        frame.occasion = next((m for m in sent.mentions if m.type == "OCCASION"), None)
    for cue in sent.has_cue("previous_stop"):
        frame.origin = frame.origin or next(
            (m for m in places if m.start >= cue.end and m.start - cue.end < 40), None
        )
    presence = next(
        (t.start for t in sent.tokens
         if t.text in ("بحضور", "وحضور", "بمشاركه", "حضره", "حضرها", "حضر", "وحضر", "حضرت")), None
    )
    if frame.subject is not None and frame.subject.is_delegation and frame.subject.country is None:
        # "وفد أمني" with no country is the entourage of someone named nearby, not a visitor.
        named = [p for p in parties if p.named and p is not frame.subject]
        frame.subject = named[0] if named else None
        if frame.subject is None:
            frame.anaphoric = True
    if frame.kind == "visit" and frame.subject is not None and frame.subject.plural \
            and frame.subject.country is None:
        listed = [p for p in parties if p.start > trig.end and p.country and not p.is_delegation]
        if listed:
            frame.subject = listed[0]
            frame.extra_visitors = listed[1:]
            frame.objects = []
            if frame.dest is None and frame.location is None:
                frame.dest = next((m for m in places if m.type == "CITY"), None) or next(iter(places), None)
    if presence is not None and not (frame.anaphoric and not sent.has_cue("anaphora")):
        at = sent.start + sent.norm.orig(presence)
        frame.attendees = [p for p in parties if p.start > at and not p.is_delegation]
    # "زار الوزير نظيره في محل إقامته": a call on a person is a meeting, not a trip.
    if (
        frame.kind == "visit" and trig.kind == "visit" and frame.objects and frame.dest is None
        and (frame.objects[0].named or frame.objects[0].relation == "counterpart")
    ):
        frame.kind = "meeting"
    return frame


_SEAT_BEFORE = frozenset({"بمقر", "مقر", "بديوان", "بمبني", "au", "siege"})
_SEAT_AFTER = frozenset({"شهد", "شهدت", "احتضن", "احتضنت", "استضاف", "استضافت"})


def _seat(sent: Sentence) -> Mention | None:
    """A body whose seat is the place: "بمقر وزارة الداخلية المصرية", "وزارة … العراقية شهدت"."""
    for m in sent.mentions:
        if m.type != "ORG" or not m.attrs.get("country"):
            continue
        k = sent.token_at(m.end - 1) + 1
        nat = next((n for n in sent.mentions if n.type == "NATIONALITY" and n.start >= m.end
                    and sent.token_at(n.start) == k), None)
        if nat is not None:
            k += 1  # "وزارة الداخلية العراقية شهدت"
        if sent.word_before(m.start) in _SEAT_BEFORE or sent.token_text(k) in _SEAT_AFTER:
            return m
    return None


def _delegation_subject(sent: Sentence, lo: int, hi: int) -> PartyMention | None:
    """"قام وفد من … الإنتربول بزيارة": an unnamed delegation as the visitor."""
    for i, tok in enumerate(sent.tokens):
        pos = sent.tok_starts[i]
        if pos < lo or pos >= hi or tok.text not in ("وفد", "وفدا", "فريق", "فريقا", "delegation", "delegation"):
            continue
        near = [
            m for m in sent.mentions
            if m.start > pos and sent.token_at(m.start) - i <= 12
            and m.type in ("ORG", "NATIONALITY", "COUNTRY")
        ]
        country = None
        if near:
            m = near[0]
            country = m.key if m.type in ("NATIONALITY", "COUNTRY") else m.attrs.get("country")
        end = near[0].end if near else pos + len(tok.text)
        text = sent.text[pos - sent.start : end - sent.start]
        mention = Mention(pos, end, text, "ROLE", "events.delegation",
                          attrs={"title": text, "country": country, "head": "delegation_visitor"})
        return PartyMention(pos, end, mention, text, country)
    return None


def _introduced(sent: Sentence, p: PartyMention, trig: Trigger) -> bool:
    """A party that a talks noun governs: "لقاء مع X", "اجتماع بين A و B", "لقائه بـX"."""
    if p.start < trig.end:
        return False
    lo = sent.token_at(trig.end)
    hi = sent.token_at(p.start)
    words = [sent.token_text(i) for i in range(lo, hi + 1)]
    if hi - lo > 8:
        return False
    return any(w in _WITH or w.startswith(("مع", "بين")) for w in words) or sent.word_before(p.start) in ("ب", "و")


def _expand_plural(
    sent: Sentence, objects: list[PartyMention], places: list[Mention], hi: int
) -> list[PartyMention]:
    """"رؤساء وفود … من بينها وفود من السعودية والأردن": one counterpart per country named."""
    out: list[PartyMention] = []
    for o in objects:
        if o.plural and o.country is None and not o.named:
            # Only countries listed right after the role ("… من بينها وفود من السعودية والأردن").
            near = sent.token_at(o.end) + 10
            countries = [
                m for m in places
                if m.type == "COUNTRY" and m.start > o.end and m.start < hi and sent.token_at(m.start) <= near
                and any(w in ("من", "منها", "بينها", "بينهم", "منهم") for w in
                        (sent.token_text(k) for k in range(sent.token_at(o.end), sent.token_at(m.start))))
            ]
            if countries:
                for c in countries:
                    out.append(PartyMention(o.start, o.end, o.main, o.title or o.main.text, c.key, o.org,
                                            o.relation, True))
                continue
        out.append(o)
    return out


_RELATIVE = frozenset({"التي", "الذي", "اللتين"})


def _relative_doer(
    sent: Sentence, trig: Trigger, parties: list[PartyMention], hi: int
) -> PartyMention | None:
    """"الزيارة التي قام بها X", "الزيارة التي أجراها X": the doer named in a relative clause."""
    i = trig.tok_end + 1
    if sent.token_text(i) not in _RELATIVE:
        return None
    verb = sent.token_text(i + 1)
    if not (verb in _AUX or verb.startswith(("اجرا", "اداها", "قاد", "يقوم", "قام"))):
        return None
    pos = sent.tok_starts[i + 1] if i + 1 < len(sent.tok_starts) else hi
    nxt = _first_after(parties, pos, hi)
    if nxt is not None and sent.token_at(nxt.start) - (i + 1) <= 4:
        return nxt
    return None


def _motion_word(sent: Sentence, trig: Trigger) -> bool:
    word = sent.token_text(trig.tok_start)
    return word in _MOTION or (word[:1] in "وف" and word[1:] in _MOTION)


def _inviter(sent: Sentence, pos: int, parties: list[PartyMention]) -> PartyMention | Mention | None:
    """Who invited: the party, body or country named right after "بدعوة من"."""
    # Up to 7 words on: "à l'invitation de son homologue saoudien, le prince Abdelaziz …".
    limit = sent.token_at(pos) + 7
    candidates: list[PartyMention | Mention] = [
        p for p in parties if p.start >= pos and sent.token_at(p.start) <= limit
    ]
    candidates += [
        m for m in sent.mentions
        if m.start >= pos and sent.token_at(m.start) <= limit
        and m.type in ("COUNTRY", "NATIONALITY", "ORG")
    ]
    for m in sorted(candidates, key=lambda c: c.start):
        if isinstance(m, PartyMention):
            return m
        if m.type == "NATIONALITY":
            # "السلطات التركية": the words up to the nationality name the inviter.
            return Mention(pos, m.end, sent.text[pos - sent.start : m.end - sent.start].strip(),
                           "ROLE", "inviter.nationality", key=m.key, attrs={"country": m.key})
        return m
    return None


_RESUMPTIVE = frozenset({"فيها", "فيه", "خلالها", "خلاله", "بها", "به", "معه", "معها", "معهم", "لديه",
                         # honorific pronouns: "يلتقي سموه …", "أجرى معاليه …" (the one told before)
                         "سموه", "معاليه", "سيادته", "فخامته", "سعادته"})


def _verb_subject(
    sent: Sentence, trig: Trigger, after: list[PartyMention], before: list[PartyMention]
) -> PartyMention | None:
    """VSO: the first party right after the verb; SVO: the party just before it.

    "التقى خلالها بنظيره X", "التقى فيها كبار المسؤولين": the subject is the one told before (a
    pronoun), and the party after the verb is the other side.
    """
    nxt = sent.token_text(trig.tok_end + 1)
    if nxt in _RESUMPTIVE or (after and sent.word_before(after[0].start) in ("ب", "مع")
                              and _tokens_between(sent, trig.end, after[0].start) <= 2):
        return before[-1] if before and _tokens_between(sent, before[-1].end, trig.start) <= 1 else None
    if after and _tokens_between(sent, trig.end, after[0].start) <= 6:
        if before and trig.tense == "present" and _tokens_between(sent, before[-1].end, trig.start) <= 1:
            return before[-1]  # "حموشي يزور الرياض"
        return after[0]
    if before:
        return before[-1]
    return after[0] if after else None


def _delegation_head(sent: Sentence, guests: list[PartyMention]) -> list[PartyMention]:
    """"وفدا ليبيا برئاسة نظيره X": the guest is X, the head of the delegation."""
    for g in guests:
        if sent.word_before(g.start) in _HEAD_OF:
            g.heads = next((o for o in guests if o.is_delegation), None)
            if g.country is None and g.heads is not None and g.heads.country:
                # "وفدا من الشرطة الماليزية برئاسة نائب المفتش العام": he heads that country's
                g.country = g.heads.country
                if g.main.type == "ROLE" and g.main.attrs.get("coref"):
                    # A bare title the entity stage tied to the host's official of that rank
                    # ("المدير العام المساعد" -> the director general who receives): not him.
                    attrs = {k: v for k, v in g.main.attrs.items() if k not in ("person", "coref")}
                    g.main = dataclasses.replace(g.main, entity_id=None, attrs=attrs)
            return [g, *[o for o in guests if o is not g]]
    return guests


def _split_destinations(frame: Frame, places: list[Mention]) -> list[Frame]:
    """"زيارات حموشي لقطر ثم الولايات المتحدة ثم إسبانيا": one frame per destination."""
    word = frame.sent.token_text(frame.trigger.tok_start)
    if frame.kind != "visit" or not frame.dest_extra or word not in _PLURAL_VISIT:
        return [frame]
    out = [frame]
    for extra in frame.dest_extra:
        if extra.type != "COUNTRY":
            continue
        clone = Frame(**{f: getattr(frame, f) for f in frame.__dataclass_fields__})
        clone.dest = extra
        clone.dest_extra = []
        out.append(clone)
    frame.dest_extra = []
    return out
