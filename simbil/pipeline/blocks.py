"""A block of benchmark pairs through the pipeline's stages, one job per block and stage
(rules/blocks.smk): the per-pair stage functions of simbil.pipeline.stages called in a loop, so
a pair's files are the same bytes whichever way it was made. A block stage writes its folder
under a temporary name, adds an index.json of its files and their sizes, and renames it when
done: readers (and simbil.pipeline.cache) never see half a block.

    <block>/pairs/<mode>/<pair>/    source.png|json, target.png|json, edit.json, source.graph.json
    <block>/prepared/<pair>/        edit.json, mask.png, plan.json, graph.json (the edited graph)
    <block>/methods/<method>/       <pair>.png and <pair>.json, as the inpaint stage writes them
    <block>/evaluated/              <pair>.json (metrics) and <pair>.png (contact sheet)
"""

from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from . import stages
from .config import block_range, pair_name

INDEX = "index.json"


@contextmanager
def block_folder(out: str):
    """A folder made whole or not at all: written as .<name>.tmp<pid>, then renamed to `out`."""
    final = Path(out)
    tmp = final.with_name(f".{final.name}.tmp{os.getpid()}")
    for stale in final.parent.glob(f".{final.name}.tmp*"):  # a killed job's, not a live one's
        if not _alive(stale.name.rpartition(".tmp")[2]):
            shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)  # this process's own, from an earlier call
    tmp.mkdir(parents=True)
    try:
        yield tmp
        files = {str(p.relative_to(tmp)): p.stat().st_size for p in sorted(tmp.rglob("*")) if p.is_file()}
        (tmp / INDEX).write_text(json.dumps({"files": files}, indent=0))
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: str) -> bool:
    """Whether a process of this id runs on this machine (a job run by hand beside Snakemake's)."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # another user's: it runs
        pass
    return True


def listed(folder: str | Path) -> list[Path]:
    """A finished block folder's files, as its index lists them."""
    folder = Path(folder)
    return [folder / f for f in json.loads((folder / INDEX).read_text())["files"]]


def _progress(done: int, total: int, t0: float, what: str) -> None:
    print(f"[{done}/{total}] {what}, {time.perf_counter() - t0:.1f}s", flush=True)


def _pair(pairs_dir, mode: str, i: int) -> Path:
    return Path(pairs_dir) / mode / pair_name(i)


def pairs(out: str, mode: str, block: str, seed: int, width: int, height: int) -> None:
    """Render the block's pairs and read each source scene as a graph (the graph stage's work)."""
    t0, todo = time.perf_counter(), block_range(block)
    with block_folder(out) as d:
        for n, i in enumerate(todo, 1):
            p = stages.render_pair(str(d), mode, i, seed, width, height)
            stages.make_graph(str(p / "source.json"), str(p / "source.graph.json"), str(p / "source.png"), "clevr")
            _progress(n, len(todo), t0, "pairs rendered")


def prepare(pairs_dir: str, out: str, mode: str, block: str, dilate: int, shadow: str,
            model: str | None) -> None:
    """Each pair's edit file, hole and plan (the edit, mask and plan stages)."""
    t0, todo = time.perf_counter(), block_range(block)
    with block_folder(out) as d:
        for n, i in enumerate(todo, 1):
            p, e = _pair(pairs_dir, mode, i), d / pair_name(i)
            e.mkdir()
            src = str(p / "source.graph.json")
            stages.edit_spec(str(e / "edit.json"), f"{mode}-{pair_name(i)}", f"clevr/{mode}/{pair_name(i)}/source",
                             pair_edit=str(p / "edit.json"))
            stages.removal_mask(str(e / "edit.json"), src, str(e / "mask.png"), dilate, shadow)
            stages.plan(str(e / "edit.json"), src, str(e / "plan.json"), str(e / "graph.json"), model,
                        str(p / "target.json"))
            _progress(n, len(todo), t0, "edits planned")


def inpaint(pairs_dir: str, prepared: str, out: str, mode: str, block: str, spec, run, bank: str | None) -> None:
    """Every pair's edit with one method (the inpaint stage)."""
    t0, todo = time.perf_counter(), block_range(block)
    with block_folder(out) as d:
        for n, i in enumerate(todo, 1):
            p, e = _pair(pairs_dir, mode, i), Path(prepared) / pair_name(i)
            stages.make_edit(str(p / "source.png"), str(e / "mask.png"), str(d / f"{pair_name(i)}.png"), spec, run,
                             str(e / "plan.json"), str(p / "source.graph.json"), bank)
            _progress(n, len(todo), t0, f"{spec.name} edits made")


def evaluate(pairs_dir: str, prepared: str, outputs: dict[str, str], out: str, mode: str, block: str) -> None:
    """Every pair's scores and contact sheet (the evaluate stage); outputs: method -> its folder."""
    t0, todo = time.perf_counter(), block_range(block)
    with block_folder(out) as d:
        for n, i in enumerate(todo, 1):
            p, e, name = _pair(pairs_dir, mode, i), Path(prepared) / pair_name(i), pair_name(i)
            stages.evaluate(str(e / "plan.json"), str(p / "source.png"), str(e / "mask.png"),
                            {m: f"{folder}/{name}.png" for m, folder in outputs.items()}, str(p / "target.png"),
                            str(d / f"{name}.json"), str(d / f"{name}.png"))
            _progress(n, len(todo), t0, "edits scored")


def metrics_files(paths: list[str]) -> list[str]:
    """The tables stage's inputs: per-edit metrics files, and evaluated block folders' ones."""
    out = []
    for path in paths:
        if os.path.isdir(path):
            out += [str(f) for f in listed(path) if f.suffix == ".json"]
        else:
            out.append(path)
    return out
