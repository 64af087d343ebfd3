"""Full-text search over findings and practices, on PostgreSQL or SQLite, behind one interface.

* :func:`search_entries` filters a queryset of findings or practices to those matching what the
  user typed and annotates ``search_rank`` (higher is better) and ``search_snippet`` (text with
  :data:`common.text.SNIPPET_START` / :data:`common.text.SNIPPET_END` around matched words).
* :func:`suggest_spelling` offers a "did you mean" built from the words of published entries.
* :func:`search_names` finds organisations, projects and sessions by name.
* :func:`search_context` is what ``templates/includes/search_help.html`` expects.
* :func:`published_ranks` gives every published match's rank at once, for a list that orders and
  counts them itself (practices/filters.py): on PostgreSQL from the postings tables.

How a query is answered: it is parsed once (:mod:`search.query`, websearch syntax); each word also
matches its British/American variants and, when the published vocabulary does not know it, the
closest indexed words (pg_trgm similarity on PostgreSQL, difflib on SQLite). All clauses must match;
when that finds nothing, a natural question ("what works for child victims' protection in North
Africa") falls back to entries matching *any* clause, ranked first by how many clauses they match
and then by weighted text rank (title > summary > description and quote).
"""

import bisect
import difflib
import json
import math
import re
from dataclasses import dataclass, field
from itertools import islice

import numpy as np
from django.db import connections
from django.db.models import BooleanField, Case, F, FloatField, Q, TextField, Value, When
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Coalesce

from common.i18n import in_default_language
from common.text import SNIPPET_END, SNIPPET_START
from common.versioning import kept_under_version
from kb.models import Organisation, Project, Session
from search import schema
from search.query import (
    Clause,
    ParsedQuery,
    Term,
    clean,
    edit_distance,
    expand,
    fold,
    is_likely_typo,
    parse,
    spelling_variants,
)
from search.understanding import Understanding, understand

# Weights of title, summary, and description/quote, as ts_rank's {D, C, B, A} defaults: 1, 0.4, 0.2.
BM25_WEIGHTS = {
    "title": 10.0,
    "summary": 4.0,
    "description": 2.0,
    "quote": 2.0,
    "attribution": 2.0,
    "title_fr": 10.0,
    "summary_fr": 4.0,
}
SNIPPET_WORDS = 24
MAX_CORRECTIONS = 2
# Added to the rank of an entry filed under a term the query names (text ranks are below 1), and,
# smaller, under a term the query's concept is narrower than or related to.
TERM_BONUS = 1.0
SUGGESTION_BONUS = 0.3


class RowMatch(Expression):
    """A condition on the entry row itself (``search_vector @@ …``), written against whatever alias
    the query gives the entry table, so it stays right when Django nests the queryset under an
    alias (facet counts do). Inline, the database tests it as it reads each row: a rare word is
    looked up in the GIN index, and a count of a common word can stop once it has enough."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, template: str, params: list, row=None):
        super().__init__()
        self.template, self.params, self.row = template, list(params), row if row is not None else F("pk")

    def get_source_expressions(self):
        return [self.row]

    def set_source_expressions(self, expressions):
        (self.row,) = expressions

    def as_sql(self, compiler, connection):
        return self.template.replace("{table}", compiler.quote_name_unless_alias(self.row.alias)), self.params


@dataclass
class WordInfo:
    known: bool
    candidates: list[str]  # close indexed words, best first


def closest(word: str, candidates: list[str]) -> list[str]:
    """The candidates that look like a slip of the keyboard for ``word``, closest first."""
    likely = [c for c in set(candidates) if is_likely_typo(word, c)]
    return sorted(likely, key=lambda c: (edit_distance(word, c), -difflib.SequenceMatcher(None, word, c).ratio(), c))


class Backend:
    """What differs between databases: how a parsed query becomes SQL, and the vocabulary."""

    def __init__(self, connection):
        self.connection = connection

    def column(self, table, name):
        quote = self.connection.ops.quote_name
        return f"{quote(table)}.{quote(name)}"

    # Subclasses implement these.
    def lookup(self, words: list[str]) -> dict[str, WordInfo]:
        raise NotImplementedError

    def match(self, table, query: ParsedQuery, any_clause: bool) -> tuple[str, list]:
        raise NotImplementedError

    def clause_match(self, table, clause: Clause) -> tuple[str, list]:
        raise NotImplementedError

    def clause_weights(self, table, clauses: list[Clause]) -> list[float]:
        """Inverse document frequency of each clause over the table, in one query:
        ln(1 + entries / (1 + entries matching))."""
        counts, params = [], []
        for clause in clauses:
            sql, clause_params = self.clause_match(table, clause)
            counts.append(f"(SELECT count(*) FROM {self.connection.ops.quote_name(table)} WHERE {sql})")
            params += clause_params
        total = f"(SELECT count(*) FROM {self.connection.ops.quote_name(table)})"
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT {total}, {', '.join(counts)}", params)
            entries, *matching = cursor.fetchone()
        return [math.log(1 + entries / (1 + n)) for n in matching]

    def matching_ids(self, table, query: ParsedQuery, any_clause: bool) -> RawSQL:
        """A self-contained ``SELECT id`` of the matching rows. It names no table of the outer
        query, so the filter still works when Django nests the queryset as a subquery under an
        alias (facet counts do)."""
        sql, params = self.match(table, query, any_clause)
        quote = self.connection.ops.quote_name
        return RawSQL(f"SELECT {quote('id')} FROM {quote(table)} WHERE {sql}", params)

    def row_match(self, query: ParsedQuery, any_clause: bool) -> Q | None:
        """The match as a condition on the row itself, where the database can use it inline."""
        return None

    def is_common(self, table, query: ParsedQuery, any_clause: bool) -> bool:
        """Whether the database would read the whole table to find the words' matches."""
        return False

    def restrict(self, queryset, table, query: ParsedQuery, any_clause: bool):
        """``queryset`` narrowed to matching rows."""
        inline = self.row_match(query, any_clause)
        if inline is not None:
            return queryset.filter(inline)
        return queryset.filter(pk__in=self.matching_ids(table, query, any_clause))

    def text_rank(self, table, query: ParsedQuery, any_clause: bool) -> tuple[str, list]:
        """A relevance score in [0, 1) for rows that match."""
        raise NotImplementedError

    def posting_ranks(self, table, clause: Clause, conditions=()) -> "PostingRanks | None":
        """The *published* entries matching one clause and their text ranks, from an index of
        postings rather than each row's text; None where the database has none."""
        return None

    def snippet(self, table, query: ParsedQuery, any_clause: bool) -> tuple[str, list]:
        raise NotImplementedError


