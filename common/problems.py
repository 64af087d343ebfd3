"""One problem-report type for everything that checks input: the content loader, imports, the
source admin. A problem names where (file, record, field or row) and what is wrong."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}"


class ContentError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the content; nothing was loaded.")

    def report(self) -> str:
        return "\n".join([str(self)] + [f"  - {problem}" for problem in self.problems])


class Problems:
    """Collects problems while a bundle is checked, so one run reports all of them."""

    def __init__(self):
        self.items: list[Problem] = []

    def add(self, where: str, message: str):
        self.items.append(Problem(where, message))

    def __bool__(self):
        return bool(self.items)
