"""The Snakemake workflow on tests/config-tiny.yaml, run for real in a temporary folder:
outputs, caching and invalidation (which jobs a change plans), bad configs, failing jobs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "tests" / "config-tiny.yaml"


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir),
           "--cores", "2", "--resources", "gpu=1", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=600)
    if check and p.returncode:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{p.stdout[-4000:]}\n{p.stderr[-4000:]}")
    return p


def planned(workdir: Path) -> dict[str, int]:
    """Rule name -> job count of a dry run ({} when nothing is to be done)."""
    out = snakemake(workdir, "-n").stdout
    if "Nothing to be done" in out:
        return {}
    table = out.split("Job stats:", 1)[1].split("total", 1)[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M)}


def write_config(workdir: Path, cfg: dict) -> None:
    (workdir / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))


def test_the_tiny_workflow_makes_every_output(done):
    r = done / "results"
    for edit in ("removal-000000", "remove-green-cube"):
        for m in ("bgdip", "telea"):
            assert Image.open(r / "edits" / edit / f"{m}.png").size == (320, 240)
        assert (r / "figures" / "edits" / f"{edit}.png").exists()
        assert json.loads((r / "edits" / edit / "metrics.json").read_text())["edit"] == edit
    df = pd.read_csv(r / "tables" / "metrics.csv")
    assert len(df) == 4 and set(df["method"]) == {"bgdip", "telea"}
    scored = df[df["edit"] == "removal-000000"]
    assert scored["roi_ssim"].between(0, 1).all() and scored["device"].str.startswith("CPU").all()
    assert df[df["edit"] == "remove-green-cube"]["roi_ssim"].isna().all()  # a user edit has no truth
    assert "| **" in (r / "tables" / "summary.md").read_text()
    assert (r / "figures" / "summary.png").exists() and (r / "logs" / "inpaint").is_dir()


def test_a_second_run_does_nothing(done):
    assert planned(done) == {}


def test_changing_one_edit_reruns_only_that_edit(done, tmp_path):
    wd = tmp_path / "w"
    shutil.copytree(done, wd, symlinks=True)
    cfg = yaml.safe_load(TINY.read_text())
    cfg["edits"][0]["target"] = "o3"
    write_config(wd, cfg)
    assert planned(wd) == {"edit_spec": 1, "removal_mask": 1, "plan": 1, "inpaint": 2, "evaluate": 1,
                           "tables": 1, "summary_figure": 1, "all": 1}


def test_changing_an_inpainting_setting_reruns_only_inpainting_and_evaluation(done, tmp_path):
    wd = tmp_path / "w"
    shutil.copytree(done, wd, symlinks=True)
    cfg = yaml.safe_load(TINY.read_text())
    cfg["methods"]["bgdip"]["settings"]["iterations"] = 21
    write_config(wd, cfg)
    assert planned(wd) == {"inpaint": 2, "evaluate": 2, "tables": 1, "summary_figure": 1, "all": 1}


def test_a_bad_config_stops_before_any_job_and_names_each_problem(done, tmp_path):
    wd = tmp_path / "w"
    shutil.copytree(done, wd, symlinks=True)
    before = {p: p.stat().st_mtime_ns for p in (wd / "results").rglob("*") if p.is_file()}
    cfg = yaml.safe_load(TINY.read_text())
    good = cfg["edits"][0]
    cfg["edits"] = [
        good,
        {**good},  # duplicate id
        {**good, "id": "a/b"},
        {**good, "id": "..", "target": "o1"},
        {**good, "id": "ghost-image", "image": "clevr/removal/000099/source"},
        {**good, "id": "ghost-object", "target": "o42"},
        {**good, "id": "bad-op", "op": "explode"},
    ]
    write_config(wd, cfg)
    p = snakemake(wd, check=False)
    assert p.returncode != 0
    err = p.stdout + p.stderr
    for edit, field, words in [("remove-green-cube", "id", "duplicate edit id"),
                               ("a/b", "id", "letters, digits"),
                               ("..", "id", "letters, digits"),
                               ("ghost-image", "image", "unknown image .*dataset.pairs exceed 99"),
                               ("ghost-object", "target", "no object 'o42'"),
                               ("bad-op", "op", "unknown op 'explode'")]:
        assert re.search(rf"edits\[\d\] \('{re.escape(edit)}'\): {field}: .*{words}", err), (edit, err[-3000:])
    assert "nothing was run" in err
    after = {p: p.stat().st_mtime_ns for p in (wd / "results").rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize("section, key, value", [("dataset", "pairs", -1), ("masks", "shadow", True),
                                                 ("masks", "shadow", "sometimes")])
def test_a_schema_violation_is_named(tmp_path, section, key, value):
    cfg = yaml.safe_load(TINY.read_text())
    cfg[section][key] = value
    write_config(tmp_path, cfg)
    p = snakemake(tmp_path, "-n", check=False)
    assert p.returncode != 0 and key in p.stdout + p.stderr and not (tmp_path / "results").exists()


def test_a_failing_job_leaves_no_partial_output_and_the_others_finish(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    (tmp_path / "broken.json").write_text(json.dumps({
        "image": "broken.png", "width": 320, "height": 240, "relationships": [],
        "objects": [{"id": "o1", "name": "thing", "attributes": {}, "bbox": [10, 10, 50, 50], "mask": None}]}))
    cfg = yaml.safe_load(TINY.read_text())
    cfg["images"] = {"mine/broken": {"image": "broken.png", "graph": "broken.json"}}
    cfg["edits"].append({"id": "remove-from-broken", "image": "mine/broken", "op": "remove", "target": "o1"})
    cfg["methods"] = {"telea": {"method": "telea"}}
    write_config(tmp_path, cfg)
    p = snakemake(tmp_path, "--keep-going", check=False)
    assert p.returncode != 0
    r = tmp_path / "results" / "edits"
    assert not (r / "remove-from-broken" / "telea.png").exists()
    assert not list((r / "remove-from-broken").glob(".*tmp*"))
    assert (r / "removal-000000" / "metrics.json").exists() and (r / "remove-green-cube" / "metrics.json").exists()
    assert "not a readable image" in "".join(q.read_text() for q in (tmp_path / "results" / "logs").rglob("*.log"))


def test_the_workflow_is_lint_clean_and_snakefmt_formatted():
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    lint = subprocess.run([sys.executable, "-m", "snakemake", "--lint", "--cores", "1"], cwd=REPO, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert lint.returncode == 0 and "good condition" in lint.stdout + lint.stderr, lint.stdout + lint.stderr
    fmt = subprocess.run([str(Path(sys.executable).parent / "snakefmt"), "--check", "Snakefile", "rules"], cwd=REPO,
                         capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_bad_semantic_edits_are_refused_before_any_job(tmp_path):
    from simbil.pipeline.checks import config_problems

    cfg = yaml.safe_load(TINY.read_text())
    img = "clevr/removal/000000/source"
    cfg["edits"] = [
        {"id": "add-nowhere", "image": img, "op": "add", "new": {"name": "sphere"}},
        {"id": "move-near-ghost", "image": img, "op": "relation", "target": "o1",
         "relations": [{"predicate": "left of", "object": "o42"}]},
        {"id": "replace-with-pyramid", "image": img, "op": "replace", "target": "o1",
         "new": {"name": "pyramid", "attributes": {"color": "mauve"}}},
    ]
    problems = "\n".join(config_problems(cfg, tmp_path))
    assert "('add-nowhere'): relations: required for op 'add'" in problems
    assert "('move-near-ghost'): relations[0].object: no object 'o42'" in problems
    assert "('replace-with-pyramid'): new.name" in problems and "pyramid" in problems
    assert "mauve" in problems


def test_a_chain_builds_on_its_first_edit_and_reruns_exactly_its_chain(done, tmp_path):
    wd = tmp_path / "wd"
    shutil.copytree(done, wd, symlinks=True)
    cfg = yaml.safe_load((wd / "config.yaml").read_text())
    cfg["edits"].append({"id": "then-no-cylinder", "image": "edits/remove-green-cube",
                         "text": "remove the cyan cylinder"})
    write_config(wd, cfg)
    assert planned(wd) == {"graph": 1, "chain_graph": 1, "edit_spec": 1, "removal_mask": 1, "plan": 1, "inpaint": 2,
                           "evaluate": 1, "chain_sheet": 1, "tables": 1, "summary_figure": 1, "all": 1}
    snakemake(wd)
    spec = json.loads((wd / "results/edits/then-no-cylinder/edit.json").read_text())
    assert spec["op"] == "remove" and spec["target"] == "o5" and spec["image"] == "edits/remove-green-cube/bgdip"
    assert Image.open(wd / "results/figures/chains/then-no-cylinder.png").size[0] == 3 * 240

    cfg["edits"][0]["target"] = "o6"  # the chain's first edit changes: exactly its chain reruns
    write_config(wd, cfg)
    assert planned(wd) == {"edit_spec": 1, "removal_mask": 2, "plan": 2, "inpaint": 4, "evaluate": 2, "graph": 1,
                           "chain_graph": 1, "chain_sheet": 1, "tables": 1, "summary_figure": 1, "all": 1}


def test_a_chain_cycle_or_unknown_upstream_is_refused_naming_the_ids(done, tmp_path):
    cfg = yaml.safe_load((done / "config.yaml").read_text())
    cfg["edits"] += [{"id": "loop-a", "image": "edits/loop-b", "text": "remove the cyan cylinder"},
                     {"id": "loop-b", "image": "edits/loop-a", "text": "remove the cyan cylinder"},
                     {"id": "orphan", "image": "edits/nobody", "text": "remove the cyan cylinder"}]
    write_config(tmp_path, cfg)
    p = snakemake(tmp_path, "-n", check=False)
    err = p.stdout + p.stderr
    assert p.returncode == 2 and "nothing was run" in err
    assert "('loop-b'): image: edits: the chain loop-a -> loop-b -> loop-a is a cycle" in err
    assert "('orphan'): image: edits: no edit 'nobody' to build on" in err
    assert not (tmp_path / "results").exists()


def test_a_redrawn_mask_in_a_users_graph_makes_its_edit_again(done, tmp_path):
    wd = tmp_path / "wd"
    shutil.copytree(done, wd, symlinks=True)
    pair = wd / "results/datasets/clevr/removal/000000"
    shutil.copy(pair / "source.png", wd / "img.png")
    shutil.copy(pair / "source.json", wd / "g.json")
    shutil.copytree(pair / "masks", wd / "masks")  # where g.json's mask paths point
    cfg = yaml.safe_load((wd / "config.yaml").read_text())
    cfg.update(images={"mine": {"image": "img.png", "graph": "g.json"}}, methods={"telea": {"method": "telea"}},
               edits=[{"id": "mine-remove", "image": "mine", "op": "remove", "target": "o1"}])
    write_config(wd, cfg)
    snakemake(wd)
    assert planned(wd) == {}
    time.sleep(1.1)  # a later modification time than the graph job's output
    mask = np.array(Image.open(wd / "masks/source_o1.png"))
    mask[:4, :4] = 255  # redrawn: Snakemake reruns on new content, not on a touch
    Image.fromarray(mask).save(wd / "masks/source_o1.png")
    plan = planned(wd)
    assert plan.get("graph") == 1 and plan.get("removal_mask") == 1, plan