class PostgresBackend(Backend):
    HEADLINE_OPTIONS = (
        f"StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, MaxWords={SNIPPET_WORDS}, MinWords=8, "
        'MaxFragments=2, FragmentDelimiter=" … "'
    )

    def term(self, term: Term) -> tuple[str, list]:
        function = "phraseto_tsquery" if term.is_phrase else "plainto_tsquery"
        words = " ".join(term.words)
        if in_default_language():
            return f"{function}('english', kb_unaccent(%s))", [words]
        # On a French page the words may be French: also stemmed as French (for the French title
        # and summary, indexed with the 'french' configuration).
        sql = f"({function}('english', kb_unaccent(%s)) || {function}('french', kb_unaccent(%s)))"
        return sql, [words, words]

    def combine(self, parts, operator) -> tuple[str, list]:
        sql = f" {operator} ".join(part for part, _ in parts)
        return f"({sql})", [param for _, params in parts for param in params]

    def clause(self, clause: Clause):
        return self.combine([self.term(t) for t in clause.alternatives], "||")

    def tsquery(self, query: ParsedQuery, any_clause: bool) -> tuple[str, list]:
        sql, params = self.combine([self.clause(c) for c in query.clauses], "||" if any_clause else "&&")
        if query.excluded:
            excluded, more = self.combine([self.term(t) for t in query.excluded], "||")
            sql, params = f"({sql} && !!{excluded})", params + more
        return sql, params

    def match(self, table, query, any_clause):
        sql, params = self.tsquery(query, any_clause)
        return f"{self.column(table, 'search_vector')} @@ {sql}", params

    def clause_match(self, table, clause):
        sql, params = self.clause(clause)
        return f"{self.column(table, 'search_vector')} @@ {sql}", params

    def row_match(self, query, any_clause):
        sql, params = self.tsquery(query, any_clause)
        return Q(RowMatch(f"{{table}}.{self.connection.ops.quote_name('search_vector')} @@ {sql}", params))

    def is_common(self, table, query, any_clause):
        """Asks the planner (its statistics of each lexeme's frequency): a sequential scan means the
        words match too large a share of the table for the index to pay."""
        sql, params = self.match(table, query, any_clause)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {self.connection.ops.quote_name(table)} WHERE {sql}", params
            )
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return plan[0]["Plan"]["Node Type"] == "Seq Scan"

    def text_rank(self, table, query, any_clause):
        # Ranked and highlighted on what is sought: ts_rank gives 0 to anything under a NOT.
        sql, params = self.tsquery(ParsedQuery(clauses=query.clauses), any_clause)
        # Normalisation 32 maps the rank into [0, 1).
        return f"ts_rank({self.column(table, 'search_vector')}, {sql}, 32)", params

    def snippet(self, table, query, any_clause):
        sql, params = self.tsquery(ParsedQuery(clauses=query.clauses), any_clause)
        text = " || ' ' || ".join(f"coalesce({self.column(table, c)}, '')" for c in schema.ENTRY_TABLES[table][1:])
        return f"ts_headline('english', {text}, {sql}, %s)", [*params, self.HEADLINE_OPTIONS]

    def posting_ranks(self, table, clause, conditions=()):
        """The clause's entries and ``ts_rank`` (normalisation 32) from the postings table, in one
        statement (``POSTING_RANKS_SQL``): the query's lexemes as PostgreSQL parses them, each
        lexeme's postings as one index-only range packed into two byte strings (ids, terms), the
        entries of a phrase that a plain alternative does not already cover (GIN, positions), and
        ``conditions`` (``(sql, params)`` selecting ids) alongside. Each entry's terms are summed
        here: a common word's ranks come without reading its 80,000 matching vectors, and 170,000
        postings cross the wire as a few rows of bytes. None when the query is not ranked as a
        sum of its words (``calc_rank_or``): one phrase or one hyphenated word ranks by proximity
        (``calc_rank_and``), which needs the positions."""
        plain = [self.term(t) for t in clause.alternatives if not t.is_phrase]
        phrases = [self.term(t) for t in clause.alternatives if t.is_phrase]
        whole, whole_params = self.clause(clause)
        quote = self.connection.ops.quote_name
        packed_conditions, condition_params = [], []
        for index, (sql, params) in enumerate(conditions):
            ids = f"SELECT string_agg(int8send(c.id), ''::bytea) FROM ({sql}) AS c(id)"
            packed_conditions.append(f"UNION ALL SELECT 4, '{index}', ({ids}), NULL")
            condition_params += list(params)
        statement = POSTING_RANKS_SQL.format(
            whole=whole,
            plain=", ".join(sql for sql, _ in plain) or "NULL",
            phrases=", ".join(sql for sql, _ in phrases) or "NULL",
            # On a French page each word is stemmed twice (english || french), and a phrase's
            # lexemes containing a word's is no proof that its every form contains it.
            covered="p @> a" if in_default_language() else "false",
            posting=quote(schema.posting_table(table)),
            entries=quote(table),
            conditions=" ".join(packed_conditions),
        )
        params = [*whole_params, *(p for _, ps in plain for p in ps), *(p for _, ps in phrases for p in ps)]
        with self.connection.cursor() as cursor:
            cursor.execute(statement, [*params, *condition_params])
            rows = cursor.fetchall()
        return PostingRanks.from_rows(rows, len(conditions))

    def lookup(self, words):
        if not words:
            return {}
        # Per word: does an indexed word start with it, and which indexed words of about its length
        # share its first letter, most trigram-similar first. Patterns are literals (never user
        # syntax: words are \w runs without "_") so the planner can use the btree prefix index.
        branches, params = [], []
        for word in words:
            branches.append(
                "SELECT %s, EXISTS (SELECT 1 FROM search_word WHERE word LIKE %s), ARRAY("
                " SELECT word FROM search_word WHERE word LIKE %s AND length(word) BETWEEN %s AND %s"
                " ORDER BY similarity(word, %s) DESC, documents DESC LIMIT 50)"
            )
            params += [word, f"{word}%", f"{word[0]}%", len(word) - 2, len(word) + 2, word]
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(branches), params)
            rows = cursor.fetchall()
        return {word: WordInfo(known, closest(word, candidates)) for word, known, candidates in rows}


