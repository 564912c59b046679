import os
import sys

from .cli import main


def log_modules(folder: str) -> None:
    """Write the third-party top-level modules this process loaded to <folder>/<stage>.<pid>.txt
    (SIMBIL_MODULES_LOG=<folder>: tests/test_envs.py checks each stage's conda env with it)."""
    args = sys.argv[1:]
    name = args[args.index("stage") + 1] if "stage" in args[:-1] else "simbil"
    loaded = {m.partition(".")[0] for m in list(sys.modules)} - sys.stdlib_module_names - {"simbil", "__main__"}
    with open(os.path.join(folder, f"{name}.{os.getpid()}.txt"), "w") as f:
        f.write("".join(f"{m}\n" for m in sorted(loaded)))


if os.environ.get("SIMBIL_MODULES_LOG"):
    import atexit

    atexit.register(log_modules, os.environ["SIMBIL_MODULES_LOG"])
sys.exit(main())
