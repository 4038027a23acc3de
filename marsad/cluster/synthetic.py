"""Synthetic reports of synthetic visits, for the story benchmark and tests.

:func:`generate` invents officials (names built from a small list of given and family names,
none of them a real person's full name), visits between countries, and for each visit one to
five reports by different outlets, written from templates made for this module. Reports vary
as real ones do: visitor-side or host-side framing, Arabic or Latin spelling of the name, a full
date, a day without a year, only a publication date, or nothing; some reports are re-posts of
another with a changed headline. Distractors share the visitor, the host or the dates of a
real visit without being it. Every report carries the key of the visit it reports.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from marsad.cluster.items import StoryItem, item_of
from marsad.link.translit import slug, transliterate
from marsad.model import Article, Event, Evidence, PartialDate, Party, Place, Span

GIVEN = ["سالم", "ناصر", "فيصل", "يوسف", "كريم", "هشام", "طارق", "وليد", "منير", "رشيد", "حمد",
         "بدر", "زياد", "مراد", "أنور", "جمال", "عادل", "سامي", "ماجد", "نبيل", "فؤاد", "حازم",
         "إدريس", "عمر", "مصطفى", "حسان", "شكري", "لطفي", "توفيق", "رياض"]
FAMILY = ["الزهراني", "بنسعيد", "القاسمي", "الورفلي", "المرزوقي", "بوزيد", "الحسيني", "العلوي",
          "الشريف", "التميمي", "الدوسري", "البناني", "الكعبي", "الساعدي", "بلحاج", "الفاسي",
          "العمراني", "الجبوري", "الهاشمي", "المنصوري", "الشهري", "الزياني", "القحطاني", "الحمداني",
          "بنعلي", "الرميثي", "السويدي", "الخزرجي", "البدوي", "الطاهري", "العنزي", "المهيري",
          "الغامدي", "الكبيسي", "بوعزة", "الجزيري", "السلمي", "المطيري", "الظاهري", "العبيدي"]
COUNTRIES = {
    "MA": ("المغرب", "الرباط", "Rabat"), "DZ": ("الجزائر", "الجزائر العاصمة", "Algiers"),
    "TN": ("تونس", "تونس العاصمة", "Tunis"), "EG": ("مصر", "القاهرة", "Cairo"),
    "SA": ("السعودية", "الرياض", "Riyadh"), "AE": ("الإمارات", "أبوظبي", "Abu Dhabi"),
    "QA": ("قطر", "الدوحة", "Doha"), "KW": ("الكويت", "الكويت", "Kuwait City"),
    "BH": ("البحرين", "المنامة", "Manama"), "OM": ("عمان", "مسقط", "Muscat"),
    "JO": ("الأردن", "عمّان", "Amman"), "IQ": ("العراق", "بغداد", "Baghdad"),
    "LB": ("لبنان", "بيروت", "Beirut"), "LY": ("ليبيا", "طرابلس", "Tripoli"),
    "MR": ("موريتانيا", "نواكشوط", "Nouakchott"), "TR": ("تركيا", "أنقرة", "Ankara"),
    "ES": ("إسبانيا", "مدريد", "Madrid"), "FR": ("فرنسا", "باريس", "Paris"),
    "IT": ("إيطاليا", "روما", "Rome"), "SY": ("سوريا", "دمشق", "Damascus"),
}
TITLES = ["وزير الداخلية", "المدير العام للأمن الوطني", "رئيس جهاز المخابرات", "قائد الشرطة",
          "المدير العام للأمن العام"]
TOPICS = ["مكافحة الإرهاب", "الجريمة المنظمة", "تبادل المعلومات", "الهجرة غير النظامية",
          "تهريب المخدرات", "الأمن السيبراني", "التكوين وتبادل الخبرات"]
VISIT = ("{title} {name} يحل ب{city} في زيارة عمل",
         "{name} يبحث في {city} مع {host_title} {host_name} تعزيز التعاون الأمني",
         "زيارة {name} إلى {country}: مباحثات حول {topic}")
RECEPTION = ("{host_title} {host_name} يستقبل {title} {name}",
             "{host_name} يجري مباحثات مع {name} في {city}")
OPENERS = ("{lead} {title} {name} {when} {city} حيث أجرى مباحثات مع {host_title} {host_name}.",
           "أجرى {title} {name} {when} في {city} جلسة عمل مع {host_title} {host_name}.",
           "استقبل {host_title} {host_name} {when} بمكتبه في {city} {title} {name} والوفد المرافق له.",
           "بحث {title} {name} مع نظيره {host_name} {when} ملفات التعاون بين البلدين.")
#: Sentences of the body; each report picks a few of them in its own order, so that two
#: reports of different visits share little text (a copy shares almost all of it).
SENTENCES = (
    "وتناولت المباحثات سبل تطوير التعاون في مجال {topic}.",
    "وأكد الجانبان أهمية تنسيق الجهود لمواجهة التحديات المشتركة.",
    "واتفق الطرفان على تبادل الزيارات بين المعاهد الشرطية وتنظيم دورات تكوينية مشتركة.",
    "وقدم الوفد الضيف عرضا عن تجربة بلاده في {topic}.",
    "وحضر اللقاء عدد من كبار المسؤولين من البلدين.",
    "وأشاد {name} بمستوى التنسيق القائم مع {country}.",
    "وتأتي الزيارة في إطار تعزيز العلاقات الثنائية وتفعيل مذكرات التفاهم الموقعة سابقا.",
    "ويرافق الضيف وفد يضم مسؤولين عن {topic}.",
    "واستعرض الجانبان نتائج الاجتماع السابق للجنة الأمنية المشتركة.",
    "وتطرق اللقاء إلى التحضيرات الجارية لتأمين التظاهرات الكبرى المقبلة.",
    "وشدد {host_name} على استعداد بلاده لتقاسم خبراتها في {topic}.",
    "ومن المنتظر أن يزور الضيف عددا من المنشآت الأمنية خلال إقامته.",
    "وأعرب الجانبان عن ارتياحهما لنتائج التعاون خلال الفترة الماضية.",
    "كما بحث اللقاء سبل تبادل المعلومات بشكل فوري بين الأجهزة المختصة.",
    "وجرى التوقيع على محضر يتضمن الخطوط العريضة لبرنامج العمل المقبل.",
    "وتحدث {name} عن أولويات بلاده في مجال {topic} خلال المرحلة المقبلة.",
    "ونوه {host_title} بالدور الذي تضطلع به الأجهزة الأمنية في البلدين.",
    "وجرت المباحثات في أجواء ودية عكست متانة العلاقات بين البلدين.",
)
LEADS = ("حل", "وصل", "قام بزيارة عمل إلى", "توجه إلى")


@dataclass(frozen=True, slots=True)
class Official:
    """An invented official."""

    name: str
    country: str
    title: str

    @property
    def party(self) -> Party:
        """The official as an event party (Arabic spelling)."""
        return Party(entity_id="person:" + slug(transliterate(self.name)), name=self.name,
                     name_latin=transliterate(self.name), title=self.title, country=self.country)

    def latin_party(self) -> Party:
        """The official as a Latin-script report writes him (no knowledge-base id)."""
        latin = transliterate(self.name).replace("Al-", "el-")
        return Party(entity_id="person:" + slug(latin), name=latin, name_latin=latin,
                     country=self.country)


@dataclass(slots=True)
class Report:
    """One synthetic article with its event and the key of the visit it reports."""

    article: Article
    event: Event
    story: str

    def item(self) -> StoryItem:
        """The clustering item of the report's event."""
        return item_of(self.article, self.event)


