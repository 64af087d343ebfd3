"""Reading and writing the thesaurus (``vocabularies/thesaurus.json``) and the plain-language
summaries of the convention articles (``vocabularies/article_summaries.json``). Both files are
optional in a bundle. The thesaurus is read after the conferences, as its concepts may name
sessions, organisations and projects.

Writing costs a fixed number of statements for the whole file: existing concepts, labels and links
are read once and only what differs is written, in bulk."""

from __future__ import annotations

import re
from pathlib import Path

from common.problems import Problems
from content.bundle import Context, read_json
from content.writing import LoadResult
from taxonomy.models import Concept, ConventionArticle, Label, TerminologySource

THESAURUS_FILE = "thesaurus.json"
SUMMARIES_FILE = "article_summaries.json"
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")


def term_lookup(ctx: Context, vocabulary: str):
    """The loader's lookup for a vocabulary's terms, and how a key is written in it."""
    lookups = {
        "pillar": ctx.pillars,
        "region": ctx.regions,
        "country": ctx.countries,
        "theme": ctx.themes,
        "target_group": ctx.target_groups,
        "inspire": ctx.inspire,
        "article": ctx.articles,
        "session": ctx.sessions,
        "organisation": ctx.organisations,
        "project": ctx.projects,
    }
    return lookups.get(vocabulary)


def _concept_term(raw, where: str, ctx: Context, problems: Problems) -> tuple[str, str, bool]:
    """The vocabulary term a concept stands for (``("", "", True)`` for a free concept)."""
    if "term" not in raw:
        return "", "", True
    reference = raw["term"] if isinstance(raw["term"], dict) else {}
    vocabulary, term = str(reference.get("vocabulary", "")), reference.get("slug", "")
    lookup = term_lookup(ctx, vocabulary)
    key = int(term) if vocabulary == "article" and str(term).isdigit() else term
    if lookup is None:
        problems.add(where, f"term: unknown vocabulary {vocabulary!r}")
        return vocabulary, str(term), False
    if lookup.get(key) is None:
        problems.add(where, f"term: no {vocabulary} {term!r}")
        return vocabulary, str(term), False
    return vocabulary, str(term), True


def _concept_labels(raw, where: str, vocabulary: str, problems: Problems) -> list | None:
    """``(kind, language, text)`` for the preferred, alternative and hidden labels (None if malformed)."""
    labels = []
    pref = raw.get("pref_label") or {}
    if not isinstance(pref, dict):
        problems.add(where, "pref_label must map a language to one label")
        return None
    if not vocabulary and not pref.get("en"):
        problems.add(where, "a free concept needs an English pref_label")
        return None
    for language, text in pref.items():
        labels.append((Label.Kind.PREFERRED, language, text))
    alt = raw.get("alt_labels") or {}
    if not isinstance(alt, dict):
        problems.add(where, "alt_labels must map a language to a list of labels")
        return None
    for language, texts in alt.items():
        for text in texts if isinstance(texts, list) else [texts]:
            labels.append((Label.Kind.ALTERNATIVE, language, text))
    hidden = raw.get("hidden_labels") or []
    for text in hidden if isinstance(hidden, list) else [hidden]:
        labels.append((Label.Kind.HIDDEN, "", text))
    return labels


def _labels_valid(labels, where: str, problems: Problems) -> bool:
    ok = True
    for kind, language, text in labels:
        if not isinstance(text, str) or not text.strip() or len(text) > 200:
            problems.add(where, f"label {text!r} must be text of 1 to 200 characters")
            ok = False
        if kind != Label.Kind.HIDDEN and not LANGUAGE.fullmatch(language):
            problems.add(where, f"language {language!r} is not a language code")
            ok = False
    return ok


