"""Rendering of facet options: a browse page can show several hundred of them (249 countries alone),
which an include, or even a template loop, per option makes slow (a template loop costs about
40 µs an option: 20 ms a page). Each option is one string format and a list one Python loop; the
text is escaped as ``format_html`` would (HTML special characters, quotes included) by the
standard library directly: Django's ``escape`` adds a lazy-text check per call."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from kb.templatetags.kb_tags import highlight

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
        items.append(f"<li>{option_markup(option)}{children}</li>")
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
    return mark_safe(option_markup(option))  # noqa: S308 (every value is escaped)


def option_markup(option) -> str:
    """``facet_option``'s markup as a plain string (a list joins hundreds of them)."""
    return OPTION.format(
        empty="" if option.available else " is-empty",
        dom_id=as_html(option.dom_id),
        name=as_html(option.facet.name),
        value=as_html(option.value),
        checked=" checked" if option.selected else "",
        disabled="" if option.available else " disabled",
        label=as_html(option.label),
        count=int(option.count),
    )


# Entry cards: a list page shows 20 of them, and the template of one cost 0.6 ms (includes for the
# badge and the compare box, an attribute a practice or a finding lacks looked up and failed).
# Written here once, as format_html would, they cost a tenth of that.


@register.simple_tag
def basis_badge(practice):
    """A practice's basis (implemented or recommended), linked to how entries are rated."""
    if practice.basis == "implemented":
        why = gettext("The source presents it as done or in place")
    else:
        why = gettext("Recommended by participants; nobody is described doing it")
    return format_html(
        '<a class="badge badge-basis badge-{}" href="{}#basis" title="{}{}">{}</a>',
        practice.basis,
        reverse("method"),
        why,
        gettext(": how we rate"),
        practice.get_basis_display(),
    )


@register.simple_tag(takes_context=True)
def entry_card(context, entry):
    """A result card: title, kind or basis, pillars and regions, the search snippet (else the
    summary), the compare box on a list of practices, and where the source says it."""
    english_only = ' lang="en"'
    title = format_html(
        '<h3 class="card-title"><a href="{}"{}>{}</a></h3>',
        entry.get_absolute_url(),
        mark_safe(english_only if entry.title_in_english_only else ""),  # noqa: S308 (a constant)
        entry.local_title,
    )
    badges = []
    if getattr(entry, "kind", None):
        badges.append(format_html('<span class="badge badge-kind">{}</span>', entry.get_kind_display()))
    if getattr(entry, "basis", None):
        badges.append(basis_badge(entry))
    badges += [
        format_html('<span class="badge pillar-{}">{}</span>', pillar.slug, pillar.label)
        for pillar in entry.pillars.all()
    ]
    regions = entry.regions.all()
    if regions:
        badges.append(format_html('<span class="card-where">{}</span>', ", ".join(region.label for region in regions)))
    lang = mark_safe(english_only if entry.summary_in_english_only else "")  # noqa: S308 (a constant)
    snippet = getattr(entry, "search_snippet", "")
    if snippet:
        text = format_html('<p class="card-snippet"{}>{}</p>', lang, highlight(snippet))
    else:
        text = format_html("<p{}>{}</p>", lang, entry.local_summary)
    parts = [title, format_html('<p class="card-meta">{}</p>', mark_safe(" ".join(badges))), text]  # noqa: S308
    if context.get("compare_form"):
        parts.append(compare_toggle(entry))
    if entry.section_id:
        parts.append(card_source(entry))
    return format_html('<article class="card">{}</article>', mark_safe("\n".join(parts)))  # noqa: S308


@register.simple_tag
def compare_toggle(entry):
    """A "compare" checkbox for a practice card. It belongs to the form of
    includes/compare_bar.html (by its form= attribute), so cards need no form of their own and it
    works without JavaScript."""
    return format_html(
        '<p class="compare-toggle"><input type="checkbox" id="compare-{}" name="practice" value="{}"'
        ' form="compare-form"> <label for="compare-{}">{}<span class="visually-hidden"> “{}”</span></label></p>',
        entry.slug,
        entry.slug,
        entry.slug,
        gettext("Compare"),
        entry.local_title,
    )


def card_source(entry):
    section, session = entry.section, entry.session
    where = format_html("{} · ", session.title) if session and session.title != section.title else ""
    # as {% blocktranslate %} does: the value escaped, the translation trusted
    section_text = mark_safe(gettext("Section %(section)s") % {"section": as_html(section.label)})  # noqa: S308
    return format_html('<p class="card-source">{}{}</p>', where, section_text)
