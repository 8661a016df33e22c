"""The import graph of `app`, built by grimp (the library under import-linter): no module
imports itself back through others, and `create_app` reaches the domains only through the
packages its loop calls. The layers themselves are import-linter contracts in pyproject.toml
(`make lint` runs `lint-imports`); docs/architecture.md draws them."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterable

import grimp
import pytest

from config import BASE_DIR

BOTTOM_MODULES = {"app.db", "app.extensions"}  # beside core, below every domain


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("app", cache_dir=None)


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that import one another in a circle (strongly connected
    components of more than one module, or a module importing itself), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0

    for root in sorted(graph.modules):
        if root in index:
            continue
        # Tarjan's algorithm, without recursion: (module, iterator over what it imports).
        work: list[tuple[str, Iterable[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(sorted(graph.find_modules_directly_imported_by(root)))))
        while work:
            module, imported = work[-1]
            advanced = False
            for other in imported:
                if other not in index:
                    index[other] = low[other] = counter
                    counter += 1
                    stack.append(other)
                    on_stack.add(other)
                    work.append(
                        (other, iter(sorted(graph.find_modules_directly_imported_by(other))))
                    )
                    advanced = True
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1 or module in graph.find_modules_directly_imported_by(module):
                    cycles.append(sorted(group))
    return cycles


def describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    members = set(group)
    lines = []
    for module in group:
        for other in sorted(graph.find_modules_directly_imported_by(module) & members):
            where = graph.get_import_details(importer=module, imported=other)
            line = where[0]["line_number"] if where else "?"
            lines.append(f"    {module} -> {other} (line {line})")
    return f"  {len(group)} modules:\n" + "\n".join(lines)


def test_no_module_imports_itself_back_through_others(graph):
    cycles = import_cycles(graph)
    assert not cycles, (
        f"{len(cycles)} import circle(s) among app modules; each import below is in a circle "
        "(a lower layer reaching up, or two modules of a domain needing each other): break it "
        "with a registry or signal owned by the lower layer, or move the code.\n"
        + "\n".join(describe(graph, group) for group in cycles)
    )


def test_cycle_finder_finds_a_circle():
    """The finder itself: a circle of three modules beside an innocent one."""
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.d"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    graph.add_import(importer="pkg.d", imported="pkg.a")
    assert import_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_create_app_reaches_domains_only_through_their_packages(graph):
    """`create_app` loops over the domain packages (each `init_app` registers its own routes,
    rules, commands...): an import of a domain's module from app/__init__.py would be a domain
    set up from the outside again."""
    domains = {
        module
        for module in graph.find_children("app")
        if hasattr(importlib.import_module(module), "init_app")
    }
    imported = graph.find_modules_directly_imported_by("app")
    stray = sorted(imported - domains - BOTTOM_MODULES)
    assert not stray, f"app/__init__.py imports {stray}: register them from a domain's init_app"
    assert {"app.core", "app.accounts", "app.demo"} <= domains


def test_every_table_is_known_once_the_app_is_made():
    """Core knows no domain, so the backup and the restore take the tables from the metadata
    of the app that runs them: every table of app.models must be known once create_app ran,
    in a fresh process (no test has imported the models before)."""
    script = (
        "from app import create_app\n"
        "from app.db import Base\n"
        "create_app('test')\n"
        "known = set(Base.metadata.tables)\n"
        "from app.models import metadata\n"
        "missing = sorted(set(metadata.tables) - known)\n"
        "assert not missing, missing\n"
        "print(len(known))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(BASE_DIR), "PAROLE_ENV": "test"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) > 40
