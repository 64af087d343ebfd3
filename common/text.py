"""Text helpers shared by the loader, the models and the report page."""

import difflib
import re

from django.utils.text import slugify

_WHITESPACE = re.compile(r"\s+")
# Control characters no address or query parameter legitimately holds: C0 (NUL, CR, LF...) but the
# tab, DEL and C1. PostgreSQL refuses NUL in text; CR and LF would reach headers.
CONTROL_RANGES = ((0x00, 0x08), (0x0A, 0x1F), (0x7F, 0x9F))
_CONTROL = re.compile("[" + "".join(f"\\x{low:02x}-\\x{high:02x}" for low, high in CONTROL_RANGES) + "]")
# The same rule as a JSON Schema (ECMA 262) pattern, for the API's parameters.
NO_CONTROL_CHARACTERS_PATTERN = "^[^" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in CONTROL_RANGES) + "]*$"


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character (ordinary non-ASCII letters and emoji are fine)."""
    return bool(_CONTROL.search(text))


def normalise_for_quote(text: str) -> str:
    """Fold white space and drop Markdown emphasis markers, so a quote copied from the report
    matches however its lines were wrapped."""
    return _WHITESPACE.sub(" ", text.replace("*", "")).strip()


# Search snippets come from the database with these sentinels around matched words; the
# ``highlight`` template filter escapes everything else and turns them into <mark>.
SNIPPET_START, SNIPPET_END = "\x01", "\x02"


def unique_slug(model, text: str, max_length: int = 140) -> str:
    """A slug for ``text`` that no ``model`` row has yet ("title", then "title-2", "title-3"...)."""
    base = slugify(text)[: max_length - 4].strip("-") or "entry"
    slug, number = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def did_you_mean(value, candidates: dict) -> str:
    """' — did you mean "code"?' for a value close to one of ``candidates`` ({code: label}), matched
    on the code or the label, ignoring case; "" when nothing is close."""
    text = str(value).strip().casefold()
    if not text:
        return ""
    codes = {str(code).casefold(): str(code) for code in candidates}
    labels = {str(label).casefold(): str(code) for code, label in candidates.items()}
    for table in (codes, labels):
        if text in table:
            return f' — did you mean "{table[text]}"?'
    for table in (codes, labels):
        close = difflib.get_close_matches(text, list(table), n=1, cutoff=0.75)
        if close:
            return f' — did you mean "{table[close[0]]}"?'
    return ""
