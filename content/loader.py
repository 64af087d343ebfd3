"""Load the content bundle (fixtures/) into the database: vocabularies, sources, conferences,
findings and practices.

Everything happens in one transaction. Every record is validated and every problem collected
(file, record, field, reason); if there is any, the transaction is rolled back and
``ContentError`` lists them all, so a broken bundle changes nothing. Records are upserted by their
natural key (slug, ISO code, article number), so loading twice is a no-op.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from common.problems import ContentError, Problem, Problems
from content.bundle import Context, read_json
from content.conferences import load_conference
from content.records import load_entries
from content.tag_rules import check_twins
from content.thesaurus import load_article_summaries, load_thesaurus
from content.vocabularies import load_vocabularies
from content.writing import LoadResult, all_or_nothing
from practices.kinds import ENTRY_KINDS


def conference_folders(root: Path):
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "conference.json").exists())


def load_bundle(root: Path, *, dry_run: bool = False, progress=None) -> LoadResult:
    """Load (or with ``dry_run`` only check) the whole bundle at ``root`` (a folder, or a zip of
    one as ``export_kb``/``backup`` write); raise ContentError."""
    root = Path(root)
    if root.is_file() and zipfile.is_zipfile(root):
        with tempfile.TemporaryDirectory() as folder:
            with zipfile.ZipFile(root) as archive:
                archive.extractall(folder)
            return load_bundle(Path(folder), dry_run=dry_run, progress=progress)
    problems = Problems()
    result = LoadResult()
    if not root.is_dir():
        raise ContentError([Problem(str(root), "is not a folder")])
    with all_or_nothing(lambda: problems or dry_run):
        ctx = Context()
        load_vocabularies(root / "vocabularies", ctx, problems, result)
        ctx.writer.flush()  # the summaries and the thesaurus write the vocabularies' rows directly
        load_article_summaries(root / "vocabularies", ctx, problems, result)
        for folder in conference_folders(root):
            load_conference_folder(folder, root, ctx, problems, result, progress)
        ctx.writer.flush()
        load_thesaurus(root / "vocabularies", ctx, problems, result)
        if not problems:
            ctx.writer.finish()
    if problems:
        raise ContentError(problems.items)
    return result


def load_conference_folder(
    folder: Path, root: Path, ctx: Context, problems: Problems, result: LoadResult, progress=None
):
    """``conference.json`` first, then the findings files, then the practices files, in name order."""
    load_conference(folder / "conference.json", root, ctx, problems, result)
    records = {kind.plural: [] for kind in ENTRY_KINDS}  # (where, record) for the twin rule
    for kind in ENTRY_KINDS:
        for path in sorted(folder.glob(f"{kind.plural}*.json")):
            data = read_json(path, problems)
            if data is not None:
                load_entries(kind.plural, data.get(kind.plural), str(path), ctx, problems, result, progress=progress)
                if isinstance(data.get(kind.plural), list):
                    records[kind.plural] += [
                        (f"{path} › {kind.plural}[{index}]", raw) for index, raw in enumerate(data[kind.plural], 1)
                    ]
    check_twins(records["findings"], records["practices"], problems)
