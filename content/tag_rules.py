"""The rules that keep an entry's classification honest, checked by the loader for every source
(published rating method: /method/).

- **Basis**: a practice marked ``implemented`` must rest on at least one quote that is not only a
  recommendation ("should", "need", "it is important", "it was suggested"...): a quote without
  such words, or one that also says the thing was done ("struck", "established", "adopted"...).
- **Country implies region**: an entry coded with a country carries that country's region.
- **Panel regions**: an entry of a session that covers regions carries them.
- **Twins agree**: a practice and a finding resting on the same quote have the same pillars,
  regions and articles.

An entry's ``tag_exception`` (the curator's reason, in words) exempts it from the tag rules; the
basis rule has no exception.
"""

from __future__ import annotations

import re

from common.problems import Problems
from common.text import normalise_for_quote

RECOMMENDATION_CUES = re.compile(
    r"\b(should|ought to|must|needs? (?:to|for)|the need|needed|it is (?:important|crucial|necessary|essential)|"
    r"importance of|it was suggested|suggested that|calls? for|requires?|is necessary|deemed necessary|"
    r"has to|have to)\b",
    re.IGNORECASE,
)
# Words by which a passage that recommends also reports the thing as done or in place.
DONE_CUES = re.compile(
    r"\b(struck|established|with the establishment of|was created|were created|adopted|demonstrated|succeed|"
    r"succeeded|is being implemented|conducted|developed|showed|provided|embrace|was shared|"
    r"were regarded as effective|cited)\b",
    re.IGNORECASE,
)
TWIN_FIELDS = ("pillars", "regions", "articles")


def is_recommendation_only(quote: str) -> bool:
    """True when ``quote`` is a should / need / important / suggested statement and nothing in it
    reports the thing as done or in place. Judged on the whole quote, not sentence by sentence:
    a context sentence ("The conference dwelled on communication.") does not make a
    recommendation a report of something done."""
    text = normalise_for_quote(quote)
    return bool(RECOMMENDATION_CUES.search(text)) and not DONE_CUES.search(text)


def check_basis(record, basis: str, quotes: list[str]):
    """An ``implemented`` practice needs a quote describing something done or in place."""
    if basis == "implemented" and quotes and all(is_recommendation_only(quote) for quote in quotes):
        record.problem(
            "basis",
            "is 'implemented' but every quote is only a should / need / important / suggested statement; "
            "use 'recommended' or quote the passage saying it was done",
        )


def check_country_regions(record, countries, regions):
    """Each country's region is among the entry's regions."""
    if record.data.get("tag_exception"):
        return
    slugs = {region.slug for region in regions}
    for country in countries:
        region = getattr(country, "region", None)
        if region is not None and region.slug not in slugs:
            record.problem("regions", f"is coded with {country.code} but lacks its region {region.slug!r}")


def check_session_regions(record, session_slug: str, session_regions, regions):
    """The regions of the entry's panel are among the entry's regions."""
    if record.data.get("tag_exception") or not session_regions:
        return
    missing = sorted({r.slug for r in session_regions} - {r.slug for r in regions})
    if missing:
        record.problem(
            "regions",
            f"lacks {', '.join(missing)}, the region(s) of its session {session_slug!r} "
            "(or give tag_exception: why it is cross-regional)",
        )


def check_twins(findings: list[tuple[str, dict]], practices: list[tuple[str, dict]], problems: Problems):
    """A practice and a finding with the same quote agree on pillars, regions and articles, unless
    one of them says why not (``tag_exception``). ``findings`` and ``practices`` are
    ``(where, record)`` pairs."""
    by_quote: dict[str, list[tuple[str, dict]]] = {}
    for where, record in findings:
        if isinstance(record, dict) and isinstance(record.get("quote"), str):
            by_quote.setdefault(normalise_for_quote(record["quote"]), []).append((where, record))
    for where, practice in practices:
        if not isinstance(practice, dict) or not isinstance(practice.get("quote"), str):
            continue
        for finding_where, finding in by_quote.get(normalise_for_quote(practice["quote"]), []):
            if practice.get("tag_exception") or finding.get("tag_exception"):
                continue
            for name in TWIN_FIELDS:
                ours, theirs = _values(practice, name), _values(finding, name)
                if ours != theirs:
                    problems.add(
                        f"{where} › {name}",
                        f"differs from its twin finding {finding.get('slug')!r} ({finding_where}), which rests on "
                        f"the same quote: {sorted(ours)} vs {sorted(theirs)} (align them or give tag_exception)",
                    )


def _values(record: dict, name: str) -> set:
    values = record.get(name) or []
    return {str(value) for value in values} if isinstance(values, list) else set()
