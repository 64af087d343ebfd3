"""Text helpers shared by the loader, the models and the report page."""

import re

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
