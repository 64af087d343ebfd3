"""Fuzzing every public URL pattern and query parameter (derived from the URLconf, the sitemap, the
pages' own links and forms, the API schema and the filter sets), NUL and control characters
included: no server error. About 140 requests here; ``manage.py fuzz_urls --examples 10000``
is the benchmark run."""

import pytest
from django.test import Client

from common.fuzzing import NASTY_VALUES, public_routes
from common.fuzzing import fuzz as run_fuzz
from practices.management.commands.fuzz_urls import filter_set_parameters

pytestmark = pytest.mark.django_db

EXAMPLES = 100  # about 20 s on an idle machine, with the exploration of about 40 pages


def test_the_routes_come_from_the_urlconf():
    templates = {route.template for route in public_routes()}
    assert {"practices/{slug}/", "countries/{code}/", "api/practices/{slug}/", "sources/{slug}/"} <= templates
    assert not any(template.startswith("admin/") for template in templates)
    assert "\x00" in NASTY_VALUES and "\r\n" in NASTY_VALUES


def test_no_generated_request_gets_a_server_error():
    def no_server_error(url, response):
        assert response.status_code < 500, url

    report = run_fuzz(Client(), EXAMPLES, extra_params=filter_set_parameters(), on_response=no_server_error)
    assert report.requests >= EXAMPLES
    assert report.statuses[400] > 0 and report.statuses[200] > 0  # control characters refused, real pages served
