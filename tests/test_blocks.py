"""Benchmark pairs in blocks (rules/blocks.smk): a block's files are the same bytes as the
one-job-per-pair path's, the tables list every pair, and caching, invalidation and damaged
files work on blocks as on single edits."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

from simbil.pipeline.config import Workflow, block_range
from test_pipeline import TINY, planned, snakemake, write_config

BLOCK = "results/blocks/removal/000000-000001"


def blocked_config(**dataset) -> dict:
    cfg = yaml.safe_load(TINY.read_text())
    cfg["dataset"].update(pairs=3, block=2, **dataset)  # pairs 0-1 a block, pair 2 on its own
    return cfg


@pytest.fixture(scope="module")
def blocked(tmp_path_factory):
    wd = tmp_path_factory.mktemp("blocked")
    write_config(wd, blocked_config())
    assert planned(wd) == {"block_pairs": 1, "block_prepare": 1, "block_inpaint": 2, "block_evaluate": 1,
                           # pair 2, and pair 0's source for the hand-written edit on it
                           "render_pair": 2, "graph": 2, "edit_spec": 2, "removal_mask": 2, "plan": 2,
                           "inpaint": 4, "evaluate": 2, "tables": 1, "summary_figure": 1, "all": 1}
    snakemake(wd)
    return wd


def test_a_block_makes_the_same_bytes_as_one_job_per_pair(blocked, done):
    for m in ("bgdip", "telea"):
        assert (blocked / BLOCK / "methods" / m / "000000.png").read_bytes() == \
            (done / "results/edits/removal-000000" / f"{m}.png").read_bytes()
    assert (blocked / BLOCK / "prepared/000000/mask.png").read_bytes() == \
        (done / "results/edits/removal-000000/mask.png").read_bytes()
    df = pd.read_csv(blocked / "results/tables/metrics.csv")
    assert list(df["edit"]) == [e for e in ("removal-000000", "removal-000001", "removal-000002",
                                            "remove-green-cube") for _ in (0, 1)]
    ours = df[df["edit"] == "removal-000000"].drop(columns="seconds").reset_index(drop=True)
    theirs = pd.read_csv(done / "results/tables/metrics.csv")
    theirs = theirs[theirs["edit"] == "removal-000000"].drop(columns="seconds").reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs)
    assert (blocked / BLOCK / "evaluated/000001.png").exists()
    assert planned(blocked) == {}


def test_a_method_setting_reruns_that_method_in_blocks_and_single_edits(blocked, tmp_path):
    wd = tmp_path / "w"
    shutil.copytree(blocked, wd, symlinks=True)
    cfg = blocked_config()
    cfg["methods"]["bgdip"]["settings"]["iterations"] = 21
    write_config(wd, cfg)
    assert planned(wd) == {"block_inpaint": 1, "block_evaluate": 1, "inpaint": 2, "evaluate": 2, "tables": 1,
                           "summary_figure": 1, "all": 1}


def test_a_damaged_or_missing_file_remakes_its_block_stage(blocked, tmp_path):
    wd = tmp_path / "w"
    shutil.copytree(blocked, wd, symlinks=True)
    telea = wd / BLOCK / "methods/telea/000001.png"
    good = telea.read_bytes()
    telea.write_bytes(good[: len(good) // 2])
    (wd / BLOCK / "prepared/000000/plan.json").unlink()
    assert planned(wd) == {"block_prepare": 1, "block_inpaint": 2, "block_evaluate": 1, "tables": 1,
                           "summary_figure": 1, "all": 1}
    (stamp,) = (wd / "results/damaged").iterdir()
    block = stamp / BLOCK.removeprefix("results/")
    assert sorted(p.name for p in block.iterdir()) == ["methods", "prepared"]
    assert [p.name for p in (block / "methods").iterdir()] == ["telea"]
    snakemake(wd)
    assert planned(wd) == {} and telea.read_bytes() == good


def test_more_pairs_make_a_new_block_and_keep_the_old():
    wf = Workflow({"dataset": {"modes": ["removal", "addition"], "pairs": 250, "block": 100}, "methods": {}})
    assert sorted(b.name for b in wf.blocks.values() if b.mode == "addition") == ["000000-000099", "000100-000199"]
    assert sorted(wf.edits) == [f"{m}-{i:06d}" for m in ("addition", "removal") for i in range(200, 250)]
    assert len(wf.benchmark_ids()) == 500
    assert block_range("000100-000199") == range(100, 200)


def test_a_hand_written_edit_may_not_take_a_block_edits_id(tmp_path):
    cfg = blocked_config()
    cfg["edits"][0]["id"] = "removal-000001"
    write_config(tmp_path, cfg)
    p = snakemake(tmp_path, check=False)
    assert p.returncode == 2 and "removal-000001" in p.stderr and "duplicate" in p.stderr


def test_the_damage_check_leaves_a_running_jobs_folder_alone(tmp_path):
    from simbil.pipeline.cache import quarantine

    block = tmp_path / "results/blocks/removal/000000-000099"
    running = block / "methods" / ".bgdip.tmp123"  # a block_inpaint job still writing
    running.mkdir(parents=True)
    (running / "000000.png").write_bytes(b"half")
    broken = block / "methods" / "telea"  # no index.json: not written whole
    broken.mkdir()
    moved = quarantine(tmp_path / "results")
    assert running.exists() and not broken.exists()
    assert [(m[0], m[1]) for m in moved] == [(str(broken), "no readable index.json")]


def test_a_killed_jobs_half_written_block_folder_is_cleared_by_the_next(tmp_path):
    from simbil.pipeline.blocks import block_folder

    stale = tmp_path / ".bgdip.tmp999999"
    (stale / "000000").mkdir(parents=True)
    with block_folder(str(tmp_path / "bgdip")) as d:
        (d / "a.txt").write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bgdip"]


def test_a_live_jobs_block_folder_is_left_alone(tmp_path):
    import os

    from simbil.pipeline.blocks import block_folder

    live = tmp_path / f".bgdip.tmp{os.getppid()}"  # a process that runs: the test's parent
    live.mkdir()
    with block_folder(str(tmp_path / "bgdip")):
        pass
    assert live.is_dir()
