"""Search through the public interface of search.services, on whichever database the suite runs
(SQLite FTS5 or PostgreSQL): the same tests hold for both backends."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.text import SNIPPET_END, SNIPPET_START
from kb.templatetags.kb_tags import highlight
from practices.models import Finding, Practice, Status
from search import schema
from search.services import search_context, search_entries, search_names, suggest_spelling
from tests.factories import FindingFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def ranked(queryset, q):
    return list(search_entries(queryset, q).order_by("-search_rank", "title").values_list("slug", flat=True))


def published_practices(q):
    return ranked(Practice.objects.published(), q)


def published_findings(q):
    return ranked(Finding.objects.published(), q)


def test_title_match_ranks_above_summary_and_quote_matches():
    PracticeFactory(slug="in-quote", quote="The zanzibarite approach was mentioned in passing.")
    PracticeFactory(slug="in-summary", summary="Uses the zanzibarite approach.")
    PracticeFactory(slug="in-title", title="The zanzibarite approach")
    assert published_practices("zanzibarite") == ["in-title", "in-summary", "in-quote"]


def test_results_are_annotated_with_a_float_rank_and_a_snippet():
    results = search_entries(Practice.objects.published(), "harmonisation")
    result = results.get(slug="harmonisation-of-laws-for-prosecution")
    assert isinstance(result.search_rank, float) and result.search_rank > 0
    assert SNIPPET_START in result.search_snippet and SNIPPET_END in result.search_snippet


def test_snippet_marks_matched_words_with_the_sentinels_and_renders_safely():
    PracticeFactory(slug="snippet", summary="Plain words <b>then</b> the quixotical method, then more words.")
    result = search_entries(Practice.objects.published(), "quixotical").get(slug="snippet")
    assert f"{SNIPPET_START}quixotical{SNIPPET_END}" in result.search_snippet
    html = highlight(result.search_snippet)
    assert "<mark>quixotical</mark>" in html and "<b>" not in html


def test_plain_words_are_all_required_when_some_entry_has_them_all():
    results = published_practices("awareness campaigns travellers")
    assert results[0] == "traveller-awareness-campaigns"
    assert "targeted-non-stigmatising-campaigns" not in results  # has no word about travellers


def test_quoted_phrases_match_words_in_that_order_only():
    PracticeFactory(slug="in-order", summary="Councils of young zorblax members meet monthly.")
    PracticeFactory(slug="other-order", summary="Young members of zorblax councils meet monthly.")
    assert published_practices('"councils of young zorblax"') == ["in-order"]
    assert set(published_practices("councils young zorblax")) == {"in-order", "other-order"}


def test_minus_excludes_and_or_widens():
    PracticeFactory(slug="alpha", summary="The frumious method in schools.")
    PracticeFactory(slug="beta", summary="The frumious method in hospitals.")
    PracticeFactory(slug="gamma", summary="The vorpal method in hospitals.")
    assert published_practices("frumious -hospitals") == ["alpha"]
    assert set(published_practices("frumious or vorpal")) == {"alpha", "beta", "gamma"}
    assert set(published_practices("vorpal OR frumious -schools")) == {"beta", "gamma"}


def test_exclusion_alone_keeps_everything_else():
    results = published_practices("-memoranda")
    assert "origin-destination-memoranda-of-understanding" not in results
    assert len(results) == Practice.objects.published().count() - len(published_practices("memoranda"))


def test_accents_are_ignored_both_ways():
    PracticeFactory(slug="accented", title="Médiation familiale à Dakar")
    PracticeFactory(slug="plain", title="Mediation with families in Kaolack")
    assert set(published_practices("mediation")) == {"accented", "plain"}
    assert set(published_practices("médiation")) == {"accented", "plain"}


@pytest.mark.parametrize(
    ("q", "model", "expected"),
    [
        ("harmonization", Practice, "harmonisation-of-laws-for-prosecution"),
        ("travelers", Practice, "traveller-awareness-campaigns"),
        ("organized crime", Finding, "four-factors-intimidate-organised-crime"),
        ("pedophilia committee", Practice, "italian-interministerial-coordinating-committee"),
        ("traficking memoranda", Practice, "origin-destination-memoranda-of-understanding"),
        ("chlid participation", Finding, "child-participation-quality-criterion-and-resilience"),
    ],
)
def test_spelling_variants_and_typos_still_find_entries(q, model, expected):
    assert expected in ranked(model.objects.published(), q)[:10]


def test_a_long_natural_question_falls_back_to_the_entries_matching_most_of_it():
    question = "what works for child victims' protection in North Africa"
    top = published_practices(question)[:5]
    middle_east_north_africa = set(
        Practice.objects.published().filter(regions__slug="middle-east-north-africa").values_list("slug", flat=True)
    )
    assert top and middle_east_north_africa & set(top[:2])


def test_did_you_mean_corrects_unknown_words_from_the_indexed_vocabulary():
    assert suggest_spelling("traficking victms") == "trafficking victims"
    assert suggest_spelling("trafficking victims") is None
    assert suggest_spelling("harmonization") is None  # a spelling variant, not a typo
    assert suggest_spelling("") is None and suggest_spelling("\x00 -") is None


def test_did_you_mean_never_offers_words_only_drafts_contain():
    practice = PracticeFactory(summary="The wombatification protocol.", status=Status.DRAFT)
    assert suggest_spelling("wombatificasion") is None
    practice.status = Status.PUBLISHED
    practice.save()
    assert suggest_spelling("wombatificasion") == "wombatification"
    practice.status = Status.ARCHIVED
    practice.save()
    assert suggest_spelling("wombatificasion") is None


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_unpublished_entries_stay_out_of_published_searches(status):
    PracticeFactory(slug="hidden-practice", title="Snarkhunting programme", status=status)
    FindingFactory(slug="hidden-finding", title="Snarkhunting finding", status=status)
    assert published_practices("snarkhunting") == []
    assert published_findings("snarkhunting") == []
    assert search_names("snarkhunting") == []
    # The index holds them (curators' querysets may search them); only the caller's queryset filters.
    assert ranked(Practice.objects.all(), "snarkhunting") == ["hidden-practice"]


def test_index_follows_title_updates_and_deletions():
    practice = PracticeFactory(slug="renamed", title="Bandersnatch outreach")
    assert published_practices("bandersnatch") == ["renamed"]
    practice.title = "Jabberwock outreach"
    practice.save()
    assert published_practices("bandersnatch") == []
    assert published_practices("jabberwock") == ["renamed"]
    Practice.objects.filter(pk=practice.pk).update(title="Tumtum outreach")  # plain SQL UPDATE too
    assert published_practices("jabberwock") == [] and published_practices("tumtum") == ["renamed"]
    # Once-public entries are archived, never deleted (curation): make it a never-published draft.
    Practice.objects.filter(pk=practice.pk).update(status=Status.DRAFT, first_published_at=None)
    practice.refresh_from_db()
    assert ranked(Practice.objects.all(), "tumtum") == ["renamed"]
    practice.delete()
    assert ranked(Practice.objects.all(), "tumtum") == []


def test_empty_or_meaningless_queries_leave_the_queryset_unchanged():
    queryset = Practice.objects.published()
    for q in ["", "   ", "\x00", '"" - or', "!!! ??? ..."]:
        assert search_entries(queryset, q) is queryset


GARBAGE = [
    "a & b | !c <-> d:* (e",
    "'; DROP TABLE practices_practice; --",
    '" OR 1=1 --',
    "\x00abuse\x00",
    "x" * 10_000,
    "abuse " * 2_000,
    "😀 child 🧒🏽 protection 💥",
    "NEAR(child protection, 2) title:child ^child child*",
    '"unterminated phrase',
    "- - or or OR -",
    "\\' \\\" %s %% {} $1 ?",
    "\u202e\u200b\ufeffmigration",
]


@pytest.mark.parametrize("q", GARBAGE)
def test_garbage_never_raises(q):
    for model in (Practice, Finding):
        list(search_entries(model.objects.published(), q)[:5])
    suggest_spelling(q)
    search_names(q)
    search_context(q)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=300))
def test_random_text_never_raises(q):
    results = search_entries(Practice.objects.published(), q)
    list(results[:3])
    results.count()
    suggest_spelling(q)
    search_names(q)


def test_names_search_finds_organisations_projects_and_sessions():
    names = search_names("ecpat")
    assert names == [{"name": "ECPAT Italy", "kind": "Organisation", "url": "/organisations/ecpat-italy/"}]
    kinds = {item["kind"] for item in search_names("code of conduct")}
    assert "Project" in kinds
    assert any(item["kind"] == "Session" for item in search_names("mediterranean"))
    assert len(search_names("italian", limit=2)) == 2
    assert search_names("") == [] and search_names("awareness campaigns for travellers") == []


def test_names_are_matched_without_case_or_accents_and_linked_in_the_pages_language(django_assert_num_queries):
    from django.utils import translation

    from kb.models import Organisation

    Organisation.objects.create(slug="reseau-sante", name="Réseau Santé Enfance", acronym="RSE")
    search_names("warm")  # the names are read once per content version
    with django_assert_num_queries(0):
        english = search_names("RESEAU sante")
        with translation.override("fr"):
            french = search_names("réseau")
    assert english == [{"name": "Réseau Santé Enfance", "kind": "Organisation", "url": "/organisations/reseau-sante/"}]
    assert french[0]["url"] == "/fr/organisations/reseau-sante/"
    assert search_names("rse")[0]["name"] == "Réseau Santé Enfance"  # the acronym counts too


def test_search_context_gives_what_the_include_expects():
    assert search_context("") == {"q": "", "did_you_mean": None, "matching_names": []}
    context = search_context("ecpat traficking")
    assert context["q"] == "ecpat traficking"
    assert context["did_you_mean"] == "ecpat trafficking"


def test_missing_triggers_are_put_back_and_the_index_rebuilt():
    practice = PracticeFactory(slug="repaired", title="Borogove outreach")
    table = "practices_practice"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {table}_search_vector ON {table}")
        else:
            cursor.execute(f"DROP TRIGGER {schema.fts_table(table)}_update")
    Practice.objects.filter(pk=practice.pk).update(title="Mimsy outreach")  # missed by the index
    assert schema.ensure_installed(connection) is True
    assert published_practices("mimsy") == ["repaired"] and published_practices("borogove") == []
    assert schema.ensure_installed(connection) is False


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("chlid participation", "child participation"), ("traficking", "trafficking"), ("harmonization", "harmonisation")],
)
def test_a_misspelt_query_finds_what_the_right_spelling_finds(typed, meant):
    assert set(published_findings(meant)[:5]) <= set(published_findings(typed))


def test_everyday_words_find_the_reports_words():
    assert "law-enforcement-hampered-by-lack-of-resources-and-training" in published_findings("police training")
    assert set(published_findings("kids")) >= set(published_findings("children")[:5])


def test_bulk_created_entries_are_indexed_and_join_the_vocabulary():
    template = Practice.objects.published().first()
    Practice.objects.bulk_create(
        Practice(
            slug=f"bulk-{i}",
            title=f"Snickersnack outreach {i}",
            summary="Made in bulk.",
            quote="Made in bulk.",
            section_id=template.section_id,
            practice_type=template.practice_type,
            status=Status.PUBLISHED if i % 2 else Status.DRAFT,
        )
        for i in range(6)
    )
    assert sorted(published_practices("snickersnack")) == ["bulk-1", "bulk-3", "bulk-5"]
    assert suggest_spelling("snikersnack") == "snickersnack"
    Practice.objects.filter(slug__startswith="bulk-", status=Status.PUBLISHED).update(status=Status.ARCHIVED)
    assert published_practices("snickersnack") == [] and suggest_spelling("snikersnack") is None


def test_the_index_and_vocabulary_survive_a_flush():
    """Django's flush is TRUNCATE on PostgreSQL (no DELETE triggers fire) and DELETE on SQLite."""
    from django.core.management.color import no_style

    tables = ["practices_practice", "practices_finding"]
    with connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(statement)
    assert suggest_spelling("traficking") is None  # no published words left
    assert published_findings("trafficking") == []
    PracticeFactory(slug="after-flush", title="Trafficking outreach")
    assert published_practices("trafficking") == ["after-flush"]
    assert suggest_spelling("traficking") == "trafficking"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage of the vectors")
def test_vectors_stay_in_their_rows_and_a_repair_keeps_them_there():
    """A search reads every matching row's vector twice (to match, to rank); out of line in TOAST
    each read is an index look-up, so the vectors are stored MAIN (in the row)."""
    schema.install(connection, rebuild=False)  # a repair is idempotent and keeps the setting
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstorage FROM pg_attribute "
            "WHERE attname = 'search_vector' AND attrelid::regclass::text = ANY(%s)",
            [list(schema.ENTRY_TABLES)],
        )
        assert dict(cursor.fetchall()) == dict.fromkeys(schema.ENTRY_TABLES, "m")
