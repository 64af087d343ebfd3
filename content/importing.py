"""Import findings and practices from CSV, XLSX or JSON files.

A file is first turned into records of the shape documented in fixtures/README.md (JSON as it is;
one spreadsheet row per record, with vocabulary references by slug, ISO code or article number and
several values in a cell separated by ``;`` or ``|``), then validated and written by the content
loader's own ``content.records.load_entries``: one validator for the bundle and for imports.

Everything happens in one transaction: a file with any invalid row imports nothing, and a preview
(``dry_run``) rolls back after recording what would be created, updated or left unchanged.
Entries are upserted by slug, so importing the same file twice creates nothing the second time.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from common.admin_urls import admin_url
from common.problems import Problem, Problems
from common.spreadsheet import restore_formula_text
from content.bundle import MAX_TEXT_CHARS, Context
from content.duplicates import find_possible_duplicates
from content.records import entry_record, load_entries, records_queryset
from content.writing import LoadResult, RecordAction, Writer, all_or_nothing
from practices.kinds import BY_PLURAL, ENTRY_KINDS
from practices.models import Status

FORMATS = ("csv", "xlsx", "json")
KINDS = tuple(kind.plural for kind in ENTRY_KINDS)  # "findings", "practices"
LIST_COLUMNS = {
    "pillars",
    "regions",
    "countries",
    "themes",
    "articles",
    "inspire",
    "implementers",
    "projects",
    "related_findings",
    "target_groups",
    "speakers",
    "organisations",
}
SEPARATOR = re.compile(r"\s*[;|]\s*")
KIND_COLUMN = "entry_type"  # optional per-row "finding" / "practice" in spreadsheets
CODES_SHEET = "valid codes"  # the import template's list of codes (content.import_templates): not read
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}
ENCODINGS = (("utf-8", "UTF-8"), ("cp1252", "Windows-1252 (cp1252)"))

# Limits on an imported file, checked before or while it is parsed (see read_entries_file).
MAX_FILE_BYTES = 100 * 1024 * 1024  # the command line; the admin upload has its own, smaller one
MAX_ROWS = 100_000  # records (rows after the header) in one file
MAX_FIELD_CHARS = MAX_TEXT_CHARS  # characters in one field (CSV cell, JSON text)
MAX_JSON_DEPTH = 10  # a record file nests 4 levels: {"practices": [{"extra_quotes": [{...}]}]}
MAX_COLUMNS = 100  # declared or read columns of an XLSX sheet
MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # bytes an XLSX (a zip) may unpack to
DUPLICATE_CHECK_LIMIT = 100  # new entries checked for possible duplicates in one import
LIMITS = {
    "file bytes (command)": MAX_FILE_BYTES,
    "rows or records": MAX_ROWS,
    "field characters": MAX_FIELD_CHARS,
    "JSON nesting depth": MAX_JSON_DEPTH,
    "XLSX columns": MAX_COLUMNS,
    "XLSX unpacked bytes": MAX_XLSX_UNPACKED,
}


def may_publish(user) -> bool:
    """Whether ``user`` may import entries as published (None: the command line, trusted): the
    curation workflow's publish permission on both kinds of entry."""
    if user is None:
        return True
    return all(user.has_perm(f"practices.publish_{kind.singular}") for kind in ENTRY_KINDS)


