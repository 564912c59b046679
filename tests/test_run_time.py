"""benchmarks.run_time: job-seconds per stage, and how busy the cores were, from Snakemake's
benchmark files (their modification times give each job's end)."""

import os

import pytest

from benchmarks.run_time import main


def _job(root, stage, name, seconds, end):
    d = root / "benchmarks" / stage
    d.mkdir(parents=True, exist_ok=True)
    f = d / f"{name}.tsv"
    f.write_text(f"s\th:m:s\n{seconds}\t0:00:00\n")
    os.utime(f, (end, end))


def test_stages_and_busy_cores(tmp_path, capsys):
    _job(tmp_path, "inpaint", "e-bgdip", 10.0, 1010.0)  # 1000-1010
    _job(tmp_path, "inpaint", "e-telea", 10.0, 1010.0)  # 1000-1010, beside it
    _job(tmp_path, "roi", "train", 10.0, 1020.0)  # 1010-1020, alone: one core idle
    main(["--results", str(tmp_path)])
    out = capsys.readouterr().out
    assert "| inpaint (network) | 1 | 10 |" in out and "| roi (training) | 1 | 10 |" in out
    assert "3 jobs, 30 job-seconds" in out
    assert "last one's end 20 s, 2 cores busy 75 % of it" in out


def test_cores_must_be_positive(tmp_path):
    with pytest.raises(SystemExit) as e:
        main(["--results", str(tmp_path), "--cores", "0"])
    assert e.value.code == 2
