"""The database objects behind search, created by this app's migration and re-checked after every
``migrate`` (see ``SearchConfig.ready``): on SQLite, Django rebuilds a table to alter it and
the rebuild drops its triggers, so a later migration of ``practices`` would silently stop the
index from following edits.

PostgreSQL: a weighted ``search_vector`` column on each entry table (title A, summary B,
description, quote and a finding's attribution (who said it) C; English stemming; accents folded
by ``kb_unaccent``; the curator's French title A and summary B with the ``french`` configuration's
stemming), filled by a trigger
and GIN-indexed; ``search_word`` holds the vocabulary of *published* entries (word, number of
entries using it), kept by a second trigger, for typo tolerance and "did you mean" (pg_trgm
similarity orders the candidates). A *postings* table per entry table (``search_practice_posting``:
lexeme, entry, that lexeme's share of ``ts_rank``), kept by a third trigger for published entries,
answers a common word without reading every matching row's vector (search/services.py
``posting_ranks``).

SQLite: an external-content FTS5 table per entry table (porter stemming, unicode61 without
diacritics; the French title and summary are columns of it too) kept current by triggers, and
``search_vocabulary`` (FTS5, unstemmed, published entries only) with its ``fts5vocab`` term list
for "did you mean".
"""

ENTRY_TABLES = {
    # table -> indexed text columns, in weight order (title, summary, then the rest)
    "practices_practice": ("title", "summary", "description", "quote"),
    "practices_finding": ("title", "summary", "quote", "attribution"),
}
# The curator's French title and summary (optional), indexed after the English columns: weighted as
# title and summary, stemmed by PostgreSQL's 'french' configuration.
FRENCH_COLUMNS = ("title_fr", "summary_fr")


def indexed_columns(table: str, tables=ENTRY_TABLES) -> tuple[str, ...]:
    """The English columns of ``table`` (those ``tables`` lists) and then the French ones."""
    return tables[table] + FRENCH_COLUMNS


# FTS5 rowids of the published-vocabulary table: practices and findings share it.
VOCABULARY_ROWID = {"practices_practice": "{row}.id * 2", "practices_finding": "{row}.id * 2 + 1"}


def fts_table(table: str) -> str:
    return f"search_{table.split('_', 1)[1]}_fts"


def posting_table(table: str) -> str:
    return f"search_{table.split('_', 1)[1]}_posting"


# ts_rank's default weights of A, B, C and D (PostgreSQL's tsrank.c): what ``kb_postings`` needs to
# give each lexeme its exact share of the rank.
RANK_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


WORD_TRIGGER_EVENTS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def concatenated(columns, row: str = "") -> str:
    """SQL joining ``columns`` (of ``row``, e.g. ``NEW.``) with spaces, NULLs as empty text."""
    return " || ' ' || ".join(f"coalesce({row}{column}, '')" for column in columns)


