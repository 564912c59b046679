"""`simbil stage <name>`: the command line of each pipeline stage, as the rules call them.
Optional file arguments may be given empty (a rule's empty input list)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WxH, like 320x240, got {text!r}") from None
    from ..clevr.properties import ASPECT

    if not (16 <= w <= 1920 and 16 <= h <= 1080):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is outside 16x16 … 1920x1080")
    if not ASPECT[0] <= w / h <= ASPECT[1]:
        raise argparse.ArgumentTypeError(f"size {w}x{h}: width / height must lie between {ASPECT[0]} and {ASPECT[1]} "
                                         "(the camera sees too little floor for a scene past them)")
    return w, h


def _dilate(text: str) -> int:
    n = int(text)
    if not 0 <= n <= 50:  # the config's bounds (schemas/config.schema.yaml, masks.dilate)
        raise argparse.ArgumentTypeError(f"must be 0 to 50, got {n}")
    return n


def _index(text: str) -> int:
    n = int(text)
    if not 0 <= n <= 999_999:  # six digits name its folder
        raise argparse.ArgumentTypeError(f"must be 0 to 999999, got {n}")
    return n


def _block(text: str) -> str:
    first, sep, last = text.partition("-")
    if not (sep and len(first) == len(last) == 6 and first.isdigit() and last.isdigit() and first <= last):
        raise argparse.ArgumentTypeError(f"a block is its first and last pair, 000100-000199, got {text!r}")
    return text


def _json_text(text: str) -> str:
    """A JSON argument, checked here so that a malformed one ends in a usage error, not a traceback.
    Empty is left to the stage (a rule's empty parameter)."""
    try:
        if text:
            json.loads(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not JSON ({e}): {text[:80]!r}") from None
    return text


def _torch_threads(n: int) -> None:
    import torch

    torch.set_num_threads(max(1, n))


def _run_options(a):
    from ..edits.make import RunOptions

    return RunOptions(a.seed, a.device, a.lock_dir or None, a.threads)


def run_block_stage(a) -> None:
    from . import blocks

    if a.stage == "block-pairs":
        blocks.pairs(a.output, a.mode, a.block, a.seed, *a.size)
    elif a.stage == "block-prepare":
        blocks.prepare(a.pairs, a.output, a.mode, a.block, a.dilate, a.shadow, a.model)
    elif a.stage == "block-inpaint":
        from ..edits.methods import MethodSpec

        bank = str(Path(a.bank).parent) if a.bank else None
        blocks.inpaint(a.pairs, a.prepared, a.output, a.mode, a.block, MethodSpec.from_json(a.spec),
                       _run_options(a), bank)
    elif a.stage == "block-evaluate":
        if len(a.outputs) != len(a.methods):
            raise SystemExit("simbil stage block-evaluate: --outputs and --methods must pair up")
        blocks.evaluate(a.pairs, a.prepared, dict(zip(a.methods, a.outputs)), a.output, a.mode, a.block)
    print(a.output)


def run_stage(a) -> int:
    from . import stages  # here, not at the top: `simbil inpaint` and the other commands need none of it

    if a.stage == "pair":
        print(stages.render_pair(a.root, a.mode, a.index, a.seed, *a.size))
    elif a.stage == "bank":
        index = stages.object_bank(a.out, a.scenes, a.seed, *a.size,
                                   progress=lambda i, n, k: print(f"[{i}/{n}] scenes, {k} objects", flush=True))
        print(f"{a.out}: {len(index)} objects")
    elif a.stage == "photo":
        stages.export_photo(a.name, a.output, a.graph_out)
        print(a.output)
    elif a.stage == "graph":
        g = stages.make_graph(a.scene, a.output, a.image, a.format)
        print(f"{a.output}: {len(g['objects'])} objects, {len(g['relationships'])} relationships")
    elif a.stage == "edit":
        print(json.dumps(stages.edit_spec(a.output, a.id, a.image, a.spec or None, a.pair_edit)))
    elif a.stage == "mask":
        m = stages.removal_mask(a.edit, a.graph, a.output, a.dilate, a.shadow, a.outline)
        print(f"{a.output}: {int(m.sum())} hole pixels")
    elif a.stage == "plan":
        print(json.dumps(stages.plan(a.edit, a.graph, a.output, a.graph_out, a.model, a.truth)))
    elif a.stage == "train-roi":
        _torch_threads(a.threads)
        info = stages.train_roi(a.output, a.log_json, json.loads(a.settings), lambda m: print(m, flush=True))
        print(f"{a.output}: validation mean IoU {info['val']['mean_iou']:.3f}")
    elif a.stage == "inpaint":
        from ..edits.methods import MethodSpec

        bank = str(Path(a.bank).parent) if a.bank else None
        info = stages.make_edit(a.image, a.mask, a.output, MethodSpec.from_json(a.spec), _run_options(a), a.plan,
                                a.graph, bank, a.outline, a.background, a.background_out)
        print(f"{a.output}: {info['kind']} on {info['device']}, {info['seconds']:.2f}s")
    elif a.stage == "evaluate":
        if len(a.outputs) != len(a.methods):
            raise SystemExit("simbil stage evaluate: --outputs and --methods must pair up")
        stages.evaluate(a.plan, a.image, a.mask, dict(zip(a.methods, a.outputs)), a.truth, a.metrics, a.sheet)
        print(f"{a.metrics}, {a.sheet}")
    elif a.stage.startswith("block-"):
        run_block_stage(a)
    elif a.stage == "tables":
        from .blocks import metrics_files

        df = stages.tables(metrics_files(a.metrics), a.csv, a.md, a.html, a.methods)
        print(f"{a.csv}: {len(df)} rows")
    elif a.stage == "chain-graph":
        g = stages.chain_graph(a.plan, a.graph, a.info, a.image, a.output)
        print(f"{a.output}: {len(g['objects'])} objects")
    elif a.stage == "chain-sheet":
        if len(a.images) != len(a.labels):
            raise SystemExit("simbil stage chain-sheet: --images and --labels must pair up")
        stages.chain_sheet(a.images, a.labels, a.output)
        print(a.output)
    elif a.stage == "figure":
        stages.summary_figure(a.csv, a.methods, a.output)
        print(a.output)
    return 0


def add_stage_parser(sub) -> None:
    from ..ops import MODES, SHADOW_SOURCES

    s = sub.add_parser("stage", help="one pipeline stage (what the Snakemake rules run)")
    st = s.add_subparsers(dest="stage", required=True)

    def stage(name, *args, **options):
        x = st.add_parser(name)
        for a in args:
            x.add_argument(a)
        for flag, kw in options.items():
            x.add_argument(*flag.split("|"), **kw)
        return x

    req, maybe = {"required": True}, {"nargs": "?", "default": None, "const": None}
    size = {"type": parse_size, "default": (320, 240)}
    mode = {**req, "choices": MODES}
    stage("pair", **{"--root": req, "--mode": mode, "--index": {**req, "type": _index},
                     "--seed": {"type": int, "default": 0}, "--size": size})
    stage("bank", **{"--out": req, "--scenes": {"type": int, "default": None,
                                                "help": "default: the pipeline's, simbil.datasets.bank.SCENES"},
                     "--seed": {"type": int, "default": 0},
                     "--size": size})
    stage("photo", "name", **{"-o|--output": req, "--graph-out": maybe})
    stage("graph", "scene", **{"-o|--output": req, "--image": {},
                               "--format": {"default": "auto", "choices": ["auto", "clevr", "vg", "graph"]}})
    stage("edit", **{"--id": req, "--image": req, "--spec": {**maybe, "type": _json_text, "help": "the edit as JSON"},
                     "--pair-edit": {**maybe, "help": "a benchmark pair's edit.json"}, "-o|--output": req})
    stage("mask", "edit", "graph", **{"-o|--output": req, "--dilate": {"type": _dilate, "default": 2},
                                      "--shadow": {"choices": SHADOW_SOURCES, "default": "known"},
                                      "--outline": {**maybe, "help": "also write the target's outline here"}})
    stage("plan", "edit", "graph", **{"-o|--output": req, "--graph-out": req, "--model": maybe, "--truth": maybe})
    stage("train-roi", **{"-o|--output": req, "--log-json": req, "--settings": {"default": "{}", "type": _json_text},
                          "--threads": {"type": int, "default": 1}})
    run = {"--spec": {**req, "type": _json_text, "help": "the method's MethodSpec as JSON"},
           "--seed": {"type": int, "default": 0},
           "--device": {"default": "auto", "choices": ["auto", "cpu", "cuda"]},
           "--lock-dir": {"nargs": "?", "default": "", "const": "",
                          "help": "folder of GPU lock files (empty: per user, in /tmp)"},
           "--threads": {"type": int, "default": 1}, "--bank": {**maybe, "help": "the object bank's index.json"}}
    stage("inpaint", "image", "mask", **{"-o|--output": req, "--plan": maybe, "--graph": maybe, **run,
                                         "--outline": {**maybe, "help": "the mask stage's outline of the target"},
                                         "--background": {**maybe, "help": "the hole's fill another method wrote"},
                                         "--background-out": {**maybe, "help": "write the hole's fill here"}})
    stage("evaluate", "plan", **{"--image": req, "--mask": req, "--outputs": {"nargs": "+", **req},
                                 "--methods": {"nargs": "+", **req}, "--truth": maybe, "--metrics": req,
                                 "--sheet": req})
    stage("tables", **{"metrics": {"nargs": "+"}, "--methods": {"nargs": "+", **req}, "--csv": req, "--md": req,
                       "--html": req})
    stage("chain-graph", **{"--plan": req, "--graph": req, "--info": req, "--image": req, "-o|--output": req})
    stage("chain-sheet", **{"--images": {"nargs": "+", **req}, "--labels": {"nargs": "+", **req},
                            "-o|--output": req})
    block = {"--mode": mode, "--block": {**req, "type": _block, "help": "its pairs, first-last: 000100-000199"},
             "-o|--output": req}
    stage("block-pairs", **block, **{"--seed": {"type": int, "default": 0}, "--size": size})
    stage("block-prepare", **block, **{"--pairs": req, "--dilate": {"type": _dilate, "default": 2},
                                       "--shadow": {"choices": SHADOW_SOURCES, "default": "known"}, "--model": maybe})
    stage("block-inpaint", **block, **{"--pairs": req, "--prepared": req, **run})
    stage("block-evaluate", **block, **{"--pairs": req, "--prepared": req, "--outputs": {"nargs": "+", **req},
                                        "--methods": {"nargs": "+", **req}})
    stage("figure", "csv", **{"--methods": {"nargs": "+", **req}, "-o|--output": req})
    s.set_defaults(func=run_stage)
