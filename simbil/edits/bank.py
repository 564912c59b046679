"""Object bank retrieval: the exemplar nearest an edit's wishes among the crops that
simbil.datasets.bank harvested."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import UserError


FIELDS = {"name", "color", "material", "size", "bbox", "file"}  # what pick reads of each object


class BankError(UserError, ValueError):
    """An object bank that cannot give what an edit asks of it; the message names its folder."""


class Bank:
    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        index = self.folder / "index.json"
        if not index.is_file():
            raise BankError(f"{self.folder}: no object bank here (no index.json)")
        try:
            self.objects = json.loads(index.read_text())["objects"]
            if not all(isinstance(o, dict) and FIELDS <= o.keys() for o in self.objects):
                raise ValueError(f"every object needs {', '.join(sorted(FIELDS))}")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
            raise BankError(f"{index}: not an object bank index ({type(e).__name__}: {e})") from None
        if not self.objects:
            raise BankError(f"{self.folder}: the object bank is empty")

    def has(self, name: str) -> bool:
        return any(o["name"] == name for o in self.objects)

    def pick(self, name: str, attributes: dict, box) -> tuple[dict, np.ndarray]:
        """The closest exemplar: same name and attributes where the bank has one (relaxing size,
        then material, then colour, never the name), and among those the one whose box bottom
        (and, at a quarter of the weight, its horizontal centre) is nearest the target's, so
        perspective and lighting match. Returns (entry, RGBA float crop)."""
        if not self.has(name):  # another shape under this name would be a lie
            have = ", ".join(sorted({o["name"] for o in self.objects}))
            raise BankError(f"{self.folder}: the object bank has no {name} (it has {have}); a bank harvested "
                            "from more scenes (bank.scenes) has every shape")
        want = {"name": name, **{k: attributes.get(k) for k in ("color", "material", "size")}}
        keys = ["name", "color", "material", "size"]
        for relax in ([], ["size"], ["size", "material"], ["size", "material", "color"]):
            cands = [o for o in self.objects
                     if all(o[k] == want[k] for k in keys if k not in relax and want[k] is not None)]
            if cands:
                break
        best = min(cands, key=lambda o: abs(o["bbox"][3] - box[3]) + 0.25 * abs(
            (o["bbox"][0] + o["bbox"][2]) / 2 - (box[0] + box[2]) / 2))
        return best, self._image(best["file"], "RGBA").astype(np.float32) / 255

    def shadow(self, entry: dict) -> tuple[np.ndarray, list[int]] | None:
        """An exemplar's cast shadow: (light kept, 0–1, over its shadow_box), or None for a bank
        harvested without shadows."""
        if not entry.get("shadow"):
            return None
        return self._image(entry["shadow"], "L").astype(np.float64) / 255, entry["shadow_box"]

    def _image(self, name: str, mode: str) -> np.ndarray:
        try:
            with Image.open(self.folder / name) as im:
                return np.asarray(im.convert(mode))
        except (OSError, SyntaxError, ValueError) as e:  # a damaged bank: say which file
            raise BankError(f"{self.folder / name}: not a readable object bank image ({type(e).__name__}); "
                            "harvest the bank again") from None
