"""The import graph of the project's packages: no cycle anywhere, media never imports articles,
and the architecture contracts in pyproject.toml ([tool.importlinter]) hold.

Built with grimp (what import-linter reads too), from the source files: imports inside
functions count, as they are edges of the design all the same.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from django.conf import settings

PACKAGES = ("articles", "media", "caching", "changes", "querykit", "urlkit", "apikit", "hardening", "newsroom")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, include_external_packages=False, cache_dir=None)


def strongly_connected_components(graph) -> list[set[str]]:
    """Sets of modules that import one another, directly or not (Tarjan's algorithm, iterative):
    every component of more than one module, or one importing itself, holds a cycle."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, edges = work[-1]
            for imported in edges:
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(sorted(graph.find_modules_directly_imported_by(imported)))))
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == module:
                            break
                    found.append(component)
    return found


def one_cycle(graph, component: set[str]) -> list[str]:
    """A shortest cycle through the component's first module, as the modules along it."""
    start = min(component)
    best = None
    for imported in graph.find_modules_directly_imported_by(start):
        if imported == start:
            return [start, start]
        if imported in component:
            back = graph.find_shortest_chain(importer=imported, imported=start)
            if back and (best is None or len(back) + 1 < len(best)):
                best = [start, *back]
    return best


def describe(graph, chain: list[str]) -> str:
    lines = []
    for importer, imported in zip(chain, chain[1:], strict=False):
        details = graph.get_import_details(importer=importer, imported=imported)
        where = ", ".join(f"l.{d['line_number']}" for d in details) or "?"
        lines.append(f"  {importer} -> {imported} ({where})")
    return "\n".join(lines)


def test_no_module_imports_itself_through_others(graph):
    cycles = [
        component
        for component in strongly_connected_components(graph)
        if len(component) > 1 or next(iter(component)) in graph.find_modules_directly_imported_by(next(iter(component)))
    ]
    report = [
        f"{len(component)} modules import one another: {', '.join(sorted(component))}\n"
        f"for instance:\n{describe(graph, one_cycle(graph, component))}"
        for component in cycles
    ]
    assert not cycles, "Import cycles:\n\n" + "\n\n".join(report)


def test_media_never_imports_articles(graph):
    chains = graph.find_shortest_chains(importer="media", imported="articles", as_packages=True)
    report = [describe(graph, list(chain)) for chain in sorted(chains)]
    assert not chains, "media imports articles:\n" + "\n\n".join(report)


def test_the_architecture_contracts_hold():
    """`lint-imports` with the contracts of pyproject.toml (what `make lint` runs)."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is not installed (requirements-dev.txt)"
    done = subprocess.run(
        [lint_imports, "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[done.stdout.find("Contracts") :] + done.stderr


def test_the_cycle_finder_finds_cycles_and_nothing_else():
    """strongly_connected_components() on a made-up graph: a three-module cycle, a module
    importing itself, and a chain without a cycle."""
    made_up = grimp.ImportGraph()
    for importer, imported in [("a.x", "a.y"), ("a.y", "a.z"), ("a.z", "a.x"), ("b.s", "b.s"), ("c.p", "c.q")]:
        made_up.add_import(importer=importer, imported=imported)
    components = sorted(sorted(c) for c in strongly_connected_components(made_up))
    assert ["a.x", "a.y", "a.z"] in components and ["b.s"] in components
    assert ["c.p"] in components and ["c.q"] in components  # single modules, no cycle
    assert one_cycle(made_up, {"a.x", "a.y", "a.z"}) == ["a.x", "a.y", "a.z", "a.x"]
    assert one_cycle(made_up, {"b.s"}) == ["b.s", "b.s"]
