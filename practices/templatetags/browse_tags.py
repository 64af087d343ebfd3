"""Rendering of facet options: a browse page can show several hundred of them (249 countries alone),
which an include, or even a template loop, per option makes slow (a template loop costs about
40 µs an option: 20 ms a page). Each option is one string format and a list one Python loop; the
text is escaped as ``format_html`` would (HTML special characters, quotes included) by the
standard library directly: Django's ``escape`` adds a lazy-text check per call."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

OPTION = (
    '<span class="facet-option{empty}"><input type="checkbox" id="{dom_id}" name="{name}" value="{value}"{checked}'
    '{disabled}> <label for="{dom_id}">{label} <span class="facet-count">{count}</span></label></span>'
)


def as_html(value) -> str:
    """``value`` escaped unless it is already safe HTML (what ``conditional_escape`` does)."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


@register.simple_tag
def facet_options(options, parent=None, nested=False):
    """A list of options (``<ul>``), each option's children (countries under their region) in a
    nested list inside its item. ``nested``: this is such a list, labelled by ``parent`` (the
    option it belongs to) when there is one."""
    items = []
    for option in options:
        children = facet_options(option.children, parent=option, nested=True) if option.children else ""
        items.append(f"<li>{facet_option(option)}{children}</li>")
    if not nested:
        opening = '<ul class="facet-options">'
    elif parent is None or not options:
        opening = '<ul class="facet-options facet-nested">'
    else:
        label = f"{as_html(parent.label)}: {as_html(str(options[0].facet.label).lower())}"
        opening = f'<ul class="facet-options facet-nested" aria-label="{label}">'
    return mark_safe(f"{opening}{''.join(items)}</ul>")  # noqa: S308 (every value is escaped)


def facet_option(option):
    """A checkbox with its label and count; an option that would give no results is greyed and
    disabled unless it is ticked (so it can be unticked)."""
    return mark_safe(  # noqa: S308 (every value is escaped above)
        OPTION.format(
            empty="" if option.available else " is-empty",
            dom_id=as_html(option.dom_id),
            name=as_html(option.facet.name),
            value=as_html(option.value),
            checked=" checked" if option.selected else "",
            disabled="" if option.available else " disabled",
            label=as_html(option.label),
            count=int(option.count),
        )
    )
