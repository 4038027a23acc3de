"""Interface strings in English and Arabic, and how a request chooses its language.

Every key has both languages (a test checks it). The language comes from ``?lang=ar|en``, then
the ``lang`` cookie, then the browser's ``Accept-Language``; Arabic pages are ``dir="rtl"``.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["ar", "en"]
LANGS: tuple[Lang, ...] = ("ar", "en")

#: key -> (English, Arabic). ``{name}`` placeholders are filled by :func:`translate`.
STRINGS: dict[str, tuple[str, str]] = {
    "app": ("marsad", "مرصد"),
    "tagline": ("Official visits and meetings in Arabic news, with evidence",
                "الزيارات واللقاءات الرسمية في الأخبار العربية، بأدلتها"),
    "nav_timeline": ("Timeline", "الخط الزمني"),
    "nav_entities": ("People & bodies", "الأشخاص والهيئات"),
    "nav_countries": ("Countries", "الدول"),
    "nav_relations": ("Relations", "العلاقات"),
    "nav_map": ("Map", "الخريطة"),
    "nav_stories": ("Stories", "القصص"),
    "nav_search": ("Search", "بحث"),
    "nav_articles": ("Articles", "المقالات"),
    "api_docs": ("API", "واجهة البرمجة"),
    "other_lang": ("العربية", "English"),
    "filters": ("Filters", "التصفية"),
    "filter_person": ("Person", "الشخص"),
    "filter_person_hint": ("name, title or entity id", "الاسم أو المنصب أو المعرف"),
    "filter_country": ("Country", "الدولة"),
    "filter_direction": ("Direction", "الاتجاه"),
    "dir_any": ("in or out", "إليها أو منها"),
    "dir_in": ("visits received", "زيارات إليها"),
    "dir_out": ("visits abroad", "زيارات منها"),
    "filter_org": ("Organisation", "الهيئة"),
    "filter_topic": ("Topic", "الموضوع"),
    "filter_type": ("Type", "النوع"),
    "filter_from": ("From", "من"),
    "filter_to": ("To", "إلى"),
    "date_hint": ("YYYY, YYYY-MM or YYYY-MM-DD", "سنة أو سنة-شهر أو سنة-شهر-يوم"),
    "filter_apply": ("Apply", "تطبيق"),
    "filter_clear": ("Clear", "مسح"),
    "any": ("any", "الكل"),
    "type_visit": ("visit", "زيارة"),
    "type_reception": ("reception", "استقبال"),
    "type_meeting": ("meeting", "لقاء"),
    "status_planned": ("planned", "مرتقب"),
    "status_happened": ("happened", "تم"),
    "salience_passing": ("mentioned in passing", "ذكر عرضي"),
    "n_events": ("{n} events", "{n} حدثا"),
    "no_events": ("No events match these filters.", "لا توجد أحداث مطابقة."),
    "older": ("Older events", "أحداث أقدم"),
    "newest": ("Newest", "الأحدث"),
    "undated": ("date not stated", "التاريخ غير مذكور"),
    "year_unknown": ("year not stated", "السنة غير مذكورة"),
    "year_inferred": ("year inferred", "السنة مستنتجة"),
    "no_year_group": ("Year not stated", "دون سنة"),
    "no_date_group": ("Date not stated", "دون تاريخ"),
    "slot": ("Slot", "الحقل"),
    "value": ("Value", "القيمة"),
    "evidence": ("Evidence", "الدليل"),
    "source": ("Source", "المصدر"),
    "sources": ("Sources", "المصادر"),
    "summary": ("Summary (English)", "ملخص (بالإنجليزية)"),
    "confidence": ("Confidence", "الثقة"),
    "visitor": ("Visitor", "الزائر"),
    "host": ("Host country", "البلد المضيف"),
    "city": ("City", "المدينة"),
    "dates": ("Dates", "التاريخ"),
    "date_reason": ("How the date was read", "كيف قرئ التاريخ"),
    "counterparts": ("Met", "التقى"),
    "inviter": ("Invited by", "بدعوة من"),
    "occasion": ("Occasion", "المناسبة"),
    "topics": ("Topics", "المواضيع"),
    "delegation": ("Heads a delegation", "على رأس وفد"),
    "previous_stop": ("Previous stop", "المحطة السابقة"),
    "next_stop": ("Next stop", "المحطة التالية"),
    "trigger": ("Type", "النوع"),
    "codes": ("Codes", "الرموز"),
    "yes": ("yes", "نعم"),
    "hijri": ("Hijri", "هجري"),
    "gregorian": ("Gregorian", "ميلادي"),
    "article_text": ("Article text, evidence highlighted", "نص المقال مع إبراز الأدلة"),
    "evidence_sentences": ("Evidence sentences", "جمل الأدلة"),
    "aliases": ("Also written", "يكتب أيضا"),
    "roles": ("Roles over time", "المناصب عبر الزمن"),
    "role_title": ("Title", "المنصب"),
    "first_seen": ("first seen", "أول ظهور"),
    "last_seen": ("last seen", "آخر ظهور"),
    "events": ("Events", "الأحداث"),
    "mentions": ("Mentions", "الإشارات"),
    "mentions_more": ("{n} mentions in all", "{n} إشارة في المجموع"),
    "name": ("Name", "الاسم"),
    "name_latin": ("Latin name", "الاسم باللاتينية"),
    "type": ("Type", "النوع"),
    "country": ("Country", "الدولة"),
    "visits_in": ("Visits received", "الزيارات المستقبلة"),
    "visits_out": ("Visits abroad", "الزيارات إلى الخارج"),
    "partners": ("Partner countries", "الدول الشريكة"),
    "counterparts_met": ("Foreign officials in its visits", "المسؤولون الأجانب في زياراتها"),
    "officials": ("Its officials", "مسؤولوها"),
    "all_events_of": ("all its events", "كل أحداثها"),
    "matrix": ("Who visited whom: visitor's country (rows) to host country (columns)",
               "من زار من: بلد الزائر (الصفوف) إلى البلد المضيف (الأعمدة)"),
    "network": ("Visitors and the officials they met", "الزوار والمسؤولون الذين التقوهم"),
    "pairs": ("Country pairs", "أزواج الدول"),
    "from_country": ("From", "من"),
    "to_country": ("To", "إلى"),
    "visits": ("Visits", "الزيارات"),
    "map_title": ("Map of visits", "خريطة الزيارات"),
    "map_legend": ("Shade: visits a country received. Lines: from the visitor's country to the host.",
                   "اللون: عدد الزيارات التي استقبلها البلد. الخطوط: من بلد الزائر إلى البلد المضيف."),
    "map_view": ("View", "العرض"),
    "map_fit": ("the countries involved", "الدول المعنية"),
    "map_world": ("the whole world", "العالم كله"),
    "map_none": ("No visit with both countries known.", "لا توجد زيارة معروفة البلدين."),
    "search_placeholder": ("Search articles", "ابحث في المقالات"),
    "search_help": ('Words must all appear; "quotes" for a phrase; a * ends a prefix. Arabic spellings '
                    "are normalised (الحموشي finds حموشي and الحموشى).",
                    "يجب أن تظهر كل الكلمات؛ علامات التنصيص لعبارة؛ و* لبادئة. تُوحَّد الإملاءات "
                    "(الحموشي تجد حموشي والحموشى)."),
    "n_results": ("{n} articles", "{n} مقالا"),
    "no_results": ("No article matches.", "لا يوجد مقال مطابق."),
    "search_missing": ("The search index lacks {n} articles; reindex the database to find them.",
                       "فهرس البحث ينقصه {n} مقالا؛ أعد الفهرسة للعثور عليها."),
    "search_scan": ("This database has no search index (schema before 5): a slower scan is used.",
                    "لا يوجد فهرس بحث في قاعدة البيانات هذه: يُستعمل مسح أبطأ."),
    "cleaned_text": ("Cleaned text", "النص بعد التنظيف"),
    "removed_parts": ("Removed by cleaning ({n})", "ما حذفه التنظيف ({n})"),
    "original_text": ("Original text (as read)", "النص الأصلي (كما قرئ)"),
    "raw_download": ("Raw input bytes", "المدخل الخام"),
    "rule": ("Rule", "القاعدة"),
    "reason": ("Reason", "السبب"),
    "published": ("Published", "تاريخ النشر"),
    "outlet": ("Outlet", "المنبر"),
    "author": ("Author", "الكاتب"),
    "article": ("Article", "المقال"),
    "articles": ("Articles", "المقالات"),
    "events_in_article": ("Events in this article", "الأحداث في هذا المقال"),
    "warnings": ("Warnings", "تنبيهات"),
    "hijri_dates": ("Dates given in the Hijri calendar", "تواريخ بالتقويم الهجري"),
    "stories_none": ("No stories yet: the clustering stage has not grouped reports.",
                     "لا توجد قصص بعد: لم تجمع مرحلة التجميع التقارير."),
    "story": ("Story", "القصة"),
    "reports": ("Reports", "التقارير"),
    "fused": ("Fused record", "السجل الموحد"),
    "conflicts": ("Conflicts between sources", "تعارض بين المصادر"),
    "entity_types_all": ("all types", "كل الأنواع"),
    "entity_PERSON": ("person", "شخص"),
    "entity_ROLE": ("office (unnamed)", "منصب (دون اسم)"),
    "entity_ORG": ("organisation", "هيئة"),
    "entity_COUNTRY": ("country", "دولة"),
    "entity_CITY": ("city", "مدينة"),
    "entity_REGION": ("region", "منطقة"),
    "entity_NATIONALITY": ("nationality", "جنسية"),
    "entity_OCCASION": ("occasion", "مناسبة"),
    "find": ("Find", "بحث"),
    "slot_actor": ("visitor", "الزائر"),
    "slot_trigger": ("event word", "لفظ الحدث"),
    "slot_host_country": ("host country", "البلد المضيف"),
    "slot_city": ("city", "المدينة"),
    "slot_start": ("date", "التاريخ"),
    "slot_end": ("end date", "تاريخ الانتهاء"),
    "slot_occasion": ("occasion", "المناسبة"),
    "slot_counterpart": ("counterpart", "النظير"),
    "slot_inviter": ("inviter", "الداعي"),
    "slot_topic": ("topic", "الموضوع"),
    "slot_delegation": ("delegation", "الوفد"),
    "error": ("Error", "خطأ"),
    "not_found": ("Not found", "غير موجود"),
    "back_home": ("Back to the timeline", "العودة إلى الخط الزمني"),
    "footer": ("marsad · every value links to the sentence that states it",
               "مرصد · كل قيمة مرتبطة بالجملة التي تذكرها"),
    "counts": ("{documents} articles, {events} events", "{documents} مقالا، {events} حدثا"),
    "read_only": ("read-only", "للقراءة فقط"),
    "api_title": ("marsad API", "واجهة برمجة مرصد"),
    "api_intro": ("JSON endpoints; errors are {\"error\": {\"code\", \"message\", \"status\"}}.",
                  "نقاط JSON؛ الأخطاء بالشكل {\"error\": {\"code\", \"message\", \"status\"}}."),
    "parameters": ("Parameters", "المعاملات"),
    "openapi_json": ("OpenAPI schema (JSON)", "مخطط OpenAPI (JSON)"),
}


def translate(lang: Lang, key: str, **values: object) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled; ``⟦key⟧`` when missing."""
    pair = STRINGS.get(key)
    if pair is None:
        return f"⟦{key}⟧"
    text = pair[1] if lang == "ar" else pair[0]
    return text.format(**values) if values else text


def choose_lang(query: str | None, cookie: str | None, accept: str | None) -> Lang:
    """The request's language: ``?lang``, then the cookie, then ``Accept-Language`` (else ``en``)."""
    for value in (query, cookie):
        if value in LANGS:
            return "ar" if value == "ar" else "en"
    if accept:
        for part in accept.split(","):
            tag = part.split(";")[0].strip().lower()
            if tag.startswith("ar"):
                return "ar"
            if tag.startswith("en"):
                return "en"
    return "en"
