"""CLEVR's spatial relationships from 3D coordinates, as `compute_all_relationships` does."""

from __future__ import annotations

from .properties import PREDICATES, RELATION_EPS


def clevr_relationships(objects: list[dict], directions: dict, eps: float = RELATION_EPS) -> dict:
    """CLEVR format: out[name][i] lists the indices j such that object j is `name` of object i
    (j is left of i when j's offset from i projects more than eps on the left vector)."""
    out = {}
    for name in PREDICATES:
        v = directions[name]
        rel = []
        for i, a in enumerate(objects):
            ca = a["3d_coords"]
            rel.append([j for j, b in enumerate(objects)
                        if j != i and sum((b["3d_coords"][k] - ca[k]) * v[k] for k in range(3)) > eps])
        out[name] = rel
    return out


def relationship_triples(objects: list[dict], relationships: dict, ids: list[str]) -> list[dict]:
    """CLEVR lists → relation triples: j in rel['left'][i] becomes (j, 'left of', i)."""
    triples = []
    for name, predicate in PREDICATES.items():
        for i, related in enumerate(relationships.get(name, [])):
            for j in related:
                triples.append({"subject": ids[j], "predicate": predicate, "object": ids[i]})
    return triples