# One statement for a clause of OR-ed alternatives (``PostgresBackend.posting_ranks``), as rows of
# (kind, label, packed ids, packed terms): 0, the number of distinct lexemes, or NULL when the
# query's top operator is not OR (ts_rank then ranks by proximity); 1, each plain alternative's
# text ('kid' | 'child' & 'protect'); 2, the entries matching a phrase no plain alternative's
# lexemes already cover; 3, each lexeme's postings; 4, each condition's ids. Lexemes are read from
# the query's text form, quotes doubled inside.
POSTING_RANKS_SQL = r"""
WITH query AS MATERIALIZED (
  SELECT {whole} AS whole, ARRAY[{plain}]::tsquery[] AS plain, ARRAY[{phrases}]::tsquery[] AS phrases
), words AS MATERIALIZED (
  SELECT array_agg(DISTINCT replace(m[1], '''''', '''')) AS lexemes
  FROM query, regexp_matches(query.whole::text, '''((?:[^'']|'''')*)''', 'g') AS m
  WHERE strpos(query.whole::text, ' | ') > 0 OR query.whole::text !~ '( & |<)'
)
SELECT 0, cardinality(lexemes)::text, NULL::bytea, NULL::bytea FROM words
UNION ALL SELECT 1, a::text, NULL, NULL FROM query, unnest(query.plain) AS a WHERE a IS NOT NULL
UNION ALL SELECT 2, NULL, string_agg(int8send(e.id), ''::bytea), NULL FROM {entries} AS e
  WHERE e.status = 'published' AND e.search_vector @@ (
    SELECT kb_tsquery_or(p) FROM query, unnest(query.phrases) AS p
    WHERE p IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unnest(query.plain) AS a WHERE numnode(a) > 0 AND {covered}))
UNION ALL SELECT 3, p.lexeme, string_agg(int8send(p.entry_id), ''::bytea), string_agg(float4send(p.score), ''::bytea)
  FROM {posting} AS p WHERE p.lexeme = ANY((SELECT lexemes FROM words)::text[]) GROUP BY p.lexeme
{conditions}
"""

