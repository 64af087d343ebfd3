"""Curators' Markdown to safe HTML: rendered with Python-Markdown, then cleaned by nh3 (ammonia) down
to a short allow-list. Anything else (scripts, event handlers, styles, images, javascript: and
relative links) is removed; the text of removed elements stays unless it is script or style."""

import markdown as python_markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "blockquote", "code", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def _only_absolute_links(tag, attribute, value):
    if tag == "a" and attribute == "href":
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        return value if scheme in ALLOWED_SCHEMES else None
    return value


def render_markdown(text: str) -> SafeString:
    if not text:
        return mark_safe("")
    html = python_markdown.markdown(text, output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        attribute_filter=_only_absolute_links,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)
