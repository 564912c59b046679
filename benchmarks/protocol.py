"""Honest comparison: every hole belongs to a tuning or a confirmation part (benchmarks.holes.part);
defaults are chosen on tuning and reported on confirmation, as paired differences against one
method with their standard error."""

from __future__ import annotations

import numpy as np
import pandas as pd

# measure -> +1 where higher is better, -1 where lower is
MEASURES = {"roi_ssim": 1, "roi_gmsd": -1}


def paired(df: pd.DataFrame, reference: str, measures=MEASURES) -> pd.DataFrame:
    """Per set, part and method: the reference's mean advantage over the method on each measure
    (positive: the reference is better), its standard error over holes, and the reference's wins."""
    rows = []
    for (set_name, part), g in df.groupby(["set", "part"], sort=False):
        ref = g[g["method"] == reference].set_index("hole")
        for method, m in g[g["method"] != reference].groupby("method", sort=False):
            m = m.set_index("hole")
            common = ref.index.intersection(m.index)
            row = {"set": set_name, "part": part, "method": method, "n": len(common)}
            for key, sign in measures.items():
                d = sign * (ref.loc[common, key] - m.loc[common, key]).to_numpy(float)
                d = d[np.isfinite(d)]
                row[f"{key}_d"] = d.mean() if len(d) else np.nan
                row[f"{key}_se"] = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.nan
                row[f"{key}_wins"] = f"{int((d > 0).sum())}/{len(d)}"
            rows.append(row)
    return pd.DataFrame(rows)


def paired_markdown(df: pd.DataFrame, reference: str) -> str:
    t = paired(df, reference)
    if t.empty:
        return ""
    head = (f"Paired differences, {reference} minus each method (positive: {reference} better; RoI GMSD "
            "sign-flipped so that positive is better too), mean ± standard error over holes, and wins:\n")
    lines = ["| set | part | method | n | RoI SSIM + | RoI GMSD + |", "|---|---|---|---|---|---|"]
    for r in t.to_dict("records"):
        cells = [f"{r[k + '_d']:+.4f} ± {r[k + '_se']:.4f} ({r[k + '_wins']})" for k in ("roi_ssim", "roi_gmsd")]
        lines.append(f"| {r['set']} | {r['part']} | {r['method']} | {r['n']} | " + " | ".join(cells) + " |")
    return head + "\n".join(lines) + "\n"