TSQUERY_LEXEME = re.compile(r"'((?:[^']|'')*)'")
TSQUERY_LEXEME_OR_OR = re.compile(r"'((?:[^']|'')*)'|\|")


def lexemes_of(text: str) -> list[str]:
    """The quoted lexemes of a tsquery's text form."""
    return [lexeme.replace("''", "'") for lexeme in TSQUERY_LEXEME.findall(text)]


def conjunctions_of(text: str) -> list[list[str]]:
    """A plain tsquery's text (``'a' & 'b' | 'c'``, what ``plainto_tsquery`` and ``||`` make) as
    its OR-ed conjunctions of lexemes: [[a, b], [c]]."""
    conjunctions = [[]]
    for token in TSQUERY_LEXEME_OR_OR.finditer(text):
        if token.group() == "|":
            conjunctions.append([])
        else:
            conjunctions[-1].append(token.group(1).replace("''", "'"))
    return conjunctions


def unpack(dtype: str, packed) -> np.ndarray:
    """Values packed by ``int8send`` / ``float4send`` (network byte order) as an array."""
    return np.frombuffer(bytes(packed or b""), dtype=f">{dtype}").astype(dtype)


@dataclass
class PostingRanks:
    """What the postings say of a clause, as arrays indexed by entry id: ``matched``, whether the
    clause's words match the entry; ``ranks``, its ``ts_rank`` with normalisation 32 (the sum of the
    terms of the query's distinct lexemes it has, divided by their number, then r / (r + 1)), given
    for every entry since one matched by its classification alone still ranks by the words it has;
    ``conditions``, the ids each condition asked for selects."""

    matched: np.ndarray
    ranks: np.ndarray
    conditions: list[np.ndarray]

    @classmethod
    def from_rows(cls, rows, conditions: int) -> "PostingRanks | None":
        """Read ``POSTING_RANKS_SQL``'s rows; None when the query is not a sum of its words."""
        texts, postings, found, phrased, size = [], {}, {}, unpack("i8", b""), None
        for kind, label, packed, scores in rows:
            if kind == 0:
                size = int(label) if label else None
            elif kind == 1:
                texts.append(label)
            elif kind == 2:
                phrased = unpack("i8", packed)
            elif kind == 3:
                postings[label] = (unpack("i8", packed), unpack("f4", scores))
            else:
                found[int(label)] = unpack("i8", packed)
        if not size:
            return None
        ids = [phrased, *found.values(), *(ids for ids, _ in postings.values())]
        length = max((int(array.max()) + 1 for array in ids if len(array)), default=0)
        sums = np.zeros(length)
        for lexeme_ids, scores in postings.values():
            sums[lexeme_ids] += scores  # a lexeme's ids are distinct (its primary key)
        matched = np.zeros(length, dtype=bool)
        matched[phrased] = True
        for text in texts:
            for conjunction in conjunctions_of(text):
                has = np.ones(length, dtype=bool)
                for lexeme in set(conjunction):
                    present = np.zeros(length, dtype=bool)
                    present[postings.get(lexeme, (np.zeros(0, dtype=np.int64), None))[0]] = True
                    has &= present
                matched |= has
        sums /= size
        return cls(matched, sums / (sums + 1), [found.get(i, np.zeros(0, dtype=np.int64)) for i in range(conditions)])


