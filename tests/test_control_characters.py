"""NUL and control characters in an address or a query parameter are refused once, by a middleware,
before any view or query: 404 for an address, 400 for a parameter. Ordinary non-ASCII text is fine."""

import pytest
from django.test import Client

from common.text import has_control_characters
from tests.curation.conftest import make_user

pytestmark = pytest.mark.django_db

CONTROLS = ["%00", "%01", "%7f", "%0d%0a", "a%00b", "%c2%85"]

PUBLIC_QUERIES = [
    "/sources/rome-2012-report/?finding={}",
    "/sources/rome-2012-report/?practice={}",
    "/api/schema/?version={}",
    "/practices/?q={}",
    "/findings/?pillar={}",
    "/api/practices/?country={}",
    "/practices/export.csv?q={}",
    "/gap-map/?rows={}",
    "/compare/?practice={}",
    "/practices/?{}=1",  # in a parameter's name too
]
PUBLIC_PATHS = ["/countries/{}/", "/practices/{}/", "/regions/{}/", "/articles/{}/", "/{}"]
ADMIN_QUERIES = [
    "/admin/practices/practice/?slug={}",
    "/admin/practices/practice/?q={}",
    "/admin/autocomplete/?app_label=practices&model_name=practice&field_name=successor&term={}",
    "/admin/curation/correctionreport/?message={}",
]


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("url", PUBLIC_QUERIES)
def test_control_characters_in_a_parameter_are_a_bad_request(client, url, control):
    response = client.get(url.format(control))
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "\x00" not in response.content.decode()


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("url", PUBLIC_PATHS)
def test_control_characters_in_an_address_are_not_found(client, url, control):
    assert client.get(url.format(control)).status_code == 404


@pytest.mark.parametrize("url", ADMIN_QUERIES)
def test_control_characters_in_admin_parameters(url):
    client = Client()
    client.force_login(make_user("reviewer"))
    for control in CONTROLS:
        assert client.get(url.format(control)).status_code == 400, (url, control)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/practices/?q=%C3%A9ducation+des+enfants", 200),  # éducation
        ("/practices/?q=%F0%9F%98%80", 200),  # an emoji
        ("/findings/?q=%E5%84%BF%E7%AB%A5&pillar=prevention", 200),  # 儿童
        ("/practices/?q=a%09b", 200),  # a tab is white space, not a control to refuse
        ("/countries/%C3%A9/", 404),
        ("/api/schema/?version=1.0", 200),
    ],
)
def test_ordinary_non_ascii_text_still_works(client, url, status):
    assert client.get(url).status_code == status


def test_the_rule():
    assert all(has_control_characters(ch) for ch in ("\x00", "\x01", "\r", "\n", "\x7f", "\x85"))
    assert not any(has_control_characters(text) for text in ("\t", "é", "😀", "儿童", "a b", "ﬁ"))
