"""Early stopping without ground truth for a DIP fit (`es_window`, `es_patience`)."""

from __future__ import annotations

import math

import torch


class WindowedVariance:
    """ES-WMV (Wang et al.): the variance of the last `window` outputs falls while the fit finds
    the image and rises once it fits noise; its lowest point is where to stop. Kept: the output
    returned there (the running average when `ema` is on), and stop once `patience` iterations
    have passed without a new low."""

    def __init__(self, window: int, patience: int):
        self.window, self.patience = window, patience
        self.recent: list[torch.Tensor] = []
        self.low, self.low_it, self.best = math.inf, -1, None

    def update(self, it: int, y: torch.Tensor, avg: torch.Tensor | None) -> bool:
        self.recent.append(y.clone())
        if len(self.recent) > self.window:
            self.recent.pop(0)
        if len(self.recent) < self.window:
            return False
        var = float(torch.stack(self.recent).var(0, unbiased=False).mean())
        if var < self.low:
            self.low, self.low_it = var, it
            self.best = (avg if avg is not None else y).clone()
        return it - self.low_it >= self.patience