_LETTERS = "بتجحدرزسشصطعفقكلمنهو"


def _family(rng: random.Random) -> str:
    """A family name: one of the list, or an invented nisba (ال + three letters + ي)."""
    if rng.random() < 0.3:
        return rng.choice(FAMILY)
    a, b, c = (rng.choice(_LETTERS) for _ in range(3))
    return f"ال{a}{b}ا{c}ي"


def officials(rng: random.Random, n: int) -> list[Official]:
    """``n`` distinct invented officials (two-part names, three-part when many are needed)."""
    names: set[str] = set()
    out: list[Official] = []
    codes = sorted(COUNTRIES)
    while len(out) < n:
        parts = [rng.choice(GIVEN), rng.choice(GIVEN), _family(rng)] if rng.random() < 0.4 else [
            rng.choice(GIVEN), _family(rng)]
        full = " ".join(parts)
        if full in names:
            continue
        names.add(full)
        out.append(Official(full, rng.choice(codes), rng.choice(TITLES)))
    return out


def _pd(d: date, with_year: bool = True) -> PartialDate:
    return PartialDate(d.year if with_year else None, d.month, d.day)


def _text(v: Official, h: Official, host: str, d: date, rng: random.Random, when: str) -> tuple[str, str]:
    country, city, _ = COUNTRIES[host]
    fill = {"title": v.title, "name": v.name, "host_title": h.title, "host_name": h.name,
            "city": city, "country": country, "topic": rng.choice(TOPICS), "when": when,
            "lead": rng.choice(LEADS)}
    title = rng.choice(VISIT + RECEPTION).format(**fill)
    body = [rng.choice(OPENERS).format(**fill)]
    body += [t.format(**fill) for t in rng.sample(SENTENCES, rng.randint(3, 6))]
    return title, " ".join(body)


