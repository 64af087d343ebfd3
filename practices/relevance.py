"""Measures search quality against ``search/relevance.json``: practitioners' questions with the
entries a good answer lists. Used by ``manage.py search_relevance`` and by the tests."""

import json
from dataclasses import dataclass
from pathlib import Path

import search
from practices.kinds import BY_PLURAL
from search.services import search_entries

RELEVANCE_FILE = Path(search.__file__).with_name("relevance.json")
TOP = 5


@dataclass
class Case:
    question: str
    kind: str  # "practices" or "findings"
    expected: list[str]
    results: list[str]  # slugs, best first, as many as TOP

    @property
    def first_hit(self) -> int | None:
        """1-based rank of the first expected slug in the results, if any."""
        return next((i for i, slug in enumerate(self.results, 1) if slug in self.expected), None)


def load_questions(path: Path = RELEVANCE_FILE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["questions"]


def top_slugs(model, q: str, top: int = TOP) -> list[str]:
    queryset = search_entries(model.objects.published(), q)
    if "search_rank" not in queryset.query.annotations:
        return []
    return list(queryset.order_by("-search_rank", "title").values_list("slug", flat=True)[:top])


def evaluate(questions: list[dict] | None = None, top: int = TOP) -> list[Case]:
    cases = []
    for item in questions if questions is not None else load_questions():
        for kind in BY_PLURAL.values():
            if item.get(kind.plural):
                cases.append(Case(item["q"], kind.plural, item[kind.plural], top_slugs(kind.model, item["q"], top)))
    return cases


def hit_rate(cases: list[Case]) -> float:
    return sum(case.first_hit is not None for case in cases) / len(cases) if cases else 0.0


def mean_reciprocal_rank(cases: list[Case]) -> float:
    return sum(1 / case.first_hit for case in cases if case.first_hit) / len(cases) if cases else 0.0
