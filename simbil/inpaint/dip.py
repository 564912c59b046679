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
simbil/inpaint/settings.py; docs/benchmarks.md has the ablation.
"""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

from . import crop as cropping
from . import halo
from .adam import Adam
from .confidence import gated, spread
from .early_stop import WindowedVariance
from .fields import background_field, gauss_kernel, lowpass
from .harmonic import biharmonic_fill
from .nets import build_net
from .settings import BGDIP, FIELDS, GUIDANCES, PAPER, DIPSettings  # noqa: F401  (re-exported)
from .texture import ring_texture

RESIDUAL = ("field", "field_lowpass")  # guidances whose network predicts a residual over G


def pick_device(name: str) -> torch.device:
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device {name!r} asked for, but torch sees no CUDA device")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def _pad_to(a: np.ndarray, multiple: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Padded up to a multiple of `multiple`, and to at least two of them: the deepest level of
    the net needs more than one pixel (batch norm, reflection padding)."""
    H, W = a.shape[:2]
    ph, pw = max((-H) % multiple, 2 * multiple - H), max((-W) % multiple, 2 * multiple - W)
    pad = [(0, ph), (0, pw)] + [(0, 0)] * (a.ndim - 2)
    mode = "reflect" if ph < H and pw < W else "edge"
    return np.pad(a, pad, mode=mode), (H, W)


