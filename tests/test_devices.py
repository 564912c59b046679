"""The GPU lease: two jobs on one host never get the same device, with a faked device count."""

import subprocess
import sys
import time

import pytest

from simbil.devices import LeaseError, lease_device, visible_devices


def test_two_leases_get_different_devices_and_a_third_waits(tmp_path):
    with lease_device("auto", tmp_path, count=2) as a, lease_device("auto", tmp_path, count=2) as b:
        assert {a, b} == {"cuda:0", "cuda:1"}
        t = time.monotonic()
        with pytest.raises(LeaseError, match="stayed leased"):
            with lease_device("auto", tmp_path, wait_seconds=0.3, poll=0.05, count=2):
                pass
        assert time.monotonic() - t >= 0.3
    with lease_device("auto", tmp_path, count=2) as c:  # released on exit: free again
        assert c == "cuda:0"


def test_a_lease_held_by_another_process_is_respected(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from simbil.devices import lease_device\n"
        f"with lease_device('auto', {str(tmp_path)!r}, count=2) as d:\n"
        "    print(d, flush=True); time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        held = child.stdout.readline().strip()
        assert held == "cuda:0"
        with lease_device("auto", tmp_path, count=2) as mine:
            assert mine == "cuda:1"
    finally:
        child.kill()
        child.wait()
    with lease_device("auto", tmp_path, count=2) as again:  # the kernel dropped the dead job's lock
        assert again == "cuda:0"


def test_visible_devices_follow_cuda_visible_devices(monkeypatch, tmp_path):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "3,5")
    assert visible_devices(count=2) == ["3", "5"]
    with lease_device("auto", tmp_path, count=2) as d:
        assert d == "cuda:0" and (tmp_path / "gpu-3.lock").exists()
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    assert visible_devices(count=2) == ["0", "1"]


def test_no_gpu_means_cpu_unless_cuda_is_demanded(tmp_path):
    with lease_device("auto", tmp_path, count=0) as d:
        assert d == "cpu"
    with lease_device("cpu", tmp_path, count=4) as d:
        assert d == "cpu"
    with pytest.raises(LeaseError, match="no CUDA device"):
        with lease_device("cuda", tmp_path, count=0):
            pass
