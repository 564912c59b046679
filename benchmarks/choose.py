"""Choose on the tuning part: of a benchmarks.inpaint CSV's methods, the one with the largest
paired advantage over a reference (mean over tuning holes of its RoI SSIM gain plus its RoI GMSD
gain, GMSD sign-flipped), so that a script can then run only that one on the confirmation part.

    python -m benchmarks.choose CSV --against biharmonic --methods "bgdip,big=bgdip:iterations=1000,..."

Prints the chosen entry of --methods as given (its label and settings) and, on stderr, every
candidate's score.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from .protocol import paired
from .runner import split_variant


def choose(df: pd.DataFrame, against: str, candidates: list[str]) -> str:
    tuning = df[df["part"] == "tuning"]
    t = paired(tuning, against) if (tuning["method"] == against).any() else pd.DataFrame({"method": []})
    t = t[t["method"].isin(candidates)]
    if t.empty:
        raise ValueError(f"none of {candidates} has tuning rows beside {against!r}")
    # paired() gives the reference minus each method; a candidate's advantage is its negative
    score = -t.groupby("method")[["roi_ssim_d", "roi_gmsd_d"]].mean().sum(axis=1)
    for m, v in score.sort_values(ascending=False).items():
        print(f"{m}: {v:+.4f}", file=sys.stderr)
    return score.idxmax()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.choose", description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("--against", default="biharmonic")
    ap.add_argument("--methods", required=True, help="the method list the CSV was run with")
    a = ap.parse_args(argv)
    specs = {split_variant(s)[0]: s for s in a.methods.split(",") if s}
    best = choose(pd.read_csv(a.csv), a.against, [m for m in specs if m != a.against])
    print(specs[best])


if __name__ == "__main__":
    main()