class ImportContext(Context):
    """The loader's context, with the importing user's right to publish applied to statuses."""

    def __init__(self, user=None, source_name=""):
        super().__init__()
        self.user = user
        self.writer = Writer(history_user=user, change_reason=f"Imported from {source_name or 'a file'}"[:100])
        self.notes: list[Problem] = []
        self._may_publish = None

    def entry_status(self, model, requested, record):
        """The one place an imported entry's status is decided: as the file says (draft when it
        says nothing), except for a user who may not publish (an Editor): a new entry stays a
        draft, and an entry already in review, published or archived may not be changed at all,
        as in the admin."""
        if self._may_publish is None:
            self._may_publish = may_publish(self.user)
        if self._may_publish:
            return requested
        slug = record.data.get("slug")
        existing = self.writer.existing(model, {"slug": slug}) if isinstance(slug, str) else None
        current = existing.status if existing is not None else None
        if current not in (None, Status.DRAFT):
            record.problem("slug", f"is {Status(current).label.lower()}: only a reviewer may change it")
            return current
        if requested in (Status.PUBLISHED, Status.ARCHIVED):
            self.notes.append(Problem(f"{record.where} › status", f"you may not {requested[:-2]}; kept as draft"))
            return Status.DRAFT
        return requested


@dataclass
class Batch:
    """Records of one kind read from one part of a file, with how to name each in a report.
    ``columns``: the fields a spreadsheet gives (None for JSON, whose records are complete)."""

    kind: str
    records: list
    labels: list[str]
    columns: set | None = None

    def complete_from_database(self):
        """A spreadsheet need not have every column: an existing entry keeps the fields the file
        has no column for (a file of slugs and titles only retitles)."""
        if self.columns is None:
            return
        slugs = [r["slug"] for r in self.records if isinstance(r.get("slug"), str) and "\x00" not in r["slug"]]
        current = {
            entry.slug: entry_record(entry)
            for entry in records_queryset(BY_PLURAL[self.kind].model).filter(slug__in=slugs)
        }
        for record in self.records:
            existing = current.get(record.get("slug"))
            if existing:
                for name, value in existing.items():
                    if name not in self.columns:
                        record[name] = value


@dataclass
class ImportReport:
    actions: list[RecordAction] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    duplicates: dict = field(default_factory=dict)  # (kind, slug) -> [(title, admin url), ...]
    dry_run: bool = False

    @property
    def ok(self):
        return not self.problems

    def count(self, action):
        return sum(1 for a in self.actions if a.action == action)

    def summary(self) -> str:
        verb = "Would" if self.dry_run else "Did"
        return (
            f"{verb} create {self.count('create')}, update {self.count('update')}, "
            f"leave {self.count('unchanged')} unchanged."
        )

    def text(self) -> str:
        lines = [self.summary()]
        lines += [f"  ! {problem}" for problem in self.problems]
        lines += [f"  note: {note}" for note in self.notes]
        for (kind, slug), matches in self.duplicates.items():
            lines.append(f"  possible duplicate: {kind} {slug!r} resembles " + "; ".join(t for t, _ in matches))
        return "\n".join(lines)


# --- reading files -----------------------------------------------------------------------------


def file_format(name: str) -> str | None:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def read_entries_file(
    name: str, content: bytes, default_kind: str | None = None, max_bytes: int | None = None
) -> tuple[list[Batch], Problems]:
    """Turn an uploaded file into batches of records; problems say what could not be read.

    Every limit (LIMITS) is checked before or while parsing, never after reading everything into
    memory: the size first, then for CSV and JSON a NUL character and JSON's nesting depth, for XLSX
    the declared sheet size and the uncompressed size, and while rows are read their number and (CSV)
    each field's length. A file over a limit is refused with a problem naming the row and the limit."""
    problems = Problems()
    fmt = file_format(name)
    if fmt is None:
        problems.add(name, f"unsupported file type; use {', '.join('.' + f for f in FORMATS)}")
        return [], problems
    max_bytes = max_bytes or MAX_FILE_BYTES
    if len(content) > max_bytes:
        problems.add(name, f"too large: {len(content):,} bytes; at most {max_bytes:,} allowed")
        return [], problems
    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json}[fmt]
    batches = reader(name, content, default_kind, problems)
    if not problems and not any(batch.records for batch in batches):
        problems.add(name, "holds no findings or practices")
    return batches, problems


