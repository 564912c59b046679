"""Renderer speed and memory: prints a markdown table, writes benchmarks/results/render_speed.csv.

Each size runs in its own process (this module with --child WxH) pinned to one core, so peak
memory (max RSS) and time belong to that size alone.
Usage: python -m benchmarks.render_speed [--images N] [--sizes 320x240,...]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # where `python -m benchmarks...` finds this package


def child(width: int, height: int, n: int) -> dict:
    """Render n scenes in this process, pinned to one core: {times, objects, peak_rss_mb}.
    NumPy and the renderer are imported after the pinning, so their threads stay on that core."""
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import resource
    import time

    import numpy as np

    from simbil.clevr.render import render_scene
    from simbil.clevr.sampler import sample_scene

    render_scene(sample_scene(np.random.default_rng(999), 5, 160, 120), 160, 120)  # warm-up (imports, caches)
    times, objs = [], []
    for i in range(n):
        rng = np.random.default_rng(i)
        scene = sample_scene(rng, int(rng.integers(3, 8)), width, height)
        t = time.perf_counter()
        render_scene(scene, width, height)
        times.append(time.perf_counter() - t)
        objs.append(len(scene["objects"]))
    return {"times": times, "objects": objs, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.render_speed", description=__doc__)
    ap.add_argument("--images", type=int, default=30)
    ap.add_argument("--sizes", default="320x240,640x480,1920x1080")
    ap.add_argument("--csv", default=str(Path(__file__).parent / "results" / "render_speed.csv"))
    ap.add_argument("--child", metavar="WxH", help=argparse.SUPPRESS)  # one size, --images scenes; prints JSON
    a = ap.parse_args(argv)
    if a.child:
        w, h = a.child.split("x")
        print(json.dumps(child(int(w), int(h), a.images)))
        return
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    rows = []
    for size in a.sizes.split(","):
        w, h = size.split("x")
        n = a.images if int(w) * int(h) <= 640 * 480 else max(3, a.images // 6)
        out = subprocess.run([sys.executable, "-m", "benchmarks.render_speed", "--child", size, "--images", str(n)],
                             cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        t = sorted(r["times"])
        rows.append({"size": size, "images": n, "objects": f"{min(r['objects'])}-{max(r['objects'])}",
                     "median_s": round(t[len(t) // 2], 3), "p90_s": round(t[int(0.9 * (len(t) - 1))], 3),
                     "max_s": round(t[-1], 3), "peak_rss_mb": round(r["peak_rss_mb"])})
        print(f"  {size}: done", file=sys.stderr, flush=True)
    Path(a.csv).parent.mkdir(parents=True, exist_ok=True)
    with open(a.csv, "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(rows[0]))
        wr.writeheader()
        wr.writerows(rows)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"\nRenderer, one core of {cpu}, scenes of 3–7 objects, shading + shadows + anti-aliasing:\n")
    print("| size | images | objects | median s/image | p90 s | max s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['size']} | {r['images']} | {r['objects']} | {r['median_s']} | {r['p90_s']} | {r['max_s']} | {r['peak_rss_mb']} |")
    print(f"\nwrote {a.csv}")


if __name__ == "__main__":
    main()
