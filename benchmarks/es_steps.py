"""How many steps ES-WMV (bgdip's `es_window`) lets each tuning hole run, per set.

Usage:
  python -m benchmarks.es_steps [--window 20] [--patience 50] [--most 300] [--part tuning]
"""

from __future__ import annotations

import argparse

import numpy as np

from simbil.inpaint import fit as dip
from simbil.inpaint import inpaint

from .holes import SETS, part


def steps_run(hole, window: int, patience: int, most: int) -> int:
    """Steps of the fit before ES-WMV stopped it (0: no fit, e.g. a thin hole)."""
    seen = []

    class Counting(dip.WindowedVariance):
        def update(self, it, y, avg):
            seen.append(it)
            return super().update(it, y, avg)

    real, dip.WindowedVariance = dip.WindowedVariance, Counting
    try:
        inpaint(hole.image, hole.mask, "bgdip", es_window=window, es_patience=patience, iterations=most)
    finally:
        dip.WindowedVariance = real
    return len(seen)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.es_steps", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--window", type=int, default=20)
    ap.add_argument("--patience", type=int, default=50)
    ap.add_argument("--most", type=int, default=300)
    ap.add_argument("--part", choices=["tuning", "confirmation"], default="tuning")
    a = ap.parse_args(argv)
    print("| set | fitted holes | median steps | min | max | stopped within 100 |\n|---|---|---|---|---|---|")
    for s in ("clevr", "real", "photos"):
        n = [steps_run(h, a.window, a.patience, a.most)
             for h in SETS[s](50 if s == "clevr" else 2, 0) if part(h) == a.part]
        v = np.array([k for k in n if k])  # thin holes are not fitted
        print(f"| {s} | {len(v)} | {np.median(v):.0f} | {v.min()} | {v.max()} | {(v <= 100).sum()} |", flush=True)


if __name__ == "__main__":
    main()
