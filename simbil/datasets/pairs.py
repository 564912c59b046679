"""Paired CLEVR-like scenes, before and after one change, with the edit that states it.

Modes, as SIMSG's generator plus attribute: removal, replacement (same place and size, new
shape and colour), relationship (one object moved ≥ 4 units, placement rules kept), addition,
attribute (colour or material changed in place). Both images of a pair share camera, lights
and render seed, so only the edited object, its shadow and reflections of it differ.
"""

from __future__ import annotations

import copy
import functools
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from ..clevr.properties import COLORS, MATERIALS, MOVE_DISTANCE, SHAPES, half_extent
from ..clevr.render import render_scene
from ..clevr.sampler import PlacementError, all_visible, finish, place, placement_ok, random_object, sample_scene
from ..graphs.format import GraphError, write_json
from ..graphs.readers import from_clevr_scene
from ..ops import MODES  # their order seeds each mode's pairs (pair_rng): keep it
MIN_OBJECTS, MAX_OBJECTS = 3, 7


class PairError(RuntimeError):
    pass


def _without(scene: dict, k: int) -> dict:
    s = copy.deepcopy(scene)
    del s["objects"][k]
    return s


def _relations_of(scene: dict, oid: str, width: int, height: int) -> list[dict]:
    g = from_clevr_scene(scene, width=width, height=height)
    return [{"predicate": r["predicate"], "object": r["object"]} for r in g["relationships"] if r["subject"] == oid]


def make_pair(rng: np.random.Generator, mode: str, width: int = 320, height: int = 240, tries: int = 50):
    """(source scene, target scene, edit) for one pair of the given mode."""
    if mode not in MODES:
        raise PairError(f"unknown pair mode {mode!r} (one of {', '.join(MODES)})")
    for _ in range(tries):
        # removal and addition change the count by one: keep both images within 3–7 objects
        lo = MIN_OBJECTS + (mode in ("removal", "addition"))
        scene = sample_scene(rng, int(rng.integers(lo, MAX_OBJECTS + 1)), width, height)
        objs = scene["objects"]
        k = int(rng.integers(len(objs)))
        obj = objs[k]
        edit = {"op": None, "target": obj["id"]}
        if mode == "removal":
            source, target = scene, _without(scene, k)
            edit["op"] = "remove"
        elif mode == "addition":
            # the added object is the last, so its id is the one apply_edit gives a new object
            k = len(objs) - 1
            obj = objs[k]
            source, target = _without(scene, k), scene
            edit = {"op": "add", "new": {"name": obj["shape"], "attributes": {
                "color": obj["color"], "material": obj["material"], "size": obj["size"]}}}
        elif mode == "replacement":
            new = random_object(rng, size=obj["size"], material=obj["material"], rotation=obj["rotation"],
                                shape=str(rng.choice([s for s in SHAPES if s != obj["shape"]])),
                                color=str(rng.choice([c for c in COLORS if c != obj["color"]])))
            others = objs[:k] + objs[k + 1:]
            x, y = obj["3d_coords"][:2]
            if not placement_ok(new, x, y, others, scene["directions"]):
                continue
            moved = dict(new, id=obj["id"])
            moved["3d_coords"] = [x, y, round(half_extent(new["shape"], new["size"]), 6)]
            target = copy.deepcopy(scene)
            target["objects"][k] = moved
            source = scene
            edit.update(op="replace", new={"name": new["shape"], "attributes": {"color": new["color"]}})
        elif mode == "relationship":
            others = objs[:k] + objs[k + 1:]
            moved = place(rng, obj, others, scene["directions"], avoid=obj["3d_coords"], min_move=MOVE_DISTANCE)
            if moved is None:
                continue
            target = copy.deepcopy(scene)
            target["objects"][k] = moved
            source = scene
            edit["op"] = "relation"
        else:  # attribute
            key = str(rng.choice(["color", "material"]))
            choices = [c for c in (COLORS if key == "color" else MATERIALS) if c != obj[key]]
            value = str(rng.choice(choices))
            target = copy.deepcopy(scene)
            target["objects"][k][key] = value
            source = scene
            edit.update(op="attribute", attributes={key: value})
        if not (all_visible(source, width, height) and all_visible(target, width, height)):
            continue
        source, target = finish(copy.deepcopy(source), width, height), finish(copy.deepcopy(target), width, height)
        if mode in ("relationship", "addition"):
            edit["relations"] = _relations_of(target, obj["id"], width, height)
        return source, target, edit
    raise PairError(f"no valid {mode} pair in {tries} tries")


