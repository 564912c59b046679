"""The `simbil` command: thin entry points over the package."""

from __future__ import annotations

import argparse
import sys


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must be WxH, like 320x240, got {text!r}") from None
    if not (16 <= w <= 1920 and 16 <= h <= 1080):
        raise argparse.ArgumentTypeError(f"size {w}x{h} is outside 16x16 … 1920x1080")
    return w, h


def _modes(text: str) -> list[str]:
    from .clevr.pairs import MODES

    modes = [m.strip() for m in text.split(",") if m.strip()]
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        raise argparse.ArgumentTypeError(f"unknown mode(s) {bad or text!r}; choose from {','.join(MODES)}")
    return modes


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def cmd_render_pairs(a) -> int:
    from .clevr.pairs import render_pairs

    w, h = a.size
    folders = render_pairs(a.out, a.pairs, a.modes, a.seed, w, h, jobs=a.jobs)
    print(f"wrote {len(folders)} pairs under {a.out}")
    return 0


def cmd_graph(a) -> int:
    from .graphs import read_graph, save_graph

    g = read_graph(a.input, a.format, image=a.image)
    save_graph(a.output, g)
    print(f"{a.output}: {len(g['objects'])} objects, {len(g['relationships'])} relationships")
    return 0


def cmd_edit(a) -> int:
    import json

    from .clevr.properties import VOCABULARY
    from .graphs import apply_edit, load_graph, read_json, save_graph

    g = load_graph(a.graph)
    new, change = apply_edit(g, read_json(a.edit), VOCABULARY if a.clevr else None)
    if a.output:
        save_graph(a.output, new)
    print(json.dumps(change, indent=1))
    return 0


def _setting(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"a setting is KEY=VALUE, got {text!r}")
    for cast in (int, float):
        try:
            return key, cast(value)
        except ValueError:
            pass
    return key, None if value.lower() == "none" else value


def cmd_inpaint(a) -> int:
    import time

    from .imageio import read_image, read_mask, write_image
    from .inpaint import inpaint

    image, mask = read_image(a.image), read_mask(a.mask)
    settings = dict(a.set or [])
    if a.method in ("bgdip", "dip"):
        settings.update(seed=a.seed, device=a.device)
        if not a.quiet:
            settings["progress"] = lambda it, n, loss, dt: print(
                f"  iteration {it}/{n}  loss {loss:.5f}  {dt:.1f}s", file=sys.stderr, flush=True)
    t = time.perf_counter()
    out = inpaint(image, mask, a.method, **settings)
    write_image(a.output, out)
    print(f"{a.output}: {a.method}, {int(mask.sum())} hole pixels, {time.perf_counter() - t:.1f}s")
    return 0


def torch_threads(n: int) -> None:
    import torch

    torch.set_num_threads(max(1, n))


def cmd_stage(a) -> int:
    """The pipeline's stages, one per Snakemake rule (simbil.pipeline.stages)."""
    import json

    from .pipeline import stages

    if a.stage == "pair":
        w, h = a.size
        print(stages.render_pair(a.root, a.mode, int(a.index), a.seed, w, h))
    elif a.stage == "graph":
        g = stages.make_graph(a.scene, a.output, a.image, a.format)
        print(f"{a.output}: {len(g['objects'])} objects, {len(g['relationships'])} relationships")
    elif a.stage == "edit":
        print(json.dumps(stages.edit_spec(a.output, a.id, a.image, a.spec, a.pair_edit)))
    elif a.stage == "mask":
        m = stages.removal_mask(a.edit, a.graph, a.output, a.dilate, a.shadow)
        print(f"{a.output}: {int(m.sum())} hole pixels")
    elif a.stage == "plan":
        print(json.dumps(stages.plan(a.edit, a.graph, a.output, a.graph_out, a.model, a.truth)))
    elif a.stage == "inpaint":
        info = stages.run_method(a.image, a.mask, a.output, a.name, json.loads(a.settings), a.seed, a.device,
                                 None if a.lock_dir == "default" else a.lock_dir, a.threads,
                                 plan_path=a.plan, graph_path=a.graph,
                                 bank=None if a.bank in (None, "none") else a.bank)
        print(f"{a.output}: {info['kind']} on {info['device']}, {info['seconds']:.2f}s")
    elif a.stage == "evaluate":
        if len(a.outputs) != len(a.methods):
            raise SystemExit("simbil stage evaluate: --outputs and --methods must pair up")
        stages.evaluate(a.plan, a.image, a.mask, dict(zip(a.methods, a.outputs)), a.truth, a.metrics, a.sheet)
        print(f"{a.metrics}, {a.sheet}")
    elif a.stage == "tables":
        df = stages.tables(a.metrics, a.csv, a.md, a.html, a.methods)
        print(f"{a.csv}: {len(df)} rows")
    elif a.stage == "train-roi":
        from .roi.train import TrainSettings, save, train

        torch_threads(a.threads)
        model, info = train(TrainSettings(**json.loads(a.settings)), log=lambda m: print(m, flush=True))
        save(a.output, model, info)
        from .graphs import write_json

        write_json(a.log_json, info)
        print(f"{a.output}: validation mean IoU {info['val']['mean_iou']:.3f}")
    elif a.stage == "bank":
        from .edits.bank import harvest

        w, h = a.size
        index = harvest(a.out, a.scenes, a.seed, w, h,
                        progress=lambda i, n, k: print(f"[{i}/{n}] scenes, {k} objects", flush=True))
        print(f"{a.out}: {len(index)} objects")
    elif a.stage == "photo":
        stages.export_photo(a.name, a.output)
        print(a.output)
    elif a.stage == "figure":
        stages.summary_figure(a.csv, a.methods, a.output)
        print(a.output)
    return 0


