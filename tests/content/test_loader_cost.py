"""The loader costs what it loads: statements are counted, not timed. A reload that changes
nothing reads each model and relation once and writes nothing; a first load writes in bulk, and
the change history gets one record per row written."""

import pytest
from django.conf import settings
from django.db import connection

from content.loader import load_bundle
from practices.models import Finding, Practice
from taxonomy.models import Theme
from tests.content.kb_snapshot import empty_kb, snapshot_kb

pytestmark = pytest.mark.django_db

NO_OP_RELOAD_BUDGET = 100
FIRST_LOAD_BUDGET = 2500


class StatementCounter:
    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)

    @property
    def writes(self):
        return [sql for sql in self.statements if sql.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


def without_published_at(rows):
    return [{key: value for key, value in row.items() if key != "published_at"} for row in rows]


def load_counting():
    counter = StatementCounter()
    with connection.execute_wrapper(counter):
        result = load_bundle(settings.KB_FIXTURES_DIR)
    return counter, result


def test_a_reload_that_changes_nothing_reads_a_little_and_writes_nothing():
    history_before = Practice.history.count()
    counter, result = load_counting()
    assert len(counter.statements) <= NO_OP_RELOAD_BUDGET, len(counter.statements)
    assert counter.writes == []
    assert Practice.history.count() == history_before
    assert {action.action for action in result.actions} == {"unchanged"}


def test_a_first_load_into_an_empty_database_writes_in_bulk_with_one_history_record_per_row():
    before = snapshot_kb()
    empty_kb()
    counter, result = load_counting()
    assert len(counter.statements) <= FIRST_LOAD_BUDGET, len(counter.statements)
    after = snapshot_kb()
    for name in before:  # the same rows, publication times apart (the fixtures give none: "now")
        assert without_published_at(after[name]) == without_published_at(before[name]), name
    assert {action.action for action in result.actions} == {"create"}
    practices, findings = Practice.objects.count(), Finding.objects.count()
    created = Practice.history.filter(history_type="+", history_change_reason="Loaded from a content bundle")
    assert created.count() == practices
    assert Finding.history.filter(history_type="+").count() >= findings
    # The many-to-many values are kept with each history record, as simple-history stores them.
    record = created.order_by("history_id").first()
    assert sorted(p.pk for p in record.instance.pillars.all()) == sorted(
        record.pillars.values_list("pillar_id", flat=True)
    )


def test_a_reload_after_one_change_writes_that_row_and_its_history_only():
    theme = Theme.objects.get(slug="sex-tourism-travel")
    correct_name = theme.name
    Theme.objects.filter(pk=theme.pk).update(name="Renamed by hand")
    practice = Practice.objects.published().first()
    practice.pillars.clear()
    history_before = Theme.history.filter(slug=theme.slug).count()

    counter, result = load_counting()

    theme.refresh_from_db()
    assert theme.name == correct_name
    assert Theme.history.filter(slug=theme.slug).count() == history_before + 1
    assert practice.pillars.exists()
    assert [a.slug for a in result.actions if a.action != "unchanged"] == [practice.slug]
    # Two rows and one link written, two history records, and the practice's history keeps each of
    # its many-to-many fields (one insert per field that holds values).
    tracked = len(Practice.history.model._history_m2m_fields)
    assert len(counter.writes) <= 5 + tracked, counter.writes
