"""A bar chart drawn with Pillow: mean RoI SSIM per mode (group) and method (bar)."""

from __future__ import annotations

import pandas as pd
from PIL import Image, ImageDraw

PALETTE = [(214, 69, 65), (66, 133, 244), (244, 180, 0), (15, 157, 88), (171, 71, 188), (0, 172, 193),
           (255, 112, 67), (158, 157, 36)]


def ssim_bars(df: pd.DataFrame, methods: list[str], metric: str = "roi_ssim", width: int = 900,
              height: int = 400) -> Image.Image:
    scored = df.dropna(subset=[metric]) if metric in df else df.iloc[0:0]
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((10, 8), f"mean {metric.replace('_', ' ')} per mode and method (higher is better)", fill="black")
    if scored.empty:
        d.text((10, height // 2), "no edit has a ground truth to score against", fill="black")
        return img
    means = scored.groupby(["mode", "method"])[metric].mean()
    modes = list(dict.fromkeys(scored["mode"]))
    lo = max(0.0, float(means.min()) - 0.05)
    left, top, bottom = 50, 30, height - 70
    plot_w = width - left - 10
    group_w = plot_w / len(modes)
    bar_w = group_w * 0.8 / len(methods)
    y = lambda v: bottom - (v - lo) / (1 - lo) * (bottom - top)
    for t in (lo, (lo + 1) / 2, 1.0):
        d.line([(left, y(t)), (width - 10, y(t))], fill=(220, 220, 220))
        d.text((4, y(t) - 6), f"{t:.2f}", fill="black")
    for g, mode in enumerate(modes):
        x0 = left + g * group_w + group_w * 0.1
        for k, m in enumerate(methods):
            if (mode, m) not in means:
                continue
            v = float(means[(mode, m)])
            xa = x0 + k * bar_w
            d.rectangle([xa, y(v), xa + bar_w - 2, bottom], fill=PALETTE[k % len(PALETTE)])
            if bar_w >= 18:
                d.text((xa, y(v) - 12), f"{v:.3f}"[1:], fill="black")
        d.text((x0, bottom + 4), mode, fill="black")
    for k, m in enumerate(methods):  # the legend, five to a row
        xa, ya = left + (k % 5) * 165, height - 40 + (k // 5) * 18
        d.rectangle([xa, ya, xa + 10, ya + 10], fill=PALETTE[k % len(PALETTE)])
        d.text((xa + 14, ya - 2), m, fill="black")
    return img
