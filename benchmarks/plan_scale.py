"""How long Snakemake takes to plan (`snakemake -n`) the default config's methods over 100,
1,000 and 10,000 benchmark edits, and its peak memory: planning must grow no faster than the
number of jobs. Once a mode has `dataset.block` pairs they run in blocks, one job per block and
stage (rules/blocks.smk). Beside each, Snakemake's own floor: a two-rule workflow with the same
number of jobs and nothing else (`--floor`).

    python -m benchmarks.plan_scale [--edits 100,1000,10000] [--floor] [--check]

`--check` also times the damaged-file check (simbil.pipeline.cache.quarantine) that every run
makes first, on a finished 10,000-edit run's block folders (written here as stand-ins: 100 blocks
of 100 pairs, the default's file names and counts per pair, small files).
"""

from __future__ import annotations

import argparse
import json
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


def check_time(folder: Path, modes=MODES, blocks: int = 20, methods: int = 5, masks: int = 34) -> tuple[int, float]:
    """(files, seconds) of quarantine() over a stand-in finished run's block folders."""
    from simbil.pipeline.cache import quarantine

    per_pair = {"pairs": ["source.png", "target.png", "source.json", "target.json", "edit.json", "source.graph.json",
                          *(f"masks/m{k}.png" for k in range(masks))],
                "prepared": ["edit.json", "mask.png", "plan.json", "graph.json"],
                **{f"methods/m{k}": ["png", "json"] for k in range(methods)}, "evaluated": ["png", "json"]}
    n = 0
    for mode in modes:
        for b in range(blocks):
            for stage, names in per_pair.items():
                d = folder / "results/blocks" / mode / f"{b * 100:06d}-{b * 100 + 99:06d}" / stage
                files = {}
                for i in range(b * 100, b * 100 + 100):
                    for name in names:
                        f = f"{i:06d}.{name}" if "." not in name else f"{i:06d}/{name}"
                        (d / f).parent.mkdir(parents=True, exist_ok=True)
                        (d / f).write_bytes(b"{}")
                        files[f] = 2
                (d / "index.json").write_text(json.dumps({"files": files}))
                n += len(files)
    t = time.perf_counter()
    moved = quarantine(folder / "results")
    assert not moved, moved[:3]
    return n, time.perf_counter() - t


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
    ap.add_argument("--check", action="store_true", help="also time the damaged-file check of a finished run")
    a = ap.parse_args()
    print("| edits | jobs | seconds | ms per job | peak MB |" + (" floor s |" if a.floor else ""))
    print("|---|---|---|---|---|" + ("---|" if a.floor else ""))
    with tempfile.TemporaryDirectory() as d:
        for n in (int(x) for x in a.edits.split(",")):
            r = plan(n, Path(d))
            extra = f" {floor(r['jobs'], Path(d)):.1f} |" if a.floor else ""
            print(f"| {r['edits']} | {r['jobs']} | {r['seconds']:.1f} | {r['ms_per_job']:.2f} | {r['peak_MB']:.0f} |"
                  + extra, flush=True)
        if a.check:
            files, seconds = check_time(Path(d) / "finished")
            print(f"\ndamaged-file check of a finished 10,000-edit run's blocks: {files} files, {seconds:.1f} s")


if __name__ == "__main__":
    main()
