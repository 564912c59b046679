"""Making one edit's pixels with one method: place the new object (at the box the method's RoI
source gives), let the inpainter fill what the edit uncovered and harmonise around what it
placed, on a leased device."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ..devices import DEFAULT_LOCK_DIR, device_name, lease_device
from ..graphs import EditError
from ..inpaint import fill, get_inpainter
from ..ops import OPS
from .compose import background_region, behind, compose, fill_background, refills_seam, seam_region
from .layers import in_place, nearer, new_layer
from .masks import other_objects
from .methods import MethodSpec
from .shadows import shadow_of


@dataclass(frozen=True)
class RunOptions:
    """How a job runs, apart from what it makes: the same result on any of these."""
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda
    lock_dir: str | None = None  # GPU lease files; None: simbil.devices' default
    threads: int = 1  # torch threads
    quiet: bool = False  # no progress lines


def _box(plan: dict, spec: MethodSpec):
    if not OPS[plan["op"]].places:
        return None
    if spec.roi not in plan["place"]:
        raise EditError(plan["edit"], [("roi", f"method {spec.name!r} wants the {spec.roi!r} box, which this edit "
                                               f"has not (it has: {', '.join(plan['place']) or 'none'})")])
    return plan["place"][spec.roi]


def _progress(name: str):
    return lambda it, n, loss, dt: print(f"  {name}: iteration {it}/{n}  loss {loss:.5f}  {dt:.1f}s",
                                         file=sys.stderr, flush=True)


def beside(g: dict | None, graph_path: str | None, plan: dict, hole: np.ndarray) -> np.ndarray | None:
    """The other objects the graph outlines that touch the hole, whole: not floor to fill from."""
    if g is None or not hole.any():
        return None
    others = other_objects(graph_path, g, plan.get("target"))
    labels, n = ndimage.label(others)
    touching = np.unique(labels[ndimage.binary_dilation(hole) & others])
    return np.isin(labels, touching[touching > 0]) if n else None


def make_edit(img: np.ndarray, hole: np.ndarray, plan: dict, spec: MethodSpec, run: RunOptions,
              g: dict | None = None, graph_path: str | None = None, bank: str | None = None,
              background: np.ndarray | None = None):
    """(edited image, info, background): the image, what made it (method, device, seconds, boxes,
    settings), and the hole's fill before anything was placed (compose.fill_background), which
    another method that fills alike may pass back in as `background` instead of filling again."""
    inp = get_inpainter(spec.inpainter)
    if OPS[plan["op"]].hole != "none" and not hole.any():
        raise EditError(plan["edit"], [("target", "its mask is empty: there is nothing to change")])
    box = _box(plan, spec)
    layer = new_layer(img, plan, g, graph_path, box, bank, spec.complete)
    keep = in_place(plan)
    placed_box, visible = None, None
    if layer is not None and (layer[1] > 0.5).any():
        ys, xs = np.nonzero(layer[1] > 0.5)
        placed_box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
        if not keep:  # placed somewhere: nearer objects are drawn over it
            whole = len(xs)
            layer = (layer[0], behind(layer[1], nearer(g, graph_path, plan, box)))
            visible = round(int((layer[1] > 0.5).sum()) / whole, 3)
    cast = shadow_of(plan, g, graph_path, hole, box, bank) if spec.shadows else None
    shield = beside(g, graph_path, plan, hole) if background is None else None
    # a network fits if it fills the hole, or the seam around a placed object, and either is not
    # too thin for it (that takes the biharmonic fill: no torch, no device)
    fills = [background_region(hole, shield)] if background is None else []
    if refills_seam(layer, spec.harmonise, keep):
        fills.append(seam_region(layer[1]))
    given = {**spec.settings, **({"seed": run.seed} if inp.torch else {})}
    placing = OPS[plan["op"]].places
    asked_for = inp.settings(given, placing=placing, in_place=keep)  # the device is the lease's, below
    network = any(inp.runs_network(m, asked_for) for m in fills)
    if network:
        import torch

        torch.set_num_threads(max(1, run.threads))
    asked = time.perf_counter()
    with lease_device(run.device if network else "cpu", run.lock_dir or DEFAULT_LOCK_DIR) as dev:
        waited = time.perf_counter() - asked
        s = inp.settings({**given, **({"device": dev} if inp.torch else {})}, placing=placing, in_place=keep)
        progress = None if run.quiet or not inp.torch else _progress(spec.name)
        t = time.perf_counter()
        filler = lambda im, m: fill(im, m, inp, s, progress)
        if background is None:
            background = fill_background(img, hole, filler, shield)
        result, _ = compose(img, hole, layer, filler, spec.harmonise, keep, cast, background=background)
        seconds = time.perf_counter() - t
        name = device_name(dev)
    info = {"method": spec.name, "kind": spec.inpainter, "device": name, "seconds": seconds, "lease_wait_s": waited,
            "op": plan["op"], "roi": spec.roi if box is not None else None, "box": box, "placed_box": placed_box,
            "visible": visible,  # share of a placed object's pixels that nearer objects leave in view
            "harmonise": spec.harmonise, "cast_shadow": cast is not None,
            # where it ran: a cluster job's id and the cards it was given, if any
            "slurm_job_id": os.environ.get("SLURM_JOB_ID"),
            "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES"),
            # what differs from the inpainter's defaults: the method's and the op's own settings
            "settings": {**s.changed(inp.defaults), **({"seed": s.seed, "device": s.device} if inp.torch else {})}}
    return result, info, background
