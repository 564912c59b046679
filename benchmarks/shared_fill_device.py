"""A shared hole fill on whatever device the host has: bgdip fills each edit's hole (on a GPU if
one is visible) and writes its fill; naive, bgdip without harmonising, takes that fill, fits
nothing and so leases no GPU. Prints, per edit, the device each ran on and whether naive wrote
back the same fill file (docs/benchmarks.md, GPU at the current defaults).

Usage, from the repo root: python -m benchmarks.shared_fill_device
"""

import json
import tempfile
from pathlib import Path

from simbil.datasets.bank import harvest
from simbil.edits.make import RunOptions
from simbil.edits.methods import MethodSpec
from simbil.imageio import read_mask
from simbil.pipeline import stages


def main() -> None:
    t = Path(tempfile.mkdtemp())
    harvest(str(t / "bank"), 5, 0, 320, 240)
    for mode in ("relationship", "attribute", "removal"):
        d = stages.render_pair(str(t / "ds"), mode, 0, 0, 320, 240)
        e = t / mode
        e.mkdir()
        stages.make_graph(str(d / "source.json"), str(e / "graph.json"), str(d / "source.png"))
        stages.edit_spec(str(e / "edit.json"), f"{mode}-0", f"clevr/{mode}/000000/source",
                         pair_edit=str(d / "edit.json"))
        stages.removal_mask(str(e / "edit.json"), str(e / "graph.json"), str(e / "mask.png"), 2, "known",
                            str(e / "outline.png"))
        stages.plan(str(e / "edit.json"), str(e / "graph.json"), str(e / "plan.json"), str(e / "g2.json"),
                    truth_scene=str(d / "target.json"))
        run = RunOptions(device="auto", quiet=True, lock_dir=str(t / "locks"))
        rest = (str(e / "plan.json"), str(e / "graph.json"), str(t / "bank"), str(e / "outline.png"))
        bg = MethodSpec.parse("bgdip", {"roi": "heuristic"})
        nv = MethodSpec.parse("naive", {"method": "bgdip", "harmonise": False, "roi": "heuristic"})
        a = stages.make_edit(str(d / "source.png"), str(e / "mask.png"), str(e / "bgdip.png"), bg, run, *rest,
                             background_out=str(e / "bgdip.npz"))
        b = stages.make_edit(str(d / "source.png"), str(e / "mask.png"), str(e / "naive.png"), nv, run, *rest,
                             background=str(e / "bgdip.npz"), background_out=str(e / "naive.npz"))
        same = (e / "bgdip.npz").read_bytes() == (e / "naive.npz").read_bytes()
        hole = read_mask(e / "mask.png")
        print(json.dumps({"mode": mode, "bgdip_device": a["device"], "bgdip_s": round(a["seconds"], 3),
                          "naive_device": b["device"], "naive_s": round(b["seconds"], 3), "same_fill_file": same,
                          "hole_px": int(hole.sum())}))


if __name__ == "__main__":
    main()
