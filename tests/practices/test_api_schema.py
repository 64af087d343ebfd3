"""The OpenAPI schema tells the truth: it validates without warnings, says which fields may be null,
documents the errors (404, 400, 429) and every key of a paginated list (``facets``, ``understood``,
``ignored``); and schemathesis, run against a live server, finds no answer that contradicts it."""

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings

SCHEMATHESIS_EXAMPLES = 10  # per operation; the benchmark-size fuzzing is manage.py fuzz_urls


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))  # raises on any warning
    return yaml.safe_load(path.read_text())


def test_the_schema_validates_without_warnings(schema):
    assert schema["openapi"].startswith("3.") and len(schema["paths"]) == 8


def test_nullable_fields_are_declared_nullable(schema):
    components = schema["components"]["schemas"]
    assert components["Article"]["properties"]["pillar"]["nullable"] is True
    assert components["Session"]["properties"]["region"]["nullable"] is True
    assert components["Practice"]["properties"]["session"]["nullable"] is True
    assert components["Practice"]["properties"]["last_verified"]["nullable"] is True


def test_errors_are_documented(schema):
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        assert {"200", "400", "429"} <= set(responses), path
        if "{" in path:
            assert "404" in responses, path


def test_paginated_lists_declare_every_key(schema):
    components = schema["components"]["schemas"]
    for name in ("PaginatedFindingList", "PaginatedPracticeList"):
        properties = components[name]["properties"]
        assert {"count", "next", "previous", "results", "facets", "understood", "ignored"} <= set(properties)
    assert "ignored" in components["PaginatedArticleList"]["properties"]


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_answer_contradicting_the_schema(live_server, kb_content):
    """Every operation, a few generated requests each (positive and negative data): no 5xx, every
    status code, content type and body as documented (429 included: throttling is documented too)."""
    api = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings_for_schemathesis
        def check(case):
            case.call_and_validate(base_url=live_server.url)

        check()


settings_for_schemathesis = settings(
    max_examples=SCHEMATHESIS_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
