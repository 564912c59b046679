"""Edits in words on CLEVR-like scenes: referring expressions generated from each scene's graph,
half naming one object (every combination of attributes, and of attributes with one relation to
an object named by its own attributes, that picks one), half naming several. Unambiguous ones
must resolve to the right object, ambiguous ones must be refused; prints the rates and the time
per sentence.

    python -m benchmarks.resolution [--scenes 500] [--seed 0]
"""

from __future__ import annotations

import argparse
import time
from itertools import combinations

import numpy as np

from simbil.clevr.sampler import sample_scene
from simbil.graphs import from_clevr_scene
from simbil.language import ResolveError, resolve

KEYS = ("size", "color", "material")
TEMPLATES = ["remove the {}", "make the {} {color}", "replace the {} with a {color} cylinder",
             "move the {} behind the {anchor}", "delete {}"]


def matches(g: dict, name: str, attrs: dict, rel=None) -> list[str]:
    """The truth, computed apart from the resolver: objects with the name and attributes and,
    with rel = (predicate, anchor id), that relation to the anchor."""
    pairs = {(r["subject"], r["predicate"], r["object"]) for r in g["relationships"]}
    return [o["id"] for o in g["objects"] if o["name"] == name
            and all(o["attributes"][k] == v for k, v in attrs.items())
            and (rel is None or (o["id"], rel[0], rel[1]) in pairs)]


def descriptions(g: dict):
    """(phrase, ids it names) for every attribute subset of every object, and each subset with
    one relation to an anchor that its own attributes name uniquely."""
    seen = {}
    anchors = {}
    for o in g["objects"]:
        for n in range(4):
            for keys in combinations(KEYS, n):
                attrs = {k: o["attributes"][k] for k in keys}
                phrase = " ".join([attrs[k] for k in keys] + [o["name"]])
                ids = matches(g, o["name"], attrs)
                seen[phrase] = ids
                if len(ids) == 1:
                    anchors.setdefault(ids[0], phrase)
    for o in g["objects"]:
        for n in range(3):
            for keys in combinations(KEYS, n):
                attrs = {k: o["attributes"][k] for k in keys}
                base = " ".join([attrs[k] for k in keys] + [o["name"]])
                for aid, aphrase in anchors.items():
                    if aid == o["id"]:
                        continue
                    for pred in ("left of", "right of", "behind", "front of"):
                        ids = matches(g, o["name"], attrs, (pred, aid))
                        if ids:
                            seen[f"{base} {pred} the {aphrase}"] = ids
    return seen


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    rng = np.random.default_rng(a.seed)
    counts = {"unambiguous": [0, 0], "ambiguous": [0, 0]}
    failures, seconds = [], []
    for s in range(a.scenes):
        g = from_clevr_scene(sample_scene(np.random.default_rng([a.seed, s]), int(rng.integers(3, 8)), 320, 240),
                             width=320, height=240)
        seen = descriptions(g)
        one = [p for p, ids in seen.items() if len(ids) == 1]
        many = [p for p, ids in seen.items() if len(ids) > 1]
        k = min(len(one), len(many), 4)
        for kind, phrases in (("unambiguous", one), ("ambiguous", many)):
            for phrase in rng.choice(phrases, size=k, replace=False) if k else []:
                ids = seen[phrase]
                anchor = next((p for p, i in seen.items() if len(i) == 1 and i != ids), None)
                if anchor is None:  # one object alone: nothing to move it next to
                    continue
                text = TEMPLATES[int(rng.integers(len(TEMPLATES)))].format(phrase, color="blue", anchor=anchor)
                t = time.perf_counter()
                try:
                    got = resolve(text, g, clevr=True)["target"]
                except ResolveError:
                    got = None
                seconds.append(time.perf_counter() - t)
                ok = got == ids[0] if kind == "unambiguous" else got is None
                # a move whose anchor is the target itself is rightly refused
                if kind == "unambiguous" and not ok and text.startswith("move") and ids[0] in seen.get(anchor, []):
                    continue
                counts[kind][0] += ok
                counts[kind][1] += 1
                if not ok:
                    failures.append((s, text, ids, got))
    print("| sentences | resolved right | rate |\n|---|---|---|")
    for kind, (good, n) in counts.items():
        print(f"| {n} {kind} | {good} | {100 * good / max(n, 1):.1f} % |")
    print(f"\n{a.scenes} scenes; median {1000 * float(np.median(seconds)):.2f} ms, "
          f"max {1000 * max(seconds):.1f} ms per sentence")
    for f in failures[:10]:
        print("failed:", f)


if __name__ == "__main__":
    main()
