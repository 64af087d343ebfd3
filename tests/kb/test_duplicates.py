"""Possible duplicates, on whichever database the tests run (pg_trgm on PostgreSQL, difflib on SQLite)."""

import pytest
from django.db import connection

from content.duplicates import find_possible_duplicates
from practices.models import Finding, Practice
from tests.factories import FindingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def helplines():
    return FindingFactory(
        title="National helplines for child victims of sexual abuse",
        summary="Every member State should run a free helpline that children can call day and night.",
    )


def test_a_retyped_title_is_flagged(helplines):
    found = find_possible_duplicates(Finding, "National help lines for child victim of sexual abuse", "")
    assert found[0] == helplines
    assert 0 < found[0].similarity <= 1


def test_a_similar_summary_is_flagged_even_under_another_title(helplines):
    summary = "Every member State should run a free helpline which children can call day or night."
    assert helplines in find_possible_duplicates(Finding, "Telephone support", summary)


def test_unrelated_entries_are_not_flagged(helplines):
    found = find_possible_duplicates(
        Finding, "Training judges in child-friendly justice", "Judges learn how to hear child witnesses."
    )
    assert helplines not in found


def test_the_entry_itself_is_excluded_and_only_the_same_model_is_searched(helplines):
    assert helplines not in find_possible_duplicates(
        Finding, helplines.title, helplines.summary, exclude_pk=helplines.pk
    )
    assert find_possible_duplicates(Practice, helplines.title, helplines.summary) == []
    assert find_possible_duplicates(Finding, "", "") == []


def test_results_are_best_first_and_limited():
    for n in range(7):
        FindingFactory(title=f"Child helpline number {n} for victims", summary=f"Unrelated summary {n}.")
    found = find_possible_duplicates(Finding, "Child helpline number 3 for victims", "", limit=5)
    assert len(found) == 5
    assert found[0].title == "Child helpline number 3 for victims"
    assert [f.similarity for f in found] == sorted((f.similarity for f in found), reverse=True)


def test_the_matching_runs_in_the_database_on_postgresql(helplines, django_assert_max_num_queries):
    max_queries = 1 if connection.vendor == "postgresql" else 2
    with django_assert_max_num_queries(max_queries):
        find_possible_duplicates(Finding, helplines.title, helplines.summary)
