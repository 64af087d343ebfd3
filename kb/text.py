"""Text helpers shared by the loader, the models and the report page."""

import re

_WHITESPACE = re.compile(r"\s+")


def normalise_for_quote(text: str) -> str:
    """Fold white space and drop Markdown emphasis markers, so a quote copied from the report
    matches however its lines were wrapped."""
    return _WHITESPACE.sub(" ", text.replace("*", "")).strip()