def generate(n_reports: int, seed: int = 7, *, start_year: int = 2015, years: int = 10) -> list[Report]:
    """About ``n_reports`` reports of invented visits (1-5 reports each, plus distractors)."""
    rng = random.Random(seed)
    people = officials(rng, max(50, n_reports // 20))
    by_country: dict[str, list[Official]] = {}
    for p in people:
        by_country.setdefault(p.country, []).append(p)
    out: list[Report] = []
    day0 = date(start_year, 1, 1)
    story_n = 0
    while len(out) < n_reports:
        story_n += 1
        visitor = rng.choice(people)
        host = rng.choice([c for c in by_country if c != visitor.country])
        counterpart = rng.choice(by_country[host])
        when = day0 + timedelta(days=rng.randrange(365 * years))
        key = f"v{story_n}"
        n = rng.choice((1, 1, 2, 2, 3, 3, 4, 5))
        base_text: tuple[str, str] | None = None
        for r in range(n):
            out.append(_report(rng, key, r, visitor, counterpart, host, when, base_text))
            if base_text is None:
                base_text = (out[-1].article.title or "", out[-1].article.text)
        # A distractor now and then: the same visitor elsewhere a week later, or another
        # visitor received by the same host on the same day.
        if rng.random() < 0.15:
            story_n += 1
            other_host = rng.choice([c for c in by_country if c not in (visitor.country, host)])
            out.append(_report(rng, f"v{story_n}", 0, visitor, rng.choice(by_country[other_host]),
                               other_host, when + timedelta(days=rng.randint(6, 12)), None))
        if rng.random() < 0.15:
            story_n += 1
            other = rng.choice([p for p in people if p.country != host and p is not visitor])
            out.append(_report(rng, f"v{story_n}", 0, other, counterpart, host, when, None))
    return out[:n_reports]


def _report(
    rng: random.Random, key: str, r: int, visitor: Official, counterpart: Official, host: str,
    when: date, copy_of: tuple[str, str] | None,
) -> Report:
    doc = f"{key}-r{r}"
    mode = rng.random()
    published = when + timedelta(days=rng.choice((0, 0, 1, 1, 2)))
    start: PartialDate | None
    if mode < 0.55:
        start, pub, word = _pd(when), _pd(published), f"يوم {when.day}/{when.month}/{when.year}"
    elif mode < 0.75:
        start, pub, word = _pd(when, with_year=False), None, f"يوم {when.day}/{when.month}"
    elif mode < 0.92:
        start, pub, word = None, _pd(published), "أمس"
    else:
        start, pub, word = None, None, ""
    latin = rng.random() < 0.15
    actor, counterparts, etype, where = visitor.party, [counterpart.party], "visit", host
    roll = rng.random()
    if latin:
        actor = visitor.latin_party()
    elif roll < 0.25:
        etype = "reception"  # the host's report: "Y receives X"
    elif roll < 0.3:
        # An extractor that took the host for the actor and the visitor's country for the host.
        actor, counterparts, etype, where = counterpart.party, [visitor.party], "meeting", visitor.country
    if copy_of is not None and rng.random() < 0.3:
        title, body = "عاجل | " + copy_of[0], copy_of[1].replace("وأكد", "وشدد")
    else:
        title, body = _text(visitor, counterpart, host, when, rng, word)
    text = f"{title}\n\n{body}"
    doc_id = hashlib.sha256(doc.encode()).hexdigest()
    article = Article(doc_id=doc_id, source=doc, fmt="text", text=text,
                      paragraphs=[Span(len(title) + 2, len(text))], lang="fr" if latin else "ar",
                      title=title, outlet=f"outlet{rng.randrange(400)}", published=pub)
    _, city_ar, city_latin = COUNTRIES[host]
    ev = Event(
        id=f"{doc_id[:12]}-e1", doc_id=doc_id, type=etype,  # type: ignore[arg-type]
        actor=actor, host_country=where, counterparts=counterparts, start=start,
        date_precision=start.precision if start else "unknown",
        city=Place(name=city_ar, name_latin=city_latin, country=host,
                   entity_id="city:" + slug(city_latin)) if rng.random() < 0.6 else None,
        evidence=[Evidence(slot="actor", text=title[:20], start=0, end=min(20, len(title)),
                           rule="synthetic", sentence_start=0, sentence_end=len(title))],
        confidence=0.6,
    )
    article.events = [ev]
    return Report(article, ev, key)


def pairs(reports: list[Report]) -> Iterator[tuple[str, str]]:
    """Gold same-story pairs of event keys."""
    by: dict[str, list[str]] = {}
    for r in reports:
        by.setdefault(r.story, []).append(r.event.id)
    for keys in by.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                yield a, b
