"""Deep Image Prior's encoder–decoder with skip connections, built from settings.

Structure as Ulyanov et al.'s `skip` network: at each level a strided 3×3 conv down, a 3×3
conv, the deeper levels, bilinear upsampling, concatenation with a 1×1 skip branch, then 3×3
and 1×1 convs; batch norm and LeakyReLU throughout, reflection padding.
"""

from __future__ import annotations

import torch
from torch import nn


def _conv(cin: int, cout: int, k: int, stride: int = 1) -> nn.Module:
    pad = (k - 1) // 2
    layers = [nn.ReflectionPad2d(pad)] if pad else []
    layers.append(nn.Conv2d(cin, cout, k, stride))
    return nn.Sequential(*layers)


def _block(cin: int, cout: int, k: int, stride: int = 1) -> list[nn.Module]:
    return [_conv(cin, cout, k, stride), nn.BatchNorm2d(cout), nn.LeakyReLU(0.2, inplace=True)]


class _Level(nn.Module):
    def __init__(self, cin: int, down: int, up: int, skip: int, inner: nn.Module | None, inner_out: int):
        super().__init__()
        self.skip = nn.Sequential(*_block(cin, skip, 1)) if skip else None
        self.down = nn.Sequential(*_block(cin, down, 3, 2), *_block(down, down, 3))
        self.inner = inner
        k = inner_out if inner is not None else down
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.merge = nn.Sequential(nn.BatchNorm2d(skip + k), *_block(skip + k, up, 3), *_block(up, up, 1))

    def forward(self, x):
        d = self.down(x)
        if self.inner is not None:
            d = self.inner(d)
        d = self.up(d)
        if self.skip is not None:
            d = torch.cat([self.skip(x), d], dim=1)
        return self.merge(d)


class SkipNet(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, levels: int, channels: int, skip_channels: int,
                 sigmoid: bool = True):
        super().__init__()
        inner, inner_out = None, 0
        for i in reversed(range(levels)):
            cin = in_channels if i == 0 else channels
            inner = _Level(cin, channels, channels, skip_channels, inner, inner_out)
            inner_out = channels
        self.body = inner
        self.head = nn.Conv2d(channels, out_channels, 1)
        self.sigmoid = sigmoid
        self.multiple = 2**levels  # input sides must divide by this

    def forward(self, z):
        y = self.head(self.body(z))
        return torch.sigmoid(y) if self.sigmoid else y


NETS = {"skip": SkipNet}


def build_net(name: str = "skip", **kw) -> nn.Module:
    """Network factory: the architecture by name, its sizes from settings."""
    if name not in NETS:
        raise ValueError(f"unknown network {name!r} (known: {', '.join(NETS)})")
    return NETS[name](**kw)