def _postgres_statements(tables=ENTRY_TABLES) -> list[str]:
    """The PostgreSQL search schema as one ordered list of DDL statements (extensions, functions,
    columns, triggers, indexes). Long because it is a declaration read top to bottom; splitting it
    would scatter one schema over several places."""
    statements = [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        # unaccent() is only STABLE (it reads a dictionary); pinning the dictionary makes it safe
        # to declare IMMUTABLE, as index expressions and generated columns require.
        """CREATE OR REPLACE FUNCTION kb_unaccent(text) RETURNS text
           LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
           AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
        """CREATE OR REPLACE FUNCTION kb_search_words(text) RETURNS SETOF text
           LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
           AS $$ SELECT DISTINCT w FROM regexp_split_to_table(lower(kb_unaccent($1)), '[^[:alnum:]]+') AS w
                 WHERE length(w) BETWEEN 2 AND 40 $$""",
        # The vocabulary of published entries: each word and how many of them use it.
        "CREATE TABLE IF NOT EXISTS search_word (word text PRIMARY KEY, documents integer NOT NULL)",
        "CREATE INDEX IF NOT EXISTS search_word_prefix ON search_word (word text_pattern_ops)",
        _postgres_recount_function(tables),
        _postgres_postings_function(),
        # The OR of tsqueries (their || operator) as an aggregate: phrases tested in one index scan.
        "CREATE OR REPLACE AGGREGATE kb_tsquery_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery)",
        """CREATE OR REPLACE FUNCTION kb_search_recount_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN PERFORM kb_search_recount(); RETURN NULL; END $$""",
    ]
    for table, english in tables.items():
        title, summary, *rest = english
        columns = indexed_columns(table, tables)
        body = concatenated(rest, "NEW.")
        old_text, new_text = concatenated(columns, "old_rows."), concatenated(columns, "new_rows.")
        uncount = f"""WITH gone AS (
                      SELECT w, count(*) AS n FROM old_rows, kb_search_words({old_text}) AS w
                      WHERE old_rows.status = 'published' {{only}} GROUP BY w)
                    UPDATE search_word SET documents = documents - gone.n FROM gone WHERE word = gone.w;
                    DELETE FROM search_word WHERE documents <= 0;"""
        count = f"""INSERT INTO search_word (word, documents)
                    SELECT w, count(*) FROM new_rows, kb_search_words({new_text}) AS w
                    WHERE new_rows.status = 'published' {{only}} GROUP BY w
                    ON CONFLICT (word) DO UPDATE SET documents = search_word.documents + EXCLUDED.documents;"""
        changed = (
            f"SELECT o.id FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id "
            f"WHERE (o.status, {concatenated(columns, 'o.')}) "
            f"IS DISTINCT FROM (n.status, {concatenated(columns, 'n.')})"
        )
        statements += [
            # Guarded rather than IF NOT EXISTS: a repair inside a transaction with pending
            # deferred constraint checks must not ALTER the table at all.
            f"""DO $$ BEGIN
                  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                                 WHERE table_name = '{table}' AND column_name = 'search_vector') THEN
                    ALTER TABLE {table} ADD COLUMN search_vector tsvector;
                  END IF;
                  -- Kept in the row (storage MAIN): the wider text columns go to TOAST first. Out
                  -- of line, every vector a search reads (to match it, then to rank it) costs a
                  -- TOAST index look-up: 2.5 times the time of a common word's pass at 100k entries.
                  IF (SELECT attstorage FROM pg_attribute WHERE attrelid = '{table}'::regclass
                      AND attname = 'search_vector') <> 'm' THEN
                    ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE MAIN;
                  END IF;
                  IF to_regclass('{table}_search_gin') IS NULL THEN
                    CREATE INDEX {table}_search_gin ON {table} USING gin (search_vector);
                  END IF;
                END $$""",
            f"""CREATE OR REPLACE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  NEW.search_vector :=
                    setweight(to_tsvector('english', kb_unaccent(coalesce(NEW.{title}, ''))), 'A') ||
                    setweight(to_tsvector('english', kb_unaccent(coalesce(NEW.{summary}, ''))), 'B') ||
                    setweight(to_tsvector('english', kb_unaccent({body})), 'C') ||
                    setweight(to_tsvector('french', kb_unaccent(coalesce(NEW.title_fr, ''))), 'A') ||
                    setweight(to_tsvector('french', kb_unaccent(coalesce(NEW.summary_fr, ''))), 'B');
                  RETURN NEW;
                END $$""",
            f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}",
            f"""CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()""",
            # Statement-level, over the transition tables: a bulk insert of N entries updates each
            # word's count once, not N times; rows whose text and status did not change are skipped.
            f"""CREATE OR REPLACE FUNCTION {table}_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' THEN
                    {uncount.format(only="")}
                  ELSIF TG_OP = 'UPDATE' THEN
                    {uncount.format(only=f"AND old_rows.id IN ({changed})")}
                    {count.format(only=f"AND new_rows.id IN ({changed})")}
                  ELSE
                    {count.format(only="")}
                  END IF;
                  RETURN NULL;
                END $$""",
        ]
        # TRUNCATE (Django's flush) fires no DELETE trigger: recount what is left.
        statements += statement_triggers(table, "words", f"{table}_search_words()", "kb_search_recount_trigger()")
        statements += _postgres_posting_statements(table)
    return statements


def statement_triggers(table: str, kind: str, function: str, on_truncate: str) -> list[str]:
    """``{table}_search_{kind}_{event}`` triggers, statement level over the transition tables,
    running ``function`` after each insert, update and delete, and ``on_truncate`` after a
    TRUNCATE (which has no transition tables)."""
    statements = []
    for event, transition_tables in [*WORD_TRIGGER_EVENTS.items(), ("TRUNCATE", "")]:
        name = f"{table}_search_{kind}_{event.lower()}"
        referencing = f"REFERENCING {transition_tables} " if transition_tables else ""
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"""CREATE TRIGGER {name} AFTER {event} ON {table} {referencing}FOR EACH STATEMENT
                EXECUTE FUNCTION {on_truncate if event == "TRUNCATE" else function}""",
        ]
    return statements


def _postgres_recount_function(tables=ENTRY_TABLES) -> str:
    """``kb_search_recount()``: the vocabulary counted afresh from the published entries."""
    texts = " UNION ALL ".join(
        f"SELECT {concatenated(indexed_columns(table, tables))} AS body FROM {table} WHERE status = 'published'"
        for table in tables
    )
    return f"""CREATE OR REPLACE FUNCTION kb_search_recount() RETURNS void LANGUAGE sql AS $$
        DELETE FROM search_word;
        INSERT INTO search_word (word, documents)
        SELECT kb_search_words(body) AS word, count(*) FROM ({texts}) AS entries GROUP BY 1;
    $$"""


def _postgres_postings_function() -> str:
    """``kb_postings(vector)``: each lexeme of a vector with its term of ``ts_rank``'s sum (tsrank.c
    ``calc_rank_or``): for the lexeme's positions in order with weights w₁…wₙ, the largest weight
    w at its first position m, (w + Σ wᵢ/i² − w/m²) / (π²/6). The rank of a query of OR-ed words is
    the sum of its words' terms divided by their number, then r / (r + 1) (normalisation 32)."""
    weight = "CASE u.w " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in RANK_WEIGHTS.items()) + " END"
    # The first position of the heaviest weight, as one minimum: heavier weights sort first.
    first_heaviest = "min(CASE u.w WHEN 'A' THEN 0 WHEN 'B' THEN 1 WHEN 'C' THEN 2 ELSE 3 END * 1000000 + u.i)"
    heaviest = "'{" + ",".join(str(v) for v in RANK_WEIGHTS.values()) + "}'::real[]"
    return f"""CREATE OR REPLACE FUNCTION kb_postings(vector tsvector) RETURNS TABLE (lexeme text, score real)
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT v.lexeme, ((s.heaviest + s.total - s.heaviest / (s.first * s.first)) / 1.64493406685)::real
        FROM unnest(vector) AS v
        CROSS JOIN LATERAL (
          SELECT sum(({weight})::real / (u.i * u.i)::real) AS total,
                 ({heaviest})[{first_heaviest} / 1000000 + 1] AS heaviest,
                 ({first_heaviest} % 1000000)::real AS first
          FROM unnest(v.weights) WITH ORDINALITY AS u(w, i)
        ) AS s
    $$"""


