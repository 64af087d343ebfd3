"""English and French (issue 14): URLs and negotiation, the switcher and hreflang, the French
catalogue (complete, compiled, and no English left on the French pages), vocabularies and entries in
French, exports and the API in the asked language, and search with French words."""

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from practices.models import Practice
from taxonomy.models import ConventionArticle, Country, InspireStrategy, Pillar, Region, TargetGroup, Theme

pytestmark = pytest.mark.django_db

PO_PATH = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# the templates' and Python's strings, and the scripts' (static/js, served by /jsi18n/)
CATALOGUES = [PO_PATH, PO_PATH.with_name("djangojs.po")]

# The main public pages, crawled in French.
FRENCH_PAGES = [
    "/fr/",
    "/fr/practices/",
    "/fr/practices/?pillar=prevention&region=sub-saharan-africa",
    "/fr/practices/?q=zzzzqqq",
    "/fr/findings/",
    "/fr/findings/?q=trafficking",
    "/fr/gap-map/",
    "/fr/gap-map/?rows=themes&entries=findings",
    "/fr/articles/",
    "/fr/articles/38/",
    "/fr/pillars/prevention/",
    "/fr/regions/sub-saharan-africa/",
    "/fr/themes/sex-tourism-travel/",
    "/fr/countries/SN/",
    "/fr/conferences/rome-2012/",
    "/fr/sessions/{session}/",
    "/fr/sources/rome-2012-report/",
    "/fr/practices/{practice}/",
    "/fr/findings/{finding}/",
    "/fr/compare/",
    "/fr/compare/?practice={practice}&practice={practice2}",
    "/fr/compare/regions/?region=europe&region=sub-saharan-africa",
    "/fr/suggest/",
    "/fr/no-such-page/",
    "/fr/method/",
    "/fr/map/",
    "/fr/map/?entries=findings&pillar=prevention",
    "/fr/licence/",
    "/fr/privacy/",
    "/fr/accessibility/",
]


def french_pages():
    from kb.models import Session
    from practices.models import Finding

    practices = list(Practice.objects.published().order_by("slug").values_list("slug", flat=True)[:2])
    values = {
        "session": Session.objects.order_by("slug").first().slug,
        "practice": practices[0],
        "practice2": practices[1],
        "finding": Finding.objects.published().order_by("slug").first().slug,
    }
    return [page.format(**values) for page in FRENCH_PAGES]


# --- the catalogue ------------------------------------------------------------------------------


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.name)
def test_the_french_catalogue_is_complete_and_has_no_fuzzy_entry(po_path):
    catalogue = polib.pofile(str(po_path))
    assert len(catalogue) > (300 if po_path == PO_PATH else 5)
    assert not catalogue.metadata_is_fuzzy
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert catalogue.percent_translated() == 100


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.name)
def test_the_compiled_catalogue_matches_the_po_file(po_path):
    """The .mo is committed (so a server needs no gettext); it must say what the .po says.
    ``manage.py compile_translations`` (run by make) rewrites it."""
    catalogue = polib.pofile(str(po_path))
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    expected = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in catalogue}
    found = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in compiled}
    found.pop((None, ""), None)
    assert found == expected


def test_compile_translations_writes_a_catalogue_django_reads(tmp_path, settings):
    locale = tmp_path / "fr" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "django.po").write_bytes(PO_PATH.read_bytes())
    settings.LOCALE_PATHS = [tmp_path]
    call_command("compile_translations", verbosity=0)
    compiled = polib.mofile(str(locale / "django.mo"))
    assert compiled.find("Good practices").msgstr == "Bonnes pratiques"


def test_the_scripts_get_their_strings_in_the_page_language(client):
    french = client.get("/fr/jsi18n/").content.decode()
    assert "Comparer (%(count)s)" in french and "Copier la citation" in french
    assert "Copier la citation" not in client.get("/jsi18n/").content.decode()


