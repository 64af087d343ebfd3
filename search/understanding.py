"""Query understanding: which vocabulary terms and thesaurus concepts the words of a query name.

The words of ``q`` are matched, longest phrase first, against every label a term can be called by:
the names of pillars, regions, countries, themes, target groups, WHO INSPIRE strategies, convention
articles ("article 38", "art. 38"), sessions, organisations and projects, and every preferred,
alternative and hidden label of the thesaurus (taxonomy.Concept). What is recognised:

* a **term** (Region "Sub-Saharan Africa", Country "Kenya", Theme "Trafficking") counts as a
  match for entries classified under it, and is offered as a filter with its count; a country
  no entry is classified under stands for its region;
* a **free concept** ("safe house", "CSAM") widens the words with its English labels; the
  vocabulary terms it is the broader concept of (Africa: both African regions) count as matches,
  the terms it is narrower than or related to are offered and rank higher, without making an
  entry match.

Costs at most four queries whatever the size of the vocabularies: the thesaurus (concepts and
labels), the names of every term, the relations of the concepts recognised, and one count per
recognised term for the list being searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext, gettext_lazy

from common.i18n import localized
from common.versioning import kept_under_version
from search.query import STOP_WORDS, Clause, ParsedQuery, Term, clean, fold, parse, words_of
from search.vocabularies import VOCABULARIES, entry_field
from taxonomy.models import Concept, Label

MAX_RECOGNISED = 8  # terms offered and used for one query
MAX_EXPANSIONS = 12  # extra words or phrases per clause
EXCLUDED_REGIONS = {"global"}  # a catch-all, never inferred from a country

SAME, NARROWER, REGION_OF_COUNTRY, BROADER, RELATED = "same", "narrower", "region", "broader", "related"
MATCHING = (SAME, NARROWER, REGION_OF_COUNTRY)  # relations that make an entry a match
PLURALS = {"children": "child", "women": "woman", "men": "man", "people": "person", "criteria": "criterion"}


def normalise(word: str) -> str:
    """How a word is compared with a label's words: folded, singular."""
    word = PLURALS.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def label_key(text: str) -> tuple[str, ...]:
    """The words of a label that matter for matching, normalised."""
    return tuple(normalise(w) for w in words_of(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit()))


@dataclass(frozen=True)
class TermRef:
    vocabulary: str
    key: str

    def __post_init__(self):
        object.__setattr__(self, "vocabulary", str(self.vocabulary))
        object.__setattr__(self, "key", str(self.key))


@dataclass
class Understood:
    """A term the query was understood to name, as the page and the API offer it."""

    vocabulary: str
    key: str
    label: str
    matched: str  # the words of the query, as typed
    relation: str = SAME
    count: int = 0
    note: str = ""

    @property
    def has_facet(self) -> bool:
        return VOCABULARIES[self.vocabulary].has_facet

    @property
    def vocabulary_label(self) -> str:
        return VOCABULARIES[self.vocabulary].label


@dataclass
class Recognition:
    """One phrase of the query and what it names."""

    words: tuple[str, ...]
    clauses: set[int]
    matched: str
    misspelt: bool = False  # named by hidden labels only: a known misspelling, still worth correcting
    concepts: set[int] = field(default_factory=set)  # thesaurus concept ids
    terms: set[TermRef] = field(default_factory=set)  # terms named directly


@dataclass
class Understanding:
    recognitions: list[Recognition] = field(default_factory=list)
    items: list[Understood] = field(default_factory=list)
    # clause index -> conditions (on the entry model) that count as the clause matching
    conditions: dict[int, list[Q]] = field(default_factory=dict)
    # one condition per term named (whatever the number of clauses it spans), for ranking
    named: list[Q] = field(default_factory=list)
    # conditions that rank an entry higher without making it match
    boosts: list[Q] = field(default_factory=list)
    # clause index -> extra word tuples (phrases when several) the clause may match
    expansions: dict[int, list[tuple[str, ...]]] = field(default_factory=dict)
    # word -> close indexed words, for the words not understood as they are typed
    corrections: dict[str, list[str]] = field(default_factory=dict)

    @property
    def recognised_words(self) -> set[str]:
        """Words understood as naming a term, which no "did you mean" should correct (known
        misspellings, hidden labels, excepted)."""
        return {word for recognition in self.recognitions if not recognition.misspelt for word in recognition.words}

    @property
    def match_conditions(self) -> list[Q]:
        return [condition for conditions in self.conditions.values() for condition in conditions]

    def __bool__(self):
        return bool(self.recognitions)


