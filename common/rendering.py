"""Render a source document's plain text as safe HTML: paragraphs, bullet lists, the report's
Markdown emphasis, and one highlighted quote (``<mark id="quote">``) that may span paragraphs."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from common.text import SNIPPET_END, SNIPPET_START

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"\*(.+?)\*")


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text`` however its white space and emphasis markers differ."""
    words = quote.replace("*", "").split()
    if not words:
        return None
    pattern = r"\s+".join(r"\**" + re.escape(word) + r"\**" for word in words)
    match = re.search(pattern, text)
    return match.span() if match else None


def _inline(text: str) -> str:
    html = escape(text)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


def render_text(text: str, highlight: tuple[int, int] | None = None) -> SafeString:
    if highlight:
        start, end = highlight
        text = text[:start] + SNIPPET_START + text[start:end] + SNIPPET_END + text[end:]
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    html: list[str] = []
    in_mark = False

    def marked(fragment: str) -> str:
        """Inline HTML for one fragment, opening and closing <mark> so it never crosses a block."""
        nonlocal in_mark
        out = ("<mark>" if in_mark else "") + _inline(fragment)
        for sentinel in (SNIPPET_START, SNIPPET_END):
            if sentinel in out:
                in_mark = sentinel == SNIPPET_START
        out = out.replace(SNIPPET_START, '<mark id="quote" tabindex="-1">').replace(SNIPPET_END, "</mark>")
        if in_mark:
            out += "</mark>"
        return out

    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if all(line.startswith(("- ", "-\t")) or line in (SNIPPET_START, SNIPPET_END) for line in lines):
            items = "".join(f"<li>{marked(line[2:].strip())}</li>" for line in lines if line.startswith("-"))
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{marked(' '.join(lines))}</p>")
    return mark_safe("\n".join(html))
