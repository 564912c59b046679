"""Where a pipeline run's time goes: Snakemake's benchmark files (results/benchmarks/<stage>/*.tsv,
one per job) summed per stage, with the jobs' count, mean and share of all job-seconds.

    python -m benchmarks.run_time [--results results]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd


NETWORK = ("-bgdip", "-dip", "-naive", "-roi")  # the default config's methods that fit a network


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", default="results")
    a = ap.parse_args(argv)
    rows = []
    root = Path(a.results, "benchmarks")
    for tsv in sorted(root.rglob("*.tsv")):
        stage, job = tsv.relative_to(root).parts[0], tsv.stem
        kind = stage
        if stage == "inpaint":
            kind += " (network)" if job.endswith(NETWORK) else " (classical)"
        elif stage == "roi":
            kind += " (training)" if job == "train" else " (plans)"
        rows.append({"kind": kind, "job": job, "s": float(pd.read_csv(tsv, sep="\t")["s"].iloc[0])})
    if not rows:
        raise SystemExit(f"no benchmark files under {root}: run the pipeline first")
    df = pd.DataFrame(rows)
    t = df.groupby("kind")["s"].agg(["count", "sum", "mean"]).sort_values("sum", ascending=False)
    total = t["sum"].sum()
    print("| stage | jobs | job-seconds | mean s | share |\n|---|---|---|---|---|")
    for k, r in t.iterrows():
        print(f"| {k} | {int(r['count'])} | {r['sum']:.0f} | {r['mean']:.1f} | {100 * r['sum'] / total:.0f} % |")
    print(f"\n{len(df)} jobs, {total:.0f} job-seconds in all (on 2 cores, about {total / 2 / 60:.1f} min of wall time "
          "if both are always busy)")


if __name__ == "__main__":
    main()