class InterfaceText(HTMLParser):
    """The text nodes and the readable attributes of a page, leaving out anything marked
    lang="en" (the entries' own English text) and scripts."""

    ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, English?)
        self.texts = []

    @property
    def english(self):
        return any(english for _, english in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        english = attrs.get("lang") == "en" or tag in {"script", "style", "textarea"}
        if not self.english and not english:
            self.texts += [attrs[name] for name in self.ATTRIBUTES if attrs.get(name)]
            if tag == "meta" and attrs.get("name") == "description":
                self.texts.append(attrs.get("content", ""))
        if tag not in self.VOID:
            self.stack.append((tag, english))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.english and data.strip():
            self.texts.append(" ".join(data.split()))


def english_patterns():
    """A pattern per English interface string whose French differs: a whole text node equal to it
    (placeholders match anything), which is how interface strings appear."""
    patterns = []
    for entry in polib.pofile(str(PO_PATH)):
        french = entry.msgstr or entry.msgstr_plural.get(0, "")
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            plain = re.sub(r"<[^>]+>|%\(\w+\)s|\{\d\}", "", english)
            if french == english or len(re.findall(r"[A-Za-z]{3,}", plain)) == 0:
                continue
            patterns.append((english, text_pattern(english), text_pattern(french)))
    return patterns


def text_pattern(message):
    """A whole text node saying ``message``, whatever its placeholders stand for."""
    text = " ".join(re.sub(r"<[^>]+>", "", message).split())
    parts = re.split(r"%\(\w+\)s|\{\d\}", text)
    return re.compile("^" + ".+?".join(re.escape(part) for part in parts) + "$")


def untranslated(texts, patterns):
    """The English messages some text says (and that its French would not say too: "Article
    %(number)s: %(title)s" also matches "Article 5\u00a0: Recrutement...")."""
    return [
        english
        for english, pattern, french in patterns
        for text in texts
        if pattern.match(text) and not french.match(text)
    ]


def test_no_english_interface_string_is_left_on_the_french_pages(client):
    patterns = english_patterns()
    assert len(patterns) > 250
    left = []
    for url in french_pages():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        html = response.content.decode()
        assert '<html lang="fr">' in html, url
        parser = InterfaceText()
        parser.feed(html)
        texts = set(parser.texts)
        left += [(url, english) for english in untranslated(texts, patterns)]
    assert left == [], left


def test_the_crawl_would_see_an_untranslated_string(client, settings, tmp_path):
    """The crawl's own check: with French switched off, the same pages are full of English."""
    settings.LOCALE_PATHS = [tmp_path]
    from django.utils.translation import trans_real

    trans_real._translations = {}
    try:
        parser = InterfaceText()
        parser.feed(client.get("/fr/practices/").content.decode())
        texts = set(parser.texts)
        assert len(untranslated(texts, english_patterns())) > 10
    finally:
        trans_real._translations = {}


# --- URLs ---------------------------------------------------------------------------------------


def test_english_stays_unprefixed_and_french_lives_under_fr(client):
    assert '<html lang="en">' in client.get("/practices/").content.decode()
    html = client.get("/fr/practices/").content.decode()
    assert '<html lang="fr">' in html and "<h1>Bonnes pratiques</h1>" in html


def test_en_prefix_redirects_to_the_unprefixed_page_and_remembers_english(client):
    response = client.get("/en/practices/?pillar=prevention&q=abc")
    assert response.status_code == 301
    assert response["Location"] == "/practices/?pillar=prevention&q=abc"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/en/")["Location"] == "/"


def test_the_home_page_negotiates_the_language(client):
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")
    assert french.status_code == 302 and french["Location"] == "/fr/"
    assert "Accept-Language" in french["Vary"]
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert english.status_code == 200 and "Accept-Language" in english["Vary"]
    # once English was chosen (the cookie), the home page stays English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200
    # only / negotiates: other unprefixed pages are English
    client.cookies.clear()
    assert client.get("/practices/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_the_switcher_keeps_the_page_and_its_filters(client):
    html = client.get("/practices/", {"pillar": "prevention", "region": "europe"}).content.decode()
    assert 'href="/fr/practices/?pillar=prevention&amp;region=europe" hreflang="fr" lang="fr">Français</a>' in html
    html = client.get("/fr/practices/", {"pillar": "prevention", "region": "europe"}).content.decode()
    assert 'href="/en/practices/?pillar=prevention&amp;region=europe" hreflang="en" lang="en">English</a>' in html
    assert '<span aria-current="true" lang="fr">Français</span>' in html


def test_every_page_names_its_alternates(client):
    html = client.get("/fr/articles/38/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/articles/38/">' in html
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/articles/38/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/articles/38/">' in html


def test_the_sitemap_lists_both_languages(client):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/practices/</loc>" in xml
    assert "<loc>http://testserver/fr/practices/</loc>" in xml
    assert 'hreflang="fr" href="http://testserver/fr/articles/38/"' in xml


# --- vocabularies -------------------------------------------------------------------------------


def test_every_vocabulary_term_has_a_french_name():
    for model in (Pillar, Region, Theme, TargetGroup, InspireStrategy):
        assert not model.objects.filter(name_fr="").exists(), model
    assert ConventionArticle.objects.exclude(title_fr="").count() == 50
    assert not ConventionArticle.objects.filter(chapter_title_fr="").exists()
    assert ConventionArticle.objects.get(number=5).title_fr.startswith("Recrutement, formation et sensibilisation")
    assert Region.objects.get(slug="sub-saharan-africa").name_fr == "Afrique subsaharienne"


def test_country_names_in_french_come_from_pycountry():
    names = dict(Country.objects.filter(code__in=["SN", "MA", "LB", "CI", "RU"]).values_list("code", "name_fr"))
    assert names == {
        "SN": "Sénégal",
        "MA": "Maroc",
        "LB": "Liban",
        "CI": "Côte d'Ivoire",
        "RU": "Fédération de Russie",
    }
    assert not Country.objects.filter(name_fr="").exists()


def test_facets_chips_and_cards_use_the_french_labels(client):
    html = client.get("/fr/practices/", {"theme": "sex-tourism-travel"}).content.decode()
    assert "Tourisme sexuel et voyages" in html  # facet option and chip
    assert "Thème : Tourisme sexuel et voyages" in html.replace("\u00a0", " ")
    assert "Afrique subsaharienne" in html
    assert ">Prévention</span>" in html or ">Prévention<" in html
    # slugs and codes never change
    assert 'name="theme" value="sex-tourism-travel"' in html


def test_entry_pages_classify_in_french(client):
    practice = Practice.objects.published().filter(articles__isnull=False).first()
    html = client.get(f"/fr/practices/{practice.slug}/").content.decode()
    article = practice.articles.first()
    assert article.title_fr in html
    with translation.override("fr"):
        practice_type = practice.get_practice_type_display()
    assert f"Bonne pratique · {practice_type}" in html
    assert "Niveau de preuve" in html


def test_exports_use_the_active_language(client):
    text = client.get("/fr/practices/export.csv", {"region": "sub-saharan-africa"}).getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all("Afrique subsaharienne" in row["regions"] for row in rows)
    english = client.get("/practices/export.csv", {"region": "sub-saharan-africa"}).getvalue().decode("utf-8-sig")
    assert "Sub-Saharan Africa" in english and "Afrique subsaharienne" not in english


def test_the_api_answers_in_the_asked_language(client):
    def region_label(response):
        options = {option["value"]: option["label"] for option in response.json()["facets"]["region"]}
        return options["sub-saharan-africa"]

    assert region_label(client.get("/api/practices/")) == "Sub-Saharan Africa"
    french = client.get("/api/practices/", {"lang": "fr"})
    assert region_label(french) == "Afrique subsaharienne" and french["Content-Language"] == "fr"
    assert region_label(client.get("/api/practices/", HTTP_ACCEPT_LANGUAGE="fr")) == "Afrique subsaharienne"
    assert region_label(client.get("/api/practices/", {"lang": "xx"}, HTTP_ACCEPT_LANGUAGE="en")) == (
        "Sub-Saharan Africa"
    )
    assert "Accept-Language" in french["Vary"]
    # codes never change
    assert {row["slug"] for row in french.json()["results"]} == {
        row["slug"] for row in client.get("/api/practices/").json()["results"]
    }


# --- entries ------------------------------------------------------------------------------------


def test_an_entry_without_french_says_it_is_in_english_only(client):
    practice = Practice.objects.published().first()
    html = client.get(f"/fr/practices/{practice.slug}/").content.decode()
    assert "Cette entrée n’existe qu’en anglais" in html
    assert f'<h1 lang="en">{practice.title}</h1>' in html.replace("&#x27;", "'")
    english = client.get(f"/practices/{practice.slug}/").content.decode()
    assert "qu’en anglais" not in english and "English only" not in english


def test_an_entry_with_a_french_title_and_summary_shows_them(client):
    practice = Practice.objects.published().first()
    practice.title_fr = "Une pratique en français"
    practice.summary_fr = "Un résumé rédigé par une curatrice."
    practice.save()
    html = client.get(f"/fr/practices/{practice.slug}/").content.decode()
    assert "<h1>Une pratique en français</h1>" in html
    assert "Un résumé rédigé par une curatrice." in html
    assert "qu’en anglais" not in html
    assert "Une pratique en français" in client.get("/fr/practices/").content.decode()
    english = client.get(f"/practices/{practice.slug}/").content.decode()
    assert "Une pratique en français" not in english and practice.title in english


def test_the_admin_edits_both_languages_side_by_side(admin_client):
    practice = Practice.objects.published().first()
    html = admin_client.get(f"/admin/practices/practice/{practice.pk}/change/").content.decode()
    assert 'name="title_fr"' in html and 'name="summary_fr"' in html
    row = re.search(r'<div class="form-row[^"]*field-title field-title_fr', html)
    assert row, "title and title_fr share a row"


# --- search -------------------------------------------------------------------------------------


def slugs(response):
    return set(re.findall(r'href="/fr/practices/([\w-]+)/"', response.content.decode()))


def test_french_words_find_sex_tourism_practices(client):
    expected = set(
        Practice.objects.published().filter(themes__slug="sex-tourism-travel").values_list("slug", flat=True)
    )
    found = slugs(client.get("/fr/practices/", {"q": "tourisme sexuel"}))
    assert expected and expected <= found


def test_french_words_find_sub_saharan_practices(client):
    expected = set(
        Practice.objects.published().filter(regions__slug="sub-saharan-africa").values_list("slug", flat=True)
    )
    response = client.get("/fr/practices/", {"q": "Afrique subsaharienne"})
    assert expected and expected <= slugs(response)
    html = response.content.decode().replace("\u00a0", " ")
    assert "Région : Afrique subsaharienne" in html  # offered as a filter, in French


def test_a_french_vocabulary_label_alone_names_its_term(client):
    """ "Enseignants et écoles" is only the French name of a target group (not a thesaurus label)."""
    body = client.get("/api/practices/", {"q": "enseignants et écoles", "lang": "fr"}).json()
    understood = {(item["facet"], item["value"]) for item in body["understood"]}
    assert ("target_group", "teachers-schools") in understood or any(
        item["facet"] == "target_group" for item in body["understood"]
    )


def test_french_title_and_summary_are_searched(client):
    practice = Practice.objects.published().order_by("slug").first()
    practice.title_fr = "Bibliothèque ambulante pour écoliers"
    practice.summary_fr = "Des livres apportés aux écoliers des villages isolés."
    practice.save()  # the index follows (database triggers)
    assert practice.slug in slugs(client.get("/fr/practices/", {"q": "bibliotheque ambulante"}))
    assert practice.slug in slugs(client.get("/fr/practices/", {"q": "villages isolés"}))
