"""Curators' Markdown becomes HTML with only a short allow-list of tags and safe links."""

import pytest
from django.template import Context, Template

from curation.markdown import render_markdown


def test_markdown_is_rendered():
    html = render_markdown("Works **with** *children*.\n\n- one\n- two\n\n> quoted\n\n`code`")
    assert "<strong>with</strong>" in html and "<em>children</em>" in html
    assert "<ul>\n<li>one</li>" in html and "<blockquote>" in html and "<code>code</code>" in html


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert('x')</script>",
        '<a href="https://example.org" onclick="steal()">link</a>',
        '<img src="x" onerror="steal()">',
        "[click](javascript:alert(1))",
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<p style="color:red" onmouseover="steal()">text</p>',
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_scripts_event_handlers_and_javascript_links_are_removed(dangerous):
    html = render_markdown(f"Before.\n\n{dangerous}\n\nAfter.").lower()
    for forbidden in (
        "<script",
        "alert(",
        "onclick",
        "onerror",
        "onmouseover",
        "javascript:",
        "<img",
        "style=",
        "<iframe",
    ):
        assert forbidden not in html
    assert "before." in html and "after." in html


def test_only_http_https_and_mailto_links_keep_their_address():
    html = render_markdown(
        "[a](https://coe.int) [b](http://x.org) [c](mailto:kb@example.org) [d](/relative) [e](ftp://x)"
    )
    assert 'href="https://coe.int"' in html and 'href="http://x.org"' in html
    assert 'href="mailto:kb@example.org"' in html
    assert "/relative" not in html and "ftp://" not in html


def test_the_template_filter():
    rendered = Template("{% load kb_markdown %}{{ text|markdown }}").render(Context({"text": "**bold** <b>x</b>"}))
    assert rendered == "<p><strong>bold</strong> x</p>"
    assert Template("{% load kb_markdown %}{{ text|markdown }}").render(Context({"text": ""})) == ""