class SQLiteBackend(Backend):
    def fts(self, table):
        return self.connection.ops.quote_name(schema.fts_table(table))

    def term(self, term: Term) -> str:
        # Words are \w+ runs, so they never contain a double quote: the string is a plain FTS5 phrase.
        return '"' + " ".join(term.words).replace('"', '""') + '"'

    def clause(self, clause: Clause) -> str:
        return "(" + " OR ".join(self.term(t) for t in clause.alternatives) + ")"

    def match_string(self, query: ParsedQuery, any_clause: bool) -> str:
        text = (" OR " if any_clause else " AND ").join(self.clause(c) for c in query.clauses)
        if query.excluded:
            text = f"({text}) NOT ({' OR '.join(self.term(t) for t in query.excluded)})"
        return text

    def match(self, table, query, any_clause):
        fts = self.fts(table)
        sql = f"{self.column(table, 'id')} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
        return sql, [self.match_string(query, any_clause)]

    def clause_match(self, table, clause):
        fts = self.fts(table)
        return f"{self.column(table, 'id')} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [self.clause(clause)]

    def matching_ids(self, table, query, any_clause):
        """The FTS table's own rowids (the entries' ids): looking each up in the entry table again
        would cost a primary-key probe per match (half the time of a common word's pass)."""
        fts = self.fts(table)
        return RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [self.match_string(query, any_clause)])

    def for_row(self, table, expression, query, any_clause):
        """``expression`` (bm25() or snippet()) for the outer query's row: FTS5 auxiliary
        functions only work inside a MATCH query, so a correlated one per row."""
        fts = self.fts(table)
        sql = f"(SELECT {expression} FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = {self.column(table, 'id')})"
        return sql, [self.match_string(query, any_clause)]

    def text_rank(self, table, query, any_clause):
        """bm25 of every matching row, computed in one pass and looked up per row. A correlated
        ``bm25()`` per row would make FTS5 recompute the query's statistics (how many rows
        contain each phrase) for every row: quadratic in the matches (200 s for a common word at
        100k entries). The MATERIALIZED view is uncorrelated, so SQLite fills it once per statement
        (an ``Once`` opcode) and finds each row through an automatic index."""
        fts = self.fts(table)
        weights = ", ".join(str(BM25_WEIGHTS[c]) for c in schema.indexed_columns(table))
        # bm25() is negative, lower is better; b / (b + 5) maps it into [0, 1) like ts_rank's 32.
        score = f"(-bm25({fts}, {weights}) / (5.0 - bm25({fts}, {weights})))"
        ranks = f"SELECT rowid AS id, {score} AS score FROM {fts} WHERE {fts} MATCH %s"
        sql = (
            f"(SELECT kb_ranks.score FROM (WITH kb_ranked AS MATERIALIZED ({ranks}) SELECT id, score FROM kb_ranked)"
            f" AS kb_ranks WHERE kb_ranks.id = {self.column(table, 'id')})"
        )
        return sql, [self.match_string(query, any_clause)]

    def posting_ranks(self, table, clause, conditions=()):
        """The clause's published entries and their bm25 (mapped as ``text_rank`` maps it) in one
        pass of FTS5's own index, with ``conditions``' ids in the same statement. The pass the
        ORM would make (each match looked up in the entry table, its rank found in a materialised
        view, the named terms tested row by row) cost twice as much at 100,000 entries."""
        fts = self.fts(table)
        weights = ", ".join(str(BM25_WEIGHTS[c]) for c in schema.indexed_columns(table))
        parts = [
            f"SELECT -1, {fts}.rowid, bm25({fts}, {weights}) FROM {fts}"
            f" JOIN {self.connection.ops.quote_name(table)} AS e ON e.id = {fts}.rowid"
            f" WHERE {fts} MATCH %s AND e.status = 'published'"
        ]
        params = [self.clause(clause)]
        for index, (sql, condition_params) in enumerate(conditions):
            parts.append(f"SELECT {index}, c.*, NULL FROM ({sql}) AS c")
            params += list(condition_params)
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        kinds = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        ids = np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows))
        words = kinds == -1
        bm25 = np.fromiter((row[2] for row in rows if row[0] == -1), dtype=np.float64, count=int(words.sum()))
        length = int(ids.max()) + 1 if len(ids) else 0
        matched, ranks = np.zeros(length, dtype=bool), np.zeros(length)
        matched[ids[words]] = True
        ranks[ids[words]] = -bm25 / (5.0 - bm25)  # bm25 is negative, lower better: into [0, 1)
        return PostingRanks(matched, ranks, [ids[kinds == index] for index in range(len(conditions))])

    def snippet(self, table, query, any_clause):
        expression = f"snippet({self.fts(table)}, -1, char(1), char(2), ' … ', {SNIPPET_WORDS})"
        return self.for_row(table, expression, query, any_clause)

    def vocabulary(self) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT term FROM search_vocabulary_terms ORDER BY term")
            return [row[0] for row in cursor.fetchall()]

    def lookup(self, words):
        if not words:
            return {}
        terms = self.vocabulary()
        info = {}
        for word in words:
            position = bisect.bisect_left(terms, word)
            known = position < len(terms) and terms[position].startswith(word)
            candidates = [] if known else difflib.get_close_matches(word, terms, n=10, cutoff=0.7)
            info[word] = WordInfo(known, closest(word, candidates))
        return info


def backend_for(alias: str) -> Backend | None:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return PostgresBackend(connection)
    if connection.vendor == "sqlite":
        return SQLiteBackend(connection)
    return None


