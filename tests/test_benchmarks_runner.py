"""benchmarks/runner.py: --methods entries from the config's methods table, variants, errors."""

import importlib
import sys
from pathlib import Path

import pytest

from simbil.ops import OP_NAMES

try:  # `python -m pytest` (make test) has the repository root on the path; bare `pytest` has not
    runner = importlib.import_module("benchmarks.runner")
except ModuleNotFoundError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    runner = importlib.import_module("benchmarks.runner")


@pytest.fixture(scope="module")
def table():
    return runner.method_table()


def test_config_methods_then_benchmark_only_ones(table):
    names = list(table)
    assert names[:3] == ["bgdip", "dip", "telea"]  # config.yaml's, in order
    assert "biharmonic-unmatted" in names  # from benchmarks/methods.yaml
    naive = runner.resolve("naive", table)
    assert (naive.inpainter, naive.harmonise, naive.settings) == ("bgdip", False, {})
    assert set(naive.ops) == {"relation", "replace", "add", "attribute"}
    assert runner.resolve("bgdip-true-roi", table).roi == "truth"
    unmatted = runner.resolve("biharmonic-unmatted", table)
    assert (unmatted.inpainter, unmatted.harmonise, unmatted.ops) == ("biharmonic", True, ("attribute",))


def test_every_method_name_of_the_committed_semantic_csvs(table):
    for name in ("bgdip", "naive", "telea", "biharmonic", "bgdip-heuristic-roi", "bgdip-true-roi",
                 "biharmonic-unmatted"):
        assert runner.resolve(name, table).name == name


def test_variant_overrides_settings_and_fields(table):
    s = runner.resolve("wide=bgdip-heuristic-roi:crop_margin=1.0:seam=2:fill_smooth=3:harmonise=false", table)
    assert s.name == "wide" and s.inpainter == "bgdip" and s.roi == "heuristic" and s.harmonise is False
    assert s.settings == {"crop_margin": 1.0, "seam": 2, "fill_smooth": 3}
    assert isinstance(s.settings["seam"], int) and isinstance(s.settings["crop_margin"], float)
    assert runner.resolve("bgdip:seam=0", table).name == "bgdip"  # no label: the name is the label
    assert runner.resolve("x=bgdip:max_resolution=none:guidance=none", table).settings == {
        "max_resolution": None, "guidance": "none"}  # None only where the setting may be None
    # a variant of a config method keeps its settings under the new ones
    d = runner.resolve("d=dip:iterations=10", table)
    assert d.settings["levels"] == 4 and d.settings["iterations"] == 10 and d.ops == ("remove",)


def test_registered_inpainter_and_preference(table):
    assert runner.resolve("ns", table).ops == ("remove",)  # the config's ns
    assert runner.resolve("ns", table, prefer="inpainter").ops == OP_NAMES
    paper = runner.resolve("dip-crop=dip:iterations=300", table, prefer="inpainter")
    assert paper.settings == {"iterations": 300}  # the paper's net, not the config's ablation
    assert runner.resolve("dip-crop=dip:iterations=300", table).settings["channels"] == 32


def test_method_specs_list(table):
    specs = runner.method_specs("bgdip,telea,b2=biharmonic:crop_margin=2", table)
    assert [s.name for s in specs] == ["bgdip", "telea", "b2"]


@pytest.mark.parametrize("text, says", [
    ("nope", "unknown method 'nope'"),
    ("x=nope:seam=1", "unknown method 'nope'"),
    ("x=bgdip:foo=1", "unknown setting"),
    ("x=bgdip:seam=-1", "seam"),
    ("x=bgdip:seam", "is not key=value"),
    ("x=bgdip:roi=magic", "unknown RoI source"),
    ("bgdip,bgdip", "given twice"),
    ("a=telea,a=ns", "given twice"),
])
def test_bad_entries_say_what_is_wrong(table, text, says):
    with pytest.raises(runner.RunnerError, match=says):
        runner.method_specs(text, table)


