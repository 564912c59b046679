"""What a user can fix: every error of this kind ends a command with its message and exit code 2.

Each module keeps its own error class (GraphError, ImageError, ...) and derives it from
UserError, so the command line catches them all without importing the modules that raise them
(importing the inpainters alone pulls in OpenCV, SciPy and scikit-image)."""

from pathlib import Path


class UserError(Exception):
    pass


def check_output(path, what: str = "--output") -> None:
    """Refuse, before any work, an output name that cannot be written: a folder, or a name under
    a file (the error would otherwise come after the work, naming the file as if it were the output)."""
    p = Path(path)
    if p.is_dir():
        raise UserError(f"{path}: cannot write {what}: is a folder, not a file name")
    for parent in p.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UserError(f"{path}: cannot write {what}: {parent} is a file, not a folder")
            return