def _postgres_posting_statements(table: str) -> list[str]:
    """The postings of ``table``'s published entries, and the triggers that keep them: statement
    level like the vocabulary's, rows whose vector and status did not change left alone."""
    posting = posting_table(table)
    changed = (
        "SELECT o.id FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id "
        "WHERE (o.status, o.search_vector) IS DISTINCT FROM (n.status, n.search_vector)"
    )
    # Found by the old vector's lexemes: the primary key, no second index on the entry.
    remove = f"""DELETE FROM {posting} AS p USING old_rows, unnest(old_rows.search_vector) AS v
                 WHERE p.lexeme = v.lexeme AND p.entry_id = old_rows.id {{only}};"""
    add = f"""INSERT INTO {posting} (lexeme, entry_id, score)
              SELECT p.lexeme, new_rows.id, p.score FROM new_rows, kb_postings(new_rows.search_vector) AS p
              WHERE new_rows.status = 'published' {{only}};"""
    statements = [
        # Primary key by lexeme, covering the score: a word's postings are one index-only range.
        f"""CREATE TABLE IF NOT EXISTS {posting} (
              lexeme text NOT NULL, entry_id bigint NOT NULL, score real NOT NULL,
              PRIMARY KEY (lexeme, entry_id) INCLUDE (score))""",
        f"""CREATE OR REPLACE FUNCTION {table}_search_postings() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'TRUNCATE' THEN
                DELETE FROM {posting};
              ELSIF TG_OP = 'DELETE' THEN
                {remove.format(only="")}
              ELSIF TG_OP = 'UPDATE' THEN
                {remove.format(only=f"AND old_rows.id IN ({changed})")}
                {add.format(only=f"AND new_rows.id IN ({changed})")}
              ELSE
                {add.format(only="")}
              END IF;
              RETURN NULL;
            END $$""",
    ]
    function = f"{table}_search_postings()"
    return [*statements, *statement_triggers(table, "postings", function, function)]


