"""The facet index: for each facet option, the set of published entries carrying it, as a bitmap.

Counting "how many entries would this option give, given the other filters" over SQL joins costs a
walk of every through-table row of every facet, however selective the filters (at 100,000 entries,
300,000 article links for one facet). Over bitmaps it is an AND and a population count per option:
about 400 options of 12.5 kB each at 100,000 entries, a few milliseconds for all the facets.

One index per entry model, built from the database in a handful of queries (one per through table,
one for the entries' own columns, one per vocabulary for its parameter values) and kept in the
process under the content version (common/versioning.py): any publish, archive, edit, import or
vocabulary change makes a new version, and the next request that needs the index rebuilds it. The
counts are exact: the index is the database's published state at that version, not an estimate.

Bitmaps are Python integers whose bit *n* is the entry with primary key *n*: ``&`` and ``|`` and
``int.bit_count()`` run in C over machine words.

The index also lists the published entries in each browse order (title; newest), read sorted from
the database so the collation is the database's: a page of results without words is the next ids
of that list whose bit is set, and then one query for those rows.
"""

from array import array
from functools import cached_property

import numpy as np
from django.db import router
from django.db.models import Aggregate, F, TextField

from common.versioning import forget_kept, kept_under_version

# The browse orders a page of results can be read from (practices/filters.py ``SORTS`` without
# relevance, which needs the words' ranks from the search backend).
ORDERINGS = {
    "title": ("title", "pk"),
    "newest": (F("published_at").desc(nulls_last=True), "title", "pk"),
}


class IdList(Aggregate):
    """A group's ids in one value, so that hundreds of thousands of ids cross the wire as a few
    hundred rows: an integer array on PostgreSQL, comma-separated text on SQLite."""

    function = "GROUP_CONCAT"

    def __init__(self, expression, **extra):
        super().__init__(expression, output_field=TextField(), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="ARRAY_AGG", **extra_context)


def id_list(value) -> list[int]:
    """An ``IdList`` value as a list of ids."""
    if not value:
        return []
    return value if isinstance(value, list) else [int(part) for part in value.split(",")]


def bits_of(bitmap: int, size: int = 0) -> np.ndarray:
    """A bitmap as an array of booleans indexed by id, at least ``size`` long."""
    data = np.frombuffer(bitmap.to_bytes((bitmap.bit_length() + 7) >> 3, "little"), dtype=np.uint8)
    bits = np.unpackbits(data, bitorder="little").view(bool)
    if len(bits) < size:
        bits = np.concatenate([bits, np.zeros(size - len(bits), dtype=bool)])
    return bits


def ids_of(bitmap: int) -> list[int]:
    """The ids of a bitmap's set bits, smallest first."""
    return np.flatnonzero(bits_of(bitmap)).tolist()


def bitmap_of(ids) -> int:
    """The bitmap with the bits of ``ids`` set (any iterable of ids, or an integer array)."""
    ids = ids if isinstance(ids, np.ndarray) else np.fromiter(ids, dtype=np.int64)
    if not len(ids):
        return 0
    bits = np.zeros(int(ids.max()) + 1, dtype=bool)
    bits[ids] = True
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