def _decode(name, content, problems, hint=""):
    """The file as text, or None (with a problem) when it is not UTF-8 or holds a NUL character,
    which PostgreSQL cannot store in text."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(name, f"is not UTF-8 text{hint}")
        return None
    nul = text.find("\x00")
    if nul == -1:
        nul = text.find("\\u0000")
    if nul != -1:
        problems.add(f"{name}, line {text.count(chr(10), 0, nul) + 1}", "contains a NUL character (\\x00)")
        return None
    return text


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply a JSON text nests, counted without parsing it (strings removed first), so that
    a file of thousands of nested brackets is refused before ``json.loads`` recurses into it."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _read_json(name, content, default_kind, problems):
    text = _decode(name, content, problems)
    if text is None:
        return []
    if (depth := json_depth(text)) > MAX_JSON_DEPTH:
        problems.add(name, f"nested too deeply: {depth} levels; at most {MAX_JSON_DEPTH} allowed")
        return []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(f"{name}, line {exc.lineno}, column {exc.colno}", f"is not valid JSON: {exc.msg}")
        return []
    if isinstance(data, list) and default_kind:
        data = {default_kind: data}
    if not isinstance(data, dict) or not any(kind in data for kind in KINDS):
        problems.add(name, 'must hold an object with "findings" and/or "practices" lists')
        return []
    batches = []
    for kind in KINDS:
        records = data.get(kind)
        if records is None:
            continue
        if not isinstance(records, list):
            problems.add(f"{name} › {kind}", "must be a list")
            continue
        if len(records) > MAX_ROWS:
            problems.add(f"{name} › {kind}", f"too many records: {len(records):,}; at most {MAX_ROWS:,} allowed")
            return []
        batches.append(Batch(kind, records, [f"{kind}[{i}]" for i in range(1, len(records) + 1)]))
    return batches


def _read_csv(name, content, default_kind, problems):
    text, _ = decode_csv(content)
    if text is None:
        if b"\x00" in content and _is_utf8(content):
            line = content.count(b"\n", 0, content.find(b"\x00")) + 1
            problems.add(f"{name}, line {line}", "contains a NUL character (\\x00)")
        else:
            problems.add(name, "is not UTF-8 text, nor Windows-1252 (save the spreadsheet as CSV UTF-8)")
        return []
    # Deliberately the same limit as every imported text field; a longer field is a named problem.
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    return _rows_to_batches(_csv_rows(reader, problems), "", default_kind, problems)


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _csv_rows(reader, problems):
    """The reader's rows; a field over the limit (or a broken quote) ends the file with a problem."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = (
                f"a field is longer than {MAX_FIELD_CHARS:,} characters"
                if "field larger than field limit" in str(exc)
                else f"cannot be read as CSV: {exc}"
            )
            problems.add(f"row {reader.line_num}", reason)
            return
        yield row


def decode_csv(content: bytes) -> tuple[str | None, str]:
    """The text of a CSV file and how it was encoded: UTF-8 with or without a byte-order mark, else
    Windows-1252 (what Excel writes as "CSV" on Windows in western Europe). (None, "") if neither, or
    if the bytes hold a NUL (UTF-16 or a binary file, which Windows-1252 would decode into nonsense)."""
    if b"\x00" in content:
        return None, ""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError:
            return None, ""
    for codec, label in ENCODINGS:
        try:
            return content.decode(codec), label
        except UnicodeDecodeError:
            continue
    return None, ""