def _stage_parser(sub) -> None:
    from .shadow import SOURCES as SHADOW_SOURCES
    s = sub.add_parser("stage", help="one pipeline stage (what the Snakemake rules run)")
    st = s.add_subparsers(dest="stage", required=True)
    x = st.add_parser("pair")
    x.add_argument("--root", required=True)
    x.add_argument("--mode", required=True)
    x.add_argument("--index", required=True)
    x.add_argument("--seed", type=int, default=0)
    x.add_argument("--size", type=_size, default=(320, 240))
    x = st.add_parser("graph")
    x.add_argument("scene")
    x.add_argument("-o", "--output", required=True)
    x.add_argument("--image")
    x.add_argument("--format", default="auto", choices=["auto", "clevr", "vg", "graph"])
    x = st.add_parser("edit")
    x.add_argument("--id", required=True)
    x.add_argument("--image", required=True)
    src = x.add_mutually_exclusive_group(required=True)
    src.add_argument("--spec", help="the edit as JSON")
    src.add_argument("--pair-edit", help="a benchmark pair's edit.json")
    x.add_argument("-o", "--output", required=True)
    x = st.add_parser("mask")
    x.add_argument("edit")
    x.add_argument("graph")
    x.add_argument("-o", "--output", required=True)
    x.add_argument("--dilate", type=int, default=2)
    x.add_argument("--shadow", choices=SHADOW_SOURCES, default="known",
                   help="the graph's shadow mask (else estimated), the estimate always, or none")
    x = st.add_parser("plan")
    x.add_argument("edit")
    x.add_argument("graph")
    x.add_argument("-o", "--output", required=True)
    x.add_argument("--graph-out", required=True)
    x.add_argument("--model", help="the trained RoI predictor (results/models/roi.pt)")
    x.add_argument("--truth", help="the benchmark's target scene, for the true box")
    x = st.add_parser("inpaint")
    x.add_argument("image")
    x.add_argument("mask")
    x.add_argument("-o", "--output", required=True)
    x.add_argument("--name", required=True, help="the method's name in the config")
    x.add_argument("--settings", default="{}", help="JSON: {method: ..., setting: value}")
    x.add_argument("--seed", type=int, default=0)
    x.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    x.add_argument("--lock-dir", default="default", help="folder of GPU lock files (default: per user, in /tmp)")
    x.add_argument("--threads", type=int, default=1)
    x.add_argument("--plan", help="the edit's plan.json (none: a plain removal of MASK)")
    x.add_argument("--graph", help="the source image's graph (object masks, for moves and recolouring)")
    x.add_argument("--bank", help="the object bank folder (replace, add, material changes)")
    x = st.add_parser("train-roi")
    x.add_argument("-o", "--output", required=True)
    x.add_argument("--log-json", required=True)
    x.add_argument("--settings", default="{}", help="JSON of simbil.roi.train.TrainSettings fields")
    x.add_argument("--threads", type=int, default=1)
    x = st.add_parser("bank")
    x.add_argument("--out", required=True)
    x.add_argument("--scenes", type=int, default=40)
    x.add_argument("--seed", type=int, default=0)
    x.add_argument("--size", type=_size, default=(320, 240))
    x = st.add_parser("evaluate")
    x.add_argument("plan")
    x.add_argument("--image", required=True)
    x.add_argument("--mask", required=True)
    x.add_argument("--outputs", nargs="+", required=True)
    x.add_argument("--methods", nargs="+", required=True)
    x.add_argument("--truth", nargs="?", default=None, const=None)
    x.add_argument("--metrics", required=True)
    x.add_argument("--sheet", required=True)
    x = st.add_parser("tables")
    x.add_argument("metrics", nargs="+")
    x.add_argument("--methods", nargs="+", required=True)
    x.add_argument("--csv", required=True)
    x.add_argument("--md", required=True)
    x.add_argument("--html", required=True)
    x = st.add_parser("photo")
    x.add_argument("name", help="a scikit-image photo: astronaut, coffee, chelsea, rocket, motorcycle, camera, …")
    x.add_argument("-o", "--output", required=True)
    x = st.add_parser("figure")
    x.add_argument("csv")
    x.add_argument("--methods", nargs="+", required=True)
    x.add_argument("-o", "--output", required=True)
    s.set_defaults(func=cmd_stage)


