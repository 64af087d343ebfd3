"""The thesaurus (taxonomy.Concept, Label) and the article summaries: loaded from the bundle,
rejected whole when broken, edited in the admin with history, shown on article pages and in the API."""

import json
import shutil

import pytest
from django.conf import settings

from common.problems import ContentError
from content.loader import load_bundle
from taxonomy.models import Concept, ConventionArticle, Label

pytestmark = pytest.mark.django_db

TREATY_URL = "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=201"


def test_the_seed_thesaurus_is_loaded_with_french_labels_and_the_fields_terminology():
    theme = Concept.objects.get(vocabulary="theme", term="sex-tourism-travel")
    assert theme.labels.filter(language="fr", text="tourisme sexuel").exists()
    csam = Concept.objects.get(slug="child-sexual-abuse-material")
    labels = set(csam.labels.values_list("text", flat=True))
    assert {"CSAM", "child pornography", "pédopornographie"} <= labels
    assert csam.broader.filter(vocabulary="theme", term="online-abuse").exists()
    smuggling = Concept.objects.get(slug="smuggling-of-migrants")
    assert smuggling.related.filter(term="trafficking").exists()  # related, never a label of it
    assert not Label.objects.filter(concept__term="trafficking", text__icontains="smuggling").exists()
    assert Concept.objects.get(slug="region-sub-saharan-africa").labels.filter(text="Afrique subsaharienne").exists()
    assert Label.objects.filter(kind=Label.Kind.HIDDEN).exists()
    assert csam.sources.filter(key="luxembourg-2016").exists()


def test_every_article_has_a_summary_and_the_official_link():
    assert ConventionArticle.objects.count() == 50
    assert not ConventionArticle.objects.filter(summary="").exists()
    assert set(ConventionArticle.objects.values_list("official_url", flat=True)) == {TREATY_URL}


def test_the_article_page_and_the_api_say_what_the_article_requires(client):
    article = ConventionArticle.objects.get(number=38)
    html = client.get("/articles/38/").content.decode()
    assert "What the article requires" in html and article.summary in html
    assert f'href="{TREATY_URL.replace("&", "&amp;")}"' in html
    body = client.get("/api/articles/38/").json()
    assert body["summary"] == article.summary and body["official_url"] == TREATY_URL


def broken_bundle(tmp_path, change):
    bundle = tmp_path / "bundle"
    shutil.copytree(settings.KB_FIXTURES_DIR, bundle)
    path = bundle / "vocabularies" / "thesaurus.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return bundle


@pytest.mark.parametrize(
    "change, reason",
    [
        (
            lambda d: d["concepts"].append({"slug": "x", "term": {"vocabulary": "region", "slug": "atlantis"}}),
            "no region 'atlantis'",
        ),
        (lambda d: d["concepts"].append({"slug": "y", "alt_labels": {"en": ["why"]}}), "needs an English pref_label"),
        (
            lambda d: d["concepts"].append({"slug": "z", "pref_label": {"en": "z"}, "broader": ["nowhere"]}),
            "no concept 'nowhere'",
        ),
        (
            lambda d: d["concepts"].append({"slug": "w", "pref_label": {"en": "w"}, "sources": ["rumour"]}),
            "unknown rumour",
        ),
    ],
)
def test_a_broken_thesaurus_is_rejected_whole_with_the_reason(tmp_path, change, reason):

    before = Label.objects.count()
    with pytest.raises(ContentError) as error:
        load_bundle(broken_bundle(tmp_path, change))
    assert reason in error.value.report()
    assert Label.objects.count() == before


def test_reloading_the_thesaurus_changes_nothing(django_assert_max_num_queries):
    labels = sorted(Label.objects.values_list("concept__slug", "kind", "language", "text"))
    load_bundle(settings.KB_FIXTURES_DIR)
    assert sorted(Label.objects.values_list("concept__slug", "kind", "language", "text")) == labels


def test_curators_edit_concepts_in_the_admin_with_history(admin_client):
    concept = Concept.objects.get(slug="shelter")
    response = admin_client.get(f"/admin/taxonomy/concept/{concept.pk}/change/")
    assert response.status_code == 200 and "safe house" in response.content.decode()
    assert admin_client.get(f"/admin/taxonomy/concept/{concept.pk}/history/").status_code == 200
    assert hasattr(Concept, "history") and hasattr(Label, "history")
