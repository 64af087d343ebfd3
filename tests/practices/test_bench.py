"""The benchmark command refuses a database that is not a dedicated bench database."""

import pytest
from django.core.management import CommandError, call_command

from practices.management.commands.bench import report_words


@pytest.mark.django_db
def test_bench_refuses_a_database_not_named_bench(settings):
    # The test database (test_kb_* or an in-memory SQLite) is not named "bench".
    with pytest.raises(CommandError, match="not a dedicated bench database"):
        call_command("bench", "--entries", "1")


def test_bench_generator_uses_real_words():
    words = report_words()
    assert "children" in words and len(words) > 1000