# --- the label index: two queries -------------------------------------------------------------


@dataclass
class ConceptInfo:
    id: int
    slug: str
    vocabulary: str
    term: str
    labels: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, language, text)

    @property
    def term_ref(self) -> TermRef | None:
        return TermRef(self.vocabulary, self.term) if self.vocabulary else None

    def english_labels(self) -> list[str]:
        return [text for kind, language, text in self.labels if kind != Label.Kind.HIDDEN and language == "en"]


@dataclass
class TermInfo:
    ref: TermRef
    name: str
    region: str = ""  # a country's region slug
    name_fr: str = ""

    @property
    def label(self) -> str:
        """The name in the active language."""
        return localized(self.name, self.name_fr)


class LabelIndex:
    """Every label, keyed by its normalised words, with what it names."""

    def __init__(self):
        self.concepts: dict[int, ConceptInfo] = {}
        self.terms: dict[TermRef, TermInfo] = {}
        self.concept_of_term: dict[TermRef, int] = {}
        self.by_first_word: dict[str, dict[tuple[str, ...], set]] = {}
        self.shown_keys: set[tuple[str, ...]] = set()  # keys of at least one label that is not hidden

    def add(self, text: str, target, hidden: bool = False):
        key = label_key(text)
        if key:
            self.by_first_word.setdefault(key[0], {}).setdefault(key, set()).add(target)
            if not hidden:
                self.shown_keys.add(key)

    @classmethod
    def current(cls) -> LabelIndex:
        """The index at the current content version: built once per process and version (any
        edit of a concept, label or term bumps it), not on every search."""
        return kept_under_version("search-label-index", cls.build)

    @classmethod
    def build(cls) -> LabelIndex:
        index = cls()
        rows = Concept.objects.values_list(
            "id", "slug", "vocabulary", "term", "labels__kind", "labels__language", "labels__text"
        )
        for concept_id, slug, vocabulary, term, kind, language, text in rows:
            info = index.concepts.setdefault(concept_id, ConceptInfo(concept_id, slug, vocabulary, term))
            if text:
                info.labels.append((kind, language, text))
                index.add(text, ("concept", concept_id), hidden=kind == Label.Kind.HIDDEN)
        for info in index.concepts.values():
            if info.term_ref:
                index.concept_of_term[info.term_ref] = info.id
        index.add_term_names()
        return index

    def add_term_names(self):
        """The names of every term of every vocabulary, in one query."""
        parts = []
        for name, info in VOCABULARIES.items():
            model_name = info.model._meta.model_name
            extra = {
                # a country's region; an organisation's acronym
                "country": Cast("region__slug", CharField()),
                "organisation": Cast("acronym", CharField()),
            }.get(model_name, Value("", output_field=CharField()))
            french = Cast(info.french_field, CharField()) if info.french_field else Value("", output_field=CharField())
            parts.append(
                info.model.objects.order_by()
                .annotate(
                    v=Value(name, output_field=CharField()),
                    k=Cast(info.key, CharField()),
                    n=Cast(info.name_field, CharField()),
                    x=extra,
                    f=french,
                )
                .values_list("v", "k", "n", "x", "f")
            )
        article_titles: dict[tuple, list] = {}
        for vocabulary, key, name, extra, french in parts[0].union(*parts[1:], all=True):
            ref = TermRef(vocabulary, key)
            is_country = vocabulary == Concept.Vocabulary.COUNTRY
            self.terms[ref] = TermInfo(ref, name, (extra or "") if is_country else "", french or "")
            if vocabulary == Concept.Vocabulary.ARTICLE:
                article_titles.setdefault(label_key(name), []).append((ref, name))
                if french:
                    article_titles.setdefault(label_key(french), []).append((ref, french))
                for prefix in ("article", "art"):
                    self.add(f"{prefix} {key}", ("term", ref))
                continue
            self.add(name, ("term", ref))
            if french:  # the French name names the term too, whatever the page's language
                self.add(french, ("term", ref))
            if vocabulary == Concept.Vocabulary.ORGANISATION and extra:
                self.add(extra, ("term", ref))
        # An article title shared by several articles ("Principles") names none of them.
        for titled in article_titles.values():
            if len(titled) == 1:
                ref, title = titled[0]
                self.add(title, ("term", ref))

    def match(self, tokens: list[str], start: int):
        """The longest label starting at ``tokens[start]``: (length, targets, only hidden labels)."""
        candidates = self.by_first_word.get(tokens[start], {})
        best = None
        for key, targets in candidates.items():
            end = start + len(key)
            if tuple(tokens[start:end]) == key and (best is None or len(key) > best[0]):
                best = (len(key), targets, key not in self.shown_keys)
        return best


