"""Fitting a Deep Image Prior network to the known pixels of one image (torch): the part of
bgdip and vanilla DIP that learns. simbil/inpaint/dip.py composes the fill around it, and
imports this module only when a hole is fitted, so a hole the network is not asked to fill never
imports torch. The guidances are described there."""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage

from .adam import Adam
from .early_stop import WindowedVariance
from .fields import background_field, gauss_kernel, lowpass
from .harmonic import biharmonic_fill
from .nets import build_net
from .settings import DIPSettings

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
        if s.ring_target == "harmonic":
            ring_colour = t(biharmonic_fill(img, hole)[hole].mean(0))[None]
        elif s.ring_target == "median":
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
