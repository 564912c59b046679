"""The `simbil` command's argument types and its checks of output names, made before any work."""

from __future__ import annotations

import argparse
from pathlib import Path


def modes(text: str) -> list[str]:
    from .ops import MODES

    modes = list(dict.fromkeys(m.strip() for m in text.split(",") if m.strip()))  # each once
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        raise argparse.ArgumentTypeError(f"unknown mode(s) {bad or text!r}; choose from {','.join(MODES)}")
    return modes


def seed(text: str) -> int:
    n = int(text)
    if not 0 <= n < 2**32:
        raise argparse.ArgumentTypeError(f"must be 0 to 2^32-1, got {n}")
    return n


def folder(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder (. for this one)")
    return text


def positive(text: str, most: int = 10**9) -> int:
    n = int(text)
    if not 1 <= n <= most:
        raise argparse.ArgumentTypeError(f"must be 1 to {most}, got {n}")
    return n


def pairs(text: str) -> int:
    return positive(text, 1_000_000)  # a pair's folder is its six-digit index


def setting(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"a setting is KEY=VALUE, got {text!r}")
    for cast in (int, float):
        try:
            return key, cast(value)
        except ValueError:
            pass
    return key, None if value.lower() == "none" else value


def json_output(path, inputs: dict, what: str = "--output") -> None:
    """A graph goes to a .json file that overwrites none of the command's inputs; checked first."""
    from .errors import UserError, check_output

    check_output(path, what)
    if Path(path).suffix.lower() != ".json":
        raise UserError(f"{path}: {what} is a graph, written as JSON: give it a .json name")
    distinct_files(inputs, {what: path})


def distinct_files(inputs: dict, outputs: dict) -> None:
    """Refuse, before any work, outputs that would overwrite an input or one another (the edited
    graph goes beside the image, under the same stem: `-o pic.png` writes pic.json)."""
    from .errors import UserError

    seen = {Path(p).resolve(): f"{what} ({p})" for what, p in inputs.items() if p}
    for what, p in outputs.items():
        if not p:
            continue
        key = Path(p).resolve()
        if key in seen:
            raise UserError(f"{what} ({p}) would overwrite {seen[key]}; choose another name")
        seen[key] = f"{what} ({p})"
