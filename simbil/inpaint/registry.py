"""The inpainters, each registered once with what the rest of SIMBIL needs to know about it:
its settings type and defaults, whether it runs on torch (a GPU job: device lease, seed,
threads), and the defaults it takes when it fills around a placed object rather than a removed
one. Adding a method: write its module with a `@register(...)` function, import that module in
`simbil/inpaint/__init__.py`, and test it (docs/design.md walks through an example)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..errors import UserError
from ..settings import Settings


class InpaintError(UserError, ValueError):
    """Input an inpainter cannot work with; the message says what is wrong."""


@dataclass(frozen=True)
class Inpainter:
    name: str
    fill: Callable[..., np.ndarray]  # (image, mask, settings, progress) -> image
    defaults: Settings
    torch: bool = False
    # settings it takes, unless the user set them, when it fills around placed pixels ("placing")
    # or only the 1 px ring of an object changed in place ("in_place", on top of "placing")
    op_defaults: dict[str, dict] = field(default_factory=dict)
    # (mask, settings) -> whether filling that hole runs the network; None: whenever torch is True
    fits: Callable[[np.ndarray, Settings], bool] | None = None

    def runs_network(self, mask: np.ndarray, settings: Settings) -> bool:
        """Whether filling `mask` with these settings fits a network (and so needs torch and a device)."""
        return self.torch and bool(mask.any()) and (self.fits is None or self.fits(mask, settings))

    def settings(self, given: dict | None = None, placing: bool = False, in_place: bool = False) -> Settings:
        """Its defaults, the op's defaults, then what was given; every value checked."""
        kw = {}
        if placing:
            kw.update(self.op_defaults.get("placing", {}))
        if in_place:
            kw.update(self.op_defaults.get("in_place", {}))
        try:
            return type(self.defaults).make(self.defaults, **{**kw, **(given or {})})
        except (TypeError, ValueError) as e:
            raise InpaintError(f"method {self.name!r}: {e}") from None


INPAINTERS: dict[str, Inpainter] = {}


def register(name: str, defaults: Settings, torch: bool = False, op_defaults: dict | None = None,
             fits: Callable[[np.ndarray, Settings], bool] | None = None):
    """Decorator: register `fill(image, mask, settings, progress=None)` under `name`."""
    def deco(fill):
        if name in INPAINTERS:
            raise ValueError(f"inpainter {name!r} registered twice")
        INPAINTERS[name] = Inpainter(name, fill, defaults, torch, op_defaults or {}, fits)
        return fill
    return deco


def get_inpainter(name: str) -> Inpainter:
    if name not in INPAINTERS:
        raise InpaintError(f"unknown method {name!r} (one of {', '.join(INPAINTERS)})")
    return INPAINTERS[name]
