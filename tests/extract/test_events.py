"""The events stage on short articles written for these tests: one phrasing family each."""

from __future__ import annotations

from typing import Any

import pytest

from marsad.model import Event, RawDocument
from marsad.pipeline import process_document
from marsad.settings import Settings


def events_of(text: str, settings: Settings) -> list[Event]:
    raw = RawDocument(source="t.txt", data=text.encode("utf-8"), fmt="text")
    return process_document(raw, settings).events


def main_event(text: str, settings: Settings) -> Event:
    evs = [e for e in events_of(text, settings) if e.salience == "main"]
    assert evs, "no main event"
    return evs[0]


# (text, expected main-event fields)
CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "حل وزير الداخلية الموريتاني محمد أحمد ولد محمد الأمين، أمس الأحد، بالعاصمة الرباط في زيارة "
        "عمل رسمية تدوم يومين، يجري خلالها مباحثات مع نظيره المغربي عبد الوافي لفتيت.",
        {"type": "visit", "actor_country": "MR", "host": "MA", "city": "Rabat"},
    ),
    (
        "استقبل وزير الداخلية الأردني مازن الفراية، اليوم الاثنين في مكتبه بعمان، وزير الداخلية "
        "اللبناني أحمد الحجار، وبحث الجانبان تعزيز التنسيق في مجال مكافحة المخدرات.",
        {"type": "reception", "actor_country": "LB", "host": "JO", "topics": {"drug_trafficking"}},
    ),
    (
        "أجرى المدير العام للأمن الوطني ومراقبة التراب الوطني عبد اللطيف حموشي، يوم الثلاثاء "
        "بالدوحة، مباحثات مع وزير الداخلية القطري تناولت تبادل المعلومات ومكافحة الإرهاب.",
        {"actor_country": "MA", "host": "QA", "topics": {"information_exchange", "terrorism"}},
    ),
    (
        "يقوم وزير الداخلية التونسي خالد النوري بزيارة عمل إلى الجزائر على رأس وفد أمني رفيع، "
        "بدعوة من نظيره الجزائري، لبحث ملفات تأمين الحدود المشتركة.",
        {"type": "visit", "actor_country": "TN", "host": "DZ", "delegation": True,
         "topics": {"border_security"}},
    ),
    (
        "من المرتقب أن يحل وزير الداخلية الإسباني فرناندو غراندي مارلاسكا بالرباط الأسبوع المقبل "
        "في زيارة رسمية يلتقي خلالها عددا من المسؤولين المغاربة.",
        {"type": "visit", "status": "planned", "actor_country": "ES", "host": "MA"},
    ),
    (
        "التقى وزير الداخلية العراقي عبد الأمير الشمري نظيره السوري على هامش أشغال الدورة "
        "الثانية والأربعين لمجلس وزراء الداخلية العرب المنعقدة في العاصمة التونسية تونس.",
        {"type": "meeting", "actor_country": "IQ", "host": "TN"},
    ),
    (
        "Le ministre de l'Intérieur, Abdelouafi Laftit, a reçu lundi à Rabat son homologue "
        "français Gérald Darmanin. Les deux ministres ont évoqué la lutte contre le trafic de drogue.",
        {"type": "reception", "actor_country": "FR", "host": "MA", "topics": {"drug_trafficking"}},
    ),
    # "و" on a two-letter verb, and the inviter named between the place and "في زيارة".
    (
        "وحل وزير الداخلية البرتغالي، الثلاثاء بالرباط، بدعوة من نظيره المغربي عبد الوافي لفتيت، "
        "في زيارة تستغرق يومين لبحث قضايا الهجرة.",
        {"type": "visit", "actor_country": "PT", "host": "MA", "city": "Rabat", "inviter": "MA"},
    ),
    # The inviter named before a present-tense verb is not its subject; "غدا" makes it planned.
    (
        "بدعوة رسمية من المدير العام للأمن الوطني عبد اللطيف حموشي، يزور المدير العام للشرطة "
        "الإسبانية المغرب ابتداء من يوم غد.",
        {"type": "visit", "status": "planned", "actor_country": "ES", "host": "MA", "inviter": "MA"},
    ),
    (
        "تلبية لدعوة من نظيره السعودي، بدأ وزير الداخلية الكويتي زيارة رسمية إلى الرياض تستمر "
        "ثلاثة أيام.",
        {"type": "visit", "actor_country": "KW", "host": "SA", "inviter": "SA"},
    ),
    # French future ("effectuera") makes it planned; the dates just before the visit word count.
    (
        "Le ministre libyen de l'Intérieur effectuera les 12 et 13 mai une visite de travail en "
        "Tunisie. Il s'était entretenu lundi avec des responsables européens.",
        {"type": "visit", "status": "planned", "actor_country": "LY", "host": "TN"},
    ),
    # "وزير الداخلية والبلديات" is an interior minister.
    (
        "زار وزير الداخلية والبلديات اللبناني دمشق اليوم والتقى نظيره السوري.",
        {"type": "visit", "actor_country": "LB", "host": "SY"},
    ),
    # Two guests of a multilateral session in a third country: a meeting, even with "زار".
    (
        "على هامش أشغال الدورة الحادية والخمسين لمجلس وزراء الداخلية العرب في الرياض، زار وزير "
        "الداخلية الأردني مازن الفراية نظيره اللبناني أحمد الحجار في مقر إقامته.",
        {"type": "meeting", "actor_country": "JO", "host": "SA"},
    ),
    # The invited party is read up to seven words after the cue, title and all.
    (
        "Le ministre libyen de l'Intérieur est arrivé lundi à Tunis pour une visite de trois "
        "jours, à l'invitation de son homologue tunisien, le ministre Khaled Nouri.",
        {"type": "visit", "actor_country": "LY", "host": "TN", "inviter": "TN"},
    ),
    (
        "يصل وزير الداخلية الليبي إلى تونس الأسبوع المقبل في زيارة عمل يبحث خلالها أمن الحدود.",
        {"type": "visit", "status": "planned", "actor_country": "LY", "host": "TN",
         "topics": {"border_security"}},
    ),
]

