"""An edit said in words, resolved through the image's scene graph into SIMBIL's edit format.

    remove | delete | erase | take away | get rid of        NP
    replace NP with|by NEW      swap NP for|with NEW        turn | change NP into|to NEW
    move | put | place | shift NP  PRED NP [and PRED NP]
    add | insert | put | place NEW  PRED NP [and PRED NP]
    make | paint | colour | color | turn NP [to | into] ADJECTIVE+   (a new size: a replacement)

Every NP must name exactly one object: none is an error listing what the image holds; several
is an error listing the candidates and what would tell them apart."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from ..clevr.properties import SHAPES
from .lexicon import Vocabulary, tokens
from .phrases import NP, ResolveError, describe, inventory, noun_phrases, referents

INVERSE = {"left of": "right of", "right of": "left of", "behind": "front of", "front of": "behind"}
ORDER = ("size", "color", "material")  # how people order adjectives: "the small red metal cube"
VERBS = [(("get", "rid", "of"), "remove"), (("take", "away"), "remove"), (("remove",), "remove"),
         (("delete",), "remove"), (("erase",), "remove"), (("replace",), "replace"), (("swap",), "replace"),
         (("move",), "move"), (("shift",), "move"), (("put",), "put"), (("place",), "put"), (("add",), "add"),
         (("insert",), "add"), (("make",), "attribute"), (("paint",), "attribute"), (("colour",), "attribute"),
         (("color",), "attribute"), (("turn",), "turn"), (("change",), "turn")]


def resolve(text: str, graph: dict, clevr: bool = False) -> dict:
    """The edit {op, target?, new?, relations?, attributes?} that `text` says, on `graph`."""
    words = [w for w in tokens(text) if w != "please"]
    v = Vocabulary.of(graph, clevr)
    related: dict = {}
    for r in graph["relationships"]:  # a spatial relation stated one way holds the other way too
        related.setdefault((r["subject"], r["predicate"]), set()).add(r["object"])
        if r["predicate"] in INVERSE:
            related.setdefault((r["object"], INVERSE[r["predicate"]]), set()).add(r["subject"])
    for phrase, verb in VERBS:
        if tuple(words[:len(phrase)]) == phrase:
            try:
                return _command(verb, words, len(phrase), v, graph, related)
            except RecursionError:  # one nested clause a level: no sentence a person says
                raise ResolveError(f"'{text[:60]}...': too many clauses in one sentence") from None
    raise ResolveError(f"'{text}': start with what to do: remove, replace, move, add or make "
                       "(e.g. 'remove the red cube')")


def _command(verb: str, words, i: int, v: Vocabulary, graph: dict, related: dict) -> dict:
    if i >= len(words):
        raise ResolveError(f"'{' '.join(words)}': say which object")
    if verb == "put":  # "put a ..." makes one; "put the ..." moves one
        verb = "add" if words[i] in ("a", "an", "one") else "move"
    if verb == "remove":
        return {"op": "remove", "target": _one(_whole(words, i, v), graph, related)}
    if verb == "add":
        new, j = _new(words, i, v)
        return {"op": "add", "new": new, "relations": _relations(words, j, v, graph, related, required=True)}
    if verb == "move":
        return _move(words, i, v, graph, related)
    links = ("with", "by", "for") if verb == "replace" else ("into", "to")
    k = next((k for k in range(len(words) - 1, i, -1) if words[k] in links and _has_noun(words, k + 1, v)), None)
    if verb == "replace" or k is not None:
        if k is None:
            last = next((k for k in range(len(words) - 1, i, -1) if words[k] in links), None)
            if last is not None and last + 1 < len(words):
                _new(words, last + 1, v)  # what follows 'with' names nothing known: its own error says so
            raise ResolveError(f"'{' '.join(words)}': say what to replace it with ('... with a yellow sphere')")
        new, end = _new(words, k + 1, v)
        if end != len(words):
            raise ResolveError(f"'{' '.join(words[end:])}' after the new object is not understood")
        return {"op": "replace", "target": _one(_whole(words[:k], i, v), graph, related), "new": new}
    return _attribute(words, i, v, graph, related)


def _whole(words, i, v) -> list[NP]:
    """The readings of words[i:] as one NP that uses every word."""
    readings = [np for np, end in noun_phrases(words, i, v) if end == len(words)]
    if not readings:
        longest = max(noun_phrases(words, i, v), key=lambda r: r[1])
        raise ResolveError(f"'{' '.join(words[longest[1]:])}' is not understood after "
                           f"'{' '.join(words[i:longest[1]])}'")
    return readings


def _one(readings: list[NP], graph: dict, related: dict) -> str:
    np = readings[-1]  # the whole phrase, clauses included
    ids = referents(np, graph, related)
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise ResolveError(f"no {np.words()} in this image; it holds: {inventory(graph)}")
    raise ResolveError(_ambiguous(np, ids, graph, related))


def _ambiguous(np: NP, ids: list[str], graph: dict, related: dict) -> str:
    """Several objects fit: name each with the fewest of its attributes that no other object in
    the image fits (a phrase that only told the candidates apart could name a third object)."""
    objs = {o["id"]: o for o in graph["objects"]}
    hints = []
    for oid in ids:
        a = {k: x for k, x in (objs[oid].get("attributes") or {}).items() if isinstance(x, str)}
        order = sorted(a, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
        keys = next((keys for n in range(1, len(a) + 1) for keys in combinations(order, n)
                     if referents(replace(np, attributes=tuple((k, a[k]) for k in keys)), graph, related) == [oid]),
                    None)
        what = replace(np, attributes=tuple((k, a[k]) for k in keys)).words() if keys else _by_relation(
            np, oid, graph, related)
        hints.append(f"{oid}, the {describe(objs[oid])}: " + (f"say 'the {what}'" if what else
                                                               "nothing in the graph tells it apart"))
    return f"'the {np.words()}' could be {len(ids)} objects: " + "; ".join(hints)


def _by_relation(np: NP, oid: str, graph: dict, related: dict) -> str | None:
    """'cube left of the cyan cylinder', 'wheel right of the wheel': a relation of the object, to
    another said in the fewest words, that only it has in the whole image (in place of the
    phrase's own clause, which a second one would nest into and change)."""
    objects = {o["id"]: o for o in graph["objects"]}
    for (subject, predicate), others in related.items():
        for other in sorted(others) if subject == oid else []:
            a = objects[other].get("attributes") or {}
            for n in range(len(ORDER) + 1):
                for keys in combinations([k for k in ORDER if isinstance(a.get(k), str)], n):
                    said = NP(np.noun, np.attributes,
                              (predicate, NP(objects[other]["name"], tuple((k, a[k]) for k in keys))))
                    if referents(said, graph, related) == [oid]:
                        return said.words()
    return None


def _new(words, i, v: Vocabulary) -> tuple[dict, int]:
    nv = Vocabulary(v.nouns | set(SHAPES), v.attributes, v.predicates)
    (np, end), = noun_phrases(words, i, nv, new=True)
    return {"name": np.noun, "attributes": dict(np.attributes)}, end


def _has_noun(words, i, v) -> bool:
    try:
        _new(words, i, v)
        return True
    except ResolveError:
        return False


def _relations(words, i, v, graph, related, required: bool) -> list[dict]:
    """PRED NP [and PRED NP]... to the end of the sentence; every NP one object."""
    out = []
    while i < len(words):
        if words[i] in ("and", ",") and out:
            i += 1
        pred = v.predicate_at(words, i)
        if not pred:
            known = sorted({p for p in v.predicates.values()})
            raise ResolveError(f"expected where, like 'left of the cylinder', at '{' '.join(words[i:])}' "
                               f"(this image's relations: {', '.join(known)})")
        ends = [r for r in noun_phrases(words, pred[1], v)]
        # the longest reading that stops at the sentence's end or at 'and'
        stops = [(np, e) for np, e in ends if e == len(words) or words[e] == "and"]
        if not stops:
            raise ResolveError(f"'{' '.join(words[pred[1]:])}' is not understood")
        np, i = max(stops, key=lambda r: r[1])
        out.append({"predicate": pred[0], "object": _one([np], graph, related)})
    if required and not out:
        raise ResolveError(f"'{' '.join(words)}': say where, like '... left of the red sphere'")
    return out


def _move(words, i, v, graph, related) -> dict:
    """The target ends where a destination that makes sense begins: the shortest target phrase
    that names one object, followed by relations that each name one."""
    first_error = None
    for np, end in sorted(noun_phrases(words, i, v), key=lambda r: r[1]):
        if end == len(words):
            continue
        try:
            target = _one([np], graph, related)
            rels = _relations(words, end, v, graph, related, required=True)
        except ResolveError as e:
            first_error = first_error or e
            continue
        if any(r["object"] == target for r in rels):
            first_error = first_error or ResolveError("an object cannot be moved relative to itself")
            continue
        return {"op": "relation", "target": target, "relations": rels}
    raise first_error or ResolveError(f"'{' '.join(words)}': say where to move it ('... left of the cube')")


def _attribute(words, i, v, graph, related) -> dict:
    """make NP ADJ+: the adjectives at the end are the new look, the rest names the object."""
    j = len(words)
    while j > i and v.attribute(words[j - 1]):
        j -= 1
    if j == len(words):
        raise ResolveError(f"'{' '.join(words)}': say the new colour, material or size ('make the cube blue')")
    k = j - 1 if words[j - 1] in ("to", "into") else j
    target = _one(_whole(words[:k], i, v), graph, related)
    attributes = dict(v.attribute(w) for w in words[j:])
    if "size" in attributes:  # a new size is a new object where the old one stood: a replacement
        obj = next(o for o in graph["objects"] if o["id"] == target)
        return {"op": "replace", "target": target,
                "new": {"name": obj["name"], "attributes": {**obj.get("attributes", {}), **attributes}}}
    return {"op": "attribute", "target": target, "attributes": attributes}
