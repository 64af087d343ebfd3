"""Reading and writing the vocabularies: pillars, regions, themes, target groups, WHO INSPIRE
strategies, countries and the convention articles."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from common.problems import Problems
from content.bundle import Context, RecordReader, read_json
from content.writing import LoadResult, upsert
from taxonomy.models import ConventionArticle, Country, InspireStrategy, Pillar, Region, TargetGroup, Theme


def load_vocabularies(directory: Path, ctx: Context, problems: Problems, result: LoadResult):
    simple = [
        ("pillars.json", "pillars", Pillar, ctx.pillars),
        ("regions.json", "regions", Region, ctx.regions),
        ("themes.json", "themes", Theme, ctx.themes),
        ("target_groups.json", "target_groups", TargetGroup, ctx.target_groups),
        ("inspire.json", "inspire_strategies", InspireStrategy, ctx.inspire),
    ]
    for filename, key, model, lookup in simple:
        path = directory / filename
        data = read_json(path, problems)
        if data is None:
            continue
        for index, raw in enumerate(data.get(key, []), 1):
            record = RecordReader(raw, f"{path} › {key}[{index}]", problems)
            slug = record.slug()
            values = {"name": record.text("name", max_length=200), "description": record.text("description", False)}
            if model is Pillar:
                values |= {
                    "order": raw.get("order", 0),
                    "definition": record.text("definition"),
                    "source_quote": record.text("quote", False),
                }
            elif model is Region:
                values["order"] = raw.get("order", 0)
            elif model is InspireStrategy:
                values |= {
                    "letter": record.text("letter", False, max_length=1),
                    "cross_cutting": bool(raw.get("cross_cutting", False)),
                    "order": raw.get("order", 0),
                }
            if slug and values["name"]:
                obj, _ = upsert(model, {"slug": slug}, values)
                lookup.add(obj)
                result.counts[model._meta.verbose_name_plural] += 1

    path = directory / "countries.json"
    data = read_json(path, problems)
    if data is not None:
        for index, raw in enumerate(data.get("countries", []), 1):
            record = RecordReader(raw, f"{path} › countries[{index}]", problems)
            code = record.text("code")
            if code and not re.fullmatch(r"[A-Z]{2}", code):
                record.problem("code", f"{code!r} is not an ISO 3166-1 alpha-2 code")
                continue
            region = record.ref("region", ctx.regions, required=False)
            name = record.text("name")
            if code and name:
                obj, _ = upsert(Country, {"code": code}, {"name": name, "region": region})
                ctx.countries.add(obj)
                result.counts["countries"] += 1

    path = directory / "lanzarote_articles.tsv"
    try:
        rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    except OSError as exc:
        problems.add(str(path), f"cannot be read: {exc}")
        rows = []
    for line, row in enumerate(rows, 2):
        where = f"{path}, line {line}"
        try:
            number = int(row["number"])
        except (KeyError, TypeError, ValueError):
            problems.add(where, f"article number {row.get('number')!r} is not a whole number")
            continue
        pillar = None
        if row.get("pillar"):
            pillar = ctx.pillars.get(row["pillar"])
            if pillar is None:
                problems.add(where, f"unknown pillar {row['pillar']!r}")
                continue
        obj, _ = upsert(
            ConventionArticle,
            {"number": number},
            {
                "title": row.get("title", "").strip(),
                "chapter": row.get("chapter", "").strip(),
                "chapter_title": row.get("chapter_title", "").strip(),
                "pillar": pillar,
            },
        )
        ctx.articles.add(obj)
        result.counts["convention articles"] += 1
