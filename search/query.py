"""Parsing of what people type into the search box, shared by both database backends.

The syntax is PostgreSQL's ``websearch_to_tsquery``: plain words (all required), ``"quoted
phrases"``, ``or`` between alternatives and ``-word`` / ``-"phrase"`` to exclude. We parse it
ourselves so SQLite (FTS5) and PostgreSQL give the same answers, so every word can be expanded with
its British/American spelling variants and near-miss corrections, and so nothing the user types
ever reaches a query parser as syntax: words are only ever passed as parameters or quoted strings.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 256
MAX_CLAUSES = 12

# Words that carry no meaning in a practitioner's question ("what works for ... in ...").
_GRAMMAR = """a about above after again against all also am an and any are as at be been before being below
    between both but by can could did do does doing done during each either etc few for from further
    had has have having he her here hers how i if in into is it its itself just me more most my
    neither no nor not of off on once only other our ours out over own per s same she should so some
    such t than that the their theirs them then there these they this those through to too under
    until up upon us very via was we were what whats when where which while who whom why will with
    within without would you your yours"""
# French function words, so a French question ("traite des enfants") keeps only its subject.
_FRENCH_GRAMMAR = "au aux avec dans de des du en et la le les par pour quoi sur un une"
GRAMMAR_WORDS = frozenset(_GRAMMAR.split()) | frozenset(_FRENCH_GRAMMAR.split())
# Words of the question's frame rather than its subject; kept when nothing else is left.
_FRAME = """example examples way ways work works help helps know tell find show shows good best practice
    practices thing things"""
FRAME_WORDS = frozenset(_FRAME.split())
STOP_WORDS = GRAMMAR_WORDS | FRAME_WORDS

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def clean(text: str) -> str:
    """Compatibility-normalised, control characters (NUL included) removed, capped in length."""
    text = unicodedata.normalize("NFKC", str(text or ""))[: MAX_QUERY_CHARS * 4]
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    return text[:MAX_QUERY_CHARS].strip()


def fold(word: str) -> str:
    """Lower case without accents: how both indexes see a word."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words_of(text: str) -> list[str]:
    """The folded words of ``text``, as the indexes tokenise them (apostrophes and hyphens split)."""
    return [w for w in (fold(m) for m in _WORD.findall(text.replace("_", " "))) if w]


