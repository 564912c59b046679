"""Noun phrases read against an image's vocabulary, and their referents in its graph.

    NP  := [article] adjective* noun [predicate NP]     (right-nested: "the cube behind the
                                                         sphere left of the cylinder")
    NEW := [a | an | one] adjective* noun               (an object to make)

`noun_phrases` returns every way a run of words can be read as an NP (with and without its
trailing clauses), so a command can choose where the target ends and its destination begins."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UserError
from .lexicon import ADJECTIVES, ARTICLES, QUANTIFIERS, Vocabulary, tokens


class ResolveError(UserError, ValueError):
    """A sentence that names no object, several, or words the image does not know."""


@dataclass(frozen=True)
class NP:
    noun: str
    attributes: tuple[tuple[str, str], ...]  # (key, value)
    clause: tuple[str, "NP"] | None = None  # (predicate, object NP)

    def words(self) -> str:
        out = " ".join([v for _, v in self.attributes] + [self.noun])
        return out + (f" {self.clause[0]} the {self.clause[1].words()}" if self.clause else "")


def noun_phrases(words: list[str], i: int, v: Vocabulary, new: bool = False) -> list[tuple[NP, int]]:
    """Every reading of words[i:] as an NP that starts at i: (NP, index after it)."""
    if i < len(words) and words[i] in QUANTIFIERS:
        raise ResolveError(f"'{words[i]}' names several objects: SIMBIL edits one object at a time; "
                           "say which one, e.g. 'the red cube'")
    if i < len(words) and words[i] in ARTICLES:
        i += 1
    attrs = []
    while i < len(words) and v.attribute(words[i]) and not v.noun_at(words, i):
        attrs.append(v.attribute(words[i]))
        i += 1
    if i >= len(words):
        raise ResolveError(f"expected an object name after '{' '.join(words[:i])}'")
    hit = v.noun_at(words, i)
    many = v.plural_at(words, i) if hit is None else None
    if many:
        raise ResolveError(f"'{' '.join(words[i:many[1]])}' names several objects: SIMBIL edits one object at a "
                           f"time; say which {many[0]}, e.g. 'the red {many[0]}'")
    if hit is None:
        known = ", ".join(sorted(v.nouns))
        what = "adjective or object name" if not attrs else "object name"
        raise ResolveError(f"unknown {what} '{words[i]}' (this image's objects: {known})")
    noun, after = hit
    base = NP(noun, tuple(attrs))
    out = [(base, after)]
    if new:
        return out
    pred = v.predicate_at(words, after)
    if pred:
        try:
            for inner, end in noun_phrases(words, pred[1], v):
                out.append((NP(noun, tuple(attrs), (pred[0], inner)), end))
        except ResolveError:
            pass  # what follows is not an NP here: the clause belongs to the command
    return out


def _norm(value) -> set[str]:
    values = value if isinstance(value, list) else [value]
    return {ADJECTIVES.get(str(x).lower(), str(x).lower()) for x in values}


def referents(np: NP, graph: dict, related: dict) -> list[str]:
    """Ids of the objects an NP can mean: name and attributes match, and its clause holds with
    some object its inner NP can mean. `related` maps (subject, predicate) to objects."""
    said = tokens(np.noun)  # "Ball" and "ball" read the same: each is either
    out = [o["id"] for o in graph["objects"] if tokens(o["name"]) == said and all(
        value in _norm((o.get("attributes") or {}).get(key, "")) for key, value in np.attributes)]
    if np.clause:
        pred, inner = np.clause
        others = set(referents(inner, graph, related))
        out = [oid for oid in out if related.get((oid, pred), set()) & others]
    return out


def describe(o: dict) -> str:
    a = o.get("attributes") or {}
    words = [a[k] for k in ("size", "color", "material") if isinstance(a.get(k), str)]
    return " ".join(words + [o["name"]])


def inventory(graph: dict) -> str:
    return "; ".join(f"{describe(o)} ({o['id']})" for o in graph["objects"])