class FacetIndex:
    """The published entries of one model by facet option, at one content version."""

    def __init__(self, model, facets, using):
        self.model, self.facets, self.using = model, facets, using
        published = model.objects.using(using).published()
        # {facet name: {key: bitmap}}; a vocabulary's key is its term's primary key as text, a choice's
        # its value (the keys of FacetCounter's counts).
        self.bitmaps: dict[str, dict[str, int]] = {}
        # {facet name: {parameter value: key}} for vocabularies (slug, code, number...).
        self.keys: dict[str, dict[str, str]] = {}
        self._orders: dict[str, array] = {}
        # {facet name: (keys, entry ids sorted, each id's key position)}: ``terms_of``'s tables.
        self._by_entry: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self._scan_entries(published, [facet for facet in self.facets if not facet.is_many(model)])
        for facet in self.facets:
            if facet.is_many(model):
                self._add_through_table(facet)
            if facet.is_vocabulary:
                self.keys[facet.name] = {facet.value_of(term): str(term.pk) for term in facet.terms().using(using)}

    @classmethod
    def current(cls, model, facets) -> "FacetIndex":
        """The index of ``model`` over ``facets`` (the facet registry's) at the current content
        version, built now if this process has none (common/versioning.py)."""
        using = router.db_for_read(model)
        return kept_under_version(("facet-index", using, model._meta.label), lambda: cls(model, facets, using), using)

    @staticmethod
    def forget():
        """Drop every index of this process (tests whose database rolls back under one version)."""
        forget_kept()

    def _scan_entries(self, published, facets):
        """One scan of the published entries: their ids, and by the value of their own columns the
        choice and foreign-key facets."""
        columns = [self.model._meta.get_field(facet.field).attname for facet in facets]
        ids, groups = [], [{} for _ in facets]
        for entry_id, *values in published.order_by().values_list("pk", *columns).iterator(chunk_size=10_000):
            ids.append(entry_id)
            for grouped, value in zip(groups, values, strict=True):
                if value is not None and value != "":
                    grouped.setdefault(value, []).append(entry_id)
        self.published = bitmap_of(ids)
        for facet, grouped in zip(facets, groups, strict=True):
            self.bitmaps[facet.name] = {str(value): bitmap_of(ids) for value, ids in grouped.items()}

    def _add_through_table(self, facet):
        """A many-to-many facet: its through table's entry ids grouped by term; rows of entries
        that are not published are masked out."""
        field = self.model._meta.get_field(facet.field)
        through = field.remote_field.through
        entry_column = through._meta.get_field(field.m2m_field_name()).attname
        term_column = through._meta.get_field(field.m2m_reverse_field_name()).attname
        groups = (
            through.objects.using(self.using).order_by().values_list(term_column).annotate(ids=IdList(entry_column))
        )
        published = self.published
        self.bitmaps[facet.name] = {str(term): bitmap_of(id_list(ids)) & published for term, ids in groups}

    def option(self, facet_name, value) -> int:
        """The entries carrying the option whose parameter value is ``value``."""
        key = self.keys[facet_name].get(value) if facet_name in self.keys else str(value)
        return self.bitmaps[facet_name].get(key, 0)

    def any_of(self, facet_name, values) -> int:
        """The entries carrying any of ``values`` (values OR within a facet)."""
        union = 0
        for value in values:
            union |= self.option(facet_name, value)
        return union

    def matching(self, base: int, selected: dict, excluded=None) -> int:
        """The entries of ``base`` carrying, for every facet of ``selected`` ({name: values}) but
        ``excluded``, at least one of its values (facets AND with each other)."""
        matched = base
        for name, values in selected.items():
            if values and name != excluded:
                matched &= self.any_of(name, values)
        return matched

    def warm(self) -> "FacetIndex":
        """Read every browse order and build every entry-to-options table now (a worker's warm-up)."""
        for sort in ORDERINGS:
            self.ranks(sort)
        for facet in self.facets:
            self._entry_table(facet.name)
        return self

    def terms_of(self, facet_name, entry_id: int) -> list[str]:
        """The keys of the options of ``facet_name`` a published entry carries. A bit test on each
        option's bitmap copies the bitmap (a shift of a 12.5 kB integer at 100,000 entries, for each
        of 249 countries); this is a binary search in the facet's entry-to-options table."""
        keys, ids, positions = self._entry_table(facet_name)
        start, stop = ids.searchsorted(entry_id), ids.searchsorted(entry_id, "right")
        return [keys[position] for position in positions[start:stop].tolist()]

    def _entry_table(self, facet_name) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The facet's keys, every (entry, option) pair's entry id sorted, and its option's
        position in the keys: built from the bitmaps the first time it is asked for."""
        table = self._by_entry.get(facet_name)
        if table is None:
            bitmaps = self.bitmaps[facet_name]
            ids = [np.flatnonzero(bits_of(bitmap)) for bitmap in bitmaps.values()]
            positions = np.repeat(np.arange(len(ids)), [len(part) for part in ids])
            ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
            order = np.argsort(ids, kind="stable")
            table = self._by_entry[facet_name] = (list(bitmaps), ids[order], positions[order])
        return table

    def counts(self, facet_name, within: int) -> dict[str, int]:
        """``{key: entries of within carrying it}`` for every option of the facet."""
        return {key: (bits & within).bit_count() for key, bits in self.bitmaps[facet_name].items()}

    def ordered_ids(self, sort) -> array:
        """The published ids in browse order ``sort`` (``ORDERINGS``), read sorted from the
        database (its collation) the first time one is asked for."""
        if sort not in self._orders:
            published = self.model.objects.using(self.using).published()
            self._orders[sort] = array("q", published.order_by(*ORDERINGS[sort]).values_list("pk", flat=True))
        return self._orders[sort]

    def ranks(self, sort) -> array:
        """Each published id's position in browse order ``sort`` (indexed by id)."""
        key = f"rank:{sort}"
        if key not in self._orders:
            ranks = array("q", bytes(8 * ((self.published.bit_length()) + 1)))
            for position, entry_id in enumerate(self.ordered_ids(sort)):
                ranks[entry_id] = position
            self._orders[key] = ranks
        return self._orders[key]

    def in_order(self, bitmap: int, start: int, stop: int, sort="title") -> list[int]:
        """Ids ``start:stop`` of ``bitmap`` in browse order ``sort``: read off the ordered list of
        every entry until the slice is full, or, when that would mean reading much of the list (a
        sparse set, a deep page), the set's own ids sorted by their positions."""
        if start >= stop or not bitmap:
            return []
        if bitmap == self.published:
            return list(self.ordered_ids(sort)[start:stop])
        count = bitmap.bit_count()
        if 4 * count < stop * self.published.bit_count() // count:
            return sorted(ids_of(bitmap), key=self.ranks(sort).__getitem__)[start:stop]
        bits = bitmap.to_bytes((bitmap.bit_length() + 7) >> 3, "little")
        size, seen, found = len(bits), 0, []
        for entry_id in self.ordered_ids(sort):
            byte = entry_id >> 3
            if byte < size and bits[byte] >> (entry_id & 7) & 1:
                if seen >= start:
                    found.append(entry_id)
                    if len(found) == stop - start:
                        break
                seen += 1
        return found

    def top_scored(self, weighted, candidates: int, limit: int, sort="title") -> list[tuple[int, int]]:
        """The ``limit`` entries of ``candidates`` scoring highest, as ``[(id, score)]``, best first
        and ties in browse order ``sort``. An entry's score is the sum of the weights of the
        bitmaps of ``weighted`` (``[(bitmap, weight)]``) it is in. The scores are added as binary
        numbers one bit-plane per bitmap (a bit-sliced counter), so the cost follows the number of
        bitmaps, not of entries."""
        planes: list[int] = []
        for bits, weight in weighted:
            bits &= candidates
            position = 0
            while weight and bits:
                if weight & 1:
                    carry, plane = bits, position
                    while carry:
                        while len(planes) <= plane:
                            planes.append(0)
                        planes[plane], carry = planes[plane] ^ carry, planes[plane] & carry
                        plane += 1
                weight >>= 1
                position += 1
        found: list[tuple[int, int]] = []
        for score in range((1 << len(planes)) - 1, 0, -1):
            bucket = candidates
            for plane, bits in enumerate(planes):
                bucket &= bits if score >> plane & 1 else ~bits
                if not bucket:
                    break
            if bucket:
                found += [(entry_id, score) for entry_id in self.in_order(bucket, 0, limit - len(found), sort)]
                if len(found) >= limit:
                    break
        return found


