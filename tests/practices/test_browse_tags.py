"""The facet option tag writes its markup by hand for speed: it must escape as ``format_html`` does."""

from types import SimpleNamespace

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from practices.templatetags.browse_tags import facet_option


def reference(option):
    """The markup as ``format_html`` (the previous implementation) writes it."""
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


def option(**overrides):
    values = {
        "dom_id": "facet-theme-online",
        "facet": SimpleNamespace(name="theme"),
        "value": "online",
        "label": "Online abuse",
        "count": 12,
        "selected": False,
        "available": True,
    }
    return SimpleNamespace(**(values | overrides))


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"selected": True},
        {"available": False, "count": 0},
        {"label": "<script>alert(\"x\")</script> & 'quotes'", "value": 'a"b<c>', "dom_id": "facet-x-\"'"},
        {"label": mark_safe("<em>already safe</em>")},
        {"label": "Côte d’Ivoire"},
    ],
)
def test_markup_and_escaping_are_format_htmls(overrides):
    rendered = facet_option(option(**overrides))
    assert isinstance(rendered, SafeString)
    assert rendered == reference(option(**overrides))
    assert "<script>" not in rendered


def test_a_list_of_options_nests_each_options_children_under_a_label():
    from practices.templatetags.browse_tags import facet_options

    country = SimpleNamespace(name="country", label="Country")
    europe = option(value="europe", label="Europe & co", children=[option(facet=country, value="FR", children=[])])
    rendered = facet_options([europe, option(children=[])])
    assert isinstance(rendered, SafeString)
    assert rendered == (
        '<ul class="facet-options">'
        f'<li>{facet_option(europe)}<ul class="facet-options facet-nested" aria-label="Europe &amp; co: country">'
        f"<li>{facet_option(europe.children[0])}</li></ul></li>"
        f"<li>{facet_option(option())}</li></ul>"
    )
    orphans = facet_options([option(children=[])], nested=True)
    assert orphans.startswith('<ul class="facet-options facet-nested"><li>')
