"""Rendering of facet options: a browse page can show several hundred of them, which an include per
option makes slow; one ``format_html`` call each is fast and escapes the same way."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def facet_option(option):
    """A checkbox with its label and count; an option that would give no results is greyed and
    disabled unless it is ticked (so it can be unticked)."""
    return format_html(
        '<span class="facet-option{}"><input type="checkbox" id="{}" name="{}" value="{}"{}{}>'
        ' <label for="{}">{} <span class="facet-count">{}</span></label></span>',
        "" if option.available else " is-empty",
        option.dom_id,
        option.facet.name,
        option.value,
        " checked" if option.selected else "",
        "" if option.available else " disabled",
        option.dom_id,
        option.label,
        option.count,
    )
