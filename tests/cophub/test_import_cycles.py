"""No import cycles between the modules of ``cophub`` and ``copcore`` (decision 0025).

The graph is grimp's (the one import-linter checks contracts on). It holds every import a
module makes, at its top and inside its functions alike: a function-level import is still a
dependency, it only runs later. Imports under ``if TYPE_CHECKING:`` are left out: they never
run, so they cannot make a module wait for another half-imported one, and naming a type is
not using a module. A cycle is a strongly connected component of two or more modules; the
test names each one with the imports that close it, so the fix is where to look."""

from collections.abc import Iterator

import grimp

PACKAGES = ("cophub", "copcore")

# Cycles known and being removed elsewhere, each exactly as found. An entry that is no longer
# a cycle fails the test too, so the list only shrinks.
KNOWN_CYCLES: list[list[str]] = []


def _graph() -> dict[str, set[str]]:
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True, cache_dir=None)
    return {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}


def strongly_connected(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Tarjan's algorithm, iterative (Python's recursion limit is below the module count of
    a large project): each component of two or more modules, sorted. See Tarjan, "Depth-first
    search and linear graph algorithms", SIAM J. Comput. 1(2), 1972."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            step = next(imported, None)
            if step is not None:
                if step not in graph:
                    continue
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[module] = min(low[module], index[step])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    yield sorted(component)


def _described(component: list[str], graph: dict[str, set[str]]) -> str:
    members = set(component)
    edges = [
        f"    {module} -> {imported}"
        for module in component
        for imported in sorted(graph[module] & members)
    ]
    return "\n".join([" ".join(component), *edges])


def test_the_finder_sees_a_cycle_and_leaves_a_chain_alone() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert list(strongly_connected(graph)) == [["a", "b", "c"]]
    assert list(strongly_connected({"a": {"b"}, "b": set()})) == []


def test_no_module_imports_itself_back() -> None:
    graph = _graph()
    found = list(strongly_connected(graph))
    cycles = [_described(c, graph) for c in found if c not in KNOWN_CYCLES]
    assert not cycles, "Import cycles (modules, then the imports between them):\n" + "\n".join(
        cycles
    )
    gone = [" ".join(c) for c in KNOWN_CYCLES if c not in found]
    assert not gone, f"No longer cycles: remove them from KNOWN_CYCLES: {gone}"
