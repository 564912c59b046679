"""SIMBIL: semantic image manipulation with background-guided internal learning."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("simbil")
except PackageNotFoundError:  # run from a checkout without installing (PYTHONPATH=.)
    __version__ = "0+unknown"
