"""The clean stage on synthetic pages: chrome, header fields, repeats, offsets."""

from __future__ import annotations

import pytest

from marsad.clean import clean_article
from marsad.model import Article, PartialDate
from marsad.settings import Settings
from tests.fixtures import texts


def clean(text: str, settings: Settings, **kw: object) -> Article:
    article = Article(doc_id="t", source="t.txt", fmt="text", text=text, **kw)  # type: ignore[arg-type]
    return clean_article(article, settings.clean)


def removed(article: Article, rule: str) -> list[str]:
    return [article.text[r.start : r.end] for r in article.removals if r.rule == rule]


def test_ticker_breaking_label_and_publication_time(settings: Settings) -> None:
    a = clean(texts.PAGE_WITH_TICKER, settings)
    assert len(removed(a, "chrome.ticker")) == 3
    assert removed(a, "chrome.breaking") == ["عاجل"]
    assert a.published == PartialDate(2025, 3, 12, 9, 15)
    assert a.title == "وزير الداخلية الموريتاني يحل بالرباط في زيارة رسمية"
    assert len(removed(a, "header.repeated_title")) == 1
    assert a.clean_text.startswith("حل وزير الداخلية الموريتاني")
    assert "الرجاء" not in a.clean_text


def test_byline_gives_author_and_outlet_and_repeats_are_kept_once(settings: Settings) -> None:
    a = clean(texts.BYLINE_AND_REPEATS, settings)
    assert a.author == "سليم بنعلي"
    assert a.outlet == "صدى المغرب"
    assert a.clean_text.count("اختتم رئيس جهاز الأمن الوطني") == 1
    # The near-identical repeat (a different final mark) is removed too, with its similarity.
    assert a.clean_text.count("وتناولت اللقاءات") == 1
    reasons = [r.reason for r in a.removals if r.rule == "dedup.repeated_paragraph"]
    assert len(reasons) == 2
    assert "وأكد الجانبان في ختام الزيارة" in a.clean_text


def test_outlet_line_editor_note_and_counter(settings: Settings) -> None:
    a = clean(texts.OUTLET_LINE_AND_FOOTER, settings)
    assert a.outlet == "الساحل بريس"
    assert a.author is None
    assert a.title is None
    assert removed(a, "chrome.counter") == ["التعاليق (4)"]
    assert len(removed(a, "chrome.editor_note")) == 1
    assert a.clean_text.startswith("استقبل المدير العام للشرطة القطرية")
    assert a.clean_text.rstrip().endswith("الكبرى.")


def test_stacked_headlines_become_title_and_alternatives(settings: Settings) -> None:
    a = clean(texts.STACKED_HEADLINES, settings)
    assert a.title == "مباحثات أمنية أردنية عراقية في بغداد"
    assert a.alt_titles == [
        "وزير الداخلية الأردني في العراق لبحث أمن الحدود",
        "زيارة رسمية: وزير الداخلية الأردني يلتقي نظيره العراقي",
    ]
    assert a.clean_text.startswith("وصل وزير الداخلية الأردني")


def test_masthead_date_is_not_the_publication_date(settings: Settings) -> None:
    a = clean(texts.MASTHEAD_DATE, settings)
    assert a.published is None
    assert removed(a, "chrome.masthead_date") == ["الأحد 2 فبراير 2025"]
    assert a.title == "مدير الأمن العام اللبناني يستقبل وفدا من الشرطة القبرصية"
    assert "جانب من اللقاء" not in a.clean_text
    assert "كريم منصور" not in a.clean_text


def test_page_date_prefix_and_outlet_with_dateline(settings: Settings) -> None:
    a = clean(texts.PAGE_DATE_PREFIX, settings)
    assert a.published == PartialDate(2025, 10, 8)
    assert a.outlet == "وكالة الأخبار"
    dateline = a.get_field("dateline")
    assert dateline is not None and dateline.value == "نواكشوط"


def test_link_split_lines_are_one_paragraph(settings: Settings) -> None:
    a = clean(texts.LINK_SPLIT, settings)
    assert a.title == "اجتماع أمني في عمان"
    assert a.published == PartialDate(2025, 3, 3, 11, 20)
    assert len(a.paragraphs) == 1
    assert removed(a, "chrome.section_label") == ["أمن"]


@pytest.mark.parametrize(
    "name",
    ["PAGE_WITH_TICKER", "BYLINE_AND_REPEATS", "OUTLET_LINE_AND_FOOTER", "STACKED_HEADLINES",
     "MASTHEAD_DATE", "PAGE_DATE_PREFIX", "LINK_SPLIT"],
)
def test_spans_cover_the_text_without_overlap(name: str, settings: Settings) -> None:
    """Every non-blank character is either kept or removed, never both, and spans are exact."""
    text = getattr(texts, name)
    a = clean(text, settings)
    covered = [0] * len(text)
    for p in a.paragraphs:
        for i in range(p.start, p.end):
            covered[i] += 1
    for r in a.removals:
        for i in range(r.start, r.end):
            covered[i] += 1
    assert max(covered) == 1
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i] == 1, (i, text[max(0, i - 10) : i + 10])
    for f in a.fields:
        assert text[f.start : f.end].strip() != ""


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("السبت 5 يوليوز 2025 على الساعة 18:40", "2025-07-05T18:40"),
        ("الثلاثاء ٤ نونبر ٢٠٢٥", "2025-11-04"),
        ("الخميس 3 تشرين الأول 2024 - 14:05", "2024-10-03T14:05"),
        ("الأحد 12 جانفي 2025", "2025-01-12"),
        ("نشر في 21 أوت 2024", "2024-08-21"),
        ("2024/12/30 - 08:00", "2024-12-30T08:00"),
        ("Publié le 9 avril 2025 à 11h20", "2025-04-09T11:20"),
        ("آخر تحديث: 1 دجنبر 2023 الساعة 07:30 صباحا", "2023-12-01T07:30"),
    ],
)
def test_publication_line_in_every_month_family(line: str, iso: str, settings: Settings) -> None:
    text = f"{line}\n\nخبر قصير عن لقاء أمني بين مسؤولين من بلدين جارين في العاصمة يوم أمس.\n"
    a = clean(text, settings)
    assert a.published is not None and a.published.iso() == iso


@pytest.mark.parametrize(
    ("text", "default", "month_first"),
    [
        ("Published: 10/11/2025 14:20\n\nAmman, Nov. 10 (Petra) -- The minister met ...", True, False),
        ("Posted 04/09/2025\n\nWASHINGTON, April 9 -- The director visited ...", False, True),
        ("Publié le 05/06/2025\n\nRabat, le 5 juin -- Le ministre a reçu ...", False, False),
        ("Published: 10/11/2025\n\nNo month name here.", True, True),
        ("Published: 25/11/2025\n\nNov. 25 -- unambiguous anyway.", True, True),
    ],
)
def test_a_month_name_near_the_top_settles_day_month_order(text: str, default: bool,
                                                            month_first: bool) -> None:
    from marsad.clean.dates import numeric_order

    assert numeric_order(text, default) is month_first


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("الرياض في 26 نوفمبر / بنا /", (26, 11)),
        ("روما في 10 يونيو", (10, 6)),
        ("ROME, June 10 (WAM)", (10, 6)),
        ("دمشق ٥ شباط", (5, 2)),
        ("الرباط", None),
    ],
)
def test_a_day_and_month_without_a_year(line: str, want: tuple[int, int] | None) -> None:
    from marsad.clean.dates import find_day_month

    found = find_day_month(line)
    assert (found[:2] if found else None) == want