NEGATIVES = [
    # A phone call is not a meeting.
    "أجرى وزير الداخلية المغربي عبد الوافي لفتيت اتصالا هاتفيا مع نظيره الإسباني تناول ملف "
    "الهجرة غير النظامية.",
    # A minister touring his own country.
    "قام وزير الداخلية المغربي عبد الوافي لفتيت بزيارة تفقدية إلى مدينة مراكش للوقوف على "
    "تقدم أشغال التهيئة.",
    # Pilgrims are visitors of another kind.
    "أعلنت وزارة الداخلية العراقية دخول أكثر من مليون زائر أجنبي لأداء الزيارة الأربعينية.",
    # A general statement about cooperation.
    "يشكل التعاون الأمني بين المغرب وإسبانيا نموذجا يحتذى به في مكافحة الجريمة المنظمة.",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_phrasing_families(text: str, expected: dict[str, Any], settings: Settings) -> None:
    ev = main_event(text, settings)
    if "type" in expected:
        assert ev.type == expected["type"]
    assert ev.status == expected.get("status", "happened")
    assert ev.actor is not None and ev.actor.country == expected["actor_country"]
    assert ev.host_country == expected["host"]
    if "city" in expected:
        assert ev.city is not None and ev.city.name_latin == expected["city"]
    if "delegation" in expected:
        assert ev.delegation is expected["delegation"]
    if "topics" in expected:
        assert expected["topics"] <= set(ev.topics)
    if "inviter" in expected:
        assert ev.inviter is not None and ev.inviter.country == expected["inviter"]
        assert ev.actor.country != ev.inviter.country
    for e in ev.evidence:
        assert e.start < e.end and e.text


@pytest.mark.parametrize("text", NEGATIVES)
def test_what_is_not_an_event_stays_out(text: str, settings: Settings) -> None:
    assert events_of(text, settings) == []


def test_side_meeting_with_third_country_is_its_own_event(settings: Settings) -> None:
    text = (
        "يقوم المدير العام للأمن الوطني عبد اللطيف حموشي بزيارة عمل إلى تركيا للمشاركة في "
        "معرض دولي لمعدات الأمن بأنقرة.\n"
        "وخلال هذه الزيارة، أجرى حموشي مباحثات مع نظيره التركي محمود دميرطاش.\n"
        "كما أجرى حموشي محادثات ثنائية مع رؤساء وفود عدد من الدول المشاركة، من بينها وفود من "
        "الأردن والبحرين.\n"
    )
    evs = events_of(text, settings)
    visit = [e for e in evs if e.type == "visit"]
    side = [e for e in evs if e.type == "meeting"]
    assert len(visit) == 1 and visit[0].host_country == "TR"
    assert {c.country for c in visit[0].counterparts} == {"TR"}
    assert len(side) == 1 and side[0].host_country == "TR"
    assert {c.country for c in side[0].counterparts} == {"JO", "BH"}


def test_every_event_carries_codes_and_stable_ids(settings: Settings) -> None:
    text = CASES[0][0]
    first = events_of(text, settings)
    again = events_of(text, settings)
    assert [e.id for e in first] == [e.id for e in again]
    ev = first[0]
    assert ev.plover["event"] == "CONSULT" and "042" in ev.cameo


def test_a_meeting_that_refers_back_takes_its_sides_from_the_sentence_before(settings: Settings) -> None:
    text = ("شدد وزير الداخلية التونسي خالد النوري ونظيره الليبي عماد الطرابلسي، اليوم الأربعاء "
            "بطرابلس، على ضرورة تعزيز التنسيق الأمني بين البلدين. وجاء ذلك خلال اللقاء الذي جمعهما "
            "بمقر وزارة الداخلية الليبية على هامش أشغال اللجنة المشتركة المنعقدة من 3 إلى 5 مارس.")
    ev = main_event(text, settings)
    assert ev.type == "meeting" and ev.host_country == "LY"
    assert ev.actor is not None and ev.actor.country == "TN"
    assert [c.country for c in ev.counterparts] == ["LY"]
    assert ev.city is not None and ev.city.name_latin == "Tripoli"
    # the committee's own dates are not the day of the meeting
    assert ev.end is None and (ev.start is None or ev.start.day != 3)


def test_the_dates_of_the_occasion_do_not_replace_the_day_of_the_talks(settings: Settings) -> None:
    text = (" date 2026-03-04 أجرى وزير الداخلية المغربي عبد الوافي لفتيت، اليوم الأربعاء بمدريد، "
            "مباحثات مع نظيره الإسباني.\n\nوجرى اللقاء على هامش أشغال المنتدى الأمني المتوسطي "
            "المنعقد في الفترة من 2 إلى 6 مارس.")
    ev = main_event(text, settings)
    assert ev.host_country == "ES"
    assert ev.start is not None and (ev.start.year, ev.start.month, ev.start.day) == (2026, 3, 4)
    assert ev.end is None


def test_each_leg_of_a_tour_keeps_its_own_place(settings: Settings) -> None:
    text = ("انتقل المدير العام للأمن الوطني عبد اللطيف حموشي، أمس الأربعاء، من مدريد إلى ليشبونة "
            "حيث يواصل جولته الأوروبية.\n\n"
            "وفي العاصمة البرتغالية، عقد حموشي جلسة عمل مع وزير الداخلية البرتغالي.\n\n"
            "وكان حموشي قد أجرى، يوم الاثنين بمدريد، مباحثات مع المدير العام للشرطة الإسبانية، "
            "تناولت تأمين التظاهرات الرياضية المرتقبة بالمغرب.")
    evs = events_of(text, settings)
    by_host = {e.host_country: e for e in evs}
    assert set(by_host) == {"PT", "ES"}
    assert all(e.actor is not None and e.actor.country == "MA" for e in evs)
    assert [c.country for c in by_host["PT"].counterparts] == ["PT"]
    assert [c.country for c in by_host["ES"].counterparts] == ["ES"]
    assert by_host["ES"].city is not None and by_host["ES"].city.name_latin == "Madrid"


def test_the_dateline_city_places_a_reception_told_without_a_city(settings: Settings) -> None:
    text = ("وزير الداخلية يستقبل نظيره الأردني\n\n"
            "عمان – بترا\n"
            "استقبل وزير الداخلية المصري محمود توفيق اليوم في مكتبه بمقر الوزارة نظيره الأردني "
            "مازن الفراية والوفد المرافق له، وبحث معه تعزيز التعاون في مكافحة المخدرات.")
    # The story is filed from Amman, but the reception is in Egypt: no city is taken from it.
    ev = main_event(text, settings)
    assert ev.host_country == "EG" and ev.city is None
    text = text.replace("عمان – بترا", "القاهرة – أ ش أ")
    ev = main_event(text, settings)
    assert ev.host_country == "EG" and ev.city is not None and ev.city.name_latin == "Cairo"
    assert any(e.slot == "city" and e.rule == "events.dateline_city" for e in ev.evidence)


def test_a_visit_noun_read_with_the_hosts_minister_does_not_steal_the_talks(settings: Settings) -> None:
    text = ("بحث الشيخ خليفة بن حمد آل ثاني وزير الداخلية القطري اليوم في الرباط مع عبد الوافي "
            "لفتيت وزير الداخلية المغربي علاقات التعاون، وذلك خلال زيارة رسمية.\n\n"
            "واستعرض الجانبان خلال اللقاء سبل مكافحة الإرهاب والهجرة غير النظامية.")
    ev = main_event(text, settings)
    assert ev.actor is not None and ev.actor.country == "QA" and ev.host_country == "MA"
    assert {"terrorism", "illegal_migration"} <= set(ev.topics)


def test_a_meeting_at_the_bare_ministry_is_hosted_by_its_minister(settings: Settings) -> None:
    text = ("أكد وزير الداخلية، عبد الأمير الشمري، اليوم الأحد، أن التنسيق مع الجانب الإيراني "
            "مثمر، إذ شهدت وزارة الداخلية اجتماعا بين الوزير عبد الأمير الشمري والقائد العام "
            "للشرطة الإيرانية أحمد رضا رادان.")
    ev = main_event(text, settings)
    assert ev.type == "meeting" and ev.host_country == "IQ"
    assert ev.actor is not None and ev.actor.country == "IR"
    assert [c.country for c in ev.counterparts] == ["IQ"]


def test_tunisian_motion_verb_and_conjoined_two_letter_cue_words(settings: Settings) -> None:
    # "تحوّل إلى": went to; "ومن المنتظر": و on a two-letter first word still makes a cue.
    text = ("تحوّل وزير الداخلية التونسي خالد النوري، أمس الاثنين 3 مارس 2025، إلى طرابلس "
            "رفقة وفد أمني، بدعوة من نظيره الليبي عماد الطرابلسي.\n\n"
            "ومن المنتظر أن يتحول الوفد يوم الأربعاء 5 مارس 2025 إلى مدينة مصراتة.")
    ev = main_event(text, settings)
    assert ev.type == "visit" and ev.status == "happened"
    assert ev.actor is not None and ev.actor.country == "TN" and ev.host_country == "LY"
    assert ev.inviter is not None and ev.inviter.country == "LY"
    # the planned next step gives neither its day nor its city to the visit
    assert ev.start is not None and ev.start.day == 3
    assert ev.city is not None and ev.city.name_latin == "Tripoli"


def test_a_two_letter_phrase_also_matches_with_a_conjunction() -> None:
    from marsad.arabic import PhraseMatcher, normalize, tokenize

    m: PhraseMatcher[str] = PhraseMatcher([("من المنتظر", "planned"), ("حل", "arrival")])
    for text, want in [("ومن المنتظر ان", "planned"), ("فحل الوزير", "arrival"), ("وحل", "arrival")]:
        toks = tokenize(normalize(text))
        assert m.match_at(toks, 0) is not None and m.match_at(toks, 0)[2] == [want]
    assert m.match_at(tokenize(normalize("وحلول")), 0) is None  # a longer word is not "و + حل"


@pytest.mark.parametrize(
    ("text", "etype", "actor_country", "host"),
    [
        # a body receives a delegation "من" a foreign force, headed by an unnamed officer
        ("استقبلت المديرية العامة للأمن الوطني بالرباط وفدا من الشرطة الماليزية برئاسة نائب "
         "المفتش العام للشرطة، وذلك في إطار زيارة عمل إلى المغرب.", "reception", "MY", "MA"),
        # "استضافت" a delegation of a country named after "من"; its head takes its country
        ("استضافت وزارة الداخلية السعودية وفدا أمنيا من جمهورية جزر القمر برئاسة مدير الشرطة "
         "والأمن الوطني اللواء / أحمد علي سعيد، وبحث الجانبان تفعيل الاتفاقية الأمنية.",
         "reception", "KM", "SA"),
        # its head's own department is civil, but he heads an interior ministry's delegation
        ("استقبل وزير الداخلية الأردني في مكتبه بعمان وفدا من وزارة الداخلية العراقية برئاسة "
         "مدير إدارة العلاقات الدولية في الوزارة.", "reception", "IQ", "JO"),
        # a delegation of a named agency arrives
        ("حل وفد من مكتب التحقيقات الفيدرالي الأمريكي بالكويت في زيارة تستمر ثلاثة أيام يبحث "
         "خلالها التعاون في مكافحة الجرائم الإلكترونية.", "visit", "US", "KW"),
    ],
)
def test_delegations_from_a_body_or_a_country(text: str, etype: str, actor_country: str, host: str,
                                              settings: Settings) -> None:
    ev = main_event(text, settings)
    assert ev.type == etype and ev.host_country == host
    assert ev.actor is not None and ev.actor.country == actor_country


def test_a_visit_agreed_at_the_end_of_talks_is_its_own_planned_event(settings: Settings) -> None:
    text = ("استقبل وزير الداخلية التونسي خالد النوري بتونس نظيره الليبي عماد الطرابلسي، وبحث "
            "الجانبان أمن الحدود.\n\n"
            "وفي ختام اللقاء، اتفق الطرفان على برمجة زيارة لوفد من وزارة الداخلية الليبية إلى "
            "الجزائر خلال شهر مارس المقبل.")
    evs = events_of(text, settings)
    planned = [e for e in evs if e.status == "planned"]
    assert len(planned) == 1 and planned[0].host_country == "DZ"
    assert planned[0].actor is not None and planned[0].actor.country == "LY"
    main = main_event(text, settings)
    assert main.status == "happened" and main.host_country == "TN"


def test_the_head_of_a_foreign_delegation_is_not_the_host_of_the_same_rank(settings: Settings) -> None:
    # Darija: "غادي" marks the future; the delegation's next step stays in the visit.
    text = ("استقبل المدير العام للأمن الوطني عبد اللطيف حموشي، نهار الأربعاء بالرباط، وفدا من "
            "الشرطة الوطنية الإسبانية برئاسة المدير العام المساعد للعمليات.\n\n"
            "والوفد الإسباني غادي يزور حتى المختبر الوطني للشرطة العلمية بالدار البيضاء.")
    evs = events_of(text, settings)
    assert len(evs) == 1
    ev = evs[0]
    assert ev.type == "reception" and ev.host_country == "MA" and ev.status == "happened"
    assert ev.actor is not None and ev.actor.country == "ES" and ev.actor.name is None
    assert [c.country for c in ev.counterparts] == ["MA"]


def test_an_honorific_pronoun_subject_and_an_earlier_leg_told_in_passing(settings: Settings) -> None:
    text = ("وصل الفريق الشيخ راشد بن عبدالله آل خليفة وزير الداخلية البحريني إلى باريس اليوم، "
            "قادما من لندن، في زيارة رسمية إلى فرنسا.\n\n"
            "ويلتقي معاليه خلال الزيارة وزير الداخلية الفرنسي، لبحث تعزيز التعاون الأمني.\n\n"
            "وكان معاليه قد أجرى يوم الاثنين في لندن مباحثات مع وزيرة الداخلية البريطانية "
            "تناولت مكافحة الإرهاب.")
    evs = events_of(text, settings)
    by_host = {e.host_country: e for e in evs}
    assert set(by_host) == {"FR", "GB"}
    for ev in evs:
        assert ev.actor is not None and ev.actor.country == "BH"
    assert [c.country for c in by_host["FR"].counterparts] == ["FR"]
    assert [c.country for c in by_host["GB"].counterparts] == ["GB"]


def test_the_bodys_city_wins_over_a_city_named_in_the_headline(settings: Settings) -> None:
    text = ("لفتيت يستقبل نظيره النيجري ويبحثان أمن ميناء طنجة\n\n"
            "استقبل وزير الداخلية المغربي عبد الوافي لفتيت، اليوم بمقر الوزارة بالرباط، وزير "
            "الداخلية النيجري في زيارة عمل.")
    evs = events_of(text, settings)
    assert len(evs) == 1  # "نظيره النيجري" of the headline is the minister of the body
    ev = evs[0]
    assert ev.actor is not None and ev.actor.title == "وزير الداخلية النيجري"
    assert ev.host_country == "MA" and ev.city is not None and ev.city.name_latin == "Rabat"
    assert [e.text for e in ev.evidence if e.slot == "city"] == ["الرباط"]


def test_talks_told_after_a_reception_stay_with_it_whoever_is_quoted(settings: Settings) -> None:
    text = ("Le ministre de l'Intérieur, Khaled Nouri, a reçu mardi à Tunis son homologue italien "
            "Matteo Piantedosi.\n\n"
            "Lors de leur entretien, les deux ministres ont examiné la coopération voulue par le "
            "président Kaïs Saïed.\n\n"
            "Nouri et Piantedosi se sont félicités des résultats obtenus contre les flux migratoires.")
    evs = events_of(text, settings)
    assert len(evs) == 1
    ev = evs[0]
    assert ev.type == "reception" and ev.host_country == "TN"
    assert ev.actor is not None and ev.actor.country == "IT"
    assert "illegal_migration" in ev.topics


def test_the_headlines_city_places_the_main_event_told_without_one(settings: Settings) -> None:
    text = ("الفراية في بغداد.. أمن الحدود على الطاولة\n\n"
            "بحث وزير الداخلية الأردني مازن الفراية مع نظيره العراقي عبد الأمير الشمري، خلال "
            "زيارته إلى العراق، أمن الحدود المشتركة.")
    ev = main_event(text, settings)
    assert ev.host_country == "IQ" and ev.city is not None and ev.city.name_latin == "Baghdad"
    assert any(e.slot == "city" and e.rule == "events.title_city" for e in ev.evidence)


def test_today_is_the_agency_datelines_day_and_the_year_stays_unknown(settings: Settings) -> None:
    text = ("وزير الداخلية البحريني يلتقي نظيره العماني\n\n"
            "مسقط في 14 مارس / بنا / التقى الفريق أول الشيخ راشد بن عبدالله آل خليفة وزير "
            "الداخلية اليوم في مسقط بوزير الداخلية العماني.")
    ev = main_event(text, settings)
    assert ev.host_country == "OM"
    assert ev.start is not None and (ev.start.year, ev.start.month, ev.start.day) == (None, 3, 14)
    assert ev.date_inferred is False
