"""How long Snakemake takes to plan (`snakemake -n`) the default config's methods over 100,
1,000 and 10,000 benchmark edits, and its peak memory: planning must grow no faster than the
number of jobs. Once a mode has `dataset.block` pairs they run in blocks, one job per block and
stage (rules/blocks.smk). Beside each, Snakemake's own floor: a two-rule workflow with the same
number of jobs and nothing else (`--floor`).

    python -m benchmarks.plan_scale [--edits 100,1000,10000] [--floor]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from simbil.ops import MODES

REPO = Path(__file__).resolve().parents[1]


FLOOR = """
import os
N = int(os.environ["SIMBIL_FLOOR_JOBS"]) // 2
rule all:
    input: expand("out/{i}/b.txt", i=range(N))
rule a:
    output: "out/{i}/a.txt"
    log: "logs/a/{i}.log"
    shell: "touch {output}"
rule b:
    input: "out/{i}/a.txt"
    output: "out/{i}/b.txt"
    log: "logs/b/{i}.log"
    shell: "touch {output}"
"""


def floor(jobs: int, folder: Path) -> float:
    """Seconds for Snakemake to plan `jobs` trivial jobs."""
    (folder / "Floor.smk").write_text(FLOOR)
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(folder / "Floor.smk"), "--directory",
           str(folder / "floor"), "-n", "--cores", "1", "--quiet"]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, stdin=subprocess.DEVNULL,
                   env={**os.environ, "SIMBIL_FLOOR_JOBS": str(jobs)})
    return time.perf_counter() - t


def plan(edits: int, folder: Path) -> dict:
    cfg = yaml.safe_load((REPO / "config.yaml").read_text())
    cfg["dataset"].update(modes=list(MODES), pairs=edits // len(MODES))
    cfg.update(edits=[], photos=[])
    cfg_file = folder / f"config-{edits}.yaml"
    cfg_file.write_text(yaml.safe_dump(cfg))
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--directory", str(folder),
           "--configfile", str(cfg_file), "-n", "--cores", "2"]
    rss_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - t
    if p.returncode:
        raise SystemExit(p.stderr[-3000:])
    jobs = int(re.search(r"^total\s+(\d+)$", p.stdout, re.M).group(1))
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"edits": edits, "jobs": jobs, "seconds": seconds, "ms_per_job": 1000 * seconds / jobs,
            "peak_MB": max(rss, rss_before) / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", default="100,1000,10000")
    ap.add_argument("--floor", action="store_true", help="also time a trivial workflow of as many jobs")
    a = ap.parse_args()
    print("| edits | jobs | seconds | ms per job | peak MB |" + (" floor s |" if a.floor else ""))
    print("|---|---|---|---|---|" + ("---|" if a.floor else ""))
    with tempfile.TemporaryDirectory() as d:
        for n in (int(x) for x in a.edits.split(",")):
            r = plan(n, Path(d))
            extra = f" {floor(r['jobs'], Path(d)):.1f} |" if a.floor else ""
            print(f"| {r['edits']} | {r['jobs']} | {r['seconds']:.1f} | {r['ms_per_job']:.2f} | {r['peak_MB']:.0f} |"
                  + extra, flush=True)


if __name__ == "__main__":
    main()
