"""Reading and writing the vocabularies: pillars, regions, themes, target groups, WHO INSPIRE
strategies, countries and the convention articles."""

from __future__ import annotations

import csv
import gettext
import re
from functools import cache
from pathlib import Path

import pycountry

from common.problems import Problems
from content.bundle import Context, RecordReader, read_json
from content.writing import LoadResult
from taxonomy.models import ConventionArticle, Country, InspireStrategy, Pillar, Region, TargetGroup, Theme


def _pillar_values(record: RecordReader, raw: dict) -> dict:
    return {
        "order": raw.get("order", 0),
        "definition": record.text("definition"),
        "source_quote": record.text("quote", False),
    }


def _region_values(record: RecordReader, raw: dict) -> dict:
    return {"order": raw.get("order", 0)}


def _inspire_values(record: RecordReader, raw: dict) -> dict:
    return {
        "letter": record.text("letter", False, max_length=1),
        "cross_cutting": bool(raw.get("cross_cutting", False)),
        "order": raw.get("order", 0),
    }


# file, key in it, model, context lookup attribute, reader of the model's own fields
SIMPLE_VOCABULARIES = [
    ("pillars.json", "pillars", Pillar, "pillars", _pillar_values),
    ("regions.json", "regions", Region, "regions", _region_values),
    ("themes.json", "themes", Theme, "themes", None),
    ("target_groups.json", "target_groups", TargetGroup, "target_groups", None),
    ("inspire.json", "inspire_strategies", InspireStrategy, "inspire", _inspire_values),
]


def load_vocabularies(directory: Path, ctx: Context, problems: Problems, result: LoadResult):
    for filename, key, model, lookup_name, own_values in SIMPLE_VOCABULARIES:
        load_simple_vocabulary(
            directory / filename, key, model, getattr(ctx, lookup_name), own_values, ctx, problems, result
        )
    load_countries(directory / "countries.json", ctx, problems, result)
    load_articles(directory / "lanzarote_articles.tsv", ctx, problems, result)


def load_simple_vocabulary(
    path: Path, key, model, lookup, own_values, ctx: Context, problems: Problems, result: LoadResult
):
    """Terms with a slug, a name and a description, plus what ``own_values`` reads for the model."""
    data = read_json(path, problems)
    if data is None:
        return
    for index, raw in enumerate(data.get(key, []), 1):
        record = RecordReader(raw, f"{path} › {key}[{index}]", problems)
        slug = record.slug()
        values = {
            "name": record.text("name", max_length=200),
            "name_fr": record.text("name_fr", False, max_length=200),
            "description": record.text("description", False),
        }
        if own_values is not None and isinstance(raw, dict):
            values |= own_values(record, raw)
        if slug and values["name"]:
            obj, _ = ctx.writer.upsert(model, {"slug": slug}, values)
            lookup.add(obj)
            result.counts[model._meta.verbose_name_plural] += 1


@cache
def _french_iso3166():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)


def french_country_name(code: str) -> str:
    """The country's French name from pycountry's translations of ISO 3166-1 (Debian iso-codes);
    its common name when it has one ("Bolivie" rather than "Bolivie, État plurinational de")."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return ""
    english = getattr(country, "common_name", None) or country.name
    french = _french_iso3166().gettext(english)
    if french == english and hasattr(country, "common_name"):
        french = _french_iso3166().gettext(country.name)
    # ISO's inverted forms read naturally the right way round: "Russie, Fédération de" -> "Fédération de Russie"
    inverted = re.fullmatch(r"(.+), (Îles?(?: de la)?|.+ (?:de|du|des|d'|de la))", french)
    if inverted:
        name, prefix = inverted.groups()
        french = f"{prefix}{'' if prefix.endswith(chr(39)) else ' '}{name}"
    return french


def load_countries(path: Path, ctx: Context, problems: Problems, result: LoadResult):
    data = read_json(path, problems)
    if data is None:
        return
    for index, raw in enumerate(data.get("countries", []), 1):
        record = RecordReader(raw, f"{path} › countries[{index}]", problems)
        code = record.text("code")
        if code and not re.fullmatch(r"[A-Z]{2}", code):
            record.problem("code", f"{code!r} is not an ISO 3166-1 alpha-2 code")
            continue
        region = record.ref("region", ctx.regions, required=False)
        name = record.text("name")
        if code and name:
            name_fr = record.text("name_fr", False) or french_country_name(code)
            obj, _ = ctx.writer.upsert(Country, {"code": code}, {"name": name, "name_fr": name_fr, "region": region})
            ctx.countries.add(obj)
            result.counts["countries"] += 1


def load_articles(path: Path, ctx: Context, problems: Problems, result: LoadResult):
    """The convention's articles, one per line of a tab-separated file (number, title, chapter...)."""
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
        obj, _ = ctx.writer.upsert(
            ConventionArticle,
            {"number": number},
            {
                "title": row.get("title", "").strip(),
                "title_fr": (row.get("title_fr") or "").strip(),
                "chapter": row.get("chapter", "").strip(),
                "chapter_title": row.get("chapter_title", "").strip(),
                "chapter_title_fr": (row.get("chapter_title_fr") or "").strip(),
                "pillar": pillar,
            },
        )
        ctx.articles.add(obj)
        result.counts["convention articles"] += 1
