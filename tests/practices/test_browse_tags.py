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


@pytest.mark.django_db
def test_an_entry_card_shows_what_the_template_did_escaped_and_in_the_pages_language():
    from django.utils import translation

    from practices.models import Finding, Practice
    from practices.templatetags.browse_tags import entry_card

    practice = Practice.objects.published().exclude(session=None).filter(regions__isnull=False).first()
    practice.title = 'Safe <script>alert("x")</script>'
    html = entry_card({"compare_form": True}, practice)
    assert isinstance(html, SafeString) and "<script>" not in html
    assert f'<h3 class="card-title"><a href="{practice.get_absolute_url()}">Safe &lt;script&gt;' in html
    assert f'badge badge-basis badge-{practice.basis}" href="/method/#basis"' in html
    for pillar in practice.pillars.all():
        assert f'<span class="badge pillar-{pillar.slug}">{pillar.label}</span>' in html
    assert f'<span class="card-where">{", ".join(region.label for region in practice.regions.all())}</span>' in html
    assert f'value="{practice.slug}" form="compare-form"' in html
    assert f"Section {practice.section.label}" in html.replace("&gt;", ">").replace("&#x27;", "'")
    assert "compare-toggle" not in entry_card({}, practice)
    finding = Finding.objects.published().first()
    finding_html = entry_card({"compare_form": False}, finding)
    assert f'<span class="badge badge-kind">{finding.get_kind_display()}</span>' in finding_html
    assert "badge-basis" not in finding_html
    with translation.override("fr"):
        french = entry_card({}, practice)
    assert 'href="/fr/methode/#basis"' in french or 'href="/fr/method/#basis"' in french
    assert ("Section " in french) and (' lang="en"' in french) == (not practice.title_fr or not practice.summary_fr)
