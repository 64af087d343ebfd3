"""Formula neutralisation, the one rule every CSV and spreadsheet writer uses (CSV/formula injection).

A spreadsheet program runs a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (``=cmd|' /C calc'!A0`` launches a program in some). Such text is
written with an apostrophe in front, which spreadsheets show as text; the importer reads an
apostrophe followed by one of those characters back as the original text, so exports round-trip.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix an apostrophe to a text cell a spreadsheet would otherwise evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore_formula_text(text: str) -> str:
    """The original text of a cell ``neutralise_formula`` wrote (other text unchanged)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text
