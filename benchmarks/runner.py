"""The benchmarks' methods: `--methods` entries turned into simbil.edits.methods.MethodSpec.

An entry is a method name, or a variant of one with its own label and settings on top:

    bgdip                                     a method as it is
    bgdip-wide=bgdip:crop_margin=1.0:seam=2   label=name:key=value:...
    bgdip:seam=0                              (no label: the name is the label)

A name is a method of the config's `methods:` table (the repository's config.yaml, or `--config
FILE`, whose `methods:` table has the same format), then of benchmarks/methods.yaml (ablations
only the benchmarks run), or else a registered inpainter (simbil.inpaint.INPAINTERS) at its
defaults. The inpainting benchmark looks registered inpainters up first: it measures inpainters,
and there `dip` is the paper's network, not the config's same-size ablation. A variant's `roi`
and `harmonise` set the method's own fields; every other key is a setting of its inpainter.
Values are read as int, then float, then text; `none` is None for a setting that may be None,
`true`/`false` a bool where the field is one. Every entry is checked (MethodSpec.parse) before
any work starts.
"""

from __future__ import annotations

import argparse
import typing
from pathlib import Path

import numpy as np
import yaml

from simbil.edits.methods import MethodError, MethodSpec
from simbil.inpaint import INPAINTERS, fill, get_inpainter

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config.yaml"
EXTRA = Path(__file__).resolve().parent / "methods.yaml"
ENTRY_KEYS = ("roi", "harmonise", "shadows", "complete")  # variant keys that set the method's fields, not inpainter settings


class RunnerError(ValueError):
    """A --methods entry or methods file the benchmarks cannot use; the message says why."""


def read_methods(path: str | Path) -> dict[str, dict]:
    """The `methods:` table of a YAML file (name -> entry, as in config.yaml)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as e:
        raise RunnerError(f"cannot read {path}: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise RunnerError(f"{path} is not valid YAML: {e}") from None
    table = data.get("methods") if isinstance(data, dict) else None
    if not isinstance(table, dict) or not table:
        raise RunnerError(f"{path}: no `methods:` table (method name -> entry, as in config.yaml)")
    return table


def method_table(config: str | Path | None = None, extra: str | Path | None = EXTRA) -> dict[str, dict]:
    """The config's methods (config.yaml by default), then those of `extra` it does not name."""
    table = dict(read_methods(config or CONFIG))
    if extra and Path(extra).exists():
        for name, entry in read_methods(extra).items():
            table.setdefault(name, entry)
    return table


def split_variant(text: str) -> tuple[str, str, dict[str, str]]:
    """(label, name, {key: value text}) of `label=name:key=value:...`, `name:key=value` or `name`."""
    head = text.split(":")[0]
    label, _, rest = text.partition("=") if "=" in head else (head, "", text)
    name, *pairs = rest.split(":")
    over = {}
    for kv in pairs:
        k, sep, v = kv.partition("=")
        if not sep or not k:
            raise RunnerError(f"method {text!r}: {kv!r} is not key=value")
        over[k] = v
    if not label or not name:
        raise RunnerError(f"method {text!r}: want name, name:key=value:... or label=name:key=value:...")
    return label, name, over


def _hints(kind: str, key: str) -> tuple:
    """The types a setting of inpainter `kind` may take (empty where unknown)."""
    if kind not in INPAINTERS:
        return ()
    hint = typing.get_type_hints(type(get_inpainter(kind).defaults)).get(key)
    return typing.get_args(hint) or (hint,)


def _value(kind: str, key: str, text: str):
    types = _hints(kind, key)
    if (key in ("harmonise", "shadows", "complete") or bool in types) and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if key in ENTRY_KEYS:
        return text
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    if text in ("none", "None") and type(None) in types:
        return None
    return text


def resolve(text: str, table: dict[str, dict], prefer: str = "config") -> MethodSpec:
    """One --methods entry as a checked MethodSpec. prefer="inpainter": a registered inpainter's
    name means that inpainter at its defaults even where the table has a method of that name."""
    label, name, over = split_variant(text)
    if name in table and not (prefer == "inpainter" and name in INPAINTERS):
        if not isinstance(table[name] or {}, dict):
            raise RunnerError(f"method {name!r}: its entry must be a mapping (method, settings, ...), got {table[name]!r}")
        entry = dict(table[name] or {})
        entry.setdefault("method", name)
    elif name in INPAINTERS:
        entry = {"method": name}
    else:
        raise RunnerError(f"unknown method {name!r} in {text!r} (config methods: {', '.join(table) or 'none'}; "
                          f"registered inpainters: {', '.join(INPAINTERS)})")
    settings = entry.get("settings") or {}
    for k, v in over.items():
        value = _value(entry["method"], k, v)
        if k in ENTRY_KEYS:
            entry[k] = value
        elif isinstance(settings, dict):
            settings = {**settings, k: value}
    if settings:
        entry["settings"] = settings
    try:
        return MethodSpec.parse(label, entry)
    except MethodError as e:
        raise RunnerError(f"method {text!r}: {e}") from None


def method_specs(texts: str | list[str], table: dict[str, dict], prefer: str = "config") -> list[MethodSpec]:
    """Every entry of a comma-separated --methods list, checked; labels must differ."""
    if isinstance(texts, str):
        texts = [t for t in texts.split(",") if t.strip()]
    specs = [resolve(t.strip(), table, prefer) for t in texts]
    labels = [s.name for s in specs]
    twice = sorted({n for n in labels if labels.count(n) > 1})
    if twice:
        raise RunnerError(f"method label(s) given twice: {', '.join(twice)} (name variants label=name:key=value)")
    if not specs:
        raise RunnerError("no methods given")
    return specs


def add_method_arguments(ap: argparse.ArgumentParser, default: str) -> None:
    ap.add_argument("--methods", default=default,
                    help="comma-separated: name, or label=name:key=value:... (a variant of a method)")
    ap.add_argument("--config", default=None,
                    help=f"YAML file whose `methods:` table names the methods (default: {CONFIG.name} of the "
                         f"repository; benchmarks/{EXTRA.name} adds names it lacks)")


def specs_from_args(a: argparse.Namespace, prefer: str = "config") -> list[MethodSpec]:
    """The parsed arguments' methods; a bad entry stops the run here, before any work."""
    try:
        return method_specs(a.methods, method_table(a.config), prefer)
    except RunnerError as e:
        raise SystemExit(f"error: {e}") from None


def fill_hole(image: np.ndarray, mask: np.ndarray, spec: MethodSpec, device: str = "auto",
              progress=None) -> np.ndarray:
    """A removal of the hole by the spec's inpainter outside the pipeline: its settings as given
    (seed 0 unless they set one), a network method on `device`."""
    inp = get_inpainter(spec.inpainter)
    given = {"seed": 0, **spec.settings, "device": device} if inp.torch else spec.settings
    return fill(image, mask, inp, inp.settings(given), progress)
