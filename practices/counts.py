"""Counts of published entries per term (and per pair of terms) for the home page and the gap map,
each in one grouped query over the through tables alone: an entry's links are its rows there, so
``COUNT(*)`` over them is the number of distinct entries, and "published" is "not among the few
entries that are not published" (a partial index of their ids, read once per query). The entries'
own rows are never read, so the cost follows the links of the vocabularies counted, not the size of
the entries' text."""

from django.db import connection

from practices.models import Status


def links(model, relation):
    """``(table, entry column, term column)`` of the through table of ``model``'s ``relation``, quoted."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through._meta
    quote = connection.ops.quote_name
    return (
        quote(through.db_table),
        quote(through.get_field(field.m2m_field_name()).column),
        quote(through.get_field(field.m2m_reverse_field_name()).column),
    )


def unpublished(model):
    """SQL and params: the ids of ``model``'s entries that are not published."""
    quote = connection.ops.quote_name
    return f"SELECT {quote('id')} FROM {quote(model._meta.db_table)} WHERE NOT {quote('status')} = %s", [
        Status.PUBLISHED
    ]


def published_counts(model, relation, within=None) -> dict[int, int]:
    """``{term id: number of published entries}`` of ``model`` under ``relation``, in one query;
    ``within=(other relation, term)``: only the entries that also carry that term (a term page's
    breakdown: one pass over the page term's links, each entry's terms read from the unique
    ``(entry, term)`` index)."""
    table, entry, term = links(model, relation)
    hidden, params = unpublished(model)
    join = ""
    if within is not None:
        other_table, other_entry, other_term = links(model, within[0])
        join = f"JOIN {other_table} o ON o.{other_entry} = r.{entry} AND o.{other_term} = %s "
        params = [getattr(within[1], "pk", within[1]), *params]
    sql = f"SELECT r.{term}, COUNT(*) FROM {table} r {join}WHERE NOT r.{entry} IN ({hidden}) GROUP BY r.{term}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def published_pair_counts(model, row_relation, column_relation) -> dict[tuple[int, int], int]:
    """``{(row term id, column term id): number of published entries carrying both}``, in one
    query joining the two through tables on the entry."""
    rows, row_entry, row_term = links(model, row_relation)
    columns, column_entry, column_term = links(model, column_relation)
    hidden, params = unpublished(model)
    sql = (
        f"SELECT r.{row_term}, c.{column_term}, COUNT(*) FROM {rows} r "
        f"JOIN {columns} c ON c.{column_entry} = r.{row_entry} "
        f"WHERE NOT r.{row_entry} IN ({hidden}) GROUP BY r.{row_term}, c.{column_term}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(row, column): count for row, column, count in cursor.fetchall()}
