"""Text helpers shared by the loader, the models and the report page."""

import re

_WHITESPACE = re.compile(r"\s+")
# Control characters no address or query parameter legitimately holds: C0 (NUL, CR, LF...) but the
# tab, DEL and C1. PostgreSQL refuses NUL in text; CR and LF would reach headers.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


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
