"""Text helpers shared by the loader, the models and the report page."""

import re

_WHITESPACE = re.compile(r"\s+")


def normalise_for_quote(text: str) -> str:
    """Fold white space and drop Markdown emphasis markers, so a quote copied from the report
    matches however its lines were wrapped."""
    return _WHITESPACE.sub(" ", text.replace("*", "")).strip()


# Search snippets come from the database with these sentinels around matched words; the
# ``highlight`` template filter escapes everything else and turns them into <mark>.
SNIPPET_START, SNIPPET_END = "\x01", "\x02"