def sniff_delimiter(text: str) -> str:
    """The delimiter (``,`` ``;`` or tab) that splits the header row into the most columns: Excel in
    French, Italian or German settings writes ``;``. A comma when nothing splits it."""
    first_line = next(iter(text.splitlines()), "")
    counts = {delimiter: len(next(csv.reader([first_line], delimiter=delimiter), [])) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 1 else ","


def describe_csv(content: bytes) -> str:
    """What was detected in a CSV file, for the import preview: "UTF-8 with BOM, separated by semicolons"."""
    text, encoding = decode_csv(content)
    if text is None:
        return "an unknown text encoding"
    return f"{encoding}, separated by {DELIMITERS[sniff_delimiter(text)]}"


def _read_xlsx(name, content, default_kind, problems):
    from openpyxl import load_workbook

    if not _xlsx_size_ok(name, content, problems):
        return []
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        problems.add(name, f"is not an Excel workbook (.xlsx): {exc}")
        return []
    batches = []
    try:
        for sheet in workbook.worksheets:
            if sheet.title.strip().lower() == CODES_SHEET:
                continue
            kind = sheet.title.strip().lower() if sheet.title.strip().lower() in KINDS else default_kind
            prefix = f"sheet {sheet.title!r} " if len(workbook.worksheets) > 1 else ""
            if not _sheet_dimensions_ok(sheet, prefix or name, problems):
                return []
            rows = _xlsx_rows(sheet, prefix, problems)
            batches += _rows_to_batches(rows, prefix, kind, problems)
    except Exception as exc:  # a damaged sheet found while streaming it
        problems.add(name, f"cannot be read as an Excel workbook: {exc}")
        return []
    finally:
        workbook.close()
    return batches


def _xlsx_size_ok(name, content, problems) -> bool:
    """A workbook is a zip: refuse one that would unpack to more than MAX_XLSX_UNPACKED bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        problems.add(name, "is not an Excel workbook (.xlsx): not a zip file")
        return False
    if unpacked > MAX_XLSX_UNPACKED:
        problems.add(name, f"too large unpacked: {unpacked:,} bytes; at most {MAX_XLSX_UNPACKED:,} allowed")
        return False
    return True


def _sheet_dimensions_ok(sheet, where, problems) -> bool:
    """The size a sheet declares (its <dimension>), checked before a row is read: read-only openpyxl
    pads every row to the declared width, so a small file declaring A1:XFD1048576 would fill memory."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if columns > MAX_COLUMNS:
        problems.add(where.strip(), f"declares {columns:,} columns; at most {MAX_COLUMNS} allowed")
        return False
    if rows > MAX_ROWS + 1:
        problems.add(where.strip(), f"declares {rows:,} rows; at most {MAX_ROWS:,} (and a header) allowed")
        return False
    return True


def _xlsx_rows(sheet, prefix, problems):
    """Row values, streamed; a formula cell is refused (its value is not stored by every program,
    and a title written as a formula would otherwise read back empty)."""
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), 1):
        values = []
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                problems.add(
                    f"{prefix}row {number} › column {cell.column_letter}",
                    f"is a formula ({str(cell.value)[:40]}); type the text itself or paste it as values",
                )
                values.append(None)
            else:
                values.append(cell.value)
        yield values


