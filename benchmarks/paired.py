"""Paired differences between two methods of a benchmarks.semantic CSV, per mode: mean of each
measure for both and the mean per-edit difference with its standard error; moves also on the
edits whose object a nearer one partly hid.

    python -m benchmarks.paired CSV[,CSV...] AFTER:BEFORE [AFTER:BEFORE ...]

Several CSVs (joined by commas) are read as one: runs of more pairs, or of older code.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

MEASURES = ("roi_ssim", "roi_gmsd", "shadow_roi_ssim", "shadow_roi_gmsd")


def paired(df: pd.DataFrame, after: str, before: str) -> list[dict]:
    rows = []
    px = df[~df["method"].str.startswith("roi:")]
    for mode, g in px.groupby("mode", sort=False):
        a, b = (g[g["method"] == m].set_index("edit") for m in (after, before))
        if a.empty or b.empty:
            continue
        subsets = [("all", a.index)]
        if "partly_hidden" in a and a["partly_hidden"].notna().any():
            subsets.append(("partly hidden", a.index[a["partly_hidden"].astype(bool)]))
        for name, idx in subsets:
            row = {"mode": mode, "edits": name, "n": len(idx), "after": after, "before": before}
            for col in MEASURES:
                if col not in a:
                    continue
                d = (a.loc[idx, col] - b.loc[idx, col]).dropna()
                row[col] = f"{b.loc[idx, col].mean():.4f} → {a.loc[idx, col].mean():.4f} ({d.mean():+.4f} ± " \
                           f"{d.std(ddof=1) / np.sqrt(len(d)):.4f})"
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.paired", description=__doc__.splitlines()[0])
    ap.add_argument("csv", help="a benchmarks.semantic CSV, or several joined by commas")
    ap.add_argument("pairs", nargs="+", help="AFTER:BEFORE method names")
    a = ap.parse_args(argv)
    df = pd.concat([pd.read_csv(f) for f in a.csv.split(",")], ignore_index=True)
    rows = [r for p in a.pairs for r in paired(df, *p.split(":", 1))]
    print(pd.DataFrame(rows).to_markdown(index=False))


if __name__ == "__main__":
    main()
