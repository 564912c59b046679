"""Training the RoI predictor on scene graphs drawn from the CLEVR-like generator (layouts
only: no images are rendered, so thousands of graphs take seconds)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np
import torch

from ..clevr.camera import Camera
from ..clevr.relations import relationship_triples
from ..clevr.sampler import sample_scene
from ..settings import Settings, setting
from .features import STEP_DIM, box_to_target, iou, own_features, step_features, target_to_box
from .geometry import object_box
from .model import build_model


@dataclass(frozen=True)
class TrainSettings(Settings):
    # the config's `roi:` block (schemas/config.schema.yaml), whose bounds tests/test_roi.py holds to these
    graphs: int = setting(20000, low=10)  # training graphs; validation uses another 10 % of that, seeded apart
    epochs: int = setting(40, low=1)
    batch: int = setting(128, low=1)
    lr: float = setting(0.003, low=0, low_open=True, high=0.03)  # past it training diverges (docs/benchmarks.md)
    hidden: int = setting(128, low=4)
    layers: int = setting(1, low=1)
    seed: int = setting(0, low=0, high=2**32 - 1)
    width: int = setting(320, low=16, high=1920)
    height: int = setting(240, low=16, high=1080)


def sample(rng: np.random.Generator, width: int, height: int) -> dict:
    """One training example: a layout's objects with tight boxes, its relation triples, and one
    object as the target. The generator's own scene, so no graph is read or checked: the objects
    and triples are those simbil.graphs.from_clevr_scene would give, with these boxes."""
    scene = sample_scene(rng, int(rng.integers(3, 8)), width, height, check_visible=False)
    cam = Camera.from_dict(scene["camera"])
    ids = [so.get("id", f"o{i}") for i, so in enumerate(scene["objects"])]
    objects = []
    for oid, so in zip(ids, scene["objects"]):
        b = object_box(so["shape"], so["size"], *so["3d_coords"][:2], cam, width, height, so.get("rotation", 0))
        objects.append({"id": oid, "name": so["shape"],
                        "attributes": {"color": so["color"], "material": so["material"], "size": so["size"]},
                        "bbox": [max(0.0, b[0]), max(0.0, b[1]), min(width, b[2]), min(height, b[3])]})
    triples = relationship_triples(scene["objects"], scene["relationships"], ids)
    t = objects[int(rng.integers(len(objects)))]
    rels = [{"predicate": r["predicate"], "object": r["object"]} for r in triples if r["subject"] == t["id"]]
    return {"name": t["name"], "size": t["attributes"]["size"], "relations": rels,
            "objects": {o["id"]: o for o in objects if o["id"] != t["id"]}, "box": t["bbox"]}


def encode(examples: list[dict], width: int, height: int, shuffle_rng=None, rows: list | None = None):
    """Padded tensors: steps (B, T, D), lengths (B,), own (B, D0). `rows`: the examples'
    step features, when already computed (training encodes each example once, not per epoch)."""
    if rows is None:
        rows = [step_features(e["relations"], e["objects"], width, height) for e in examples]
    if shuffle_rng is not None:  # relation order carries no meaning: train for any order
        rows = [r[shuffle_rng.permutation(len(r))] for r in rows]
    T = max(1, max(len(r) for r in rows))
    steps = np.zeros((len(rows), T, STEP_DIM), np.float32)
    for i, r in enumerate(rows):
        steps[i, :len(r)] = r
    own = np.stack([own_features(e["name"], e["size"]) for e in examples])
    return torch.from_numpy(steps), torch.tensor([len(r) for r in rows]), torch.from_numpy(own)


def train(s: TrainSettings, log=print) -> tuple[torch.nn.Module, dict]:
    torch.manual_seed(s.seed)
    t0 = time.perf_counter()
    rng = np.random.default_rng([s.seed, 1])
    data = [sample(rng, s.width, s.height) for _ in range(s.graphs)]
    vrng = np.random.default_rng([s.seed, 2])
    val = [sample(vrng, s.width, s.height) for _ in range(max(50, s.graphs // 10))]
    log(f"sampled {len(data)} training and {len(val)} validation graphs in {time.perf_counter() - t0:.1f}s")
    y = torch.from_numpy(np.stack([box_to_target(e["box"], s.width, s.height) for e in data]))
    rows = [step_features(e["relations"], e["objects"], s.width, s.height) for e in data]
    model = build_model("gru", hidden=s.hidden, layers=s.layers)
    opt = torch.optim.Adam(model.parameters(), lr=s.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, s.epochs)
    order_rng = np.random.default_rng([s.seed, 3])
    history = []
    for epoch in range(1, s.epochs + 1):
        model.train()
        perm = order_rng.permutation(len(data))
        total = 0.0
        for i in range(0, len(data), s.batch):
            idx = perm[i:i + s.batch]
            steps, lengths, own = encode([data[j] for j in idx], s.width, s.height, order_rng,
                                        [rows[j] for j in idx])
            loss = torch.nn.functional.smooth_l1_loss(model(steps, lengths, own), y[idx], beta=0.02)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        sched.step()
        if epoch == 1 or epoch % 5 == 0 or epoch == s.epochs:
            v = evaluate(model, val, s.width, s.height)
            history.append({"epoch": epoch, "loss": total / len(data), **v})
            log(f"epoch {epoch}/{s.epochs}  loss {total / len(data):.5f}  val mean IoU {v['mean_iou']:.3f}  "
                f"IoU>=0.5 {v['iou50']:.3f}  {time.perf_counter() - t0:.0f}s")
    return model, {"settings": asdict(s), "history": history, "val": history[-1], "seconds": time.perf_counter() - t0}


@torch.no_grad()
def predict_boxes(model, examples: list[dict], width: int, height: int) -> list[list[float]]:
    model.eval()
    steps, lengths, own = encode(examples, width, height)
    return [target_to_box(t, width, height) for t in model(steps, lengths, own).numpy()]


def evaluate(model, examples: list[dict], width: int, height: int) -> dict:
    ious = [iou(p, e["box"]) for p, e in zip(predict_boxes(model, examples, width, height), examples)]
    return {"mean_iou": float(np.mean(ious)), "iou50": float(np.mean(np.array(ious) >= 0.5))}


def save(path, model, info: dict) -> None:
    import os
    from pathlib import Path

    tmp = Path(path).with_name(f".{Path(path).name}.tmp{os.getpid()}")
    torch.save({"state": model.state_dict(), "hidden": model.hidden, "layers": model.layers,
                "width": info["settings"]["width"], "height": info["settings"]["height"]}, tmp)
    os.replace(tmp, path)


def load(path):
    """The saved predictor; weights_only: a model file is data, never code."""
    from ..errors import UserError

    try:
        d = torch.load(path, map_location="cpu", weights_only=True)
        model = build_model("gru", hidden=d["hidden"], layers=d["layers"])
        model.load_state_dict(d["state"])
    except FileNotFoundError:
        raise
    except Exception as e:  # torch's unpickler and the state dict each fail in their own way
        # torch's own text would advise loading it as code (weights_only=False): not a way to offer
        raise UserError(f"{path}: not a SIMBIL RoI model (made by `simbil stage train-roi`; "
                        f"{type(e).__name__})") from None
    model.eval()
    return model
