"""Where a step of the RoI predictor's training goes: batching (encode), forward pass, backward
pass and Adam, in ms per step, on the default's batch, width and model, one thread. Prints a
markdown table. Usage: python -m benchmarks.roi_steps [--graphs 4000] [--epochs 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from simbil.roi.features import box_to_target, step_features
from simbil.roi.model import build_model
from simbil.roi.train import TrainSettings, encode, sample


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graphs", type=int, default=4000)
    ap.add_argument("--epochs", type=int, default=2)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    s = TrainSettings()
    rng = np.random.default_rng([s.seed, 1])
    data = [sample(rng, s.width, s.height) for _ in range(a.graphs)]
    y = torch.from_numpy(np.stack([box_to_target(e["box"], s.width, s.height) for e in data]))
    rows = [step_features(e["relations"], e["objects"], s.width, s.height) for e in data]
    model = build_model("gru", hidden=s.hidden, layers=s.layers)
    opt = torch.optim.Adam(model.parameters(), lr=s.lr)
    order = np.random.default_rng([s.seed, 3])
    spent = dict.fromkeys(("batching", "forward", "backward", "Adam"), 0.0)
    steps, first = 0, True
    for _ in range(a.epochs):
        perm = order.permutation(len(data))
        for i in range(0, len(data), s.batch):
            idx = perm[i:i + s.batch]
            t0 = time.perf_counter()
            batch = encode([data[j] for j in idx], s.width, s.height, order, [rows[j] for j in idx])
            t1 = time.perf_counter()
            loss = torch.nn.functional.smooth_l1_loss(model(*batch), y[idx], beta=0.02)
            t2 = time.perf_counter()
            opt.zero_grad()
            loss.backward()
            t3 = time.perf_counter()
            opt.step()
            t4 = time.perf_counter()
            if first:  # torch.optim's first step imports torch._dynamo: not a step's cost
                first = False
                continue
            for k, dt in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                spent[k] += dt
            steps += 1
    total = sum(spent.values())
    print(f"{steps} steps of {s.batch} graphs, {total / steps * 1000:.1f} ms a step\n")
    print("| part | ms a step | share |\n|---|---|---|")
    for k, v in spent.items():
        print(f"| {k} | {v / steps * 1000:.2f} | {v / total:.0%} |")


if __name__ == "__main__":
    main()
