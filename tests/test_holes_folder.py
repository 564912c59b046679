"""Set (e) of the inpainting benchmark: more tuning photographs from a folder."""

import numpy as np
import pytest
from PIL import Image


def test_folder_photos_are_holed_as_the_photos_and_are_tuning_only(tmp_path):
    from benchmarks.holes import folder_photos, part

    rng = np.random.default_rng(0)
    for name in ("b_street.jpg", "a_field.png"):
        Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(tmp_path / name)
    (tmp_path / "notes.txt").write_text("not a photo")
    holes = folder_photos(per_image=2, folder=tmp_path)
    assert [h.name for h in holes] == ["a_field-0", "a_field-1", "a_field-stroke",
                                       "b_street-0", "b_street-1", "b_street-stroke"]
    assert {h.set for h in holes} == {"folder"} and {part(h) for h in holes} == {"tuning"}
    for h in holes:
        assert h.image.shape == (120, 160, 3) and np.array_equal(h.image, h.truth)
        assert 0 < h.mask.sum() < 0.3 * h.mask.size
        assert not h.mask[:8].any() and not h.mask[:, -8:].any()  # kept off the border
    assert [h.name for h in folder_photos(per_image=2, folder=tmp_path)] == [h.name for h in holes]
    with pytest.raises(ValueError, match="folder of .jpg or .png images"):
        folder_photos(folder=tmp_path / "none")
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    Image.fromarray(np.zeros((20, 24, 3), np.uint8)).save(tiny / "speck.png")
    with pytest.raises(ValueError, match=r"speck\.png: 24×20 px is too small"):
        folder_photos(folder=tiny)


def test_the_inpaint_benchmark_takes_a_photo_folder(tmp_path, capsys):
    from benchmarks.inpaint import main

    Image.fromarray(np.full((64, 80, 3), 120, np.uint8)).save(tmp_path / "flat.png")
    main(["--sets", "folder", "--photo-dir", str(tmp_path), "--per-image", "1", "--methods", "biharmonic",
          "--csv", str(tmp_path / "rows.csv")])
    assert "folder tuning" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--sets", "folder", "--methods", "biharmonic"])  # no folder: a usage error
