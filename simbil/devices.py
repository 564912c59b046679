"""Which torch device a job uses, and a lease so that two GPU jobs on one host never share one.

Snakemake's `gpu` resource is only a counter: `--resources gpu=2` lets two GPU jobs run at once
but tells neither which card is its own. Each job therefore takes an exclusive lock on one
file per visible CUDA device (flock: released by the kernel when the job dies, so a crashed
job cannot leak a device) and runs on the card whose lock it holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import platform
import time
from pathlib import Path

from .errors import UserError

DEFAULT_LOCK_DIR = Path("/tmp") / f"simbil-gpu-locks-{os.getuid()}"


class LeaseError(UserError, RuntimeError):
    pass


def visible_devices(count: int | None = None) -> list[str]:
    """Stable names of the CUDA devices this process may use, in torch's index order.

    Under SLURM or a user's CUDA_VISIBLE_DEVICES the names are that list's entries (physical
    ids or UUIDs), so jobs with different visibility still lock the same card by the same name.
    `count` fakes the number of devices (for tests and machines without torch)."""
    if count is None:
        import torch

        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    listed = [d.strip() for d in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if d.strip()]
    return [listed[i] if i < len(listed) else str(i) for i in range(count)]


@contextlib.contextmanager
def lease_device(want: str = "auto", lock_dir: str | os.PathLike = DEFAULT_LOCK_DIR,
                 wait_seconds: float = 3600.0, poll: float = 0.5, count: int | None = None):
    """Yield the torch device string to use ("cpu" or "cuda:<i>"), holding its lock meanwhile.

    want: "cpu" (no lease), "cuda" (a GPU or an error) or "auto" (a GPU if the host has one)."""
    if want == "cpu":
        yield "cpu"
        return
    names = visible_devices(count)
    if not names:
        if want == "cuda":
            raise LeaseError("device 'cuda' asked for, but no CUDA device is visible")
        yield "cpu"
        return
    lock_dir = Path(lock_dir)
    lock_dir.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        for index, name in enumerate(names):
            f = open(lock_dir / f"gpu-{name}.lock", "a+")
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                f.close()
                continue
            try:
                f.seek(0), f.truncate(), f.write(f"{os.getpid()} {platform.node()}\n"), f.flush()
                yield f"cuda:{index}"
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
                f.close()
            return
        if time.monotonic() > deadline:
            raise LeaseError(f"all {len(names)} GPU(s) stayed leased for {wait_seconds:.0f} s (locks in {lock_dir})")
        time.sleep(poll)


def device_name(device: str) -> str:
    """A human name for a torch device string, for tables."""
    import sys

    torch = sys.modules.get("torch")  # a CPU-only job that never imported torch needs no CUDA
    if torch is None and (device.startswith("cuda") or device == "auto"):
        import torch
    if torch is not None and (device.startswith("cuda") or (device == "auto" and torch.cuda.is_available())):
        index = int(device.split(":")[1]) if ":" in device else 0
        return torch.cuda.get_device_name(index)
    cpu = platform.machine()
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                    if line.startswith("model name")), cpu)
    threads = torch.get_num_threads() if torch is not None else 1
    return f"CPU ({threads} thread{'s' if threads > 1 else ''}, {cpu})"
