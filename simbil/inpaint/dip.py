"""Deep Image Prior inpainting, vanilla and background-guided.

A network fed fixed noise is fitted to the known pixels of the one image being edited; the
hole is what its structure prefers there. Background guidance adds what the
surroundings say about the hole: `guidance` names how it enters, so the ablation is one setting.

- none:  masked MSE only (Ulyanov et al.).
- ring:  the hole's mean colour is pulled to the mean of a ring of background around it.
- field: the network predicts a residual over a background field G: the biharmonic fill of
         the hole from its edge (`harmonic`), or the local average of known pixels at a scale
         set by the hole's size (`mean`).
- lowpass: the hole's low frequencies are pulled to G's; the network stays free above them.
- field_lowpass: residual over G, and the residual's low frequencies in the hole pulled to 0.
- init:  the hole is pulled to G during the first quarter of the iterations only.
- ring_lowpass: ring and lowpass together.

Three output settings, also measured: `ema` averages the output over iterations (DIP's
exp_weight), `fill_smooth` blurs the network's fill at full resolution (the texture it invents
is uncorrelated with the truth's, which costs SSIM), and `harmonic_blend` mixes a
full-resolution biharmonic fill into the hole (`halo_blend` of it where the hole is ringed by a
removed object's rim or shadow, simbil/inpaint/halo.py, which that fill would carry in). A
hole whose deepest pixel lies at most `thin` working pixels from its edge is not fitted: the
network cannot see it at that resolution, and it takes the biharmonic fill. The defaults are in
simbil/inpaint/settings.py; docs/benchmarks.md has the ablation. The fit itself is
simbil/inpaint/fit.py, the one part that needs torch, imported only when a hole is fitted.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from . import crop as cropping
from . import halo
from .confidence import gated
from .harmonic import biharmonic_fill
from .settings import BGDIP, FIELDS, GUIDANCES, PAPER, DIPSettings  # noqa: F401  (re-exported)
from .texture import ring_texture


def _plan(mask: np.ndarray, s: DIPSettings) -> cropping.Crop:
    if s.crop_margin is None:
        H, W = mask.shape
        scale = 1.0 if s.max_resolution is None else min(1.0, s.max_resolution / max(H, W))
        return cropping.Crop(0, H, 0, W, scale, max(1, round(H * scale)), max(1, round(W * scale)))
    return cropping.plan_crop(mask, s.crop_margin, s.max_resolution or 10**9)


def _smooth(out: np.ndarray, mask: np.ndarray, c: cropping.Crop, sigma: float) -> np.ndarray:
    """out with its `mask` pixels blurred (σ px) at full resolution, over the crop."""
    if not sigma:
        return out
    out = out.copy()
    y0, y1, x0, x1 = c.y0, c.y1, c.x0, c.x1
    smooth = ndimage.gaussian_filter(out[y0:y1, x0:x1], (sigma, sigma, 0))
    out[y0:y1, x0:x1][mask[y0:y1, x0:x1]] = smooth[mask[y0:y1, x0:x1]]
    return out


def _biharmonic(image: np.ndarray, mask: np.ndarray, c: cropping.Crop, smooth: float = 0.0) -> np.ndarray:
    """The classical fill needs no downscaling: at full resolution, on the same crop."""
    full = cropping.Crop(c.y0, c.y1, c.x0, c.x1, 1.0, c.y1 - c.y0, c.x1 - c.x0)
    crop_img, crop_hole = cropping.take(image, mask, full)
    return cropping.paste(image, mask, full, biharmonic_fill(crop_img, crop_hole, smooth), seam=0)


def _window(mask: np.ndarray, s: DIPSettings) -> cropping.Crop | None:
    """The part of the image every step reads (the crop, and the halo test's); None: all of it."""
    if s.crop_margin is None or s.choose_band:
        return None
    return cropping.plan_crop(mask, max(halo.MARGIN, s.crop_margin), 10**9)


def _too_thin(mask: np.ndarray, c: cropping.Crop, s: DIPSettings) -> bool:
    """Whether the hole's deepest pixel lies within `thin` working pixels of its edge."""
    return bool(s.thin) and ndimage.distance_transform_edt(mask[c.y0:c.y1, c.x0:c.x1]).max() * c.scale <= s.thin


def fits_network(mask: np.ndarray, s: DIPSettings) -> bool:
    """Whether inpaint_dip would fit a network to this hole (not one too thin for it, which takes
    the biharmonic fill): a job asks before it leases a device or imports torch. A hole that takes
    every working pixel of its crop counts as fitted (finding that out needs the downscaled crop);
    it costs only torch's import, never a fit without its device."""
    w = _window(mask, s)
    if w is not None:
        mask = mask[w.y0:w.y1, w.x0:w.x1]
    return not _too_thin(mask, _plan(mask, s), s)


def inpaint_dip(image: np.ndarray, mask: np.ndarray, settings: DIPSettings, progress=None) -> np.ndarray:
    """Crop (if asked), fit, paste back only the hole; a hole too thin for the working resolution
    takes the biharmonic fill instead of a fit. All of it reads a window around the hole (the
    crop, and the halo test's), so a large image costs one copy rather than several passes."""
    w = _window(mask, settings)
    if w is None:
        return _inpaint_window(image, mask, settings, progress)
    out = image.copy()
    out[w.y0:w.y1, w.x0:w.x1] = _inpaint_window(image[w.y0:w.y1, w.x0:w.x1], mask[w.y0:w.y1, w.x0:w.x1],
                                                settings, progress)
    return out


def _inpaint_window(image: np.ndarray, mask: np.ndarray, settings: DIPSettings, progress=None) -> np.ndarray:
    c = _plan(mask, settings)
    if _too_thin(mask, c, settings):
        return _biharmonic(image, mask, c)  # the network cannot see it at this resolution
    if settings.choose_band:
        return _inpaint_chosen(image, mask, settings, progress)
    img, hole = cropping.take(image, mask, c)
    if hole.all():  # downscaled, the hole took every working pixel: nothing to fit to
        return _biharmonic(image, mask, c)
    acts = settings.confidence or settings.harmonic_smooth  # the settings that read the ring's texture
    textured = bool(acts) and ring_texture(image, mask) > settings.confidence_texture  # a photo's, not a floor's
    trace = {} if settings.confidence and textured else None
    from .confidence import spread
    from .fit import fit  # torch: only once a hole is fitted

    result = fit(img, hole, settings, progress, trace=trace)
    out = _smooth(cropping.paste(image, mask, c, result, seam=settings.seam), mask, c, settings.fill_smooth)
    b = settings.harmonic_blend
    if settings.halo and halo.halo_ratio(image, mask) > settings.halo:
        b = settings.halo_blend  # a removed object's halo: the biharmonic fill would carry it in
    if trace is not None:
        return gated(image, mask, c, out, _biharmonic(image, mask, c), b, spread(trace, settings), settings.confidence)
    if b:
        harmonic = _biharmonic(image, mask, c, 0.0 if textured else settings.harmonic_smooth)
        out[mask] = (1 - b) * out[mask] + b * harmonic[mask]
    return out


CHOICE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)  # share of the network's fill
CHOICE_SIGMAS = (0.0, 1.0, 2.0, 3.0)  # blur of the network's fill, px


