"""The package's layout rule, as a checker: imports go one way, stage by stage, with no cycles.

The import graph is read with ``ast`` from every module of a package, imports
at module level and inside functions alike.  A module belongs to a stage (its
subpackage, or itself for a top-level module); stages are ranked in the order
of the data flow.  :func:`problems` lists every import that goes to a later
stage, every import of another module's private name, and every cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

STAGES = ("base", "read", "parse", "stance", "pipeline", "store", "aggregate", "present", "cli_help", "cli")
"""The stages of ``positions`` in the order data flows through them; a module imports only its own or earlier ones."""
EXEMPT = ("", "compat")
"""The package's ``__init__`` (the public namespace, loaded lazily) and the old module paths: above every stage."""


def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file below ``root`` (a package folder)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph(root: Path) -> dict[str, dict[str, int]]:
    """Module -> {imported module of the same package: line of the first such import}."""
    modules = module_files(root)
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, package, modules):
                if target != name and not name.startswith(target + "."):
                    found.setdefault(target, node.lineno)
        graph[name] = found
    return graph


def _targets(node: ast.AST, package: str, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in modules]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = _resolve(node, package)
    named = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
    return named or ([base] if base in modules else [])


def _resolve(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    parts = parts[:len(parts) - node.level + 1]
    return ".".join(parts + ([node.module] if node.module else []))


def stage(module: str) -> str:
    """``positions.stance.rules`` -> ``stance``; ``positions.cli`` -> ``cli``; the package itself -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def private_imports(root: Path) -> list[str]:
    """``from other_module import _name`` and ``other_module._name`` across the package's modules."""
    modules = module_files(root)
    found = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = _resolve(node, package)
                for alias in node.names:
                    if f"{base}.{alias.name}" in modules:
                        aliases.add(alias.asname or alias.name)
                    elif base in modules and base != name and _private(alias.name):
                        found.append(f"{name}:{node.lineno} imports {base}.{alias.name}")
            elif isinstance(node, ast.Import):
                aliases.update(alias.asname or alias.name for alias in node.names if alias.name in modules)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases \
                    and _private(node.attr):
                found.append(f"{name}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every cycle of the graph once, as a path that starts and ends at the same module."""
    found, seen = [], set()

    def walk(module: str, path: list[str]) -> None:
        for target in graph.get(module, {}):
            if target in path:
                cycle = path[path.index(target):] + [target]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append(cycle)
            elif (module, target) not in visited:
                visited.add((module, target))
                walk(target, path + [target])

    visited: set[tuple[str, str]] = set()
    for module in graph:
        walk(module, [module])
    return found


def problems(root: Path, stages: tuple[str, ...] = STAGES, exempt: tuple[str, ...] = EXEMPT) -> list[str]:
    """Every breach of the layout rule below ``root``, one line each (none: the layout holds).

    A module in a stage that is not listed is a problem too, so that a new
    subpackage is placed in the order on purpose.
    """
    graph = import_graph(root)
    rank = {name: i for i, name in enumerate(stages)}
    out = []
    for module, targets in graph.items():
        mine = stage(module)
        if mine in exempt:
            continue
        if mine not in rank:
            out.append(f"{module}: stage {mine!r} is not in the order of stages")
            continue
        for target, line in targets.items():
            theirs = stage(target)
            if theirs in exempt or rank.get(theirs, len(stages)) > rank[mine]:
                out.append(f"{module}:{line} imports {target}, a later stage ({theirs or 'the package itself'})")
    out += private_imports(root)
    out += [" -> ".join(cycle) + " is a cycle" for cycle in cycles(graph)]
    return out
