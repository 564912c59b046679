"""Photographs that scikit-image ships, with hand-annotated Visual-Genome-style graphs that
ship inside this package (photo_graphs/), so an installed SIMBIL has them too."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import UserError
from ..imageio import skimage_photo, write_atomic, write_image

PHOTO_GRAPHS = Path(__file__).parent / "photo_graphs"


class PhotoError(UserError, ValueError):
    """A photo SIMBIL does not ship."""


def photo_names() -> list[str]:
    return sorted(p.stem for p in PHOTO_GRAPHS.glob("*.json"))


def export_photo(name: str, image_out: str, graph_out: str | None = None) -> None:
    """The photo as an RGB PNG and, if asked, its graph file beside it."""
    if name not in photo_names():
        raise PhotoError(f"no annotated photo {name!r} (have: {', '.join(photo_names())})")
    write_image(image_out, skimage_photo(name))
    if graph_out:
        write_atomic(graph_out, lambda p: shutil.copyfile(PHOTO_GRAPHS / f"{name}.json", p))
