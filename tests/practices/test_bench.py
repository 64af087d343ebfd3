"""The benchmark command refuses a database that is not a dedicated bench database."""

import pytest
from django.core.management import CommandError, call_command

from practices.management.commands.bench import report_words


@pytest.mark.django_db
def test_bench_refuses_a_database_not_named_bench(settings):
    # The test database (test_kb_* or an in-memory SQLite) is not named "bench".
    with pytest.raises(CommandError, match="not a dedicated bench database"):
        call_command("bench", "--entries", "1")


def test_bench_names_its_pages_when_asked_for_an_unknown_one():
    with pytest.raises(CommandError, match=r"Unknown page\(s\) q_unicef; the pages are: browse, "):
        call_command("bench", pages="detail,q_unicef")


def test_bench_generator_uses_real_words():
    words = report_words()
    assert "children" in words and len(words) > 1000


WRK_OUTPUT = """Running 30s test @ http://127.0.0.1:8104/practices/?pillar=prevention
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    20.61ms    5.12ms  98.00ms   80.00%
    Req/Sec   780.12     60.33     0.91k    70.00%
  Latency Distribution
     50%   19.90ms
     75%   22.10ms
     90%   25.40ms
     99%   41.02ms
  46801 requests in 30.03s, 5.71GB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   1558.47
Transfer/sec:    194.64MB
"""


def test_throughput_is_read_from_wrk_with_every_kind_of_error(monkeypatch):
    from practices.management.commands import bench

    class Finished:
        stdout = WRK_OUTPUT

    monkeypatch.setattr(bench.subprocess, "run", lambda *args, **kwargs: Finished())
    figures = bench.run_wrk("/usr/bin/wrk", "http://127.0.0.1:8104/", 30, 32)
    assert figures == {"requests_per_second": 1558.47, "errors": 9, "latency_p99": "41.02ms", "connections": 32}