class IndexedResults:
    """The entries of a bitmap in a browse order, as a sequence a paginator can page through: the
    count is a population count, and a page reads the ordered ids up to its end, then fetches its
    own rows (with ``rows``' related objects) in one query."""

    ordered = True  # for Paginator's unordered-list warning

    def __init__(self, index: FacetIndex, matched: int, sort: str, rows, fill=None):
        """``fill``, if given, completes a page's rows once fetched (``fill(rows)``: what ``rows``
        leaves out to be read from the index, such as their terms)."""
        self.index, self.matched, self.sort, self.rows, self.fill = index, matched, sort, rows, fill

    @cached_property
    def _count(self) -> int:
        return self.matched.bit_count()

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def page_ids(self, start, stop) -> list[int]:
        return self.index.in_order(self.matched, start, stop, self.sort)

    def __getitem__(self, item):
        if isinstance(item, int):
            page = self[item : item + 1]
            if not page:
                raise IndexError(item)
            return page[0]
        start, stop, _ = item.indices(self._count)
        ids = self.page_ids(start, stop)
        if not ids:
            return []
        by_id = {entry.pk: entry for entry in self.rows.filter(pk__in=ids).order_by()}
        found = [by_id[entry_id] for entry_id in ids if entry_id in by_id]
        if self.fill is not None:
            self.fill(found)
        return found

    def __iter__(self):
        return iter(self[:])


