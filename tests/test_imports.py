"""The package's import graph, read from the source with `ast`: no import cycle between its modules,
the independent checker (check/) imports nothing from the model or the solver (not even through the
modules it imports), so that it stays a test oracle of the solver rather than a copy of it, and the
subpackages keep their layers (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import llct_sched

PACKAGE = Path(llct_sched.__file__).parent
NAME = "llct_sched"


def _module_name(path: Path) -> str:
    parts = [NAME, *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, modules: dict[str, Path], type_checking: bool) -> set[str]:
    """The package's modules that `module` imports, also inside functions (a lazy import that
    hides a cycle is still a cycle). Those under `if TYPE_CHECKING:` count with `type_checking`
    only: they never run."""
    found: set[str] = set()
    package = module if modules[module].name == "__init__.py" else module.rpartition(".")[0]

    def target(name: str) -> str | None:
        while name and name not in modules:  # `from x.y import Class`: the module x.y
            name = name.rpartition(".")[0]
        return name or None

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if not type_checking and isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:  # relative import
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from llct_sched import i18n` imports the module llct_sched.i18n
                names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in child.names]
            else:
                visit(child)
                continue
            for name in names:
                if name == NAME or name.startswith(NAME + "."):
                    resolved = target(name)
                    if resolved is not None and resolved != module:
                        found.add(resolved)

    visit(tree)
    return found


def import_graph(type_checking: bool = False) -> nx.DiGraph:
    """module -> the package's modules it imports (see `_imports`)."""
    modules = _modules()
    graph = nx.DiGraph()
    for module, path in modules.items():
        graph.add_node(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for imported in _imports(tree, module, modules, type_checking):
            graph.add_edge(module, imported)
    return graph


def test_the_graph_sees_the_imports() -> None:
    graph = import_graph()
    assert graph.number_of_nodes() > 30
    assert graph.has_edge("llct_sched.check.context", "llct_sched.scenario")
    assert graph.has_edge("llct_sched.check", "llct_sched.check.rules")  # the package runs its modules
    assert graph.has_edge("llct_sched.check.context", "llct_sched.i18n")  # `from llct_sched import i18n`
    assert graph.has_edge("llct_sched.model.teaching_layer", "llct_sched.model.staffing_stage")
    assert graph.has_edge("llct_sched.scenario.loading", "llct_sched.scenario.excel")  # inside a function
    assert not graph.has_edge("llct_sched.solve.replan_log", "llct_sched.solve.replan")  # under TYPE_CHECKING
    assert import_graph(type_checking=True).has_edge("llct_sched.solve.replan_log", "llct_sched.solve.replan")


def test_no_import_cycle() -> None:
    """Imports inside functions count; those only for the type checker do not (replan_log names
    replan's `Changes` in annotations while replan imports replan_log)."""
    graph = import_graph()
    graph.remove_node(NAME)  # the package's __init__ re-exports the public API, imported by no module
    cycles = sorted(nx.simple_cycles(graph), key=len)
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_no_module_imports_the_package_init() -> None:
    """`from llct_sched import solve` would import the public API's function, not the module, and
    tie every module to everything __init__ re-exports."""
    graph = import_graph(type_checking=True)
    importers = sorted(graph.predecessors(NAME))
    assert not importers, f"these modules import from llct_sched/__init__.py: {importers}"


# modules kept for users' old import paths only (issue 25's layout): the package imports the new ones
COMPATIBILITY = {"llct_sched.io"}


def test_no_module_imports_a_compatibility_module() -> None:
    graph = import_graph(type_checking=True)
    importers = sorted(m for shim in COMPATIBILITY for m in graph.predecessors(shim) if m != NAME)
    assert not importers, f"these modules import an old path: {importers}"


def _package(graph: nx.DiGraph, name: str) -> set[str]:
    """A subpackage's modules, its __init__ included."""
    return {m for m in graph if m == name or m.startswith(name + ".")}


# the modules of scenario/ that plant or adapt a timetable and so reach the solver: `generate` plants
# one with the greedy construction and the checker, `loading` reads an ITC-2007 instance (its adapter
# solves one on the core, lazily)
SCENARIO_ABOVE_THE_MODEL = {"llct_sched.scenario.generate", "llct_sched.scenario.loading"}


def test_the_scenario_layer_imports_neither_the_model_nor_the_solver() -> None:
    """Reading, validating and diagnosing a scenario needs no model, solver, checker or report."""
    graph = import_graph(type_checking=True)
    above = ("llct_sched.model", "llct_sched.solve", "llct_sched.check", "llct_sched.reports", "llct_sched.itc2007")
    for module in sorted(_package(graph, "llct_sched.scenario") - SCENARIO_ABOVE_THE_MODEL):
        reached = sorted(m for m in nx.descendants(graph, module) if m.startswith(above))
        assert not reached, f"{module} reaches {reached}"


CHECKER = "llct_sched.check"
# what the checker may build on: the input and output data and plain helpers. Not the instance
# (the model's precomputed indices), the model, the solver or anything above them.
CHECKER_MAY_REACH = {
    "llct_sched.errors",
    "llct_sched.files",
    "llct_sched.goals",
    "llct_sched.i18n",
    "llct_sched.scenario",  # the package re-exports the models only
    "llct_sched.scenario.models",
    "llct_sched.timetable",
}


def test_the_checker_imports_neither_the_model_nor_the_solver() -> None:
    graph = import_graph(type_checking=True)  # every import counts, lazy or for the type checker
    checker = _package(graph, CHECKER)
    assert len(checker) > 1
    reached = set().union(*(nx.descendants(graph, m) for m in checker)) - checker
    model_or_solver = sorted(m for m in reached if m.startswith(("llct_sched.model", "llct_sched.solve")))
    assert not model_or_solver, f"{CHECKER} reaches {model_or_solver}"
    beyond = sorted(reached - CHECKER_MAY_REACH)
    assert not beyond, f"{CHECKER} reaches {beyond}: is it still independent of the model and the solver?"
    sources = [_modules()[module] for module in reached | checker]
    with_ortools = [
        str(path.relative_to(PACKAGE))
        for path in sources
        if any(
            isinstance(node, (ast.Import, ast.ImportFrom))
            and any(
                (node.module or alias.name if isinstance(node, ast.ImportFrom) else alias.name).startswith("ortools")
                for alias in node.names
            )
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert not with_ortools, f"the checker reaches OR-Tools through {with_ortools}"