def postings_rebuild() -> list[str]:
    """Every published entry's postings written afresh (after a change to how they are scored)."""
    statements = []
    for table in ENTRY_TABLES:
        posting = posting_table(table)
        statements += [
            f"DELETE FROM {posting}",
            f"""INSERT INTO {posting} (lexeme, entry_id, score)
                SELECT p.lexeme, e.id, p.score FROM {table} AS e, kb_postings(e.search_vector) AS p
                WHERE e.status = 'published'""",
        ]
    return statements


def _postgres_rebuild() -> list[str]:
    # Touching every row recomputes the vectors; the vocabulary is then counted afresh, and the
    # postings written from the new vectors.
    return [
        *(f"UPDATE {table} SET id = id" for table in ENTRY_TABLES),
        "SELECT kb_search_recount()",
        *postings_rebuild(),
    ]


def _sqlite_statements(tables=ENTRY_TABLES) -> list[str]:
    statements = [
        """CREATE VIRTUAL TABLE IF NOT EXISTS search_vocabulary
           USING fts5(body, tokenize='unicode61 remove_diacritics 2', detail=none)""",
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_vocabulary_terms USING fts5vocab(search_vocabulary, 'row')",
    ]
    for table in tables:
        columns = indexed_columns(table, tables)
        fts = fts_table(table)
        names = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        text = concatenated(columns, "new.")
        new_rowid = VOCABULARY_ROWID[table].format(row="new")
        old_rowid = VOCABULARY_ROWID[table].format(row="old")
        add = f"INSERT INTO {fts} (rowid, {names}) VALUES (new.id, {new});"
        remove = f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
        publish = (
            f"INSERT INTO search_vocabulary (rowid, body) SELECT {new_rowid}, {text} WHERE new.status = 'published';"
        )
        unpublish = f"DELETE FROM search_vocabulary WHERE rowid = {old_rowid};"
        statements += [
            f"""CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({names}, content='{table}', content_rowid='id',
                tokenize='porter unicode61 remove_diacritics 2')""",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {add} {publish} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {remove} {unpublish} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE ON {table} "
            f"BEGIN {remove} {unpublish} {add} {publish} END",
        ]
    return statements


