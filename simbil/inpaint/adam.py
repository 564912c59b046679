"""Adam for fits on the CPU: the arithmetic of torch.optim.Adam's single-tensor path.

Every network job is a fresh process, and torch.optim's first step imports torch._dynamo, as slow
to import as torch itself (docs/benchmarks.md, make run's time). tests/test_adam.py holds this to
torch's result bit for bit. Each step runs as torch's multi-tensor (`_foreach_`) ops over all
parameters: per element the same operations, with one dispatch per step instead of one per
parameter (a fit's net has dozens of small tensors, so the per-call cost was most of the update).
On a GPU the fit keeps torch.optim.Adam (capturable, for the CUDA graph)."""

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
        live = [i for i, p in enumerate(self.params) if p.grad is not None]
        if not live:
            return
        for i in live:
            self.steps[i] += 1
        params = [self.params[i] for i in live]
        grads = [p.grad for p in params]
        m = [self.exp_avg[i] for i in live]
        v = [self.exp_avg_sq[i] for i in live]
        t = [float(self.steps[i]) for i in live]
        torch._foreach_lerp_(m, grads, 1 - self.beta1)
        torch._foreach_mul_(v, self.beta2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta2)
        denom = torch._foreach_sqrt(v)
        torch._foreach_div_(denom, [(1 - self.beta2**s) ** 0.5 for s in t])
        torch._foreach_add_(denom, self.eps)
        torch._foreach_addcdiv_(params, m, denom, [-(self.lr / (1 - self.beta1**s)) for s in t])
