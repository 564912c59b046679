"""Damaged files in results/ are moved aside before Snakemake plans, so that it makes them again
instead of failing on them in every run (or deleting good outputs of the jobs that read them).
The checks read only a file's ends: cheap enough for every file of a large run. A block's folder
(simbil.pipeline.blocks) is one output to Snakemake: a damaged or missing file in it moves the
whole folder aside."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

PNG_HEAD, PNG_TAIL = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"
CHECKED = ("edits", "graphs", "datasets", "bank", "models", "figures")  # folders of results/ jobs write


def damage(path: str) -> str | None:
    """Why a file is unusable (empty, truncated), or None."""
    try:
        size = os.path.getsize(path)
        if size == 0:
            return "empty"
        with open(path, "rb") as f:
            head = f.read(8)
            f.seek(max(0, size - 22))
            tail = f.read()
    except OSError as e:
        return f"unreadable ({e.strerror})"
    if path.endswith(".png"):
        return None if head == PNG_HEAD and tail.endswith(PNG_TAIL) else "truncated or not a PNG"
    if path.endswith(".json"):
        ends = head.lstrip()[:1] + tail.rstrip()[-1:]
        return None if ends in (b"{}", b"[]") else "truncated JSON"
    if path.endswith(".pt"):  # a torch file is a zip archive: its directory comes last
        return None if b"PK\x05\x06" in tail else "truncated model file"
    return None


def block_damage(folder: Path) -> str | None:
    """Why a block stage's folder is unusable: no index (unfinished), a listed file missing or of
    another size than the index says. Sizes, not contents: a block has tens of thousands of files
    and is written whole, so what can go wrong later is a file cut short or removed."""
    try:
        files = json.loads((folder / "index.json").read_text())["files"]
        sizes = [(f, int(n)) for f, n in files.items()]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "no readable index.json"
    for f, n in sizes:
        try:
            size = os.stat(folder / f).st_size
        except OSError:
            return f"{f}: missing"
        if size != n:
            return f"{f}: {size} bytes, {n} when written"
    return None


def _block_folders(results: Path):
    """results/blocks/<mode>/<block>/{pairs,prepared,evaluated,methods/<method>}; not the
    .<name>.tmp<pid> folders a running job is writing."""
    for block in sorted(results.glob("blocks/*/*")):
        for stage in ("pairs", "prepared", "evaluated"):
            if (block / stage).is_dir():
                yield block / stage
        yield from sorted(p for p in block.glob("methods/*") if p.is_dir() and not p.name.startswith("."))


def quarantine(results: str | os.PathLike) -> list[tuple[str, str, str]]:
    """Move every damaged file under results/ (or block folder holding one) to
    results/damaged/<time>/ (same relative path); return (file, why, where it went)."""
    results = Path(results)
    moved = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for folder in _block_folders(results):
        why = block_damage(folder)
        if why:
            dest = results / "damaged" / stamp / folder.relative_to(results)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(folder, dest)
            moved.append((str(folder), why, str(dest)))
    for folder in CHECKED:
        for root, dirs, files in os.walk(results / folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = os.path.join(root, name)
                why = damage(path) if not name.startswith(".") else None
                if why:
                    dest = results / "damaged" / stamp / os.path.relpath(path, results)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, dest)
                    moved.append((path, why, str(dest)))
    return moved