def test_config_file(tmp_path):
    cfg = tmp_path / "mine.yaml"
    cfg.write_text("methods:\n  fast: {method: bgdip, settings: {iterations: 20}}\n  telea: {method: telea}\n")
    table = runner.method_table(cfg)
    assert list(table)[:2] == ["fast", "telea"] and "biharmonic-unmatted" in table
    assert runner.resolve("fast", table).settings == {"iterations": 20}
    assert "bgdip-true-roi" not in runner.method_table(cfg, extra=None)
    (tmp_path / "none.yaml").write_text("dataset: {}\n")
    with pytest.raises(runner.RunnerError, match="no `methods:` table"):
        runner.method_table(tmp_path / "none.yaml")
    (tmp_path / "bad.yaml").write_text("methods: [unclosed\n")
    with pytest.raises(runner.RunnerError, match="not valid YAML"):
        runner.method_table(tmp_path / "bad.yaml")
    (tmp_path / "odd.yaml").write_text("methods:\n  odd: 3\n")
    with pytest.raises(runner.RunnerError, match="must be a mapping"):
        runner.resolve("odd", runner.method_table(tmp_path / "odd.yaml"))
    with pytest.raises(runner.RunnerError, match="cannot read"):
        runner.method_table(tmp_path / "missing.yaml")


def test_cli_stops_before_work_on_a_typo(capsys):
    import argparse

    ap = argparse.ArgumentParser()
    runner.add_method_arguments(ap, "bgdip")
    with pytest.raises(SystemExit, match="unknown method 'typo'"):
        runner.specs_from_args(ap.parse_args(["--methods", "bgdip,typo"]))


def test_semantic_places_an_edit_at_a_given_box_and_records_it(tmp_path, table):
    """--boxes / --record-boxes: two code versions scored at the same placements."""
    from simbil.datasets.bank import harvest
    from simbil.roi.train import TrainSettings, save, train

    semantic = importlib.import_module("benchmarks.semantic")
    model, info = train(TrainSettings(graphs=100, epochs=1, hidden=8, batch=32), log=lambda m: None)
    save(tmp_path / "roi.pt", model, info)
    harvest(tmp_path / "bank", 2, 0)
    specs = runner.method_specs("bh=biharmonic", table)
    task = lambda given: (tmp_path, "addition", 0, str(tmp_path / "roi.pt"), str(tmp_path / "bank"), specs, "cpu",
                          "known", given)
    rows, placed = semantic.one_edit(task({}))
    x0, y0, x1, y1 = placed["addition-000"]
    box = [x0 + 9, y0, x1 + 9, y1]  # the same box, 9 px to the right
    rows2, placed2 = semantic.one_edit(task({"addition-000": box}))
    assert placed2 == {"addition-000": box}
    scored = lambda rs: next(r for r in rs if r["method"] == "bh")
    assert scored(rows2)["roi_mae"] != scored(rows)["roi_mae"]  # the object stands elsewhere
    rnn_iou = lambda rs: next(r["iou"] for r in rs if r["method"] == "roi:rnn")
    assert rnn_iou(rows2) != rnn_iou(rows)


@pytest.mark.parametrize("text", ['{"addition-000": [1, 2, 3]}', '{"addition-000": [1, 2, NaN, 4]}',
                                  '{"addition-000": [5, 2, 3, 4]}', '[1, 2, 3, 4]', '{"a": '])
def test_semantic_refuses_a_bad_boxes_file_before_any_work(tmp_path, text, capsys):
    semantic = importlib.import_module("benchmarks.semantic")
    (tmp_path / "boxes.json").write_text(text)
    with pytest.raises(SystemExit) as e:
        semantic.main(["--modes", "addition", "--pairs", "1", "--boxes", str(tmp_path / "boxes.json"),
                       "--work", str(tmp_path / "work"), "--csv", str(tmp_path / "out.csv")])
    assert e.value.code == 2 and "boxes.json" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()
