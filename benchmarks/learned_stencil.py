"""Biharmonic's fill with an operator the image chooses (tried for photos, not adopted).

The biharmonic fill is the hole's values that minimise ‖L x‖² with L = I − A and A the
four-neighbour average: the sum of squared Laplacians. Here A is a symmetric stencil of radius r
fitted by least squares to the crop's known pixels (each pixel predicted from its neighbours,
the weights summing to one so that a constant stays constant), ridge-pulled by `lam` towards the
four-neighbour average; r = 0 keeps that average, which gives biharmonic's fill again. The fill
is the Gaussian Markov random field's conditional mean under the fitted model, solved as one
sparse system per channel on the hole's crop (bgdip's and biharmonic's, at full resolution).

Usage:
  python -m benchmarks.learned_stencil --part tuning [--sets photos] --variants "r1=1:0.01,r2=2:0.1"
      --csv OUT.csv
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from simbil.inpaint.classical import _cropped, biharmonic
from simbil.inpaint.settings import BiharmonicSettings
from simbil.metrics import scores

from .holes import SETS, part
from .protocol import paired_markdown

FOUR = {(0, 1): 0.25, (1, 0): 0.25}  # one of each ± pair: the four-neighbour average


def offsets(r: int) -> list[tuple[int, int]]:
    """One offset of each ± pair within radius r."""
    return [(dy, dx) for dy in range(-r, r + 1) for dx in range(-r, r + 1)
            if (dy, dx) > (0, 0) and dy * dy + dx * dx <= r * r + 0.5]


def learn(img: np.ndarray, known: np.ndarray, r: int, lam: float) -> dict:
    """The stencil {offset: weight} (each weight applies at +offset and −offset; they sum to 1/2)."""
    if r == 0:
        return dict(FOUR)
    H, W = known.shape
    offs = offsets(r)
    valid = known.copy()  # pixels whose whole stencil is known
    pad = np.pad(known, r, constant_values=False)
    for dy, dx in offs:
        for s in (1, -1):
            valid &= pad[r + s * dy:r + s * dy + H, r + s * dx:r + s * dx + W]
    ys, xs = np.nonzero(valid)
    if len(ys) < 4 * len(offs):
        return dict(FOUR)
    P = np.pad(img, ((r, r), (r, r), (0, 0)), mode="edge")
    F = np.stack([P[ys + r + dy, xs + r + dx] + P[ys + r - dy, xs + r - dx] for dy, dx in offs], -1)
    F, y = F.reshape(-1, len(offs)), img[ys, xs].reshape(-1)
    # the weights sum to 1/2: the last one is 1/2 minus the others
    Z, t = F[:, :-1] - F[:, -1:], y - 0.5 * F[:, -1]
    prior = np.array([FOUR.get(o, 0.0) for o in offs[:-1]])
    b = np.linalg.solve(Z.T @ Z / len(t) + lam * np.eye(len(prior)), Z.T @ t / len(t) + lam * prior)
    return dict(zip(offs, np.append(b, 0.5 - b.sum())))


def solve(img: np.ndarray, hole: np.ndarray, stencil: dict) -> np.ndarray:
    """The hole's values minimising ‖(I − A) x‖² over the crop (A edge-clamped at its border)."""
    H, W, C = img.shape
    N = H * W
    idx = np.arange(N).reshape(H, W)
    yy, xx = np.mgrid[0:H, 0:W]
    rows, cols, vals = [idx.ravel()], [idx.ravel()], [np.ones(N)]
    for (dy, dx), a in stencil.items():
        for s in (1, -1):
            rows.append(idx.ravel())
            cols.append(idx[np.clip(yy + s * dy, 0, H - 1), np.clip(xx + s * dx, 0, W - 1)].ravel())
            vals.append(np.full(N, -a))
    L = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(N, N))
    h = hole.ravel()
    Lh, Lk = L[:, h], L[:, ~h]
    touch = Lh.getnnz(axis=1) > 0  # only rows that reach into the hole
    Lh, Lk = Lh[touch], Lk[touch]
    M = (Lh.T @ Lh).tocsc()
    out = img.reshape(N, C).copy()
    for c in range(C):
        out[h, c] = spsolve(M, -(Lh.T @ (Lk @ img[..., c].ravel()[~h])))
    return out.reshape(H, W, C)


def fill(image: np.ndarray, mask: np.ndarray, r: int, lam: float) -> np.ndarray:
    """On biharmonic's own crop (the peer's `_cropped`), at full resolution."""
    def crop_fill(img, hole):
        img = img.astype(np.float64)
        return np.clip(solve(img, hole, learn(img, ~hole, r, lam)), 0, 1).astype(np.float32)

    return _cropped(image, mask, BiharmonicSettings().crop_margin, crop_fill)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="photos")
    ap.add_argument("--part", default="tuning", choices=["tuning", "confirmation", "both"])
    ap.add_argument("--variants", required=True, help="NAME=R:LAM,... (radius, ridge weight)")
    ap.add_argument("--csv", required=True)
    a = ap.parse_args(argv)
    variants = {k: (int(v.split(":")[0]), float(v.split(":")[1]))
                for k, v in (item.split("=") for item in a.variants.split(","))}
    rows = []
    for set_name in a.sets.split(","):
        for h in SETS[set_name](**({"n": 50} if set_name == "clevr" else {"per_image": 2})):
            p = part(h)
            if h.name.endswith("-stroke") or (a.part != "both" and p != a.part):
                continue
            fills = {"biharmonic": lambda: biharmonic(h.image, h.mask, BiharmonicSettings())}
            fills.update({k: (lambda r=r, lam=lam: fill(h.image, h.mask, r, lam)) for k, (r, lam) in variants.items()})
            for method, f in fills.items():
                t = time.perf_counter()
                out = f()
                rows.append({"set": set_name, "part": p, "hole": h.name, "method": method,
                             "seconds": time.perf_counter() - t, **scores(out, h.truth, h.bbox)})
            print(h.name, " ".join(f"{r['method']} {r['roi_ssim']:.4f}/{r['roi_gmsd']:.4f}"
                                   for r in rows[-len(fills):]), flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(a.csv, index=False)
    print(df.groupby(["set", "part", "method"], sort=False).agg(
        roi_ssim=("roi_ssim", "mean"), roi_gmsd=("roi_gmsd", "mean"), seconds=("seconds", "median")).round(4).to_markdown())
    print()
    print(paired_markdown(df, "biharmonic"))


if __name__ == "__main__":
    main()
