"""Damaged and deleted files of a finished run: the next run makes again exactly what they feed,
moves the damaged ones aside (results/damaged/), and ends with every output present and valid."""

from __future__ import annotations

import json
import shutil

from PIL import Image

from simbil.pipeline.cache import damage
from test_pipeline import planned, snakemake


def test_damaged_and_deleted_files_are_made_again(done, tmp_path):
    wd = tmp_path / "wd"
    shutil.copytree(done, wd, symlinks=True)
    r = wd / "results"
    for path in ("edits/remove-green-cube/mask.png", "figures/edits/removal-000000.png"):
        data = (r / path).read_bytes()
        (r / path).write_bytes(data[: len(data) // 2])  # truncated, as by a full disk
    (r / "edits/removal-000000/plan.json").unlink()
    (r / "edits/removal-000000/bgdip.json").unlink()

    assert planned(wd) == {"removal_mask": 1, "plan": 1, "inpaint": 4, "evaluate": 2, "tables": 1,
                           "summary_figure": 1, "all": 1}
    moved = sorted(p.relative_to(r / "damaged").parts[1:] for p in (r / "damaged").rglob("*.png"))
    assert moved == [("edits", "remove-green-cube", "mask.png"), ("figures", "edits", "removal-000000.png")]
    snakemake(wd)
    assert planned(wd) == {}
    for p in r.rglob("*"):
        if p.is_file() and "damaged" not in p.parts and p.suffix in (".png", ".json"):
            assert damage(str(p)) is None, p
            if p.suffix == ".png":
                Image.open(p).load()
            else:
                json.loads(p.read_text())
    metrics = (r / "tables/metrics.csv").read_text()
    assert metrics.count("\n") == 1 + 4  # header and 2 edits × 2 methods


def test_damage_is_read_from_the_ends_of_a_file(tmp_path):
    good = tmp_path / "a.png"
    Image.new("RGB", (8, 8)).save(good)
    assert damage(str(good)) is None
    for name, data in [("b.png", good.read_bytes()[:-5]), ("c.png", b""), ("d.json", b'{"a": ['),
                       ("e.json", b"  {}\n"), ("f.pt", b"PK\x03\x04 no directory")]:
        (tmp_path / name).write_bytes(data)
    assert [damage(str(tmp_path / n)) is None for n in ("b.png", "c.png", "d.json", "e.json", "f.pt")] == \
        [False, False, False, True, False]
