"""Text helpers shared by the loader, the models and the report page."""

import difflib
import re

from django.utils.text import slugify

_WHITESPACE = re.compile(r"\s+")


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