class GroupedResults(IndexedResults):
    """The entries of a bitmap grouped by the options of one facet, the groups in the order of
    ``keys`` (a session's findings section by section, as the source reads), ids ascending within
    a group, and entries under none of those options last. A page walks the groups' counts to its
    start and reads only the ids it shows."""

    def __init__(self, index: FacetIndex, matched: int, facet_name: str, keys: list[str], rows, fill=None):
        super().__init__(index, matched, "title", rows, fill)
        bitmaps = index.bitmaps[facet_name]
        self.groups = [bitmaps.get(key, 0) & matched for key in keys]
        rest = matched
        for group in self.groups:
            rest &= ~group
        self.groups.append(rest)

    def page_ids(self, start, stop) -> list[int]:
        ids = []
        for group in self.groups:
            if stop <= 0:
                break
            size = group.bit_count()
            if start < size:
                ids += ids_of(group)[max(start, 0) : stop]
            start, stop = start - size, stop - size
        return ids


class RankedResults(IndexedResults):
    """Search results in relevance order, as a sequence a paginator can page through. Every
    matching entry's rank comes from one pass of the search backend (``ids`` and ``ranks``, two
    aligned arrays), the same pass whose ids give the facet counts; here they are ordered best
    first, ties in title order (as ``ORDER BY rank DESC, title, pk``), and a page fetches its own
    rows, with ``rows``' snippets, in one query. The count is exact: a population count."""

    def __init__(self, index: FacetIndex, matched: int, ids: np.ndarray, ranks: np.ndarray, rows, fill=None):
        super().__init__(index, matched, "title", rows, fill)
        self.ids, self.ranks = ids, ranks
        self.page_ranks: dict[int, float] = {}

    @cached_property
    def _candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """The ids and ranks of the matched entries (those of ``ids`` the filters keep)."""
        if self.matched.bit_count() == len(self.ids):  # no filter: every entry ranked
            return self.ids, self.ranks
        keep = bits_of(self.matched, int(self.ids.max()) + 1 if len(self.ids) else 0)[self.ids]
        return self.ids[keep], self.ranks[keep]

    def page_ids(self, start, stop) -> list[int]:
        ids, ranks = self._candidates
        if start >= stop or not len(ids):
            return []
        if 8 * stop < len(ids):
            # An early page: the best ``stop`` ranks, then every entry tied with the last of them.
            floor = ranks[np.argpartition(-ranks, stop - 1)[:stop]].min()
            best = ranks >= floor
            ids, ranks = ids[best], ranks[best]
        titles = np.frombuffer(self.index.ranks("title"), dtype=np.int64)
        order = np.lexsort((titles[ids], -ranks))[start:stop]
        self.page_ranks.update(zip(ids[order].tolist(), ranks[order].tolist(), strict=True))
        return ids[order].tolist()

    def __getitem__(self, item):
        found = super().__getitem__(item)
        for entry in found if isinstance(item, slice) else [found]:
            entry.search_rank = self.page_ranks[entry.pk]
        return found
