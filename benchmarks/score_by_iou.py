"""How a placed object's score follows its box's overlap with the truth: per mode, the mean of a
measure over the edits whose RNN-placed box meets the true one at IoU in each bin, for runs of
benchmarks.semantic (each CSV's own `roi:rnn` rows give its IoU, so runs of other code compare).

    python -m benchmarks.score_by_iou CSV:METHOD [CSV:METHOD ...] [--measure shadow_roi_ssim]
"""

from __future__ import annotations

import argparse

import pandas as pd

BINS = [-0.001, 0.001, 0.2, 0.4, 0.6, 0.8, 1.0]  # the first bin: a clean miss (IoU 0)


def by_iou(df: pd.DataFrame, method: str, measure: str) -> pd.DataFrame:
    """mode × IoU bin: mean measure (and the number of edits) of `method`."""
    iou = df[df["method"] == "roi:rnn"].set_index(["mode", "edit"])["iou"]
    m = df[df["method"] == method].set_index(["mode", "edit"])
    both = m.join(iou.rename("box_iou"), how="inner").reset_index()
    if both.empty:
        raise SystemExit(f"no {method!r} rows with an roi:rnn IoU beside them")
    bins = pd.cut(both["box_iou"], BINS)
    names = ["0"] + [str(c) for c in bins.cat.categories[1:]]
    both["IoU"] = bins.cat.rename_categories(names)  # categorical: groups come in bin order
    return both.groupby(["mode", "IoU"], observed=True)[measure].agg(["mean", "count"])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.score_by_iou", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", metavar="CSV:METHOD")
    ap.add_argument("--measure", default="shadow_roi_ssim")
    a = ap.parse_args(argv)
    tables = []
    for run in a.runs:
        path, sep, method = run.partition(".csv:")  # method names may hold colons (old:bgdip)
        if not sep:
            ap.error(f"{run!r}: give FILE.csv:METHOD")
        path += ".csv"
        df = pd.read_csv(path)
        if a.measure not in df:
            ap.error(f"{path}: no column {a.measure!r}")
        t = by_iou(df, method, a.measure)
        tables.append(t.set_axis([f"{method} mean", f"{method} n"], axis=1).round(4))
    out = pd.concat(tables, axis=1).sort_index().reset_index()
    print(f"{a.measure}, mean per bin of the placed box's IoU with the truth's:\n")
    print(out.to_markdown(index=False))


if __name__ == "__main__":
    main()
