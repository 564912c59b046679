"""The RNN scene-graph encoder: a GRU over the target's relation triples, started
from the target's own name and size, regressing its box as (cx, cy, w, h) in [0, 1]."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from .features import OWN_DIM, STEP_DIM


class RoIGRU(nn.Module):
    def __init__(self, hidden: int = 64, layers: int = 1):
        super().__init__()
        self.hidden, self.layers = hidden, layers
        self.embed = nn.Sequential(nn.Linear(STEP_DIM, hidden), nn.ReLU())
        self.start = nn.Linear(OWN_DIM, hidden * layers)
        self.gru = nn.GRU(hidden, hidden, layers, batch_first=True)
        self.head = nn.Sequential(nn.Linear(hidden + OWN_DIM, hidden), nn.ReLU(), nn.Linear(hidden, 4))

    def forward(self, steps: torch.Tensor, lengths: torch.Tensor, own: torch.Tensor) -> torch.Tensor:
        B = steps.shape[0]
        h0 = torch.tanh(self.start(own)).view(B, self.layers, self.hidden).transpose(0, 1).contiguous()
        packed = pack_padded_sequence(self.embed(steps), lengths.clamp(min=1).cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, h = self.gru(packed, h0)
        return torch.sigmoid(self.head(torch.cat([h[-1], own], 1)))


MODELS = {"gru": RoIGRU}


def build_model(kind: str = "gru", **settings) -> nn.Module:
    if kind not in MODELS:
        raise ValueError(f"unknown RoI model {kind!r} (one of {', '.join(MODELS)})")
    return MODELS[kind](**settings)
