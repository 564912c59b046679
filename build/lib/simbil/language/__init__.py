"""Edits said in words, resolved through the image's scene graph (no language model: a small
grammar over the graph's own vocabulary)."""

from .phrases import ResolveError
from .sentences import resolve

__all__ = ["ResolveError", "resolve"]
