"""The code's layering holds: import-linter's contracts (pyproject.toml) are kept, no two modules
import each other even indirectly, and no first-party import hides inside a function."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "curation", "content", "practices", "search", "kb", "taxonomy", "common")


def first_party_sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def graph():
    sys.path.insert(0, str(ROOT))
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_no_module_imports_itself_through_others(graph):
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> ... -> {module}")
    assert not cycles, "\n".join(cycles)


def test_no_first_party_import_inside_a_function():
    hidden = []
    for path in first_party_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                module = getattr(inner, "module", None) if isinstance(inner, ast.ImportFrom) else None
                if isinstance(inner, ast.Import):
                    module = inner.names[0].name
                if module and module.split(".")[0] in PACKAGES:
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno} imports {module}")
    assert not hidden, "\n".join(hidden)


LONG_FUNCTION = 50  # lines


def test_no_long_function_without_a_reason():
    """A function over 50 lines does several things: split it, or say in its docstring why it is long."""
    long = []
    for path in first_party_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                reason = "long because" in (ast.get_docstring(node) or "").lower()
                if length > LONG_FUNCTION and not reason:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    assert not long, "\n".join(long)