def unknown_words(backend: Backend, query: ParsedQuery, skip=frozenset()) -> dict[str, list[str]]:
    """Words that neither the index nor their spelling variants know, with close indexed words
    (words in ``skip``, understood as naming a term, are never corrected)."""
    words = [word for word in dict.fromkeys(query.single_words) if word not in skip]
    variants = {word: spelling_variants(word) for word in words}
    info = backend.lookup(list(dict.fromkeys([*words, *(v for vs in variants.values() for v in vs)])))
    return {
        word: info[word].candidates[:MAX_CORRECTIONS]
        for word in words
        if not info[word].known and not any(info[v].known for v in variants[word])
    }


@dataclass
class PreparedSearch:
    """What a query costs to work out once (what it names, spelling look-ups, the all-words probe,
    clause weights), so a page that applies the same search to many querysets (the results and
    every facet's counts) pays for it once."""

    table: str
    backend: Backend
    model: type
    query: ParsedQuery
    any_clause: bool = False
    weights: list[float] = field(default_factory=list)
    understanding: Understanding = field(default_factory=Understanding)
    common: dict[str, bool] = field(default_factory=dict)

    def clause_matched(self, index: int, clause: Clause, for_rank: bool = False) -> Q:
        """The entries that satisfy one clause: its words, or a classification it names. As a
        filter it is a self-contained subquery (it still works when Django nests the queryset
        under an alias, as facet counts do); in the rank, a condition on the row itself."""
        if for_rank:
            sql, params = self.backend.clause_match(self.table, clause)
            matched = Q(RawSQL(sql, params, output_field=BooleanField()))
            for condition in self.understanding.conditions.get(index, []):
                matched |= condition
            return matched
        return self.either(ParsedQuery(clauses=[clause]), self.understanding.conditions.get(index, []))

    def is_common(self, words: ParsedQuery) -> bool:
        """``backend.is_common``, asked once per search (a page applies it to many querysets)."""
        key = repr(words)
        if key not in self.common:
            self.common[key] = self.backend.is_common(self.table, words, True)
        return self.common[key]

    def either(self, words: ParsedQuery, conditions: list[Q]) -> Q:
        """The entries matching ``words`` (any clause) or any of ``conditions``. Words most entries
        match are tested on each row as it is read, the conditions' entries looked up in a hash;
        rarer words as one ``pk IN (… UNION ALL …)``, whose every branch uses its index (no index
        serves an OR of a row condition and subqueries: the database would test every row)."""
        inline = self.backend.row_match(words, True)
        if inline is not None and self.is_common(words):
            for condition in conditions:
                inline |= condition
            return inline
        ids = self.backend.matching_ids(self.table, words, True)
        parts, params = [ids.sql], list(ids.params)
        for condition in conditions:
            selected = self.model._base_manager.using(self.backend.connection.alias).filter(condition).order_by()
            sql, more = selected.values("pk").query.get_compiler(using=selected.db).as_sql()
            parts.append(sql)
            params += list(more)
        return Q(pk__in=RawSQL(" UNION ALL ".join(parts), params))

    def matching(self, queryset, any_clause: bool):
        """``queryset`` narrowed to the entries the query matches."""
        conditions = self.understanding.conditions
        if not conditions:
            return self.backend.restrict(queryset, self.table, self.query, any_clause)
        if any_clause:
            queryset = queryset.filter(
                self.either(ParsedQuery(clauses=self.query.clauses), self.understanding.match_conditions)
            )
        else:
            plain = [clause for i, clause in enumerate(self.query.clauses) if i not in conditions]
            if plain:
                queryset = self.backend.restrict(queryset, self.table, ParsedQuery(clauses=plain), False)
            for index, clause in enumerate(self.query.clauses):
                if index in conditions:
                    queryset = queryset.filter(self.clause_matched(index, clause))
        if self.query.excluded:
            excluded = ParsedQuery(clauses=[Clause([t]) for t in self.query.excluded])
            queryset = queryset.exclude(pk__in=self.backend.matching_ids(self.table, excluded, any_clause=True))
        return queryset


def with_expansions(query: ParsedQuery, expansions: dict[int, list[tuple[str, ...]]]) -> ParsedQuery:
    """A copy of ``query`` whose clauses also match the thesaurus labels of what they name."""
    clauses = []
    for index, clause in enumerate(query.clauses):
        alternatives = list(clause.alternatives)
        for words in expansions.get(index, []):
            term = Term(words)
            if term not in alternatives:
                alternatives.append(term)
        clauses.append(Clause(alternatives))
    return ParsedQuery(clauses=clauses, excluded=list(query.excluded))


