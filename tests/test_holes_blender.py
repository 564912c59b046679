"""Set (d) of the inpainting benchmark: holes on the floor of Blender's renders of our scenes."""

import numpy as np
import pytest
from PIL import Image


def test_blender_floor_holes_lie_on_plain_floor_and_split_by_seed(tmp_path):
    from benchmarks.holes import blender_floors, part
    from simbil.clevr.render import render_scene
    from simbil.clevr.sampler import sample_scene

    objects = []
    for s in (3, 27):  # our own renders stand in for Blender's: the loader only needs seedNN.png
        r = render_scene(sample_scene(np.random.default_rng([s, 0]), 3), 160, 120)
        Image.fromarray(r.image).save(tmp_path / f"seed{s:02d}.png")
        objects.append(r.instance >= 0)
        (tmp_path / f"seed{s:02d}_empty.png").write_bytes(b"")  # other files in the folder are not images of the set
    holes = blender_floors(per_image=1, renders=tmp_path)
    assert [h.name for h in holes] == ["seed03-0", "seed27-0"]
    assert [part(h) for h in holes] == ["tuning", "confirmation"]
    for h, obj in zip(holes, objects):
        assert h.mask.sum() > 20 and np.array_equal(h.image, h.truth) and not (h.mask & obj).any()
    with pytest.raises(ValueError, match="Blender's renders"):
        blender_floors(renders=tmp_path / "none")