# --- recognising --------------------------------------------------------------------------------


def query_tokens(parsed: ParsedQuery) -> list[tuple[str, int]]:
    """The query's words in order, normalised, each with the index of its clause."""
    tokens = []
    for index, clause in enumerate(parsed.clauses):
        for word in clause.alternatives[0].words:
            if word not in STOP_WORDS:
                tokens.append((normalise(word), index, word))
    return tokens


def typed_text(q: str, words: list[str]) -> str:
    """The stretch of ``q`` (as typed) from the first to the last of ``words``."""
    text = clean(q)
    found = [(fold(m.group()), m.start(), m.end()) for m in re.finditer(r"\w+", text.replace("_", " "))]
    for i, (word, start, _) in enumerate(found):
        if word != words[0]:
            continue
        position, end = 0, None
        for other, _, stop in found[i:]:
            if other == words[position]:
                position += 1
                end = stop
                if position == len(words):
                    return text[start:end]
    return " ".join(words)


def recognise(index: LabelIndex, parsed: ParsedQuery, q: str) -> list[Recognition]:
    tokens = query_tokens(parsed)
    words = [token for token, _, _ in tokens]
    recognitions, position = [], 0
    while position < len(tokens):
        found = index.match(words, position)
        if found is None:
            position += 1
            continue
        length, targets, hidden = found
        span = tokens[position : position + length]
        recognition = Recognition(
            words=tuple(word for _, _, word in span),
            clauses={clause for _, clause, _ in span},
            matched=typed_text(q, [word for _, _, word in span]),
            misspelt=hidden,
        )
        for kind, value in targets:
            if kind == "concept":
                recognition.concepts.add(value)
            else:
                recognition.terms.add(value)
        recognitions.append(recognition)
        position += length
    return recognitions


# --- what a recognition means for one list (practices or findings) ----------------------------


def relations_of(concept_ids: set[int]) -> dict[int, dict[str, set[int]]]:
    """Broader, narrower and related concepts of ``concept_ids``, in one query."""
    if not concept_ids:
        return {}
    broader = Concept.broader.through.objects.order_by()
    related = Concept.related.through.objects.order_by()
    up = (
        broader.filter(from_concept_id__in=concept_ids)
        .annotate(rel=Value(BROADER, output_field=CharField()))
        .values_list("rel", "from_concept_id", "to_concept_id")
    )
    down = (
        broader.filter(to_concept_id__in=concept_ids)
        .annotate(rel=Value(NARROWER, output_field=CharField()))
        .values_list("rel", "to_concept_id", "from_concept_id")
    )
    aside = (
        related.filter(from_concept_id__in=concept_ids)
        .annotate(rel=Value(RELATED, output_field=CharField()))
        .values_list("rel", "from_concept_id", "to_concept_id")
    )
    result: dict[int, dict[str, set[int]]] = {}
    for relation, source, target in up.union(down, aside, all=True):
        result.setdefault(source, {}).setdefault(relation, set()).add(target)
    return result


# What the note on a country's region calls an entry.
ENTRY_NOUNS = {"practice": gettext_lazy("practice"), "finding": gettext_lazy("finding")}


def term_label(index: LabelIndex, ref: TermRef) -> str:
    name = index.terms[ref].label
    return f"Art. {ref.key}: {name}" if ref.vocabulary == Concept.Vocabulary.ARTICLE else name


class FiledUnder(Q):
    """``classified``'s condition, remembering what it asks for (``relation``, the entry's field,
    and the term's ``key``): a list that knows its entries by term (the facet index) can answer it
    without SQL (search/services.py ``published_ranks``). A copy (combining conditions makes one)
    knows neither and is answered by SQL."""

    relation: str | None = None
    key: str | None = None


