"""Typed settings: one dataclass per component, every field checked when it is made.

A field's type and its `metadata` (`low`, `high`, `*_open`, `choices`) are the whole rule:
`Settings.make` refuses unknown names, wrong types (a bool or 2.5 for an int), NaN and
infinities, and values out of range, naming the field, so a bad value stops a run before any
work instead of filling a hole with black.
"""

from __future__ import annotations

import math
import typing
from dataclasses import asdict, dataclass, field, fields


def setting(default, low=None, high=None, low_open=False, high_open=False, choices=None):
    """A settings field with its allowed range (bounds included unless *_open) or choices."""
    return field(default=default, metadata={"low": low, "high": high, "low_open": low_open,
                                            "high_open": high_open, "choices": choices})


def _check(name: str, hint, value, meta: dict):
    opts = set(typing.get_args(hint)) if typing.get_origin(hint) in (typing.Union, type(int | None)) else {hint}
    if value is None:
        if type(None) in opts:
            return None
        raise ValueError(f"setting {name} must be given, got None")
    if int in opts and isinstance(value, int) and not isinstance(value, bool):
        pass
    elif float in opts and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"setting {name} must be a finite number, got {value}")
    elif str in opts and isinstance(value, str):
        pass
    elif bool in opts and isinstance(value, bool):
        pass
    else:
        want = " or ".join(sorted(t.__name__ for t in opts))
        raise ValueError(f"setting {name} must be {want}, got {value!r}")
    lo, hi, choices = meta.get("low"), meta.get("high"), meta.get("choices")
    if choices is not None and value not in choices:
        raise ValueError(f"unknown {name} {value!r} (one of {', '.join(map(str, choices))})")
    if lo is not None and (value <= lo if meta.get("low_open") else value < lo):
        raise ValueError(f"setting {name} must be {'>' if meta.get('low_open') else '>='} {lo}, got {value}")
    if hi is not None and (value >= hi if meta.get("high_open") else value > hi):
        raise ValueError(f"setting {name} must be {'<' if meta.get('high_open') else '<='} {hi}, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    @classmethod
    def make(cls, base: "Settings | None" = None, **kw):
        """`base` (or the defaults) with `kw` on top, every field checked."""
        names = {f.name for f in fields(cls)}
        bad = sorted(set(kw) - names)
        if bad:
            raise ValueError(f"unknown setting(s) {bad}; known: {', '.join(sorted(names))}")
        hints = typing.get_type_hints(cls)
        values = {**(asdict(base) if base else {}), **kw}
        return cls(**{f.name: _check(f.name, hints[f.name], values.get(f.name, f.default), f.metadata)
                      for f in fields(cls)})

    def changed(self, base: "Settings") -> dict:
        """The fields that differ from `base`."""
        b = asdict(base)
        return {k: v for k, v in asdict(self).items() if b.get(k) != v}