def cmd_segment(a) -> int:
    import numpy as np

    from .imageio import read_image, write_image
    from .segment import SegmentSettings, segment

    image = read_image(a.image)
    m = segment(image, a.box.split(","), SegmentSettings(iterations=a.iterations, pad=a.pad))
    write_image(a.output, m.astype(np.uint8) * 255)
    print(f"{a.output}: {int(m.sum())} object pixels")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .clevr.pairs import MODES

    p = argparse.ArgumentParser(prog="simbil", description="Scene-graph image editing with background-guided internal learning.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render-pairs", help="render CLEVR-like before/after pairs (no Blender)")
    r.add_argument("--out", required=True, help="output folder; pairs go to OUT/<mode>/<pair>/")
    r.add_argument("--pairs", type=_positive, default=4, help="pairs per mode (default 4)")
    r.add_argument("--modes", type=_modes, default=list(MODES), help=f"comma-separated, from {','.join(MODES)}")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--size", type=_size, default=(320, 240), help="WxH, default 320x240, at most 1920x1080")
    r.add_argument("--jobs", type=_positive, default=1, help="processes rendering in parallel")
    r.set_defaults(func=cmd_render_pairs)

    g = sub.add_parser("graph", help="read a CLEVR, Visual Genome or SIMBIL graph and write SIMBIL's format")
    g.add_argument("input")
    g.add_argument("-o", "--output", required=True)
    g.add_argument("--format", choices=["auto", "clevr", "vg", "graph"], default="auto")
    g.add_argument("--image", help="image path to record in the graph")
    g.set_defaults(func=cmd_graph)

    e = sub.add_parser("edit", help="apply one edit (JSON) to a graph and print what changed")
    e.add_argument("graph")
    e.add_argument("edit")
    e.add_argument("-o", "--output", help="write the edited graph here")
    e.add_argument("--clevr", action="store_true", help="check names against the CLEVR vocabulary")
    e.set_defaults(func=cmd_edit)

    i = sub.add_parser("inpaint", help="fill the nonzero pixels of MASK in IMAGE")
    i.add_argument("image")
    i.add_argument("mask", help="PNG whose nonzero pixels are the hole, the image's size")
    i.add_argument("-o", "--output", required=True)
    i.add_argument("--method", default="bgdip", help="bgdip (default), dip, telea, ns, biharmonic")
    i.add_argument("--seed", type=int, default=0)
    i.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    i.add_argument("--set", type=_setting, action="append", metavar="KEY=VALUE",
                   help="a method setting, e.g. --set iterations=500 (repeatable)")
    i.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    i.set_defaults(func=cmd_inpaint)

    sg = sub.add_parser("segment", help="outline the object inside a box (GrabCut) and write its mask")
    sg.add_argument("image")
    sg.add_argument("--box", required=True, help="x0,y0,x1,y1 in pixels (x1, y1 exclusive)")
    sg.add_argument("-o", "--output", required=True)
    sg.add_argument("--iterations", type=int, default=5)
    sg.add_argument("--pad", type=int, default=2, help="pixels added around the box")
    sg.set_defaults(func=cmd_segment)

    _stage_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from .graphs import EditError, GraphError
    from .devices import LeaseError
    from .imageio import ImageError
    from .inpaint import InpaintError
    from .segment import SegmentError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (GraphError, EditError, ImageError, InpaintError, LeaseError, SegmentError) as e:
        print(f"simbil: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