def read_concept(raw, where: str, ctx: Context, problems: Problems, sources: set[str]) -> dict | None:
    """A concept record as plain values, or None (with problems filed) when it is not valid."""
    if not isinstance(raw, dict):
        problems.add(where, "is not an object")
        return None
    slug = raw.get("slug")
    ok = True
    if not isinstance(slug, str) or not re.fullmatch(r"[-a-z0-9]+", slug or ""):
        problems.add(where, f"slug {slug!r} is not a slug")
        return None
    where = f"{where} ({slug})"
    vocabulary, term, ok = _concept_term(raw, where, ctx, problems)
    labels = _concept_labels(raw, where, vocabulary, problems)
    if labels is None:
        return None
    ok = _labels_valid(labels, where, problems) and ok
    unknown_sources = [key for key in raw.get("sources", []) if key not in sources]
    if unknown_sources:
        problems.add(where, f"sources: unknown {', '.join(map(str, unknown_sources))}")
        ok = False
    if not ok:
        return None
    return {
        "slug": slug,
        "vocabulary": vocabulary,
        "term": term,
        "note": str(raw.get("note", "")),
        "labels": {(kind, language, text.strip()) for kind, language, text in labels},
        "broader": list(raw.get("broader", [])),
        "related": list(raw.get("related", [])),
        "sources": list(raw.get("sources", [])),
    }


def load_thesaurus(directory: Path, ctx: Context, problems: Problems, result: LoadResult):
    path = directory / THESAURUS_FILE
    if not path.exists():
        return
    data = read_json(path, problems)
    if data is None:
        return
    raw_sources = data.get("sources", {})
    if not isinstance(raw_sources, dict):
        problems.add(f"{path} › sources", "must map a key to {title, url}")
        return
    records = []
    for index, raw in enumerate(data.get("concepts", []), 1):
        record = read_concept(raw, f"{path} › concepts[{index}]", ctx, problems, set(raw_sources))
        if record is not None:
            records.append(record)
    slugs = [record["slug"] for record in records]
    known = set(slugs) | set(Concept.objects.values_list("slug", flat=True))
    seen_terms = set()
    for record in records:
        if slugs.count(record["slug"]) > 1:
            problems.add(f"{path} › {record['slug']}", "slug used by more than one concept")
        if record["vocabulary"]:
            reference = (record["vocabulary"], record["term"])
            if reference in seen_terms:
                problems.add(f"{path} › {record['slug']}", f"a second concept for {reference[0]} {reference[1]!r}")
            seen_terms.add(reference)
        for name in ("broader", "related"):
            for other in record[name]:
                if other not in known:
                    problems.add(f"{path} › {record['slug']}", f"{name}: no concept {other!r}")
    if problems:
        return
    write_thesaurus(raw_sources, records, result)


def write_thesaurus(raw_sources: dict, records: list[dict], result: LoadResult):
    sources = {source.key: source for source in TerminologySource.objects.all()}
    for key, value in raw_sources.items():
        title, url = str(value.get("title", "")), str(value.get("url", ""))
        source = sources.get(key)
        if source is None:
            sources[key] = TerminologySource.objects.create(key=key, title=title, url=url)
        elif (source.title, source.url) != (title, url):
            source.title, source.url = title, url
            source.save(update_fields=["title", "url"])

    concepts = {concept.slug: concept for concept in Concept.objects.all()}
    created = [
        Concept(slug=r["slug"], vocabulary=r["vocabulary"], term=r["term"], note=r["note"])
        for r in records
        if r["slug"] not in concepts
    ]
    changed = []
    for record in records:
        concept = concepts.get(record["slug"])
        if concept is not None and (concept.vocabulary, concept.term, concept.note) != (
            record["vocabulary"],
            record["term"],
            record["note"],
        ):
            concept.vocabulary, concept.term, concept.note = record["vocabulary"], record["term"], record["note"]
            changed.append(concept)
    for concept in Concept.objects.bulk_create(created):
        concepts[concept.slug] = concept
    if not all(concept.pk for concept in created):  # backends that do not return keys
        concepts = {concept.slug: concept for concept in Concept.objects.all()}
    if changed:
        Concept.objects.bulk_update(changed, ["vocabulary", "term", "note"])

    write_labels(records, concepts)
    write_links(records, concepts, sources)
    result.counts["thesaurus concepts"] += len(records)


def write_labels(records, concepts):
    """Each concept in the file gets exactly the labels the file gives it."""
    ids = [concepts[r["slug"]].pk for r in records]
    existing = {}
    for label in Label.objects.filter(concept_id__in=ids):
        existing[(label.concept_id, label.kind, label.language, label.text)] = label.pk
    wanted = {(concepts[r["slug"]].pk, *label) for r in records for label in r["labels"]}
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        Label.objects.filter(pk__in=stale).delete()
    Label.objects.bulk_create(
        [
            Label(concept_id=cid, kind=kind, language=language, text=text)
            for cid, kind, language, text in sorted(wanted - set(existing))
        ]
    )