def _save_mask(path: Path, mask: np.ndarray) -> None:
    Image.fromarray(mask.astype(np.uint8) * 255).save(path, optimize=False)


def _write_scene(folder: Path, name: str, scene: dict, width: int, height: int) -> dict:
    """Render and write <name>.png, <name>.json and its masks; return the scene as written."""
    r = render_scene(scene, width, height)
    Image.fromarray(r.image).save(folder / f"{name}.png", optimize=False)
    (folder / "masks").mkdir(exist_ok=True)
    out = copy.deepcopy(scene)
    out.update(image_filename=f"{name}.png", width=width, height=height)
    for i, o in enumerate(out["objects"]):
        o["bbox"] = r.bbox(i)
        o["mask"] = f"masks/{name}_{o['id']}.png"
        o["shadow_mask"] = f"masks/{name}_{o['id']}_shadow.png"
        _save_mask(folder / o["mask"], r.mask(i))
        _save_mask(folder / o["shadow_mask"], r.shadows[i])
    write_json(folder / f"{name}.json", out)
    return out


def pair_rng(seed: int, mode: str, index: int) -> np.random.Generator:
    """Each pair has its own stream: pair i is the same whatever else is asked for."""
    return np.random.default_rng([seed, MODES.index(mode), index])


def write_pair(out: Path, mode: str, index: int, seed: int, width: int, height: int) -> Path:
    """Make and write one pair under out/<mode>/<index:06d>/, replacing it atomically."""
    name = f"{index:06d}"
    final = out / mode / name
    tmp = out / mode / f".{name}.tmp{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        source, target, edit = make_pair(pair_rng(seed, mode, index), mode, width, height)
        _write_scene(tmp, "source", source, width, height)
        _write_scene(tmp, "target", target, width, height)
        edit = {"id": f"{mode}-{name}", "image": f"{mode}/{name}/source", **edit}
        write_json(tmp / "edit.json", edit)
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


@functools.lru_cache(maxsize=256)
def pair_graph(mode: str, index: int, side: str, seed: int, width: int, height: int) -> dict:
    """The graph of a pair's source or target without its files: scenes are seeded per pair, so
    the same sampling write_pair does gives the same objects."""
    try:
        source, target, _ = make_pair(pair_rng(seed, mode, index), mode, width, height)
    except (PairError, PlacementError) as e:  # a frame no scene fits: the config check names why
        raise GraphError(f"dataset ({width}x{height}, seed {seed})", "", f"no {mode} pair {index}: {e}") from None
    return from_clevr_scene(source if side == "source" else target, image=f"{side}.png", width=width, height=height)


def _job(args):
    return write_pair(*args)


def render_pairs(out, pairs: int, modes=MODES, seed: int = 0, width: int = 320, height: int = 240,
                 jobs: int = 1, progress=sys.stderr) -> list[Path]:
    """Write `pairs` pairs of each mode under out; print progress; return the pair folders."""
    out = Path(out)
    tasks = [(out, m, i, seed, width, height) for m in modes for i in range(pairs)]
    done: list[Path] = []
    t0 = time.perf_counter()
    jobs = min(jobs, len(tasks), os.cpu_count() or 1)  # a process a core at most: more only wait
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = pool.map(_job, tasks)
            for n, p in enumerate(results, 1):
                done.append(p)
                _report(progress, n, len(tasks), t0, p)
    else:
        for n, task in enumerate(tasks, 1):
            done.append(_job(task))
            _report(progress, n, len(tasks), t0, done[-1])
    return done


def _report(stream, n, total, t0, path) -> None:
    if stream is None:
        return
    dt = time.perf_counter() - t0
    eta = dt / n * (total - n)
    print(f"[{n}/{total}] {path.parent.name}/{path.name}  {dt:.1f}s elapsed, ~{eta:.0f}s left", file=stream, flush=True)
