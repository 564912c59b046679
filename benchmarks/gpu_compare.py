"""bgdip on another device against the committed CPU rows of the same confirmation holes.

Reads a CSV of `benchmarks.inpaint --part confirmation --methods bgdip,...` run elsewhere (a GPU)
and prints, per set, the mean RoI SSIM and GMSD of both, and the paired difference (other − CPU)
with its standard error: "the same results within noise" is a difference within about two
standard errors. The CPU rows: the result's, at the current defaults (the confidence gate in;
CPU runs are deterministic, so they stand for any later CPU run of the same code).

Usage: python -m benchmarks.gpu_compare OTHER.csv [--method bgdip]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).parent / "results"
CPU_ROWS = {s: "inpaint_confirmation_confidence.csv" for s in ("clevr", "real", "photos")}


def compare(other: pd.DataFrame, method: str = "bgdip") -> pd.DataFrame:
    rows = []
    for s, name in CPU_ROWS.items():
        cpu = pd.read_csv(RESULTS / name)
        cpu = cpu[(cpu["set"] == s) & (cpu["method"] == method)].set_index("hole")
        dev = other[(other["set"] == s) & (other["method"] == method)].set_index("hole")
        both = cpu.index.intersection(dev.index)
        if both.empty:
            continue
        row = {"set": s, "holes": len(both), "device": dev["device"].iloc[0]}
        for m in ("roi_ssim", "roi_gmsd"):
            d = dev.loc[both, m] - cpu.loc[both, m]
            row[f"{m} CPU"] = round(cpu.loc[both, m].mean(), 4)
            row[f"{m} other"] = round(dev.loc[both, m].mean(), 4)
            row[f"{m} other − CPU"] = f"{d.mean():+.4f} ± {d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else 0:.4f}"
        row["median s/hole other"] = round(dev.loc[both, "seconds"].median(), 2)
        rows.append(row)
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.gpu_compare", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--method", default="bgdip")
    a = ap.parse_args(argv)
    table = compare(pd.read_csv(a.csv), a.method)
    if table.empty:
        raise SystemExit(f"{a.csv}: no {a.method} rows on the confirmation holes of clevr, real or photos")
    print(table.to_markdown(index=False))


if __name__ == "__main__":
    main()
