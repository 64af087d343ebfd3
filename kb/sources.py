"""Sections of a new source, as a curator types them: one line per section,
``CODE | Title | exact heading line`` (and ``| PARENT`` for a subsection), located in the text the
way the content loader locates them; or proposed from the headings found in the text."""

from __future__ import annotations

import re

from django.utils.text import slugify

from common.problems import Problems
from common.text import normalise_for_quote
from kb.models import Section

# "A. Introduction", "IV. Results", "2.1 Scope", "3) Findings" and Markdown "## Title" lines.
NUMBERED_HEADING = re.compile(r"^(?P<code>[A-Z]|[IVXLC]{1,6}|\d{1,2}(?:\.\d{1,2})*)[.)]?\s+(?P<title>\S.{1,118})$")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<title>\S.{0,118})$")
CODE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def detect_headings(text: str) -> list[dict]:
    """Lines that look like section headings, in order, as section records. A proposal for the
    curator to check: tables of contents (tabs, dot leaders) and sentences are skipped."""
    found, codes = [], set()
    for line in text.splitlines():
        line = line.strip()
        if not line or "\t" in line or "..." in line or line[-1] in ".,;:":
            continue
        match = MARKDOWN_HEADING.match(line) or NUMBERED_HEADING.match(line)
        if not match:
            continue
        title = match["title"].strip().strip("*").strip()
        code = match.groupdict().get("code") or slugify(title)[:40] or "section"
        code = code.replace(".", "-")
        base, n = code, 2
        while code in codes:
            code, n = f"{base}-{n}", n + 1
        codes.add(code)
        found.append({"code": code, "title": title, "heading": line})
    return found


def format_section_lines(sections: list[dict]) -> str:
    lines = []
    for section in sections:
        parts = [section["code"], section["title"], section["heading"]]
        if section.get("parent"):
            parts.append(section["parent"])
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def parse_section_lines(value: str, text: str) -> tuple[list[dict], list[str]]:
    """Parse the curator's lines and locate each heading in ``text``; return the section records
    and the errors (by line)."""
    sections, errors, codes = [], [], set()
    for number, line in enumerate(value.splitlines(), 1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (3, 4) or not all(parts[:3]):
            errors.append(f"Line {number}: write CODE | Title | exact heading line (and | PARENT for a subsection).")
            continue
        section = {"code": parts[0], "title": parts[1], "heading": parts[2]}
        if not CODE.fullmatch(section["code"]) or len(section["code"]) > 40:
            errors.append(f"Line {number}: {section['code']!r} is not a code (letters, digits and hyphens).")
        elif section["code"] in codes:
            errors.append(f"Line {number}: the code {section['code']!r} is used twice.")
        if len(parts) == 4 and parts[3]:
            section["parent"] = parts[3]
            if parts[3] not in codes:
                errors.append(f"Line {number}: the parent {parts[3]!r} must be a section listed before it.")
        codes.add(section["code"])
        section["line"] = number
        sections.append(section)
    if not errors and sections:
        problems = Problems()
        locate_sections(text, sections, "sections", problems)
        for problem in problems.items:
            index = int(re.search(r"sections\[(\d+)\]", problem.where)[1])
            section = sections[index - 1]
            errors.append(
                f"Line {section['line']}: the heading {section['heading']!r} is not found in the text as a line of "
                "its own, after the previous section's heading."
            )
    for section in sections:
        section.pop("line")
    return sections, errors


def locate_sections(text: str, sections: list[dict], where: str, problems: Problems) -> list[tuple[int, int]]:
    """Find each section's heading, as a line of its own, in document order."""
    offsets = []
    position = 0
    for index, section in enumerate(sections, 1):
        heading = str(section.get("heading", "")).strip()
        pattern = re.compile(rf"^{re.escape(heading)}[ \t]*$", re.MULTILINE)
        match = pattern.search(text, position) if heading else None
        if match is None:
            problems.add(
                f"{where} › sections[{index}] › heading",
                f"{heading!r} is not found as a line of its own after the previous section",
            )
            offsets.append((position, position))
            continue
        offsets.append((match.start(), match.start()))
        position = match.end()
    return [(start, offsets[i + 1][0] if i + 1 < len(offsets) else len(text)) for i, (start, _) in enumerate(offsets)]


def quote_problem(quote: str, section: Section) -> str | None:
    """Why ``quote`` is not a verbatim passage of ``section`` (None when it is)."""
    needle = normalise_for_quote(quote)
    if needle and needle in normalise_for_quote(section.document.text[section.start : section.end]):
        return None
    if section.document.contains_quote(quote):
        return f"is in {section.document.slug} but not in its section {section.code!r}"
    return f"not found in source {section.document.slug!r}: {quote[:70]!r}…"
