"""The five scene-graph edits, named once: what each edit takes, which benchmark mode tests it,
and what making its pixels needs. Everything else (the edit checks, the dataset's pair modes,
the rules' inputs, the pixel stage) reads this table."""

from __future__ import annotations

from dataclasses import dataclass

# what a removal mask takes as the object's shadow (config masks.shadow, `simbil stage mask --shadow`):
# the graph's own mask, else the estimate | the estimate always | none. Here, not in simbil.shadow,
# so that the command line's parser imports no SciPy.
SHADOW_SOURCES = ("known", "estimate", "none")


@dataclass(frozen=True)
class Op:
    name: str  # as written in an edit's `op`
    mode: str  # the benchmark pair mode that tests it (SIMSG's names, plus attribute)
    fields: tuple[str, ...]  # the edit fields it takes besides id, image, op
    hole: str  # what it cuts out of the source: none | object | object+shadow
    places: bool  # it puts new pixels somewhere (and so has a box to put them in)
    needs_model: bool  # the RNN RoI predictor says where
    needs_bank: bool  # its pixels may come from the object bank (a move's: what was hidden of it)


OPS: dict[str, Op] = {o.name: o for o in (
    Op("remove", "removal", ("target",), "object+shadow", False, False, False),
    Op("replace", "replacement", ("target", "new"), "object+shadow", True, False, True),
    Op("relation", "relationship", ("target", "relations"), "object+shadow", True, True, True),
    Op("add", "addition", ("new", "relations"), "none", True, True, True),
    Op("attribute", "attribute", ("target", "attributes"), "object", True, False, True),
)}
OP_NAMES = tuple(OPS)
MODES = tuple(o.mode for o in OPS.values())
OP_OF_MODE = {o.mode: o.name for o in OPS.values()}
MODE_OF_OP = {o.name: o.mode for o in OPS.values()}
