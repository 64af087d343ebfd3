"""Adding a new source in the admin (text pasted or uploaded, sections located), then an entry
citing it; warnings for quotes not in the source and for possible duplicates."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kb.models import Section, SourceDocument
from kb.sources import detect_headings
from practices.models import Finding
from taxonomy.models import Pillar, Region

pytestmark = pytest.mark.django_db

REPORT = """Annual report 2031

Contents
1. Summary\t2
2. Findings\t4

1. Summary

Helplines for children were set up in every member State.

2. Findings

2.1 Online risks

Grooming online rose sharply among children aged 11 to 13.
"""
LINES = "1 | Summary | 1. Summary\n2 | Findings | 2. Findings\n2-1 | Online risks | 2.1 Online risks | 2"
ADD_URL = "admin:kb_sourcedocument_add"


def source_data(**changes):
    return {
        "title": "Annual report 2031",
        "slug": "annual-report-2031",
        "conference": "",
        "published": "2031",
        "url": "",
        "text": REPORT,
        "section_lines": LINES,
    } | changes


def test_adding_a_source_locates_its_sections(admin_client):
    response = admin_client.post(reverse(ADD_URL), source_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    document = SourceDocument.objects.get(slug="annual-report-2031")
    sections = list(document.sections.order_by("order"))
    assert [(s.code, s.title, s.parent.code if s.parent else None) for s in sections] == [
        ("1", "Summary", None),
        ("2", "Findings", None),
        ("2-1", "Online risks", "2"),
    ]
    # the body heading, not the table of contents line
    assert document.text[sections[0].start :].startswith("1. Summary\n\nHelplines")
    assert sections[0].end == sections[1].start and sections[2].end == len(document.text)
    assert "Helplines for children" in sections[0].body


def test_without_sections_the_headings_found_are_proposed(admin_client):
    response = admin_client.post(reverse(ADD_URL), source_data(section_lines=""))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "The headings found in the text are proposed" in str(form.errors["section_lines"])
    assert (
        form["section_lines"].value()
        == "1 | Summary | 1. Summary\n2 | Findings | 2. Findings\n2-1 | Online risks | 2.1 Online risks"
    )
    assert not SourceDocument.objects.filter(slug="annual-report-2031").exists()


def test_a_heading_not_in_the_text_is_reported_by_line(admin_client):
    lines = LINES.replace("2 | Findings | 2. Findings", "2 | Findings | 2. Discoveries")
    response = admin_client.post(reverse(ADD_URL), source_data(section_lines=lines))
    errors = str(response.context["adminform"].form.errors["section_lines"])
    assert "Line 2: the heading &#x27;2. Discoveries&#x27; is not found in the text" in errors
    lines = LINES + "\n3 | Annex | 3. Annex | 9"
    errors = str(admin_client.post(reverse(ADD_URL), source_data(section_lines=lines)).context["adminform"].form.errors)
    assert "Line 4: the parent &#x27;9&#x27; must be a section listed before it." in errors


def test_the_text_can_be_uploaded_as_markdown(admin_client):
    markdown = "# Report\n\n## Opening\n\nChildren **must** be heard.\r\n\r\n## Results\n\nNetworks grew.\n"
    upload = SimpleUploadedFile("report.md", markdown.encode(), content_type="text/markdown")
    data = source_data(text="", section_lines="opening | Opening | ## Opening\nresults | Results | ## Results")
    response = admin_client.post(reverse(ADD_URL), data | {"text_file": upload})
    assert response.status_code == 302
    document = SourceDocument.objects.get(slug="annual-report-2031")
    assert "\r" not in document.text and document.contains_quote("Children must be heard.")
    assert document.sections.get(code="results").body == "Networks grew."


def test_a_section_cited_by_an_entry_cannot_be_removed(admin_client):
    admin_client.post(reverse(ADD_URL), source_data())
    document = SourceDocument.objects.get(slug="annual-report-2031")
    finding = Finding.objects.create(
        slug="cites-summary", title="t", summary="s", quote="Helplines", section=document.sections.get(code="1")
    )
    url = reverse("admin:kb_sourcedocument_change", args=[document.pk])
    management = {"sections-TOTAL_FORMS": "3", "sections-INITIAL_FORMS": "3", "sections-MAX_NUM_FORMS": "0"}
    management |= {f"sections-{i}-id": s.pk for i, s in enumerate(document.sections.order_by("order"))}
    management |= {f"sections-{i}-document": document.pk for i in range(3)}
    response = admin_client.post(url, source_data(section_lines="2 | Findings | 2. Findings") | management)
    assert "Section &#x27;1&#x27; cannot be removed: 1 finding cite it." in response.content.decode()
    assert Section.objects.filter(pk=finding.section_id).exists()


def test_detect_headings_skips_tables_of_contents_and_sentences():
    found = detect_headings("A. Introduction\t3\nC. Objectives.....5\nA. Introduction\n1. The States agreed.\n")
    assert found == [{"code": "A", "title": "Introduction", "heading": "A. Introduction"}]


def finding_data(section, **changes):
    return {
        "slug": "helplines-everywhere",
        "title": "Helplines in every member State",
        "summary": "Every member State set up a helpline for children.",
        "quote": "Helplines for children were set up in every member State.",
        "section": section.pk,
        "session": "",
        "kind": "fact",
        "pillars": [Pillar.objects.get(slug="protection").pk],
        "regions": [Region.objects.get(slug="europe").pk],
        "status": "draft",
    } | changes


def added_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_then_a_finding_citing_it_with_a_bad_quote_is_saved_with_a_warning(admin_client):
    admin_client.post(reverse(ADD_URL), source_data())
    summary = SourceDocument.objects.get(slug="annual-report-2031").sections.get(code="1")
    url = reverse("admin:practices_finding_add")

    response = admin_client.post(url, finding_data(summary))
    assert response.status_code == 302
    assert not [m for m in added_messages(response) if "quote" in m.lower()]

    response = admin_client.post(
        url, finding_data(summary, slug="invented", title="Invented", quote="Nobody said this.")
    )
    assert response.status_code == 302 and Finding.objects.filter(slug="invented").exists()
    assert any(
        "The quote not found in source 'annual-report-2031'" in m and "verbatim" in m for m in added_messages(response)
    )


def test_adding_a_finding_like_an_existing_one_warns_of_a_duplicate(admin_client):
    existing = Finding.objects.published().first()
    url = reverse("admin:practices_finding_add")
    data = finding_data(
        existing.section,
        slug="copy",
        title=existing.title.rstrip(".") + ".",
        summary="Different words.",
        quote=existing.quote,
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    change_url = reverse("admin:practices_finding_change", args=[existing.pk])
    assert any("Possible duplicate of:" in m and change_url in m for m in added_messages(response))


def test_exporting_the_whole_knowledge_base_needs_view_permissions(admin_client, client):
    response = admin_client.get(reverse("admin:kb_export_kb"))
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "rome-2012/conference.json" in names and "sources/rome-2012-report.txt" in names

    user = User.objects.create_user("reader", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_sourcedocument", "view_finding"]))
    client.force_login(user)
    assert client.get(reverse("admin:kb_export_kb")).status_code == 403
    assert admin_client.get(reverse("admin:kb_export_kb") + "?format=json")["Content-Type"] == "application/json"


def test_editing_the_text_relocates_sections_and_warns_about_quotes_it_loses(admin_client):
    admin_client.post(reverse(ADD_URL), source_data())
    document = SourceDocument.objects.get(slug="annual-report-2031")
    Finding.objects.create(
        slug="cites-helplines",
        title="t",
        summary="s",
        quote="Helplines for children",
        section=document.sections.get(code="1"),
    )
    sections = list(document.sections.order_by("order"))
    management = {"sections-TOTAL_FORMS": "3", "sections-INITIAL_FORMS": "3", "sections-MAX_NUM_FORMS": "0"}
    management |= {f"sections-{i}-id": s.pk for i, s in enumerate(sections)}
    management |= {f"sections-{i}-document": document.pk for i in range(3)}
    new_text = "Preface added.\n\n" + REPORT.replace("Helplines for children", "Hotlines for adults")
    url = reverse("admin:kb_sourcedocument_change", args=[document.pk])
    response = admin_client.post(url, source_data(text=new_text) | management)
    assert response.status_code == 302
    relocated = document.sections.get(code="1")
    assert relocated.start == sections[0].start + len("Preface added.\n\n")
    assert any("1 entry cite a passage no longer found" in m for m in added_messages(response))