def prepare_search(queryset, q: str, count_terms=None) -> PreparedSearch | None:
    """The plan for searching ``queryset``'s model for ``q``; None when there is nothing to seek.
    ``count_terms``: how the list counts its entries filed under a term, if it can do better than
    SQL over the table (search/understanding.py ``count_entries``)."""
    parsed = parse(q)
    backend = backend_for(queryset.db)
    table = queryset.model._meta.db_table
    if not parsed or backend is None or table not in schema.ENTRY_TABLES:
        return None
    understanding = understand(
        queryset, parsed, q, correct=lambda skip: unknown_words(backend, parsed, skip), count_terms=count_terms
    )
    query = with_expansions(expand(parsed, understanding.corrections), understanding.expansions)
    prepared = PreparedSearch(table, backend, queryset.model, query, understanding=understanding)
    if query.clauses and len(query.clauses) > 1:
        prepared.any_clause = not prepared.matching(queryset, any_clause=False).exists()
    if prepared.any_clause:
        prepared.weights = backend.clause_weights(table, query.clauses)
    return prepared


def apply_search(queryset, prepared: PreparedSearch | None):
    """``queryset`` narrowed by a prepared search and annotated; runs no query itself."""
    if prepared is None:
        return queryset
    backend, table, query, any_clause = prepared.backend, prepared.table, prepared.query, prepared.any_clause
    if not query.clauses:  # only exclusions: everything that does not mention them
        excluded = ParsedQuery(clauses=[Clause([t]) for t in query.excluded])
        return queryset.exclude(pk__in=backend.matching_ids(table, excluded, any_clause=True)).annotate(
            search_rank=Value(0.0, output_field=FloatField()), search_snippet=Value("", output_field=TextField())
        )
    matching = prepared.matching(queryset, any_clause)
    rank_sql, rank_params = backend.text_rank(table, query, any_clause)
    # An entry matched by its classification only has no text rank (NULL on SQLite).
    rank = Coalesce(RawSQL(rank_sql, rank_params, output_field=FloatField()), Value(0.0), output_field=FloatField())
    if any_clause:
        # Entries matching more of the question's clauses come first, each clause weighing by how
        # rare it is (its inverse document frequency); a clause naming a term also counts as
        # matched by the entries classified under it.
        for index, (clause, weight) in enumerate(zip(query.clauses, prepared.weights, strict=True)):
            matched = prepared.clause_matched(index, clause, for_rank=True)
            rank += Case(When(matched, then=Value(weight)), default=Value(0.0), output_field=FloatField())
    else:
        # Every result has all the words (or what they name): those filed under a named term first.
        for condition in prepared.understanding.named:
            rank += Case(When(condition, then=Value(TERM_BONUS)), default=Value(0.0), output_field=FloatField())
    for condition in prepared.understanding.boosts:
        rank += Case(When(condition, then=Value(SUGGESTION_BONUS)), default=Value(0.0), output_field=FloatField())
    return with_snippets(matching.annotate(search_rank=rank), prepared)


def published_ranks(
    published, prepared: PreparedSearch | None, entries_under=None
) -> tuple[np.ndarray, np.ndarray] | None:
    """The ids (ascending) and ranks of every entry of ``published`` (the published entries,
    unfiltered) that ``prepared`` matches: the ranks ``apply_search`` gives, worked out in one query
    from the postings and the named terms' entries rather than by reading each matching row. None
    when the backend has no postings or the query is not one clause of alternatives (several
    clauses rank by proximity, which needs the positions): the caller then asks the database.
    ``entries_under``, if given, answers what it can of the terms named without SQL:
    ``{key: (relation, term key)}`` -> ``{key: ids}`` (practices/counts.py ``filed_under_ids``)."""
    if prepared is None or len(prepared.query.clauses) != 1 or prepared.query.excluded or prepared.any_clause:
        return None
    understanding = prepared.understanding
    matching = understanding.conditions.get(0, [])
    conditions = list({id(c): c for c in [*matching, *understanding.named, *understanding.boosts]}.values())
    terms = {id(c): (c.relation, c.key) for c in conditions if getattr(c, "relation", None)}
    known = entries_under(terms) if entries_under is not None and terms else {}

    # Each distinct condition the list cannot answer once: a term named is often both a match and a boost.
    sql_of = {id(c): ids_sql(published, c) for c in conditions if id(c) not in known}
    positions = {}
    for sql in sql_of.values():
        positions.setdefault(sql, len(positions))
    text = prepared.backend.posting_ranks(prepared.table, prepared.query.clauses[0], list(positions))
    if text is None:
        return None

    def entries(condition: Q) -> np.ndarray:
        if id(condition) in known:
            return known[id(condition)]
        return text.conditions[positions[sql_of[id(condition)]]]

    matched, ranks = text.matched, text.ranks
    size = max([len(matched), *(int(entries(c).max()) + 1 for c in conditions if len(entries(c)))])
    if size > len(matched):  # an entry filed under a term may have none of the words
        matched = np.concatenate([matched, np.zeros(size - len(matched), dtype=bool)])
        ranks = np.concatenate([ranks, np.zeros(size - len(ranks))])
    ranks = ranks.copy()
    for condition in matching:
        matched[entries(condition)] = True  # matched by its classification
    for bonus, bonused in ((TERM_BONUS, understanding.named), (SUGGESTION_BONUS, understanding.boosts)):
        for condition in bonused:
            ranks[entries(condition)] += bonus
    ids = np.flatnonzero(matched)
    return ids, ranks[ids]


