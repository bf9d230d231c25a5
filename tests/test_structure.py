"""Checks of the code's shape anyone can run: no import cycles between modules, the low layers never reach up
(type-checking imports included, which import-linter's contract leaves out), and no module over 400 lines."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "kickcoach"
MAX_LINES = 400
# Over the limit today, each on a branch being changed by another helper; the list may only shrink (a module
# leaving it fails the test until it is removed here, so the allowance cannot outlive the excess).
OVER_LIMIT_IN_FLIGHT: set[str] = set()  # modules allowed over the limit while a branch splits them (none now)


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("kickcoach", exclude_type_checking_imports=True)


def test_no_import_cycles_between_modules(graph: grimp.ImportGraph) -> None:
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    g = grimp.ImportGraph()
    for name in ("p.a", "p.b", "p.c"):
        g.add_module(name)
    g.add_import(importer="p.a", imported="p.b")
    g.add_import(importer="p.b", imported="p.a")
    g.add_import(importer="p.b", imported="p.c")
    assert _cycles(g) == [["p.a", "p.b"]]


def test_knowledge_storage_and_llm_never_reach_up_even_for_type_checking() -> None:
    full = grimp.build_graph("kickcoach", exclude_type_checking_imports=False)
    upper = ("kickcoach.flows", "kickcoach.ui", "kickcoach.cli.main", "kickcoach.cli.support", "kickcoach.cli.commands",
             "kickcoach.services", "kickcoach.bootstrap")
    reaching = sorted(
        f"{importer} → {imported}"
        for low in ("kickcoach.knowledge", "kickcoach.storage", "kickcoach.llm")
        for importer in full.find_descendants(low) | {low}
        for imported in full.find_modules_directly_imported_by(importer)
        if imported.startswith(upper)
    )
    assert reaching == []


def test_no_module_over_400_lines() -> None:
    sizes = {str(p.relative_to(SRC)): len(p.read_text(encoding="utf-8").splitlines()) for p in SRC.rglob("*.py")}
    over = {name for name, n in sizes.items() if n > MAX_LINES}
    assert over - OVER_LIMIT_IN_FLIGHT == set(), {n: sizes[n] for n in over - OVER_LIMIT_IN_FLIGHT}
    assert OVER_LIMIT_IN_FLIGHT <= over, f"back under {MAX_LINES} lines: drop from the list {OVER_LIMIT_IN_FLIGHT - over}"


def test_every_command_module_is_in_the_cli_tuple() -> None:
    """The CLI registers an explicit tuple of command modules: a new one must be added there (and is found)."""
    import importlib
    import pkgutil

    import kickcoach.cli.commands
    from kickcoach.cli.main import COMMAND_MODULES

    with_register = {
        name for _, name, _ in pkgutil.iter_modules(kickcoach.cli.commands.__path__)
        if hasattr(importlib.import_module(f"kickcoach.cli.commands.{name}"), "register")
    }
    assert {m.__name__.rsplit(".", 1)[1] for m in COMMAND_MODULES} == with_register
