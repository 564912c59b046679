"""The Deep Image Prior methods; torch is imported when a hole is fitted (simbil/inpaint/fit.py),
so the classical peers, the config check and holes too thin for the network start fast."""

from __future__ import annotations

from .registry import register
from .settings import BGDIP, PAPER


def _fill(image, mask, settings, progress=None):
    from .dip import inpaint_dip

    return inpaint_dip(image, mask, settings, progress)


def _fits(mask, settings) -> bool:
    from .dip import fits_network

    return fits_network(mask, settings)


# Around a placed object no fill blur (it smears the seam), and no halo test, confidence gate or
# smoothing of the biharmonic fill's source (all measured on removal holes only); for an object
# changed in place, where only a 1 px ring of the fill is kept, little context and no Telea blend
# at the edge.
# docs/benchmarks.md has the measurements behind both.
register("bgdip", BGDIP, torch=True, fits=_fits,
         op_defaults={"placing": {"fill_smooth": 0.0, "halo": 0.0, "confidence": 0.0, "harmonic_smooth": 0.0},
                      "in_place": {"crop_margin": 0.25, "seam": 0}})(_fill)
register("dip", PAPER, torch=True, fits=_fits)(_fill)
