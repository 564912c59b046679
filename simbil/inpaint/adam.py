"""Adam for fits on the CPU: the arithmetic of torch.optim.Adam's single-tensor path.

Every network job is a fresh process, and torch.optim's first step imports torch._dynamo, as slow
to import as torch itself (docs/benchmarks.md, make run's time). tests/test_adam.py holds this to
torch's result bit for bit. On a GPU the fit keeps torch.optim.Adam (capturable, for the CUDA graph)."""

from __future__ import annotations

import torch


class Adam:
    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        self.params = list(params)
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.exp_avg = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params]
        self.steps = [0] * len(self.params)  # per parameter, as torch counts them

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            self.steps[i] += 1
            t = float(self.steps[i])
            m, v = self.exp_avg[i], self.exp_avg_sq[i]
            m.lerp_(p.grad, 1 - self.beta1)
            v.mul_(self.beta2).addcmul_(p.grad, p.grad, value=1 - self.beta2)
            denom = (v.sqrt() / (1 - self.beta2**t) ** 0.5).add_(self.eps)
            p.addcdiv_(m, denom, value=-(self.lr / (1 - self.beta1**t)))
