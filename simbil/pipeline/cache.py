"""Damaged files in results/ are moved aside before Snakemake plans, so that it makes them again
instead of failing on them in every run (or deleting good outputs of the jobs that read them).
The checks read only a file's ends: cheap enough for every file of a large run."""

from __future__ import annotations

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


def quarantine(results: str | os.PathLike) -> list[tuple[str, str, str]]:
    """Move every damaged file under results/ to results/damaged/<time>/ (same relative path);
    return (file, why, where it went)."""
    results = Path(results)
    moved = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
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
