"""Does a hole carry a halo: what a removed object leaves just outside its outline (its rim, its
shadow)? Known pixels decide: the band next to the hole is refilled from beyond it, and so is the
band past that one; around a removed object's outline the first is refilled far worse than the
second, around a hole in plain floor or a photograph about as well."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from .crop import plan_crop
from .harmonic import biharmonic_fill

BAND = 4  # px: the near band lies 1–4 px from the hole, the one past it 5–8 px
MARGIN = 1.0  # the crop read: the hole's box widened by this × its longer side (plan_crop)


def halo_ratio(image: np.ndarray, mask: np.ndarray) -> float:
    """Mean squared error of the near band's biharmonic refill over that of the band past it."""
    c = plan_crop(mask, MARGIN, 10**9)
    img, hole = image[c.y0:c.y1, c.x0:c.x1], mask[c.y0:c.y1, c.x0:c.x1]
    distance = ndimage.distance_transform_edt(~hole)
    err = []
    for k in (1, 2):
        hidden = distance <= k * BAND
        band = hidden & (distance > (k - 1) * BAND)
        if not band.any() or hidden.all():
            return 0.0
        refill = biharmonic_fill(img, hidden)
        err.append(float(((refill[band] - img[band]) ** 2).mean()))
    return err[0] / max(err[1], 1e-8)  # the floor: no halo is read into a flat image's rounding
