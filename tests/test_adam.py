"""simbil.inpaint.adam must give torch.optim.Adam's result exactly: the CPU fits use it in
its place, and every benchmark figure was measured with torch's."""

import torch

from simbil.inpaint.adam import Adam
from simbil.inpaint.nets import build_net


def _fit(make_opt, steps: int = 12, skip_first: bool = False):
    torch.manual_seed(0)
    net = build_net("skip", in_channels=4, out_channels=3, channels=8, levels=2, skip_channels=4)
    z = torch.rand(1, 4, 16, 16)
    x = torch.rand(1, 3, 16, 16)
    params = list(net.parameters())
    opt = make_opt(params)
    for it in range(steps):
        opt.zero_grad(set_to_none=True)
        loss = ((net(z) - x) ** 2).mean()
        loss.backward()
        if skip_first and it < 3:  # a parameter without a gradient keeps its own step count
            params[0].grad = None
        opt.step()
    return [p.detach().clone() for p in params]


def test_adam_matches_torch_optim_adam_bit_for_bit():
    for skip in (False, True):
        ours = _fit(lambda p: Adam(p, lr=0.01), skip_first=skip)
        theirs = _fit(lambda p: torch.optim.Adam(p, lr=0.01), skip_first=skip)
        assert all(torch.equal(a, b) for a, b in zip(ours, theirs))
        assert not torch.equal(ours[0], _fit(lambda p: Adam(p, lr=0.01), steps=1)[0])  # it moved