def ids_sql(entries, condition: Q) -> tuple[str, tuple]:
    """The SQL (and its parameters) of the ids of ``entries`` that meet ``condition``."""
    sql, params = entries.filter(condition).order_by().values_list("pk", flat=True).query.sql_with_params()
    return sql, tuple(params)


def with_snippets(queryset, prepared: PreparedSearch):
    """``queryset`` annotated with ``search_snippet`` only (text around the matched words): for rows
    already known to match, such as one page of ranked results, looked up by id."""
    if not prepared.query.clauses:  # only exclusions: no words to show
        return queryset.annotate(search_snippet=Value("", output_field=TextField()))
    snippet_sql, snippet_params = prepared.backend.snippet(prepared.table, prepared.query, prepared.any_clause)
    return queryset.annotate(
        search_snippet=Coalesce(
            RawSQL(snippet_sql, snippet_params, output_field=TextField()), Value(""), output_field=TextField()
        )
    )


def search_entries(queryset, q: str):
    """``queryset`` (findings or practices) narrowed to entries matching ``q``, annotated with
    ``search_rank`` and ``search_snippet``. Not ordered: order by ``-search_rank`` for relevance.
    Returns ``queryset`` unchanged when ``q`` holds nothing searchable. Never raises on any input."""
    return apply_search(queryset, prepare_search(queryset, q))


def suggest_spelling(q: str, skip=frozenset()) -> str | None:
    """The query with each word the published entries do not know replaced by the closest word
    they do ("did you mean"), or None when there is nothing to correct. Words in ``skip`` (those
    understood as naming a term, such as "tourisme sexuel") are left as they are."""
    parsed = parse(q)
    backend = backend_for("default")
    if not parsed or backend is None:
        return None
    corrections = {word: cands[0] for word, cands in unknown_words(backend, parsed, skip).items() if cands}
    if not corrections:
        return None
    text = clean(q)
    suggestion = re.sub(r"\w+", lambda m: corrections.get(fold(m.group()), m.group()), text)
    return suggestion if suggestion != text else None


def search_names(q: str, limit: int = 5) -> list[dict]:
    """Organisations, projects and sessions whose name contains every word of ``q`` (all of them
    have public pages): ``[{"name", "kind", "url"}]``, at most ``limit``. Case and accents are
    ignored (``fold``), on every database alike."""
    parsed = parse(q)
    words = list(dict.fromkeys(fold(w) for c in parsed.clauses for w in c.alternatives[0].words))[:6]
    if not words or limit <= 0:
        return []
    found = (page for page in named_pages() if all(word in page[3] for word in words))
    # The address in the active language (/fr/... on a French page), so asked for here.
    return [
        {"name": name, "kind": kind, "url": item.get_absolute_url()} for kind, name, item, _ in islice(found, limit)
    ]


def named_pages() -> list[tuple[str, str, object, str]]:
    """Every organisation, project and session as (kind, name, the object, its searchable text
    folded), organisations first, each kind in name order; kept per process under the content
    version: a few hundred rows, which every search would otherwise read in three queries."""

    def read():
        sources = [
            (Organisation.objects.order_by("name"), "name", ("name", "acronym"), "Organisation"),
            (Project.objects.order_by("name"), "name", ("name",), "Project"),
            (Session.objects.order_by("title"), "title", ("title",), "Session"),
        ]
        pages = []
        for queryset, name_field, fields, kind in sources:
            for item in queryset:
                text = "\x1f".join(fold(getattr(item, name) or "") for name in fields)
                pages.append((kind, getattr(item, name_field), item, text))
        return pages

    return kept_under_version(("search", "named-pages"), read)


def search_context(q: str, skip=frozenset()) -> dict:
    """Context for ``includes/search_help.html``: ``q``, ``did_you_mean``, ``matching_names``.
    ``skip``: words understood as naming a term, never "corrected"."""
    q = clean(q or "")
    if not q:
        return {"q": "", "did_you_mean": None, "matching_names": []}
    return {"q": q, "did_you_mean": suggest_spelling(q, skip), "matching_names": search_names(q)}