def is_content_word(word: str, stop_words=STOP_WORDS) -> bool:
    return word not in stop_words and (len(word) > 1 or word.isdigit())


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of several words in order."""

    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self):
        return f'"{" ".join(self.words)}"' if self.is_phrase else self.words[0]


@dataclass
class Clause:
    """Alternatives (``a or b``), one of which must match. Spelling variants and corrections of a
    single word are added to ``alternatives`` by :func:`expand`."""

    alternatives: list[Term] = field(default_factory=list)


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def __bool__(self):
        return bool(self.clauses or self.excluded)

    @property
    def single_words(self) -> list[str]:
        """Every single word the user typed (not in phrases): candidates for correction."""
        return [t.words[0] for c in self.clauses for t in c.alternatives if not t.is_phrase]


def _bare_terms(token: str, stop_words=STOP_WORDS) -> list[Term | tuple[Term, Term]]:
    """Terms of one unquoted token. A hyphenated compound ("co-operation", "child-centred") is
    a phrase of its parts; :func:`parse` also lets it match the parts written together."""
    parts = words_of(token)
    if len(parts) > 1 and re.fullmatch(r"[\w]+(-[\w]+)+", token):
        return [(Term(tuple(parts)), Term(("".join(parts),)))]
    if len(token) > 1 and token.isupper() and token.isalpha():
        return [Term((w,)) for w in parts]  # an acronym (WHO, US), not the stop word
    return [Term((w,)) for w in parts if is_content_word(w, stop_words)]


def parse(raw: str) -> ParsedQuery:
    """Parse like ``websearch_to_tsquery``; stop words are dropped (except inside phrases), and
    anything that is not a word is ignored. Never raises."""
    parsed = _parse(clean(raw), STOP_WORDS)
    if not parsed.clauses:  # "best practices": the frame words are then the subject
        parsed = _parse(clean(raw), GRAMMAR_WORDS)
    return parsed


def _parse(text: str, stop_words) -> ParsedQuery:
    parsed = ParsedQuery()
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or":
                pending_or = bool(parsed.clauses)
                continue
            negated = "-" if bare.startswith("-") else ""
            terms = _bare_terms(bare.lstrip("-"), stop_words)
        else:
            words = words_of(phrase)
            if not any(is_content_word(w, stop_words) for w in words):
                words = []
            terms = [Term(tuple(words))] if words else []
        if not terms:
            continue
        if negated:
            parsed.excluded.extend(t[0] if isinstance(t, tuple) else t for t in terms)
            pending_or = False
            continue
        groups = [list(t) if isinstance(t, tuple) else [t] for t in terms]
        if pending_or:
            parsed.clauses[-1].alternatives.extend(groups[0])
        else:
            parsed.clauses.append(Clause(groups[0]))
        parsed.clauses.extend(Clause(g) for g in groups[1:])
        pending_or = False
    # A word repeated adds nothing; very long input is cut to its first clauses.
    seen, unique = set(), []
    for clause in parsed.clauses:
        key = tuple(str(t) for t in clause.alternatives)
        if key not in seen:
            seen.add(key)
            unique.append(clause)
    parsed.clauses = unique[:MAX_CLAUSES]
    parsed.excluded = parsed.excluded[:MAX_CLAUSES]
    return parsed


# British and American spellings of the same word. The report mixes them ("harmonization",
# "co-operation", "paedophilia"/"pedophilia"), curators write British English, users type either.
_DOUBLED_L = "travel|cancel|counsel|label|model|signal|level|channel|fuel|equal|total"  # travelled / traveled
_VARIANT_RULES = [
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"iz(e|ed|es|ing|ation|ations|er|ers)$"), r"is\1"),
    (re.compile(r"yse(s|d)?$"), r"yze\1"),
    (re.compile(r"yze(s|d)?$"), r"yse\1"),
    (re.compile(r"our(s|ed|ing|able|ite|ites)?$"), r"or\1"),
    (re.compile(r"([^aeiou])or(s|ed|ing|able|ite|ites)?$"), r"\1our\2"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"ter(s)?$"), r"tre\1"),
    (re.compile(rf"^({_DOUBLED_L})l(ed|ing|er|ers)$"), r"\1\2"),
    (re.compile(rf"^({_DOUBLED_L})(ed|ing|er|ers)$"), r"\1l\2"),
    (re.compile(r"^co(operat|ordinat)"), r"co \1"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe"), "e"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"ence$"), "ense"),
    (re.compile(r"ense$"), "ence"),
    (re.compile(r"gramme(s)?$"), r"gram\1"),
    (re.compile(r"gram(s)?$"), r"gramme\1"),
]


# Plurals neither stemmer folds.
_IRREGULAR = {"child": "children", "woman": "women", "man": "men", "person": "people", "criterion": "criteria"}
_IRREGULAR |= {plural: singular for singular, plural in _IRREGULAR.items()}


# Everyday words for the report's vocabulary ("kids" -> children, "internet" -> online). Kept
# short and literal: each pair is a word users type and the word the curated entries use.
_SYNONYM_TABLE = """
kid: child | kids: children | teenagers, teens: adolescents | youth: young people, adolescents
internet, web: online | porn: pornography | statistics, stats: data | legislation: law, laws
police: law enforcement | offender: perpetrator | offenders: perpetrators | perpetrator: offender
perpetrators: offenders | abuser: offender, perpetrator | abusers: offenders, perpetrators
survivor: victim | survivors: victims | deported, deportation: expulsion
recover, recovery: rehabilitation, resilience
"""
_SYNONYMS = {
    word.strip(): [other.strip() for other in others.split(",")]
    for entry in _SYNONYM_TABLE.replace("\n", "|").split("|")
    if ":" in entry
    for words, others in [entry.split(":")]
    for word in words.split(",")
}


def spelling_variants(word: str) -> list[str]:
    """Other spellings of ``word`` (British/American, irregular plural) and the report's word for
    it, excluding the word itself."""
    variants = [_IRREGULAR[word]] if word in _IRREGULAR else []
    variants += _SYNONYMS.get(word, [])
    for pattern, replacement in _VARIANT_RULES:
        if word.isdigit() or len(word) < 4:
            break
        other = pattern.sub(replacement, word, count=1)
        if other != word and other not in variants:
            variants.append(other)
    return variants


def expand(parsed: ParsedQuery, corrections: dict[str, list[str]] | None = None) -> ParsedQuery:
    """A copy of ``parsed`` where each single word also matches its spelling variants and the
    close indexed words in ``corrections`` (for words the index does not know)."""
    corrections = corrections or {}
    clauses = []
    for clause in parsed.clauses:
        alternatives = list(clause.alternatives)
        for term in clause.alternatives:
            if term.is_phrase:
                continue
            word = term.words[0]
            fixes = corrections.get(word, [])
            for other in [*spelling_variants(word), *fixes, *(v for fix in fixes for v in spelling_variants(fix))]:
                candidate = Term(tuple(other.split()))
                if candidate not in alternatives:
                    alternatives.append(candidate)
        clauses.append(Clause(alternatives))
    return ParsedQuery(clauses=clauses, excluded=list(parsed.excluded))


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
    adjacent letters ("chlid" -> "child") each count one."""
    previous2, previous = [], list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def is_likely_typo(word: str, candidate: str) -> bool:
    """Whether ``candidate`` is close enough to be what was meant: same first letter, then one
    slip in words of up to 8 letters, two in longer ones; never for words under 4 letters or numbers."""
    if len(word) < 4 or word.isdigit() or candidate == word or candidate[:1] != word[:1]:
        return False
    return edit_distance(word, candidate) <= (1 if len(word) <= 8 else 2)