def classified(model, ref: TermRef) -> Q | None:
    """Entries of ``model`` classified under the term, as a condition (a subquery, so no joins)."""
    info = VOCABULARIES[ref.vocabulary]
    name = entry_field(model, info)
    if name is None:
        return None
    field = model._meta.get_field(name)
    if field.many_to_many:
        # The through table's rows only (indexed by term): the entry table itself is not read.
        links = field.remote_field.through.objects.filter(**{f"{field.m2m_reverse_field_name()}__{info.key}": ref.key})
        condition = FiledUnder(pk__in=links.values(field.m2m_field_name()))
    else:
        condition = FiledUnder(**{f"{name}__in": info.model.objects.filter(**{info.key: ref.key}).values("pk")})
    condition.relation, condition.key = name, ref.key
    return condition


def with_corrections(index, parsed: ParsedQuery, q: str, recognitions, corrections) -> list[Recognition]:
    """Recognitions that only the corrected spelling of a word reveals ("chlid participation"):
    marked misspelt, so "did you mean" still offers the correction."""
    taken = {clause for recognition in recognitions for clause in recognition.clauses}
    clauses = []
    for index_, clause in enumerate(parsed.clauses):
        first = clause.alternatives[0]
        fixes = corrections.get(first.words[0]) if not first.is_phrase and index_ not in taken else None
        clauses.append(Clause([Term((fixes[0],))]) if fixes else clause)
    found = []
    for recognition in recognise(index, ParsedQuery(clauses=clauses), q):
        corrected = [i for i in sorted(recognition.clauses) if clauses[i] is not parsed.clauses[i]]
        if corrected and not recognition.clauses & taken:
            typed = [word for i in sorted(recognition.clauses) for word in parsed.clauses[i].alternatives[0].words]
            recognition.matched = typed_text(q, typed)
            recognition.misspelt = True
            found.append(recognition)
    return found


def understand(queryset, parsed: ParsedQuery, q: str, correct=None, count_terms=None) -> Understanding:
    """What ``q`` names, for searching ``queryset`` (published findings or practices).
    ``correct(skip)``, if given, returns the spelling corrections of the words not in ``skip``
    (one query); they are kept in ``corrections`` and let a misspelt term be recognised too.
    ``count_terms``: see ``count_entries``."""
    understanding = Understanding()
    if not parsed.clauses:
        return understanding
    index = LabelIndex.current()
    recognitions = recognise(index, parsed, q)
    if correct is not None:
        understanding.corrections = correct({w for r in recognitions if not r.misspelt for w in r.words})
        recognitions += with_corrections(index, parsed, q, recognitions, understanding.corrections)
    if not recognitions:
        return understanding
    understanding.recognitions = recognitions
    model = queryset.model
    concept_ids = {cid for r in recognitions for cid in r.concepts}
    relations = relations_of({cid for cid in concept_ids if index.concepts[cid].vocabulary == ""})
    wanted = []
    for recognition in recognitions:
        wanted += _named_terms(understanding, index, relations, model, recognition)
    wanted = wanted[:MAX_RECOGNISED]
    # Countries stand for their region when no entry of this list is classified under them.
    regions = {
        TermRef(Concept.Vocabulary.REGION, index.terms[ref].region)
        for _, ref, _ in wanted
        if ref.vocabulary == Concept.Vocabulary.COUNTRY and index.terms[ref].region not in ("", *EXCLUDED_REGIONS)
    }
    counts = count_entries(queryset, {ref for _, ref, _ in wanted} | regions, count_terms)
    _apply(understanding, index, model, wanted, counts)
    understanding.items.sort(key=lambda item: (item.relation not in MATCHING, -item.count))
    return understanding


def _named_terms(understanding, index, relations, model, recognition) -> list:
    """The terms one recognition names, and how (same, narrower, broader, related):
    ``[(recognition, term, relation)]``; its words are widened with the terms' labels."""
    refs = {(ref, SAME) for ref in recognition.terms}
    expansions: list[str] = []
    for cid in recognition.concepts:
        concept = index.concepts[cid]
        expansions += concept.english_labels()
        if concept.term_ref:
            refs.add((concept.term_ref, SAME))
            continue
        for relation, targets in relations.get(cid, {}).items():
            for target in targets:
                other = index.concepts.get(target)
                if other is None:
                    continue
                if other.term_ref:
                    refs.add((other.term_ref, relation))
                elif relation == NARROWER:
                    expansions += other.english_labels()
    for ref, _ in refs:
        if ref in index.terms:
            expansions.append(index.terms[ref].name)
            concept = index.concepts.get(index.concept_of_term.get(ref))
            if concept is not None:
                expansions += concept.english_labels()
    add_expansions(understanding, recognition, expansions)
    return [
        (recognition, ref, relation)
        for ref, relation in sorted(refs, key=lambda item: (item[1] not in MATCHING, item[0].vocabulary))
        if ref in index.terms and entry_field(model, VOCABULARIES[ref.vocabulary]) is not None
    ]


