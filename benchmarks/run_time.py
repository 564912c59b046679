"""Where a pipeline run's time goes: Snakemake's benchmark files (results/benchmarks/<stage>/*.tsv,
one per job) summed per stage, with the jobs' count, mean and share of all job-seconds; and how
busy the cores were, each job taken to run from its file's modification time less its seconds
to that time.

    python -m benchmarks.run_time [--results results] [--cores 2]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd


NETWORK = ("-bgdip", "-dip", "-naive", "-roi")  # the default config's methods that fit a network


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", default="results")
    ap.add_argument("--cores", type=int, default=2, help="the run's --cores")
    a = ap.parse_args(argv)
    if a.cores < 1:
        ap.error(f"--cores must be at least 1, got {a.cores}")
    rows = []
    root = Path(a.results, "benchmarks")
    for tsv in sorted(root.rglob("*.tsv")):
        stage, job = tsv.relative_to(root).parts[0], tsv.stem
        kind = stage
        if stage == "inpaint":
            kind += " (network)" if job.endswith(NETWORK) else " (classical)"
        elif stage == "roi":
            kind += " (training)" if job == "train" else " (plans)"
        rows.append({"kind": kind, "job": job, "s": float(pd.read_csv(tsv, sep="\t")["s"].iloc[0]),
                     "end": tsv.stat().st_mtime})
    if not rows:
        raise SystemExit(f"no benchmark files under {root}: run the pipeline first")
    df = pd.DataFrame(rows)
    t = df.groupby("kind")["s"].agg(["count", "sum", "mean"]).sort_values("sum", ascending=False)
    total = t["sum"].sum()
    print("| stage | jobs | job-seconds | mean s | share |\n|---|---|---|---|---|")
    for k, r in t.iterrows():
        print(f"| {k} | {int(r['count'])} | {r['sum']:.0f} | {r['mean']:.1f} | {100 * r['sum'] / total:.0f} % |")
    print(f"\n{len(df)} jobs, {total:.0f} job-seconds in all (on {a.cores} cores, about {total / a.cores / 60:.1f} min "
          "of wall time if all are always busy)")
    start, end = df["end"] - df["s"], df["end"]
    t0, t1 = start.min(), end.max()
    grid = np.arange(t0, t1, 0.5)
    busy = ((start.to_numpy()[:, None] <= grid) & (end.to_numpy()[:, None] > grid)).sum(0)
    print(f"From the first job's start to the last one's end {t1 - t0:.0f} s, {a.cores} cores busy "
          f"{100 * np.minimum(busy, a.cores).mean() / a.cores:.0f} % of it")


if __name__ == "__main__":
    main()
