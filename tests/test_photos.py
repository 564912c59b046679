"""The hand-annotated photo graphs (simbil/datasets/photo_graphs/) and edits on photos."""

import pytest

from simbil.graphs import read_graph
from simbil.pipeline import stages
from simbil.datasets.photos import PHOTO_GRAPHS as PHOTO_DIR
from simbil.pipeline.checks import config_problems

PHOTOS = sorted(p.stem for p in PHOTO_DIR.glob("*.json"))


def test_at_least_six_photos_are_annotated_and_read():
    assert len(PHOTOS) >= 6
    for name in PHOTOS:
        g = read_graph(PHOTO_DIR / f"{name}.json", "vg")
        assert g["objects"] and g["relationships"]
        assert all(o["bbox"][2] <= g["width"] and o["bbox"][3] <= g["height"] for o in g["objects"])


@pytest.mark.parametrize("name", ["coffee", "motorcycle"])
def test_photos_export_at_the_annotated_size(tmp_path, name):
    from PIL import Image

    stages.export_photo(name, str(tmp_path / "p.png"))
    g = read_graph(PHOTO_DIR / f"{name}.json", "vg")
    assert Image.open(tmp_path / "p.png").size == (g["width"], g["height"])


def test_photo_edits_are_checked_before_any_job(tmp_path):
    cfg = {"dataset": {"modes": [], "pairs": 0}, "photos": ["coffee", "nosuchphoto"],
           "methods": {"telea": {"method": "telea"}},
           "edits": [{"id": "paint-mauve", "image": "photos/coffee", "op": "attribute", "target": "o1",
                      "attributes": {"color": "mauve"}},
                     {"id": "paint-silver-spoon", "image": "photos/coffee", "op": "attribute", "target": "o3",
                      "attributes": {"color": "blue"}},
                     {"id": "remove-ghost", "image": "photos/coffee", "op": "remove", "target": "o9"}]}
    text = "\n".join(config_problems(cfg, tmp_path))
    assert "no annotated photo 'nosuchphoto'" in text
    assert "('paint-mauve'): attributes.color: cannot paint 'mauve'" in text
    assert "('paint-silver-spoon'): target: object 'o3' has colour 'silver'" in text
    assert "('remove-ghost'): target: no object 'o9'" in text


def test_a_move_on_a_photo_keeps_the_objects_size_and_floor_line(tmp_path):
    img = tmp_path / "rocket.png"
    stages.export_photo("rocket", str(img))
    stages.make_graph(str(PHOTO_DIR / "rocket.json"), str(tmp_path / "g.json"), str(img), "vg")
    stages.edit_spec(str(tmp_path / "e.json"), "mv", "photos/rocket",
                     spec='{"op": "relation", "target": "o1", "relations": [{"predicate": "left of", "object": "o4"}]}')
    p = stages.plan(str(tmp_path / "e.json"), str(tmp_path / "g.json"), str(tmp_path / "p.json"), str(tmp_path / "g2.json"))
    old, new = p["old_bbox"], p["place"]["heuristic"]
    assert new[3] == pytest.approx(old[3], abs=0.5) and new[2] - new[0] == pytest.approx(old[2] - old[0], abs=0.5)
    assert (new[0] + new[2]) / 2 < 172  # left of the mast


def test_inpainting_reads_the_mask_stages_outline_rather_than_segmenting_again(tmp_path, monkeypatch):
    import numpy as np

    import simbil.segment
    from simbil.edits.make import RunOptions
    from simbil.edits.methods import MethodSpec
    from simbil.imageio import read_image, read_mask

    img = tmp_path / "rocket.png"
    stages.export_photo("rocket", str(img))
    g = str(tmp_path / "g.json")
    stages.make_graph(str(PHOTO_DIR / "rocket.json"), g, str(img), "vg")
    e, p = str(tmp_path / "e.json"), str(tmp_path / "p.json")
    stages.edit_spec(e, "mv", "photos/rocket",
                     spec='{"op": "relation", "target": "o1", "relations": [{"predicate": "left of", "object": "o4"}]}')
    stages.plan(e, g, p, str(tmp_path / "g2.json"))
    stages.removal_mask(e, g, str(tmp_path / "mask.png"), 2, "known", str(tmp_path / "outline.png"))
    outline, hole = read_mask(tmp_path / "outline.png"), read_mask(tmp_path / "mask.png")
    assert outline.any() and not (outline & ~hole).any()  # the object alone, inside its hole

    calls = []
    segment = simbil.segment.segment
    monkeypatch.setattr(simbil.segment, "segment", lambda *a, **k: calls.append(1) or segment(*a, **k))
    spec, run = MethodSpec.parse("telea", {"roi": "heuristic"}), RunOptions(device="cpu", quiet=True)
    for name, given in (("again", None), ("read", str(tmp_path / "outline.png"))):
        before = len(calls)
        stages.make_edit(str(img), str(tmp_path / "mask.png"), str(tmp_path / f"{name}.png"), spec, run, p, g,
                         outline=given)
        assert (len(calls) > before) == (given is None)  # a move reads the outline twice: layer and shadow
    assert np.array_equal(read_image(tmp_path / "again.png"), read_image(tmp_path / "read.png"))
