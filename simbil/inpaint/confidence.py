"""bgdip's confidence gate: how much the fitted network's output moves under fresh input jitter,
and the blend that gives the network its share only where it moves little (docs/benchmarks.md,
the network's fill only where it is sure of it)."""

from __future__ import annotations

import numpy as np

from . import crop as cropping
from .settings import DIPSettings

SPREAD_SAMPLES = 8  # outputs whose per-pixel std is the spread


def spread(trace: dict, s: DIPSettings, samples: int = SPREAD_SAMPLES, scale: float = 1.0) -> np.ndarray:
    """How much a fitted network's output moves (working resolution): the per-pixel std, mean over
    colours, of `samples` outputs with its input jittered by scale × reg_noise, drawn on the CPU
    (the same jitter on any device)."""
    import torch  # here, not above: simbil/inpaint/dip.py imports `gated` before any fit

    gen = torch.Generator().manual_seed(s.seed + 2)
    z, (H, W) = trace["z"], trace["size"]
    with torch.no_grad():
        jitters = [scale * s.reg_noise * torch.randn(z.shape, generator=gen) for _ in range(samples)]
        ys = torch.stack([trace["output"](z + j.to(z.device))[0] for j in jitters])
    return ys.std(0).mean(0)[:H, :W].cpu().numpy()


def gated(image: np.ndarray, mask: np.ndarray, c: cropping.Crop, net: np.ndarray, harmonic: np.ndarray, b: float,
          std: np.ndarray, tau: float) -> np.ndarray:
    """The blend (1 − b)·net + b·harmonic with the network's share scaled, pixel by pixel, by
    clip(1 − std/τ, 0, 1); std at working resolution over the crop, upsampled with it."""
    g = np.zeros(mask.shape, np.float32)
    g[c.y0:c.y1, c.x0:c.x1] = np.clip(1 - cropping.upsample(std, c) / tau, 0, 1)
    w = ((1 - b) * g)[mask][:, None]
    out = image.copy()
    out[mask] = w * net[mask] + (1 - w) * harmonic[mask]
    return out