def choose(image: np.ndarray, band: np.ndarray, net: np.ndarray, harmonic: np.ndarray, c: cropping.Crop):
    """(weight, σ) whose blend w·blur(net, σ) + (1 − w)·harmonic best refills the band."""
    best = None
    for sigma in CHOICE_SIGMAS:
        sm = _smooth(net, band, c, sigma)[band]
        for w in CHOICE_WEIGHTS:
            err = float(((w * sm + (1 - w) * harmonic[band] - image[band]) ** 2).mean())
            if best is None or err < best[0] - 1e-12:
                best = (err, w, sigma)
    return best[1], best[2]


def _inpaint_chosen(image: np.ndarray, mask: np.ndarray, s: DIPSettings, progress=None) -> np.ndarray:
    """One fit with a band of known pixels around the hole hidden too; the blend and blur that
    refill the band best then fill the hole (the band itself keeps its pixels)."""
    band = ndimage.binary_dilation(mask, iterations=s.choose_band) & ~mask
    hidden = mask | band
    c = _plan(hidden, s)
    img, hole = cropping.take(image, hidden, c)
    if hole.all():
        return _biharmonic(image, mask, c)
    from .fit import fit

    result = fit(img, hole, s, progress)
    w, sigma = choose(image, band, cropping.paste(image, hidden, c, result, seam=0), _biharmonic(image, hidden, c), c)
    out = _smooth(cropping.paste(image, mask, c, result, seam=s.seam), mask, c, sigma)
    if w < 1:
        out[mask] = w * out[mask] + (1 - w) * _biharmonic(image, mask, c)[mask]
    return out