def _rows_to_batches(rows, prefix, default_kind, problems):
    """Spreadsheet rows (the first is the header) to records, grouped by kind. A row's kind is its
    ``entry_type`` column ("finding"/"practice"), else the sheet's or the caller's. Rows are read
    one at a time; more than MAX_ROWS ends the file with a problem."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return []
    header = [_cell_text(cell).lower() for cell in first]
    by_kind: dict[str, Batch] = {}
    for number, row in enumerate(rows, 2):
        label = f"{prefix}row {number}"
        if number > MAX_ROWS + 1:
            problems.add(label, f"too many rows; at most {MAX_ROWS:,} allowed in one file")
            break
        cells = {column: row[i] if i < len(row) else None for i, column in enumerate(header) if column}
        if all(_cell_text(value) == "" for value in cells.values()):
            continue
        kind = _row_kind(cells.pop(KIND_COLUMN, None), default_kind)
        if kind is None:
            problems.add(
                f"{label} › {KIND_COLUMN}",
                'say whether the row is a "finding" or a "practice" (or import from the findings or practices page)',
            )
            continue
        batch = by_kind.setdefault(kind, Batch(kind, [], [], columns=set(cells)))
        batch.records.append(_row_record(cells))
        batch.labels.append(label)
    return list(by_kind.values())


def _row_kind(value, default_kind):
    text = _cell_text(value).lower()
    if not text:
        return default_kind
    plural = text if text.endswith("s") else f"{text}s"
    return plural if plural in KINDS else None


def _row_record(cells: dict) -> dict:
    record = {}
    for column, value in cells.items():
        text = restore_formula_text(_cell_text(value))
        if text == "":
            continue  # an empty cell means "not given", so defaults apply
        if column in LIST_COLUMNS:
            items = [item for item in SEPARATOR.split(text) if item]
            record[column] = [int(item) if column == "articles" and item.isdigit() else item for item in items]
        elif column == "extra_quotes":
            record[column] = [_extra_quote(line) for line in text.splitlines() if line.strip()]
        else:
            record[column] = text
    return record


def _extra_quote(line: str) -> dict:
    """One ``CODE: quote`` line of an extra_quotes cell."""
    code, colon, quote = line.partition(":")
    if not colon or " " in code.strip():
        return {"section": "", "quote": line.strip()}
    return {"section": code.strip(), "quote": quote.strip()}


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- importing -----------------------------------------------------------------------------------


def import_entries(batches: list[Batch], *, user=None, dry_run=False, progress=None, source_name="") -> ImportReport:
    """Validate and write the batches, all or nothing; with ``dry_run`` write nothing and report
    what would happen. Findings are written before practices (practices may cite them)."""
    report = ImportReport(dry_run=dry_run)
    problems = Problems()
    result = LoadResult()
    ordered = sorted(batches, key=lambda batch: KINDS.index(batch.kind))
    with all_or_nothing(lambda: problems or dry_run):
        ctx = ImportContext(user, source_name)
        for batch in ordered:
            batch.complete_from_database()
            load_entries(
                batch.kind,
                batch.records,
                source_name,
                ctx,
                problems,
                result,
                label=lambda index, labels=batch.labels: labels[index - 1],
                progress=progress,
            )
        report.notes = ctx.notes
        if not problems:
            # A preview is rolled back: it needs the writes (to tell updates from unchanged rows) but
            # not the change history, the costliest part of a large file.
            ctx.writer.flush() if dry_run else ctx.writer.finish()
            report.duplicates = _possible_duplicates(result.actions, report.notes)
    report.problems = problems.items
    report.actions = [] if problems else result.actions
    return report


def _possible_duplicates(actions: list[RecordAction], notes: list[Problem]) -> dict:
    """Possible duplicates of each new entry; each look-up compares with every entry of its kind, so a
    file of more than DUPLICATE_CHECK_LIMIT new entries (a bulk load, not a curator's batch) is not
    checked, and a note says so."""
    created = [action for action in actions if action.action == "create"]
    if len(created) > DUPLICATE_CHECK_LIMIT:
        notes.append(
            Problem(
                "possible duplicates",
                f"not checked: {len(created):,} new entries (checked for at most {DUPLICATE_CHECK_LIMIT})",
            )
        )
        return {}
    found = {}
    for action in created:
        model = BY_PLURAL[action.kind].model
        entry = model.objects.only("title", "summary").get(pk=action.pk)
        matches = find_possible_duplicates(model, entry.title, entry.summary, exclude_pk=entry.pk)
        if matches:
            found[(action.kind, action.slug)] = [(m.title, admin_url(m)) for m in matches]
    return found


def import_file(name: str, content: bytes, *, default_kind=None, user=None, dry_run=False, progress=None):
    """Read and import one file; problems reading it are reported like invalid rows."""
    batches, problems = read_entries_file(name, content, default_kind)
    if problems:
        return ImportReport(problems=problems.items, dry_run=dry_run)
    return import_entries(batches, user=user, dry_run=dry_run, progress=progress, source_name=name)
