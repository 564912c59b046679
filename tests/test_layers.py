"""The package's architecture, checked from its source: every import (lazy ones inside functions
too) goes to the importer's own layer or a lower one, modules and sub-packages import each other
without cycles, and no module is over 300 lines."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_LINES = 300
# Low to high; a module may import its own layer or a lower one. "pkg.*" covers pkg and all under it.
LAYERS = {
    "simbil": 0, "simbil.errors": 0, "simbil.imageio": 0, "simbil.metrics": 0, "simbil.devices": 0, "simbil.settings": 0,
    "simbil.ops": 0,
    "simbil.clevr.*": 1, "simbil.inpaint.*": 1, "simbil.segment": 1, "simbil.shadow": 1, "simbil.report.*": 1,
    "simbil.graphs.*": 2,
    "simbil.datasets.*": 3, "simbil.roi.*": 3, "simbil.edits.*": 3, "simbil.language.*": 3,
    "simbil.pipeline.*": 4,
    "simbil.cli": 5, "simbil.cli_args": 5, "simbil.__main__": 5,
}
NAMES = ["base", "primitives", "graphs", "domain", "pipeline", "entry points"]


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


FILES = {module_name(p): p for p in sorted((REPO / "simbil").rglob("*.py"))}


def layer(module: str) -> int | None:
    if module in LAYERS:
        return LAYERS[module]
    parts = module.split(".")
    return next((LAYERS[f"{'.'.join(parts[:n])}.*"] for n in range(len(parts), 0, -1)
                 if f"{'.'.join(parts[:n])}.*" in LAYERS), None)


def imports(module: str) -> list[tuple[str, int]]:
    """(imported simbil module, line) for every import statement in the module, at any depth."""
    path = FILES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            base = ".".join(filter(None, [base, node.module]))
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod
            out += [(f"{base}.{a.name}" if f"{base}.{a.name}" in FILES else base, node.lineno) for a in node.names]
    return sorted({(m, line) for m, line in out if m.split(".")[0] == "simbil" and m != module})


EDGES = {m: imports(m) for m in FILES}


def where(module: str, line: int) -> str:
    return f"{FILES[module].relative_to(REPO)}:{line}"


def describe(module: str) -> str:
    n = layer(module)
    return f"{module} ({n} {NAMES[n]})" if n is not None else f"{module} (not in the layer map)"


def test_every_module_is_in_the_layer_map():
    missing = [f"{FILES[m].relative_to(REPO)}: {m}" for m in FILES if layer(m) is None]
    assert not missing, "modules not in LAYERS: add each to the map in tests/test_layers.py:\n" + "\n".join(missing)


def test_no_import_goes_up_a_layer():
    bad = [f"{where(m, line)}: {describe(m)} imports {describe(t)}"
           for m, edges in EDGES.items() for t, line in edges
           if layer(m) is not None and (layer(t) is None or layer(t) > layer(m))]
    assert not bad, "imports from a lower layer to a higher one:\n" + "\n".join(bad)


def cycle(graph: dict[str, set[str]]) -> list[str]:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as e:
        return e.args[1][::-1]  # graphlib lists it against the import direction
    return []


def test_no_import_cycle_between_modules():
    c = cycle({m: {t for t, _ in edges if t in FILES} for m, edges in EDGES.items()})
    steps = [f"{where(a, line)}: {a} imports {b}" for a, b in zip(c, c[1:])
             for line in sorted({line for t, line in EDGES[a] if t == b})]
    assert not c, "import cycle between modules:\n" + "\n".join(steps)


def subpackage(module: str) -> str:
    """simbil.clevr.render -> simbil.clevr; a module directly in simbil/ is its own unit."""
    return ".".join(module.split(".")[:2])


def test_no_import_cycle_between_subpackages():
    graph: dict[str, set[str]] = {}
    for m, edges in EDGES.items():
        graph.setdefault(subpackage(m), set()).update(subpackage(t) for t, _ in edges if subpackage(t) != subpackage(m))
    c = cycle(graph)
    steps = [f"{where(m, line)}: {m} imports {t}" for a, b in zip(c, c[1:]) for m, edges in EDGES.items()
             for t, line in edges if subpackage(m) == a and subpackage(t) == b]
    assert not c, f"import cycle between sub-packages {' -> '.join(c)}:\n" + "\n".join(steps)


def test_no_module_is_over_300_lines():
    long = [f"{p.relative_to(REPO)}: {n} lines" for p in FILES.values()
            if (n := len(p.read_text().splitlines())) > MAX_LINES]
    assert not long, f"modules over {MAX_LINES} lines; split each:\n" + "\n".join(long)
