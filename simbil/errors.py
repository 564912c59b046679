"""What a user can fix: every error of this kind ends a command with its message and exit code 2.

Each module keeps its own error class (GraphError, ImageError, ...) and derives it from
UserError, so the command line catches them all without importing the modules that raise them
(importing the inpainters alone pulls in OpenCV, SciPy and scikit-image)."""


class UserError(Exception):
    pass
