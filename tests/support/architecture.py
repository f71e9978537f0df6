"""Reads the imports of the package (pure `ast`, nothing is imported) and checks them against the apps' order."""

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# The apps, lowest first: an app may import from the apps before it, never from one after it.
# docs/architecture.md states the same order (a test compares them).
APP_ORDER = (
    "core",
    "accounts",
    "agencies",
    "calendars",
    "events",
    "committee",
    "workplan",
    "agreements",
    "protocol",
    "notifications",
    "overview",
    "webhooks",
    "api",
)
# Tools beside the apps (demo data, benchmarks and fault runs): no production module imports them.
TOOL_PACKAGES = ("demo", "bench")
# Libraries for development only (the `dev` extra of pyproject.toml): no production module imports them.
DEV_LIBRARIES = ("aiosmtpd", "factory", "pytest", "hypothesis", "playwright", "time_machine")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # what it imports, dotted and absolute
    path: Path
    line: int


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(root: Path) -> list[Import]:
    """Every import statement of every module under the package `root` (migrations left out), relative ones
    made absolute; imports inside functions count like any other."""
    found: list[Import] = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = _module_name(root, path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.extend(Import(module, alias.name, path, node.lineno) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                    target = ".".join([*base, node.module] if node.module else base)
                else:
                    target = node.module or ""
                if "." not in target:
                    # `from omskevents import workplan`: the names are what is imported.
                    found.extend(Import(module, f"{target}.{alias.name}", path, node.lineno) for alias in node.names)
                else:
                    found.append(Import(module, target, path, node.lineno))
    return found


def _part(dotted: str, package: str) -> str | None:
    """The first part below the package: 'omskevents.workplan.models' -> 'workplan'."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == package else None


def app_edges(imports: Iterable[Import], package: str, apps: Sequence[str]) -> dict[tuple[str, str], list[Import]]:
    """{(importing app, imported app): the imports behind the edge}, between different apps only."""
    edges: dict[tuple[str, str], list[Import]] = {}
    for item in imports:
        source, target = _part(item.module, package), _part(item.target, package)
        if source in apps and target in apps and source != target:
            edges.setdefault((source, target), []).append(item)
    return edges


def against_the_order(edges: dict[tuple[str, str], list[Import]], order: Sequence[str]) -> list[str]:
    """One line per import of a higher app by a lower one."""
    rank = {app: index for index, app in enumerate(order)}
    return [
        f"{item.path}:{item.line}: {source} imports {item.target} ({target} stands above {source})"
        for (source, target), items in sorted(edges.items())
        if rank[target] > rank[source]
        for item in items
    ]


def circles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def forbidden_in_production(
    imports: Iterable[Import], package: str, tools: Sequence[str], libraries: Sequence[str]
) -> list[str]:
    """Imports of the tool packages or of development-only libraries by a module that is not itself a tool."""
    lines = []
    for item in imports:
        if _part(item.module, package) in tools:
            continue
        top = item.target.split(".")[0]
        if _part(item.target, package) in tools or top in libraries:
            lines.append(f"{item.path}:{item.line}: {item.module} imports {item.target}")
    return lines
