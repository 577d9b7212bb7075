"""The layout's promises (README, "Developing statusgen"), checked from the source with ast.

No import cycle between statusgen's modules; no module over 450 lines; no function over 60
lines without a comment that says why (`# Long: ...`); no module-level mutable state (no
`global`, no module-level caches); the model does no I/O and rendering reads no files (but its own package's assets).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "statusgen"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


def modules() -> dict[str, Path]:
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


MODULES = modules()


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imported_modules(module: str, path: Path) -> set[str]:
    """Every statusgen module `module` imports, anywhere in it (type-only imports included)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()

    def known(name: str) -> str | None:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        return name or None

    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            found.update(filter(None, (known(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = package
                for _ in range(node.level - 1):
                    prefix = prefix.rpartition(".")[0]
                base = f"{prefix}.{node.module}" if node.module else prefix
            for alias in node.names:
                full = f"{base}.{alias.name}"
                target = full if full in MODULES else known(base)
                if target:
                    found.add(target)
    found.discard(module)
    return found - {"statusgen"}  # the top package's __init__ only holds the version


def test_no_import_cycle() -> None:
    graph = {module: imported_modules(module, path) for module, path in MODULES.items()}
    cycles = []

    def walk(start: str, node: str, trail: list[str], seen: set[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt == start:
                cycles.append(" -> ".join([*trail, start]))
            elif nxt not in seen and nxt > start:  # each cycle found once, from its smallest module
                seen.add(nxt)
                walk(start, nxt, [*trail, nxt], seen)

    for module in sorted(graph):
        walk(module, module, [module], set())
    assert not cycles, f"import cycles: {cycles[:5]}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines; split it by what it owns"


def test_long_functions_say_why() -> None:
    too_long = []
    for module, path in MODULES.items():
        source = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(parsed(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                text = source[node.lineno - 2:node.end_lineno]
                if length > MAX_FUNCTION_LINES and not any(line.strip().startswith("# Long:") for line in text):
                    too_long.append(f"{module}.{node.name} ({length} lines)")
    assert not too_long, f"functions over {MAX_FUNCTION_LINES} lines without a '# Long:' reason: {too_long}"


def test_no_module_level_mutable_state() -> None:
    found = []
    for module, path in MODULES.items():
        tree = parsed(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                found.append(f"{module}: global {', '.join(node.names)}")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in node.decorator_list:
                    name = ast.unparse(decorator)
                    takes_arguments = node.args.args or node.args.kwonlyargs or node.args.vararg
                    if ("lru_cache" in name or name.endswith("cache")) and "cached_property" not in name \
                            and takes_arguments:
                        found.append(f"{module}.{node.name}: a process-wide cache ({name})")
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) and node.value is not None else []
            value = getattr(node, "value", None)
            mutable = isinstance(value, (ast.Dict, ast.List, ast.Set)) or (
                isinstance(value, ast.Call) and ast.unparse(value.func) in ("dict", "list", "set"))
            for target in targets:
                if isinstance(target, ast.Name) and mutable and not target.id.isupper() and target.id != "__all__":
                    found.append(f"{module}.{target.id}: module-level mutable value")
    assert not found, found


def test_model_does_no_io_and_rendering_reads_no_files() -> None:
    io_names = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "scandir", "listdir", "rglob"}
    found = []
    for module, path in MODULES.items():
        if not (module.startswith("statusgen.model") or module.startswith("statusgen.render")):
            continue
        for node in ast.walk(parsed(path)):
            name = node.func.attr if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else \
                node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else None
            # statusgen's own assets, read from the package (importlib.resources), are code, not input.
            if name in io_names and not ast.unparse(node.func).startswith("files("):
                found.append(f"{module}:{node.lineno}: {name}()")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n in ("pathlib", "shutil", "tempfile") for n in names):
                    found.append(f"{module}:{node.lineno}: imports {names}")
    assert not found, found