def _sqlite_rebuild(tables=ENTRY_TABLES) -> list[str]:
    statements = ["DELETE FROM search_vocabulary"]
    for table in tables:
        fts = fts_table(table)
        text = concatenated(indexed_columns(table, tables))
        rowid = VOCABULARY_ROWID[table].format(row=table)
        statements += [
            f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')",
            f"INSERT INTO search_vocabulary (rowid, body) "
            f"SELECT {rowid}, {text} FROM {table} WHERE status = 'published'",
        ]
    return statements


def _sqlite_drop() -> list[str]:
    statements = ["DROP TABLE IF EXISTS search_vocabulary_terms", "DROP TABLE IF EXISTS search_vocabulary"]
    for table in ENTRY_TABLES:
        fts = fts_table(table)
        statements += [f"DROP TRIGGER IF EXISTS {fts}_{op}" for op in ("insert", "delete", "update")]
        statements.append(f"DROP TABLE IF EXISTS {fts}")
    return statements


def _postgres_drop() -> list[str]:
    statements = ["DROP TABLE IF EXISTS search_word"]
    for table in ENTRY_TABLES:
        statements += [f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}"]
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_search_{kind}_{e.lower()} ON {table}"
            for kind in ("words", "postings")
            for e in [*WORD_TRIGGER_EVENTS, "TRUNCATE"]
        ]
        statements += [
            f"DROP FUNCTION IF EXISTS {table}_{name}()" for name in ("search_vector", "search_words", "search_postings")
        ]
        statements.append(f"DROP TABLE IF EXISTS {posting_table(table)}")
        statements.append(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    statements += [
        "DROP AGGREGATE IF EXISTS kb_tsquery_or(tsquery)",
        *(
            f"DROP FUNCTION IF EXISTS {name}"
            for name in (
                "kb_search_recount_trigger()",
                "kb_search_recount()",
                "kb_search_words(text)",
                "kb_postings(tsvector)",
                "kb_unaccent(text)",
            )
        ),
    ]
    return statements


def _expected_triggers(vendor: str) -> set[str]:
    if vendor == "postgresql":
        events = [*WORD_TRIGGER_EVENTS, "TRUNCATE"]
        names = ["search_vector", *(f"search_{kind}_{e.lower()}" for kind in ("words", "postings") for e in events)]
        return {f"{table}_{name}" for table in ENTRY_TABLES for name in names}
    return {f"{fts_table(table)}_{op}" for table in ENTRY_TABLES for op in ("insert", "delete", "update")}


def _existing_triggers(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {row[0] for row in cursor.fetchall()}


def supported(connection) -> bool:
    return connection.vendor in ("postgresql", "sqlite")


def present_columns(connection) -> dict:
    """``ENTRY_TABLES`` limited to the columns the tables have now: an early migration installs
    search before a later one adds a column (a finding's attribution); that one reinstalls it."""
    with connection.cursor() as cursor:
        existing = {
            table: {column.name for column in connection.introspection.get_table_description(cursor, table)}
            for table in ENTRY_TABLES
        }
    return {table: tuple(c for c in columns if c in existing[table]) for table, columns in ENTRY_TABLES.items()}


def install(connection, rebuild: bool = True) -> None:
    """Create (or repair) the search objects, then index every entry. Idempotent."""
    if not supported(connection):
        return
    tables = present_columns(connection)
    postgres = connection.vendor == "postgresql"
    statements = _postgres_statements(tables) if postgres else _sqlite_statements(tables)
    if rebuild:
        statements += _postgres_rebuild() if postgres else _sqlite_rebuild(tables)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection) -> None:
    if not supported(connection):
        return
    with connection.cursor() as cursor:
        for statement in _postgres_drop() if connection.vendor == "postgresql" else _sqlite_drop():
            cursor.execute(statement)


def ensure_installed(connection) -> bool:
    """Reinstall and reindex if any trigger is missing (after a table rebuild). True if it did."""
    if not supported(connection):
        return False
    with connection.cursor() as cursor:
        missing = _expected_triggers(connection.vendor) - _existing_triggers(cursor, connection.vendor)
    if missing:
        install(connection)
    return bool(missing)
