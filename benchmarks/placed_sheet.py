"""A picture of placed objects: moves, an addition and a replacement on CLEVR-like pairs, each
made without and with their shadows and hidden parts (`shadows`, `complete`), beside the truth.

    python -m benchmarks.placed_sheet [--start 200] [--method bgdip] [--out docs/placed.png]

Rows: the first move at or after pair `start` whose object a nearer one partly hid, the first
other move, the first addition and the first replacement. Columns: the input, the method without
shadows and completion, with them (this release's default), the true render. Objects are placed
at the true box, so the picture compares how they look, not where they go.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from simbil.edits.make import RunOptions
from simbil.imageio import read_image
from simbil.pipeline import stages

from .runner import method_table, resolve
from .semantic import _partly_hidden

COLUMNS = ("input", "before: no shadow, no completion", "now: shadow and completion", "truth")


def prepare(root: Path, mode: str, i: int) -> tuple[Path, Path]:
    d = stages.render_pair(str(root / "pairs"), mode, i, 0, 320, 240)
    e = root / f"{mode}-{i}"
    e.mkdir(exist_ok=True)
    stages.make_graph(str(d / "source.json"), str(e / "graph.json"), str(d / "source.png"))
    stages.edit_spec(str(e / "edit.json"), f"{mode}-{i}", f"clevr/{mode}/{i:06d}/source", pair_edit=str(d / "edit.json"))
    stages.removal_mask(str(e / "edit.json"), str(e / "graph.json"), str(e / "mask.png"), 2, "known")
    stages.plan(str(e / "edit.json"), str(e / "graph.json"), str(e / "plan.json"), str(e / "g2.json"), None,
                str(d / "target.json"))
    return d, e


def pick(root: Path, start: int) -> list[tuple[str, int]]:
    rows, hidden, other = [], None, None
    i = start
    while hidden is None or other is None:
        _, e = prepare(root, "relationship", i)
        if _partly_hidden(e / "graph.json", json.loads((e / "edit.json").read_text())["target"]):
            hidden = hidden if hidden is not None else i
        elif other is None:
            other = i
        i += 1
    rows += [("relationship", hidden), ("relationship", other), ("addition", start), ("replacement", start)]
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.placed_sheet", description=__doc__.splitlines()[0])
    ap.add_argument("--start", type=int, default=200)
    ap.add_argument("--method", default="bgdip")
    ap.add_argument("--out", default="docs/placed.png")
    a = ap.parse_args(argv)
    table = method_table()
    now = resolve(f"now={a.method}:roi=truth", table)
    before = resolve(f"before={a.method}:roi=truth:shadows=false:complete=false", table)
    root = Path(tempfile.mkdtemp(prefix="simbil-placed-"))
    from simbil.datasets.bank import SCENES, harvest

    harvest(root / "bank", SCENES, 0)
    run = RunOptions(seed=0, device="cpu", threads=2, quiet=True)
    tiles = []
    for mode, i in pick(root, a.start):
        d, e = prepare(root, mode, i)
        row = [read_image(d / "source.png")]
        for spec in (before, now):
            out = e / f"{spec.name}.png"
            stages.make_edit(str(d / "source.png"), str(e / "mask.png"), str(out), spec, run, str(e / "plan.json"),
                             str(e / "graph.json"), str(root / "bank"))
            row.append(read_image(out))
        row.append(read_image(d / "target.png"))
        tiles.append(np.concatenate(row, axis=1))
        print(f"{mode} {i:06d}", flush=True)
    grid = Image.fromarray((np.concatenate(tiles, axis=0) * 255 + 0.5).astype(np.uint8))
    head = Image.new("RGB", (grid.width, 20), (32, 32, 32))
    for k, text in enumerate(COLUMNS):
        ImageDraw.Draw(head).text((k * 320 + 6, 4), text, fill=(235, 235, 235))
    sheet = Image.new("RGB", (grid.width, grid.height + 20))
    sheet.paste(head, (0, 0))
    sheet.paste(grid, (0, 20))
    sheet = sheet.resize((sheet.width * 3 // 4, sheet.height * 3 // 4), Image.LANCZOS)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(a.out, optimize=True)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
