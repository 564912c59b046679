"""Internal learning the other way round: a network trained on the image's own known pixels to
refill holes of the hole's shape, then asked to refill the hole (ZSSR-style, tried for photos).

Per hole, on bgdip's crop at working resolution: the hole's shape (flipped and transposed at
random) is moved to `--masks` places on known pixels away from the hole; each such copy and the
hole are refilled biharmonically, and a small dilated-convolution network learns, under an L1
loss on the copy's pixels, a correction to that biharmonic fill. Its last layer starts at zero,
so before any step the fill is biharmonic's. The correction it predicts for the real hole is
upsampled and added to the biharmonic fill at full resolution (bgdip's own). The rows give the method `selfsup`
and `biharmonic` for each hole, so benchmarks.protocol pairs them.

Usage:
  python -m benchmarks.self_supervised --part tuning [--sets photos] [--steps 300] [--resolution 96]
      [--channels 32] [--masks 24] --csv OUT.csv
"""

from __future__ import annotations

import argparse
import time

import cv2
import numpy as np
import pandas as pd
import torch
from scipy import ndimage

from simbil.inpaint import crop as cropping
from simbil.inpaint.classical import biharmonic
from simbil.inpaint.harmonic import biharmonic_fill
from simbil.inpaint.settings import BiharmonicSettings
from simbil.metrics import scores

from .holes import SETS, part
from .protocol import paired_markdown

DILATIONS = (1, 2, 4, 8, 16, 1)  # a receptive field of 65 px: a whole hole at ≤ 96 px


class Corrector(torch.nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        layers, c = [], 4  # the biharmonic fill and the hole
        for d in DILATIONS:
            layers += [torch.nn.Conv2d(c, channels, 3, padding=d, dilation=d), torch.nn.LeakyReLU(0.2)]
            c = channels
        self.body = torch.nn.Sequential(*layers)
        self.out = torch.nn.Conv2d(channels, 3, 1)
        torch.nn.init.zeros_(self.out.weight)
        torch.nn.init.zeros_(self.out.bias)

    def forward(self, x):
        return self.out(self.body(x))


def _copies(hole: np.ndarray, n: int, rng) -> list[np.ndarray]:
    """Up to n masks of the hole's shape on known pixels, 2 px or more from the hole."""
    h, w = hole.shape
    ys, xs = np.nonzero(hole)
    shape = hole[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    forbid = ndimage.binary_dilation(hole, iterations=2)
    out = []
    for _ in range(100 * n):
        if len(out) == n:
            break
        s = shape[:, ::-1] if rng.random() < 0.5 else shape
        s = s[::-1] if rng.random() < 0.5 else s
        s = s.T if rng.random() < 0.5 else s
        sh, sw = s.shape
        if sh >= h - 2 or sw >= w - 2:
            continue
        oy, ox = rng.integers(1, h - sh), rng.integers(1, w - sw)
        m = np.zeros_like(hole)
        m[oy:oy + sh, ox:ox + sw] = s
        if not (m & forbid).any():
            out.append(m)
    return out


def _tensor(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)).permute(0, 3, 1, 2)


def fill(image: np.ndarray, mask: np.ndarray, steps: int, resolution: int, channels: int, masks: int,
         seed: int = 0, batch: int = 8, lr: float = 1e-3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    reference = biharmonic(image, mask, BiharmonicSettings())
    c = cropping.plan_crop(mask, margin=1.0, max_side=resolution)
    img, hole = cropping.take(image.astype(np.float32), mask, c)
    copies = _copies(hole, masks, rng)
    if len(copies) < 2:  # no room for copies: biharmonic's fill
        return reference
    x = _tensor(np.stack([np.dstack([biharmonic_fill(img, m | hole), m | hole]) for m in copies]))
    target = _tensor(img[None]).expand(len(copies), -1, -1, -1)
    weight = torch.from_numpy(np.stack(copies)).float()[:, None]
    net = Corrector(channels)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    for _ in range(steps):
        i = torch.from_numpy(rng.choice(len(copies), size=min(batch, len(copies)), replace=False))
        loss = ((x[i, :3] + net(x[i]) - target[i]).abs() * weight[i]).sum() / (3 * weight[i].sum())
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        r = net(_tensor(np.dstack([biharmonic_fill(img, hole), hole])[None]))[0].permute(1, 2, 0).numpy()
    r = cv2.resize(r, (c.x1 - c.x0, c.y1 - c.y0), interpolation=cv2.INTER_CUBIC)
    out = reference.copy()
    region, inside = out[c.y0:c.y1, c.x0:c.x1], mask[c.y0:c.y1, c.x0:c.x1]
    region[inside] = np.clip(region[inside] + r[inside], 0, 1)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="photos")
    ap.add_argument("--part", default="tuning", choices=["tuning", "confirmation", "both"])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--resolution", type=int, default=96)
    ap.add_argument("--channels", type=int, default=32)
    ap.add_argument("--masks", type=int, default=24)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--csv", required=True)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    rows = []
    for set_name in a.sets.split(","):
        for h in SETS[set_name](**({"n": 50} if set_name == "clevr" else {"per_image": 2})):
            p = part(h)
            if h.name.endswith("-stroke") or (a.part != "both" and p != a.part):
                continue  # thin strokes are biharmonic's in bgdip already
            t = time.perf_counter()
            out = fill(h.image, h.mask, a.steps, a.resolution, a.channels, a.masks)
            seconds = time.perf_counter() - t
            t = time.perf_counter()
            ref = biharmonic(h.image, h.mask, BiharmonicSettings())
            ref_seconds = time.perf_counter() - t
            for method, o, s in (("selfsup", out, seconds), ("biharmonic", ref, ref_seconds)):
                rows.append({"set": set_name, "part": p, "hole": h.name, "method": method, "seconds": s,
                             **scores(o, h.truth, h.bbox)})
            print(f"{h.name}: selfsup {rows[-2]['roi_ssim']:.4f} / {rows[-2]['roi_gmsd']:.4f}, biharmonic "
                  f"{rows[-1]['roi_ssim']:.4f} / {rows[-1]['roi_gmsd']:.4f}, {seconds:.1f} s", flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(a.csv, index=False)
    means = df.groupby(["set", "part", "method"], sort=False)[["roi_ssim", "roi_gmsd", "seconds"]].agg(
        {"roi_ssim": "mean", "roi_gmsd": "mean", "seconds": "median"})
    print(means.round(4).to_markdown())
    print()
    print(paired_markdown(df, "selfsup"))


if __name__ == "__main__":
    main()
