"""Every pipeline job is a fresh process, so what a job imports is part of its cost
(docs/benchmarks.md, make run's time): the command line and the stage module import no heavy
library up front, and a CPU fit never imports torch's compiler package."""

import subprocess
import sys

HEAVY = ("torch", "cv2", "skimage", "pandas", "scipy.ndimage", "scipy.signal", "scipy.stats")


def _imported(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY + ('torch._dynamo',)!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_the_command_line_and_the_stage_module_import_no_heavy_library():
    assert _imported("from simbil.cli import build_parser\nimport simbil.pipeline.stages\nbuild_parser()") == []


def test_a_cpu_fit_does_not_import_torch_compiler_package():
    code = ("import numpy as np\nfrom simbil.inpaint import inpaint\n"
            "img = np.random.default_rng(0).random((40, 40, 3))\nm = np.zeros((40, 40), bool)\nm[15:25, 15:25] = True\n"
            "inpaint(img, m, method='bgdip', iterations=3, device='cpu')")
    imported = _imported(code)
    assert "torch" in imported and "torch._dynamo" not in imported


def test_a_hole_too_thin_for_the_network_imports_no_torch():
    # a 2 px stroke: the biharmonic fill's, so the job needs neither torch nor a device
    code = ("import numpy as np\nfrom simbil.inpaint import inpaint\n"
            "img = np.random.default_rng(0).random((40, 40, 3))\nm = np.zeros((40, 40), bool)\nm[19:21, 5:35] = True\n"
            "inpaint(img, m, method='bgdip', iterations=3)")
    assert "torch" not in _imported(code)
