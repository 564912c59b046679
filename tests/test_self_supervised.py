"""benchmarks.self_supervised: a correction learned on the image's own pixels, added to biharmonic."""

import numpy as np

from benchmarks.self_supervised import _copies, fill
from simbil.inpaint.classical import biharmonic
from simbil.inpaint.settings import BiharmonicSettings


def _image():
    yy, xx = np.mgrid[0:48, 0:48] / 48
    img = np.dstack([np.sin(6 * xx) * 0.3 + 0.5, (yy > 0.5) * 0.6 + 0.2, xx * yy]).astype(np.float32)
    mask = np.zeros((48, 48), bool)
    mask[21:26, 19:24] = True
    return img, mask


def test_copies_keep_off_the_hole():
    _, mask = _image()
    copies = _copies(mask, 8, np.random.default_rng(0))
    assert len(copies) == 8
    for m in copies:
        assert m.sum() == mask.sum() and not (m & mask).any()


def test_no_steps_is_biharmonic_and_steps_change_only_the_hole():
    img, mask = _image()
    ref = biharmonic(img, mask, BiharmonicSettings())
    kw = dict(resolution=48, channels=8, masks=6)
    assert np.array_equal(fill(img, mask, steps=0, **kw), ref)
    out = fill(img, mask, steps=20, **kw)
    assert np.array_equal(out[~mask], img[~mask])
    assert np.abs(out[mask] - ref[mask]).max() > 1e-4