def _apply(understanding, index, model, wanted, counts) -> None:
    """Turn each named term into a matching condition (or a boost) and an offer with its count."""
    seen = set()
    for recognition, ref, relation in wanted:
        note = ""
        if ref.vocabulary == Concept.Vocabulary.COUNTRY and not counts.get(ref):
            region = TermRef(Concept.Vocabulary.REGION, index.terms[ref].region)
            if region not in counts or relation not in MATCHING:
                continue
            note = gettext("No %(entry)s is filed under %(country)s; it is in %(region)s.") % {
                "entry": ENTRY_NOUNS.get(model._meta.model_name, model._meta.verbose_name),
                "country": index.terms[ref].label,
                "region": index.terms[region].label,
            }
            ref, relation = region, REGION_OF_COUNTRY
        condition = classified(model, ref)
        if relation in MATCHING:
            for clause in recognition.clauses:
                understanding.conditions.setdefault(clause, []).append(condition)
            understanding.named.append(condition)
        else:
            understanding.boosts.append(condition)
        if ref in seen:
            continue
        seen.add(ref)
        understanding.items.append(
            Understood(
                vocabulary=ref.vocabulary,
                key=ref.key,
                label=term_label(index, ref),
                matched=recognition.matched,
                relation=relation,
                count=counts.get(ref, 0),
                note=note,
            )
        )


def add_expansions(understanding: Understanding, recognition: Recognition, labels: list[str]):
    """Let each clause the recognition spans also match the concept's other English labels."""
    extra = []
    for text in labels:
        words = tuple(words_of(text))
        if words and words != recognition.words and words not in extra:
            extra.append(words)
    for clause in recognition.clauses:
        current = understanding.expansions.setdefault(clause, [])
        for words in extra:
            if words not in current and len(current) < MAX_EXPANSIONS:
                current.append(words)


MAX_UNION = 100


def count_entries(queryset, refs: set[TermRef], count_terms=None) -> dict[TermRef, int]:
    """Published entries of the list filed under each term, in one query. ``count_terms``, if
    given, counts what it can first: ``{ref: (relation, term key)}`` -> ``{ref: count}``."""
    refs = [ref for ref in refs if classified(queryset.model, ref) is not None]
    if not refs:
        return {}
    # The list's own counter, when its caller has one (the facet index of the published practices
    # and findings), is asked first: a count here is otherwise a pass over the whole table.
    counted = {}
    if count_terms is not None:
        counted = count_terms(
            {ref: (entry_field(queryset.model, VOCABULARIES[ref.vocabulary]), ref.key) for ref in refs}
        )
        refs = [ref for ref in refs if ref not in counted]
        if not refs:
            return counted
    # One count per term, each filtered by its own condition (an index look-up of the term's few
    # links), in one statement: a single pass with a COUNT(...) FILTER per term reads every entry
    # of the list (10 ms at 100,000 entries against 1 ms).
    filed = [queryset.order_by().filter(classified(queryset.model, ref)) for ref in refs]
    if len(filed) == 1:
        return counted | {refs[0]: filed[0].count()}
    parts = [entries.values(term=Value(i)).annotate(n=Count("pk")) for i, entries in enumerate(filed)]
    totals = {}
    for start in range(0, len(parts), MAX_UNION):  # SQLite allows 500 SELECTs in one compound
        first, *others = parts[start : start + MAX_UNION]
        totals |= dict(first.union(*others, all=True).values_list("term", "n"))
    return counted | {ref: totals.get(i, 0) for i, ref in enumerate(refs)}


def remaining_words(q: str, matched: str) -> str:
    """``q`` without the words a recognised term stands for; empty when nothing worth searching
    for is left ("what works in Asia?" with Asia taken as a filter)."""
    text = clean(q)
    rest = " ".join(text.replace(matched, " ", 1).split()) if matched else text
    rest = re.sub(r"^[^\w\"-]+|[^\w\"]+$", "", rest)
    return rest if parse_has_subject(rest) else ""


def parse_has_subject(text: str) -> bool:
    words = (word for clause in parse(text).clauses for term in clause.alternatives for word in term.words)
    return any(word not in STOP_WORDS for word in words)
