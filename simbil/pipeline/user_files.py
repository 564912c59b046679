"""Checks of the user's own files (`images:` in the config): each image and graph file exists
inside the workflow's folder, the graph describes its image's size, and the mask files it names
are there, lossless and the image's size; and the mask files a graph job depends on."""

from __future__ import annotations

import os
from pathlib import Path

from .config import Workflow


def image_problems(iid: str, spec: dict, wf: Workflow, workdir: Path) -> list[str]:
    """What is wrong with one `images:` entry's files, each problem naming the entry and field."""
    found = [f"images.{iid}.{key}: {msg}" for key in ("image", "graph") if (msg := _path_problem(spec[key], workdir))]
    return found or _size_problem(iid, spec, wf, workdir) or _mask_problems(iid, spec, wf, workdir)


def _path_problem(path: str, workdir: Path) -> str | None:
    """A user's file: it must exist, be a file, and lie inside the workflow's folder unless
    given as an absolute path on purpose."""
    if path.startswith("-"):  # the jobs' commands would read it as an option
        return f"{path!r} starts with '-'; write it ./{path}"
    p = Path(path)
    full = p if p.is_absolute() else workdir / p
    if not p.is_absolute() and not full.resolve().is_relative_to(workdir.resolve()):
        return f"{path!r} lies outside the workflow folder; give an absolute path to use it"
    if not full.exists():
        return f"no such file {path!r}"
    if not full.is_file():
        return f"{path!r} is not a file"
    return None


def _size_problem(iid: str, spec: dict, wf: Workflow, workdir: Path) -> list[str]:
    """A user's graph must describe its image's size (an official CLEVR scene states none, and is
    read as 320x240): every mask and box of the edit is drawn at the graph's size."""
    from PIL import Image, UnidentifiedImageError

    from ..imageio import image_size

    try:
        g = wf.graph(iid)
        with Image.open(workdir / spec["image"]) as im:
            W, H = image_size(im)
    except (UnidentifiedImageError, OSError, ValueError):
        return []  # the jobs name an unreadable file or graph themselves, as they did before
    if (g["width"], g["height"]) == (W, H):
        return []
    return [f"images.{iid}.graph: {spec['graph']!r} describes a {g['width']}x{g['height']} image, but "
            f"{spec['image']!r} is {W}x{H} (give the scene its width and height)"]


def _mask_problems(iid: str, spec: dict, wf: Workflow, workdir: Path) -> list[str]:
    try:
        g = wf.graph(iid)
    except (OSError, ValueError):  # a GraphError too
        return []  # its job names an unreadable graph
    return [f"images.{iid}.graph: {spec['graph']!r}: {msg}" for msg in object_mask_problems(workdir / spec["graph"], g)]


def object_mask_problems(g_path: str | Path, g: dict) -> list[str]:
    """Every object's mask file must exist, be a lossless image and be the image's size."""
    from PIL import Image, UnidentifiedImageError

    from ..imageio import image_size

    problems = []
    for i, o in enumerate(g["objects"]):
        for key in ("mask", "shadow_mask"):
            if not o.get(key):
                continue
            path = Path(g_path).parent / o[key]
            shown = os.path.relpath(path.resolve())
            try:
                with Image.open(path) as im:
                    size, jpeg = image_size(im), im.format == "JPEG"
            except FileNotFoundError:
                problems.append(f"objects[{i}].{key}: no such file {shown!r}")
                continue
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
                problems.append(f"objects[{i}].{key}: {shown!r} is not a readable image")
                continue
            if jpeg:  # as read_mask refuses it, for the same reason
                problems.append(f"objects[{i}].{key}: {shown!r} is a JPEG, whose compression noise would be part "
                                "of the object; save it as PNG")
            elif size != (g["width"], g["height"]):
                problems.append(f"objects[{i}].{key}: {shown!r} is {size[0]}x{size[1]}, the image "
                                f"{g['width']}x{g['height']}")
    return problems


def mask_files(wf: Workflow, image_id: str) -> list[str]:
    """The mask files a user's graph names (beside it), which its graph job depends on: a
    redrawn mask makes the edits on it again."""
    img = wf.images[image_id]
    if "chain" in img or img["pair"] is not None or image_id.startswith("photos/"):
        return []
    try:
        g = wf.graph(image_id)
    except (OSError, ValueError):  # a GraphError too: the config check names it
        return []
    return [str(Path(img["scene"]).parent / o[key]) for o in g["objects"] for key in ("mask", "shadow_mask")
            if o.get(key)]
