"""Server-rendered pages in both languages, the evidence highlighting, the map, and escaping."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.web.app import TEMPLATES
from marsad.web.i18n import STRINGS, choose_lang, translate
from tests.web.conftest import XSS_TEXT, event_id, hostile_event

PAGES = ["/", "/events", "/events?country=MA", "/events?topic=terrorism&type=visit",
         "/entities", "/entities?type=PERSON", "/entities/person:abdellatif-hammouchi",
         "/countries", "/countries/MA", "/relations", "/map", "/map?view=world", "/search",
         "/search?q=الحموشي", "/articles", "/articles/1", "/stories", "/api/docs"]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_in_both_languages(client: TestClient, url: str, lang: str) -> None:
    sep = "&" if "?" in url else "?"
    resp = client.get(f"{url}{sep}lang={lang}")
    assert resp.status_code == 200, resp.text[:500]
    text = resp.text
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in text
    assert "⟦" not in text  # every interface string exists in both languages
    # Nothing is loaded from the internet: no CDN, web fonts or map tiles.
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert "url(http" not in text and "@import" not in text


def test_language_comes_from_the_query_then_the_cookie_then_the_browser() -> None:
    assert choose_lang("ar", "en", "en") == "ar"
    assert choose_lang(None, "ar", "en-GB") == "ar"
    assert choose_lang(None, None, "ar-MA,ar;q=0.9,fr;q=0.8") == "ar"
    assert choose_lang(None, None, "fr-FR,en;q=0.5") == "en"
    assert choose_lang("xx", None, None) == "en"


def test_lang_parameter_sets_a_cookie(client: TestClient) -> None:
    client.cookies.clear()
    resp = client.get("/events?lang=ar")
    assert resp.cookies.get("lang") == "ar"
    assert 'dir="rtl"' in client.get("/events").text
    assert 'dir="ltr"' in client.get("/events?lang=en").text.split("\n", 2)[1]


def test_every_string_has_both_languages() -> None:
    for key, (en, ar) in STRINGS.items():
        assert en.strip() and ar.strip(), key
        assert re.findall(r"{\w+}", en) == re.findall(r"{\w+}", ar), key
    assert translate("ar", "nav_timeline") == "الخط الزمني"
    assert translate("en", "n_events", n=3) == "3 events"


def test_templates_never_mark_text_safe() -> None:
    for path in TEMPLATES.glob("*.html"):
        source = path.read_text("utf-8")
        assert "|safe" not in source.replace(" ", ""), path.name
        assert "autoescape false" not in source, path.name
        assert "<script>" not in source and "style=" not in source, path.name  # CSP: no inline


def test_timeline_filters_by_person(client: TestClient) -> None:
    page = client.get("/events?person=person:abdellatif-hammouchi").text
    assert "Abdellatif Hammouchi" in page
    assert "Bahrain" not in page.split('id="timeline"')[1]


def test_event_page_shows_slots_summary_and_highlighted_evidence(client: TestClient, web_db: Path) -> None:
    ident = event_id(web_db, actor="person:abdelouafi-laftit")
    page = client.get(f"/events/{ident}").text
    assert ("Abdelouafi Laftit (MA) met Fernando Grande-Marlaska (ES) in Spain (Madrid), 5 Mar 2025"
            in html.unescape(page))
    assert '<mark class="ev ev-actor" data-slot="actor">عبد الوافي لفتيت</mark>' in page
    assert '<mark class="ev ev-city" data-slot="city">مدريد</mark>' in page
    assert 'id="article-text" dir="rtl"' in page
    # a date given in the Hijri calendar is shown in both calendars
    assert "2025-03-05" in page and "5 Ramadan 1446 AH" in page
    arabic = client.get(f"/events/{ident}?lang=ar").text
    assert "5 رمضان 1446 هـ" in arabic


def test_year_less_event_page_says_the_year_is_not_stated(client: TestClient) -> None:
    rows = client.get("/api/events?country=QA").json()["items"]
    page = client.get(f"/events/{rows[0]['id']}").text
    assert "year not stated" in page
    assert "Hijri" not in page.split('id="summary"')[1].split("</section>")[0]


def test_article_page_has_clean_text_removed_parts_and_original(client: TestClient) -> None:
    page = client.get("/articles/1").text
    assert 'id="clean-text"' in page
    assert '<details class="removed" id="removed">' in page
    assert '<details class="original" id="original">' in page
    raw = client.get("/articles/1/raw")
    assert raw.headers["content-type"] == "application/octet-stream"
    assert raw.headers["content-disposition"].startswith("attachment")


def test_map_draws_countries_and_arcs(client: TestClient) -> None:
    page = client.get("/map?view=world").text
    assert page.count("<path class=\"land") > 150
    assert 'data-iso="MA"' in page and 'data-iso="SA"' in page
    assert 'data-pair="MA-PT"' in page
    assert re.search(r'class="land l[1-5]" data-iso="PT"', page)
    fit = client.get("/map").text
    box = re.search(r'viewBox="([\d. ]+)"', fit)
    assert box is not None and float(box.group(1).split()[2]) < 1000  # zoomed to the countries


def test_relations_matrix(client: TestClient) -> None:
    page = client.get("/relations").text
    assert 'id="matrix"' in page
    assert "/events?origin=MA&amp;host=PT" in page


def test_search_page_highlights_matches(client: TestClient) -> None:
    page = client.get("/search", params={"q": "الحموشي"}).text
    assert '<mark class="ev ev-hit" data-slot="hit">' in page
    assert "الحموشى" in page


def test_bad_input_on_pages_is_an_error_page(client: TestClient) -> None:
    resp = client.get("/events?date_from=2025-13")
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("text/html")
    assert "date_from" in resp.text
    assert client.get("/events/999999").status_code == 404
    assert client.get("/countries/XYZ").status_code == 422
    assert client.get("/nowhere").status_code == 404


def test_security_headers(client: TestClient) -> None:
    resp = client.get("/events")
    assert "script-src 'self'" in resp.headers["content-security-policy"]
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_hostile_article_text_is_escaped_everywhere(client: TestClient, web_db: Path, lang: str) -> None:
    ident = hostile_event(web_db)
    event = client.get(f"/events/{ident}?lang={lang}")
    doc = client.get(f"/api/events/{ident}").json()["sources"][0]["document_id"]
    pages = [event.text, client.get(f"/articles/{doc}?lang={lang}").text,
             client.get(f"/events?country=OM&lang={lang}").text,
             client.get(f"/search?q=مسقط&lang={lang}").text]
    for page in pages:
        assert "<script>window" not in page and "<script>alert" not in page
        assert "<img src=x" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;window.__xss = &#34;body&#34;&lt;/script&gt;" in event.text
    assert "&lt;img src=x onerror=&#34;window.__xss=&#39;img&#39;&#34;&gt;" in event.text
    # The evidence is highlighted by splitting the escaped text: the mark wraps escaped markup.
    assert ('<mark class="ev ev-trigger" data-slot="trigger">زيارة رسمية &lt;script&gt;'
            in event.text)
    as_text = html.unescape(re.sub(r"<[^>]+>", "", event.text))  # real tags out, entities in
    assert XSS_TEXT in as_text  # the whole hostile text is there, as text