def fit(img: np.ndarray, hole: np.ndarray, s: DIPSettings, progress=None, trace: dict | None = None) -> np.ndarray:
    """Fit a DIP network to the known pixels of img (H, W, 3) and return its output (H, W, 3); `trace`, a
    dict, gets the fitted network's `output(z)`, its padded input `z` and the size (H, W) of its output."""
    device = pick_device(s.device)
    torch.manual_seed(s.seed)
    gen = torch.Generator(device="cpu").manual_seed(s.seed)
    known = ~hole
    ys, xs = np.nonzero(hole)
    size = max(ys.max() - ys.min() + 1, xs.max() - xs.min() + 1) if len(ys) else 1
    sigma = max(1.0, s.guidance_scale * size)
    if s.guidance in ("none", "ring"):
        G = img  # these use no background field
    elif s.guidance_field == "mean":
        G = background_field(img, known, sigma)
    else:
        G = biharmonic_fill(img, hole)

    net = build_net(s.net, in_channels=s.noise_channels, out_channels=img.shape[2], levels=s.levels,
                    channels=s.channels, skip_channels=s.skip_channels,
                    sigmoid=s.guidance not in RESIDUAL)
    mult = net.multiple
    (x_np, (H, W)), (k_np, _), (h_np, _), (g_np, _) = (_pad_to(a, mult) for a in (img, known, hole, G))
    k_np[H:], k_np[:, W:] = False, False  # padding is neither known nor hole
    h_np[H:], h_np[:, W:] = False, False
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a, np.float32)).to(device)
    x = t(x_np).permute(2, 0, 1)[None]
    g = t(g_np).permute(2, 0, 1)[None]
    kn = t(k_np)[None, None]
    ho = t(h_np)[None, None]
    n_known = kn.sum() * x.shape[1]
    n_hole = ho.sum().clamp(min=1) * x.shape[1]
    net = net.to(device)
    z = (torch.rand((1, s.noise_channels) + x.shape[2:], generator=gen) * 0.1).to(device)
    kernel = gauss_kernel(sigma, x.shape[1], device)
    g_low = lowpass(g, kernel) if s.guidance in ("lowpass", "ring_lowpass") else None
    ring = None
    if s.guidance in ("ring", "ring_lowpass"):
        r = ndimage.binary_dilation(h_np, iterations=max(2, int(sigma))) & k_np
        ring = t(r)[None, None]
        if s.ring_target == "median":
            ring_colour = x[0][:, ring[0, 0] > 0].median(dim=1).values[None]
        else:
            ring_colour = (x * ring).sum((2, 3)) / ring.sum()
    on_gpu = device.type == "cuda"
    if s.optimise == "input":  # Deep Random Projector: the random network stays as it started
        net.requires_grad_(False)
        z.requires_grad_(True)
        params = [z]
    else:
        params = list(net.parameters())
    # capturable: the optimiser step can then be recorded in a CUDA graph (below)
    opt = torch.optim.Adam(params, lr=s.lr, capturable=True) if on_gpu else Adam(params, lr=s.lr)
    noise_gen = torch.Generator(device="cpu").manual_seed(s.seed + 1)
    avg = torch.zeros_like(x) if s.ema else None
    last = torch.zeros_like(x)  # the latest output, for early stopping (a buffer a CUDA graph can fill)
    coarse_steps = int(round(s.coarse * s.iterations))
    if coarse_steps:
        x_half = F.avg_pool2d(x, 2)
        kn_half = (F.avg_pool2d(kn, 2) > 0.999).float()  # 2×2 cells wholly known
        n_half = kn_half.sum().clamp(min=1) * x.shape[1]

    def output(zin):
        y = net(zin)
        return g + y if s.guidance in RESIDUAL else y

    def step(it: int) -> torch.Tensor:
        opt.zero_grad(set_to_none=True)
        if not s.reg_noise:
            zin = z
        elif on_gpu:  # drawn on the device: a host-to-device copy per step would serialise the loop
            zin = z + s.reg_noise * torch.randn(z.shape, device=device)
        else:
            zin = z + s.reg_noise * torch.randn(z.shape, generator=noise_gen)
        y = output(zin)
        if it < coarse_steps:
            loss = (((F.avg_pool2d(y, 2) - x_half) ** 2) * kn_half).sum() / n_half
        else:
            loss = (((y - x) ** 2) * kn).sum() / n_known
        if s.tv:
            loss = loss + s.tv * ((y[..., 1:, :] - y[..., :-1, :]).abs().mean()
                                  + (y[..., 1:] - y[..., :-1]).abs().mean())
        lam = s.guidance_weight
        if ring is not None:
            mh = (y * ho).sum((2, 3)) / ho.sum()
            loss = loss + lam * ((mh - ring_colour) ** 2).mean()
        if g_low is not None:
            loss = loss + lam * (((lowpass(y, kernel) - g_low) ** 2) * ho).sum() / n_hole
        if s.guidance == "field_lowpass":
            loss = loss + lam * ((lowpass(y - g, kernel) ** 2) * ho).sum() / n_hole
        elif s.guidance == "init" and it < s.iterations // 4:
            loss = loss + lam * (((y - g) ** 2) * ho).sum() / n_hole
        loss.backward()
        opt.step()
        if s.es_window:
            last.copy_(y.detach())
        if avg is not None:
            with torch.no_grad():
                # the first step starts the average at y, later ones decay towards y
                avg.mul_(s.ema if it else 0.0).add_(y.detach(), alpha=(1 - s.ema) if it else 1.0)
        return loss

    t0 = time.perf_counter()
    tick = max(1, s.iterations // 10)
    stopper = WindowedVariance(s.es_window, s.es_patience) if s.es_window else None
    # At DIP's sizes a step is a few hundred tiny kernels: on a GPU the loop is bound by Python
    # and launch overhead, not arithmetic. Replaying one recorded step as a CUDA graph removes
    # both. The "init" guidance and `coarse` change the loss mid-run, so they stay eager.
    graph = None
    warmup = 3
    if on_gpu and s.guidance != "init" and not coarse_steps and s.iterations > warmup + 1:
        side = torch.cuda.Stream(device)
        side.wait_stream(torch.cuda.current_stream(device))
        with torch.cuda.stream(side):
            for it in range(warmup):
                step(it)
        torch.cuda.current_stream(device).wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            static_loss = step(warmup)  # recorded, not run
    for it in range(warmup if graph is not None else 0, s.iterations):
        if graph is not None:
            graph.replay()
            loss = static_loss
        else:
            loss = step(it)
        if progress is not None and (it + 1) % tick == 0:
            progress(it + 1, s.iterations, float(loss.detach()), time.perf_counter() - t0)
        if stopper is not None and stopper.update(it, last, avg):
            break
    if trace is not None:
        trace.update(output=output, z=z, size=(H, W))
    if stopper is not None and stopper.best is not None:
        return stopper.best[0].permute(1, 2, 0)[:H, :W].clamp(0, 1).cpu().numpy()
    with torch.no_grad():  # batch norm stays in training mode, as in DIP: one image is the batch
        y = output(z) if avg is None else avg
    return y[0].permute(1, 2, 0)[:H, :W].clamp(0, 1).cpu().numpy()


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


def inpaint_dip(image: np.ndarray, mask: np.ndarray, settings: DIPSettings, progress=None) -> np.ndarray:
    """Crop (if asked), fit, paste back only the hole; a hole too thin for the working resolution
    takes the biharmonic fill instead of a fit. All of it reads a window around the hole (the
    crop, and the halo test's), so a large image costs one copy rather than several passes."""
    if settings.crop_margin is None or settings.choose_band:
        return _inpaint_window(image, mask, settings, progress)
    w = cropping.plan_crop(mask, max(halo.MARGIN, settings.crop_margin), 10**9)  # holds both crops
    out = image.copy()
    out[w.y0:w.y1, w.x0:w.x1] = _inpaint_window(image[w.y0:w.y1, w.x0:w.x1], mask[w.y0:w.y1, w.x0:w.x1],
                                                settings, progress)
    return out


def _inpaint_window(image: np.ndarray, mask: np.ndarray, settings: DIPSettings, progress=None) -> np.ndarray:
    c = _plan(mask, settings)
    if settings.thin and ndimage.distance_transform_edt(mask[c.y0:c.y1, c.x0:c.x1]).max() * c.scale <= settings.thin:
        return _biharmonic(image, mask, c)  # too thin for the network at this resolution
    if settings.choose_band:
        return _inpaint_chosen(image, mask, settings, progress)
    img, hole = cropping.take(image, mask, c)
    if hole.all():  # downscaled, the hole took every working pixel: nothing to fit to
        return _biharmonic(image, mask, c)
    acts = settings.confidence or settings.harmonic_smooth  # the settings that read the ring's texture
    textured = bool(acts) and ring_texture(image, mask) > settings.confidence_texture  # a photo's, not a floor's
    trace = {} if settings.confidence and textured else None
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
    result = fit(img, hole, s, progress)
    w, sigma = choose(image, band, cropping.paste(image, hidden, c, result, seam=0), _biharmonic(image, hidden, c), c)
    out = _smooth(cropping.paste(image, mask, c, result, seam=s.seam), mask, c, sigma)
    if w < 1:
        out[mask] = w * out[mask] + (1 - w) * _biharmonic(image, mask, c)[mask]
    return out
