"""Imports between apps run one way, from the top down (docs/architecture.md):

    demo -> committee -> governance -> assessment -> workshop, grants, equality
    -> consultation -> performance -> strategy, crime -> jobs -> partnership, areas -> core

An app may import an app on a lower layer, never one on its own layer or above. Every module
is parsed with ast, so imports inside functions count as much as those at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "saferplaces"

# Top first. Apps on one layer are siblings and must not import each other.
LAYERS = [
    {"demo"},
    {"committee"},
    {"governance"},
    {"assessment"},
    {"workshop", "grants", "equality"},
    {"consultation"},
    {"performance"},
    {"strategy", "crime"},
    {"jobs"},
    {"partnership", "areas"},
    {"core"},
]
LAYER_OF = {app: depth for depth, apps in enumerate(LAYERS) for app in apps}

# (importing module, imported module): why it is allowed. Empty: none is. (The crime import
# tells performance what it imported with the crime.signals.crime_imported signal.)
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> list[str]:
    """Every module `source` imports, anywhere in it, as absolute dotted names
    (`from saferplaces import crime` counts as importing saferplaces.crime)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            found.append(base)
            if base == "saferplaces":
                found.extend(f"{base}.{alias.name}" for alias in node.names)
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "saferplaces" and parts[1] in LAYER_OF:
        return parts[1]
    return None


def violations(module: str, imports: list[str]) -> list[tuple[str, str]]:
    """(module, imported) pairs where an app imports one on its own layer or above."""
    importer = app_of(module)
    if importer is None:
        return []
    bad = []
    for target in imports:
        imported = app_of(target)
        if imported is None or imported == importer:
            continue
        if LAYER_OF[imported] <= LAYER_OF[importer]:
            bad.append((module, target))
    return bad


def project_imports() -> dict[str, list[str]]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        modules[name] = imported_modules(path.read_text(encoding="utf-8"), name,
                                         path.name == "__init__.py")
    return modules


def all_violations() -> list[tuple[str, str]]:
    found = []
    for module, imports in project_imports().items():
        found.extend(violations(module, imports))
    return found


def test_every_app_is_on_a_layer():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    assert apps <= set(LAYER_OF), f"put {sorted(apps - set(LAYER_OF))} on a layer"


def test_no_app_imports_an_app_on_its_layer_or_above():
    unexpected = [pair for pair in all_violations() if pair not in KNOWN_EXCEPTIONS]
    assert unexpected == []


def test_known_exceptions_still_exist():
    """An exception nobody needs any more must be deleted from the list."""
    stale = set(KNOWN_EXCEPTIONS) - set(all_violations())
    assert stale == set()


def test_core_imports_no_domain_app():
    domain = {app for app in LAYER_OF if app != "core"}
    core = {m: i for m, i in project_imports().items() if m.startswith("saferplaces.core")}
    assert [(m, t) for m, imports in core.items() for t in imports
            if app_of(t) in domain] == []


@pytest.mark.parametrize("source, expected", [
    ("from saferplaces.strategy.models import Action", ["saferplaces.strategy.models"]),
    ("def f():\n    from saferplaces.performance import compute\n",
     ["saferplaces.performance"]),
    ("import saferplaces.crime.stats", ["saferplaces.crime.stats"]),
    ("from saferplaces import demo", ["saferplaces", "saferplaces.demo"]),
    ("from ..strategy import models", ["saferplaces.strategy"]),
])
def test_checker_finds_imports_anywhere(source, expected):
    found = imported_modules(source, "saferplaces.core.views")
    assert set(expected) <= set(found)
    assert violations("saferplaces.core.views", found) != []


def test_checker_allows_imports_downwards_and_within_an_app():
    found = imported_modules("from saferplaces.partnership.models import Role\n"
                             "from saferplaces.strategy import services\n",
                             "saferplaces.strategy.views")
    assert violations("saferplaces.strategy.views", found) == []
    sibling = imported_modules("from saferplaces.crime import stats",
                               "saferplaces.strategy.views")
    assert violations("saferplaces.strategy.views", sibling) == [
        ("saferplaces.strategy.views", "saferplaces.crime")]