def write_links(records, concepts, sources):
    """broader, related and sources of each concept in the file, as the file gives them."""
    ids = [concepts[r["slug"]].pk for r in records]
    links = {
        "broader": (Concept.broader.through, "from_concept_id", "to_concept_id", concepts),
        "related": (Concept.related.through, "from_concept_id", "to_concept_id", concepts),
        "sources": (Concept.sources.through, "concept_id", "terminologysource_id", sources),
    }
    for name, (through, source_field, target_field, targets) in links.items():
        wanted = set()
        for record in records:
            for key in record[name]:
                wanted.add((concepts[record["slug"]].pk, targets[key].pk))
                if name == "related":  # symmetrical: stored both ways
                    wanted.add((targets[key].pk, concepts[record["slug"]].pk))
        current = set(through.objects.filter(**{f"{source_field}__in": ids}).values_list(source_field, target_field))
        if name == "related":
            current |= set(
                through.objects.filter(**{f"{target_field}__in": ids}).values_list(source_field, target_field)
            )
        stale = current - wanted
        for source_id, target_id in stale:
            through.objects.filter(**{source_field: source_id, target_field: target_id}).delete()
        through.objects.bulk_create(
            [through(**{source_field: a, target_field: b}) for a, b in sorted(wanted - current)]
        )


def load_article_summaries(directory: Path, ctx: Context, problems: Problems, result: LoadResult):
    path = directory / SUMMARIES_FILE
    if not path.exists():
        return
    data = read_json(path, problems)
    if data is None:
        return
    url = data.get("official_url", "")
    if url and not re.fullmatch(r"https?://\S+", str(url)):
        problems.add(f"{path} › official_url", f"{url!r} is not a web address")
        return
    summaries = data.get("summaries", {})
    if not isinstance(summaries, dict):
        problems.add(f"{path} › summaries", "must map an article number to its summary")
        return
    changed = []
    for number, text in summaries.items():
        where = f"{path} › summaries › {number}"
        article = ctx.articles.get(int(number)) if str(number).isdigit() else None
        if article is None:
            problems.add(where, "no such convention article")
            continue
        if not isinstance(text, str) or not text.strip():
            problems.add(where, "the summary must be text")
            continue
        if (article.summary, article.official_url) != (text.strip(), url):
            article.summary, article.official_url = text.strip(), url
            changed.append(article)
    if changed and not problems:
        ConventionArticle.objects.bulk_update(changed, ["summary", "official_url"])
    result.counts["article summaries"] += len(summaries)


def thesaurus_data() -> dict:
    """The thesaurus as ``thesaurus.json`` holds it (what export_kb writes)."""
    concepts = []
    for concept in Concept.objects.prefetch_related("labels", "broader", "related", "sources").order_by("slug"):
        record = {"slug": concept.slug}
        if concept.vocabulary:
            term = int(concept.term) if concept.vocabulary == "article" and concept.term.isdigit() else concept.term
            record["term"] = {"vocabulary": concept.vocabulary, "slug": term}
        labels = sorted(concept.labels.all(), key=lambda label: (label.language, label.text))
        pref = {label.language: label.text for label in labels if label.kind == Label.Kind.PREFERRED}
        alt: dict[str, list[str]] = {}
        for label in labels:
            if label.kind == Label.Kind.ALTERNATIVE:
                alt.setdefault(label.language, []).append(label.text)
        hidden = [label.text for label in labels if label.kind == Label.Kind.HIDDEN]
        record |= {"pref_label": pref} if pref else {}
        record |= {"alt_labels": alt} if alt else {}
        record |= {"hidden_labels": hidden} if hidden else {}
        for name in ("broader", "related"):
            others = sorted(other.slug for other in getattr(concept, name).all())
            if others:
                record[name] = others
        record["sources"] = sorted(source.key for source in concept.sources.all())
        if concept.note:
            record["note"] = concept.note
        concepts.append(record)
    sources = {source.key: {"title": source.title, "url": source.url} for source in TerminologySource.objects.all()}
    return {"sources": sources, "concepts": concepts}


def article_summaries_data() -> dict:
    """The article summaries as ``article_summaries.json`` holds them."""
    articles = ConventionArticle.objects.exclude(summary="").order_by("number")
    url = next((article.official_url for article in articles if article.official_url), "")
    return {"official_url": url, "summaries": {str(article.number): article.summary for article in articles}}
