"""Inpainting speed and memory: a CLEVR-sized hole at 320×240 in-process and through the
`simbil inpaint` command (process start, imports and file I/O included), the same hole in a
3840×2160 image, and vanilla DIP at its paper settings (timed over a few iterations, extrapolated).

Each case runs in its own process (this module with --child CASE) so that its peak RSS is its
own. Prints a markdown table.
Usage: python -m benchmarks.inpaint_speed [--holes 5] [--device auto] [--paper-iterations 10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # where `python -m benchmarks...` finds this package
CASES = ("320x240", "4k", "paper", "cli")


def child(case: str, n: int, device: str, paper_its: int) -> dict:
    """Time one case in this process: {times, rss (peak MB), gpu_mb}. Imports happen here, so
    the parent process and the measurement start bare."""
    import resource
    import time

    import cv2
    import numpy as np
    import torch

    from simbil.inpaint import inpaint

    from .holes import clevr_removals

    holes = clevr_removals(n, seed=0)
    if case == "cli":
        return _cli_times(holes, device)
    times = []
    for h in holes:
        img, mask = h.image, h.mask
        if case == "4k":
            # the same 320x240 scene and hole, in the middle of a 3840x2160 frame
            big = cv2.resize(img, (3840, 2160), interpolation=cv2.INTER_LINEAR)
            y0, x0 = (2160 - 240) // 2, (3840 - 320) // 2
            big[y0:y0 + 240, x0:x0 + 320] = img
            m = np.zeros((2160, 3840), bool)
            m[y0:y0 + 240, x0:x0 + 320] = mask
            img, mask = big, m
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        t = time.perf_counter()
        if case == "paper":
            inpaint(img, mask, "dip", iterations=paper_its, device=device)
        else:
            inpaint(img, mask, "bgdip", device=device)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
        if case == "paper":
            break
    return {"times": times, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "gpu_mb": torch.cuda.max_memory_allocated() / 2**20 if torch.cuda.is_available() else 0}


def _cli_times(holes, device: str) -> dict:
    """Wall-clock seconds of `python -m simbil inpaint IMAGE MASK -o OUT` per hole, from files."""
    import tempfile
    import time

    import numpy as np

    from simbil.imageio import write_image

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, h in enumerate(holes):
            img, mask, out = (str(Path(tmp) / f"{i}{s}.png") for s in ("", "_mask", "_out"))
            write_image(img, h.image)
            write_image(mask, h.mask.astype(np.uint8) * 255)
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "simbil", "inpaint", img, mask, "-o", out, "-q", "--device", device],
                           cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - t)
    return {"times": times, "rss": 0, "gpu_mb": 0}


def run(case: str, n: int, device: str, paper_its: int) -> dict:
    """One case in a fresh process: `python -m benchmarks.inpaint_speed --child CASE ...`."""
    cmd = [sys.executable, "-m", "benchmarks.inpaint_speed", "--child", case, "--holes", str(n),
           "--device", device, "--paper-iterations", str(paper_its)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.inpaint_speed", description=__doc__)
    ap.add_argument("--holes", type=int, default=5)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--paper-iterations", type=int, default=10)
    ap.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)  # one case, in this process; prints JSON
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(child(a.child, a.holes, a.device, a.paper_iterations)))
        return
    from simbil.devices import device_name
    from simbil.inpaint.settings import BGDIP, PAPER

    rows = []
    for case in ("320x240", "4k"):
        r = run(case, a.holes, a.device, 0)
        t = sorted(r["times"])
        rows.append((f"bgdip, {'3840x2160' if case == '4k' else case}", len(t), t[len(t) // 2], r["rss"], r["gpu_mb"]))
        print(f"  {case}: done", file=sys.stderr, flush=True)
    t = sorted(run("cli", a.holes, a.device, 0)["times"])
    rows.append(("bgdip, 320x240, through `simbil inpaint` (process start, imports, files)", len(t), t[len(t) // 2],
                 float("nan"), float("nan")))
    r = run("paper", 1, a.device, a.paper_iterations)
    per_it = r["times"][0] / a.paper_iterations
    rows.append((f"dip, paper settings (5×128, whole 320x240 image), {PAPER.iterations} its, "
                 f"extrapolated from {a.paper_iterations}", 1, per_it * PAPER.iterations, r["rss"], r["gpu_mb"]))
    print(f"\nDevice: {device_name(a.device)}. bgdip: {BGDIP.iterations} iterations, {BGDIP.levels}×{BGDIP.channels} "
          f"net, crop ≤ {BGDIP.max_resolution} px.\n")
    print("| case | holes | median s/hole | peak RSS MB | peak GPU MB |")
    print("|---|---|---|---|---|")
    for name, n, s, rss, gpu in rows:
        print(f"| {name} | {n} | {s:.2f} | {rss:.0f} | {gpu:.0f} |".replace("| nan ", "| – "))
    print(f"\n4K / 320x240 time ratio: {rows[1][2] / rows[0][2]:.2f}")


if __name__ == "__main__":
    main()
