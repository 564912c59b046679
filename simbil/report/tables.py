"""Summary tables over per-edit metrics."""

from __future__ import annotations

import pandas as pd

# GMSD: lower is better (↓); grad ratio: the hole's gradient energy over its surroundings', best
# near 1 (→1: a blurred or flat fill is near 0). Columns a table lacks (older CSVs) are left out.
METRIC_LABELS = {"roi_ssim": "RoI SSIM", "roi_ssim_simsg": "RoI SSIM (SIMSG)", "roi_gmsd": "RoI GMSD ↓",
                 "grad_ratio": "grad ratio →1", "roi_psnr": "RoI PSNR", "roi_mae": "RoI MAE", "ssim": "SSIM",
                 "ssim_simsg": "SSIM (SIMSG)", "gmsd": "GMSD ↓", "psnr": "PSNR", "mae": "MAE"}
FOUR_DECIMALS = ("ssim", "gmsd", "grad_ratio")


def summary(df: pd.DataFrame, group: str, order: list[str] | None = None) -> str:
    """Markdown: one table per value of `group`, a row per method with mean metrics, the median
    seconds and the count; the best mean RoI SSIM in bold."""
    parts = []
    cols = [c for c in METRIC_LABELS if c in df.columns]
    for key, g in df.groupby(group, sort=False):
        t = g.groupby("method", sort=False).agg({**{c: "mean" for c in cols}, "seconds": "median",
                                                "method": "size"}).rename(columns={"method": "n"})
        if order:
            t = t.reindex([m for m in order if m in t.index])
        best = t["roi_ssim"].idxmax() if "roi_ssim" in t and t["roi_ssim"].notna().any() else None
        devices = ", ".join(sorted(set(g["device"].dropna()))) if "device" in g else ""
        parts.append(f"**{key}** ({int(t['n'].max())} cases{'; ' + devices if devices else ''})\n")
        parts.append("| method | " + " | ".join(METRIC_LABELS[c] for c in cols) + " | s (median) |")
        parts.append("|---" * (len(cols) + 2) + "|")
        for m, r in t.iterrows():
            name = f"**{m}**" if m == best else m
            vals = [f"{r[c]:.4f}" if any(k in c for k in FOUR_DECIMALS) else f"{r[c]:.2f}" for c in cols]
            parts.append(f"| {name} | " + " | ".join(vals) + f" | {r['seconds']:.2f} |")
        parts.append("")
    return "\n".join(parts)


def metrics_table(rows: list[dict]) -> pd.DataFrame:
    """One row per edit × method, with the benchmark mode its op belongs to."""
    from ..ops import MODE_OF_OP

    df = pd.DataFrame(rows)
    df.insert(1, "mode", df["op"].map(MODE_OF_OP))
    return df


def scored(df: pd.DataFrame) -> pd.DataFrame:
    """The rows that have a ground truth."""
    return df.dropna(subset=["roi_ssim"]) if "roi_ssim" in df else df.iloc[0:0]


def summary_markdown(df: pd.DataFrame, methods: list[str]) -> str:
    s = scored(df)
    md = ["# SIMBIL results\n", f"{df['edit'].nunique()} edits, {len(df)} results of {len(methods)} methods (each "
          f"method makes the ops it lists); {s['edit'].nunique()} edits have a ground truth and are scored. Means "
          "per mode; the best RoI SSIM in bold; seconds are the median per edit.\n"]
    if len(s):
        md.append(summary(s, "mode", order=methods))
    return "\n".join(md)


def summary_html(df: pd.DataFrame) -> str:
    s = scored(df)
    parts = ["<h2>Mean per mode and method (edits with a ground truth)</h2>"]
    if len(s):
        cols = [c for c in METRIC_LABELS if c in s]
        t = s.groupby(["mode", "method"], sort=False)[cols + ["seconds"]].mean().round(4)
        parts.append(t.rename(columns=METRIC_LABELS).to_html())
    parts.append("<h2>Every edit and method</h2>")
    parts.append(df.round(4).to_html(index=False))
    return "<html><body style='font-family:sans-serif'>" + "\n".join(parts) + "</body></html>"
