"""The same pipeline jobs timed in two checkouts, alternating, so that a noisy machine slows both
alike: each checkout must have run the pipeline (`make run`), so that every job's inputs exist.
The jobs are those of `snakemake -n -p -F` in the second checkout, up to --per-kind of each kind
(the bank, the RoI training and the report's jobs left out: one each, and long or trivial), or
only those whose command matches --match. Each checkout runs its own command of a job (the two
are paired by the job's log file), so a job whose command line changed is timed too.

    python -m benchmarks.job_times OLD NEW [--per-kind 4] [--reps 2] [--match REGEX]

Prints a table of mean seconds per job kind in each checkout and their ratio. A job's outputs are
rewritten in place with what it wrote before (CPU runs are deterministic).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from simbil.inpaint import INPAINTERS

SKIP = ("bank", "train-roi", "tables", "figure")
INPAINTER = re.compile(r'"inpainter": "([^"]+)"')  # in the job's --spec


def jobs(tree: Path) -> list[str]:
    env = dict(os.environ, PATH=f"{tree}/.venv/bin:{os.environ['PATH']}")
    out = subprocess.run([f"{tree}/.venv/bin/snakemake", "--profile", "profiles/default", "-n", "-p", "-F"],
                         cwd=tree, env=env, capture_output=True, text=True, check=True).stdout
    shells = [line.split("Shell command: ", 1)[1].strip() for line in out.splitlines() if "Shell command: " in line]
    return [c for c in shells if c.startswith("python -m simbil stage ")]  # not the rules without a shell


def log_file(command: str) -> str:
    """A job's log, which every rule's command ends by writing: the job's name in both checkouts."""
    m = re.search(r" > (\S+) 2>&1$", command)
    return m[1] if m else command


def kind(command: str) -> str:
    stage = command.split()[4]  # python -m simbil stage <name>
    if stage == "inpaint":
        return "inpaint (network)" if INPAINTERS[INPAINTER.search(command)[1]].torch else "inpaint (classical)"
    return stage


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--per-kind", type=int, default=4)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--match", help="only the jobs whose command matches this regular expression")
    a = ap.parse_args(argv)
    trees = [a.old.resolve(), a.new.resolve()]
    old_jobs = {log_file(c): c for c in jobs(trees[0])}
    by_kind = defaultdict(list)
    for c in jobs(trees[1]):
        if c.split()[4] not in SKIP and log_file(c) in old_jobs and (not a.match or re.search(a.match, c)):
            by_kind[kind(c)].append((old_jobs[log_file(c)], c))
    sample = [pair for k in sorted(by_kind) for pair in by_kind[k][:a.per_kind]]
    seconds = defaultdict(lambda: ([], []))
    rng = random.Random(0)
    for _ in range(a.reps):
        for pair in sample:
            for i in rng.sample([0, 1], 2):  # which checkout goes first, at random
                tree, c = trees[i], pair[i]
                env = dict(os.environ, PATH=f"{tree}/.venv/bin:{os.environ['PATH']}", PYTHONPATH=str(tree))
                t = time.perf_counter()
                if subprocess.run(["bash", "-c", c], cwd=tree, env=env).returncode:
                    sys.exit(f"failed in {tree}: {c}")
                seconds[kind(c)][i].append(time.perf_counter() - t)
    print(f"| job kind | runs each | {a.old.name} s | {a.new.name} s | ratio |\n|---|---|---|---|---|")
    for k in sorted(seconds):
        old, new = (statistics.mean(s) for s in seconds[k])
        print(f"| {k} | {len(seconds[k][0])} | {old:.2f} | {new:.2f} | {new / old:.2f} |")


if __name__ == "__main__":
    main()
