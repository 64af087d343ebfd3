from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from common.text import SNIPPET_END, SNIPPET_START

register = template.Library()


@register.filter
def highlight(snippet):
    """Render a search snippet safely: escape it, then mark the words the search matched."""
    if not snippet:
        return ""
    html = escape(snippet).replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>")
    return mark_safe(html)
