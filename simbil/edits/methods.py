"""A `methods:` entry of the config, parsed once into one typed object.

The config names a method (`bgdip-heuristic-roi`), says which registered inpainter makes its
pixels (`method: bgdip`), that inpainter's settings, and for edits that place an object where
it goes (`roi`), whether the seam is re-made around it (`harmonise`), whether a moved object
takes its cast shadow along (`shadows`) and has what was hidden of it completed (`complete`), and
which ops it runs on (`ops`). Rules, stages and benchmarks all read it through `MethodSpec`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..inpaint import InpaintError, get_inpainter
from ..ops import OP_NAMES

ROI_SOURCES = ("rnn", "heuristic", "truth")  # where a placed object goes: predictor, baseline, oracle
KEYS = ("method", "settings", "roi", "harmonise", "shadows", "complete", "ops")


class MethodError(ValueError):
    """Problems with one methods entry, as (field, message) pairs."""

    def __init__(self, name: str, problems: list[tuple[str, str]]):
        self.name, self.problems = name, problems
        super().__init__("; ".join(f"methods.{name}.{f}: {m}" for f, m in problems))


@dataclass(frozen=True)
class MethodSpec:
    name: str  # the config's key
    inpainter: str  # a registered inpainter (simbil.inpaint.INPAINTERS)
    settings: dict  # its settings as written (checked against its settings type)
    roi: str = "rnn"
    harmonise: bool = True
    ops: tuple[str, ...] = OP_NAMES
    shadows: bool = True  # a moved object takes its cast shadow along (simbil.edits.shadows)
    complete: bool = True  # what a nearer object hid of a moved one comes from the bank (simbil.edits.complete)

    @classmethod
    def parse(cls, name: str, entry: dict | None) -> "MethodSpec":
        entry = entry or {}
        out: list[tuple[str, str]] = [(k, "unknown key (known: " + ", ".join(KEYS) + ")")
                                      for k in entry if k not in KEYS]
        kind = entry.get("method", name)
        settings = entry.get("settings") or {}
        try:
            inp = get_inpainter(kind)
        except InpaintError as e:
            out.append(("method", str(e)))
            inp = None
        if not isinstance(settings, dict):
            out.append(("settings", f"must be a mapping of setting names to values, got {settings!r}"))
        elif inp is not None:
            try:
                inp.settings(settings)
            except InpaintError as e:
                out.append(("settings", str(e).split(": ", 1)[-1]))
        roi = entry.get("roi", "rnn")
        if roi not in ROI_SOURCES:
            out.append(("roi", f"unknown RoI source {roi!r} (one of {', '.join(ROI_SOURCES)})"))
        harmonise = entry.get("harmonise", inp.torch if inp else False)
        if not isinstance(harmonise, bool):
            out.append(("harmonise", f"must be true or false, got {harmonise!r}"))
        shadows, whole = entry.get("shadows", True), entry.get("complete", True)
        out += [(k, f"must be true or false, got {v!r}") for k, v in (("shadows", shadows), ("complete", whole))
                if not isinstance(v, bool)]
        ops = entry.get("ops", OP_NAMES)
        bad = [o for o in ops if o not in OP_NAMES] if isinstance(ops, (list, tuple)) else [ops]
        if bad:
            out.append(("ops", f"unknown op(s) {bad} (of {', '.join(OP_NAMES)})"))
        if out:
            raise MethodError(name, out)
        return cls(name, kind, dict(settings), roi, harmonise, tuple(ops), shadows, whole)

    @property
    def torch(self) -> bool:
        return get_inpainter(self.inpainter).torch

    def fills_like(self, other: "MethodSpec") -> bool:
        """Whether the two fill a hole alike (the same inpainter and settings), whatever they
        place in it and however they harmonise."""
        return (self.inpainter, self.settings) == (other.inpainter, other.settings)

    def runs_on(self, op: str, has_truth: bool) -> bool:
        """Whether this method makes an edit of `op`: its `ops` include it, and a method that
        places objects at the true box (the oracle) needs a truth and something to place."""
        if op not in self.ops:
            return False
        return self.roi != "truth" or (has_truth and op != "remove")

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "MethodSpec":
        d = json.loads(text)
        return cls(**{**d, "ops": tuple(d["ops"])})


def method_problems(table: dict) -> list[str]:
    """Every problem with a `methods:` table, one line each."""
    if not table:
        return ["methods: name at least one method"]
    out = []
    for name, entry in table.items():
        try:
            MethodSpec.parse(name, entry)
        except MethodError as e:
            out += [f"methods.{name}.{f}: {m}" for f, m in e.problems]
    return out


def parse_methods(table: dict) -> dict[str, MethodSpec]:
    """The entries of a `methods:` table that parse (method_problems reports the others)."""
    out = {}
    for name, entry in table.items():
        try:
            out[name] = MethodSpec.parse(name, entry)
        except MethodError:
            pass
    return out
