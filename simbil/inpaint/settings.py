"""Each inpainter's settings, typed and range-checked (simbil.settings), without torch: the
config check and the classical peers must not pay for importing it."""

from __future__ import annotations

from dataclasses import dataclass

from ..settings import Settings, setting

GUIDANCES = ("none", "ring", "field", "lowpass", "field_lowpass", "init", "ring_lowpass")
FIELDS = ("harmonic", "mean")
NET_NAMES = ("skip",)
OPTIMISED = ("net", "input")
RING_TARGETS = ("mean", "median", "harmonic")
DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class DIPSettings(Settings):
    net: str = setting("skip", choices=NET_NAMES)
    levels: int = setting(4, low=1, high=8)
    channels: int = setting(32, low=1, high=1024)
    skip_channels: int = setting(4, low=0, high=1024)
    noise_channels: int = setting(32, low=1, high=1024)
    iterations: int = setting(100, low=1, high=100_000)
    lr: float = setting(0.01, low=0, low_open=True, high=10)
    reg_noise: float = setting(0.03, low=0, high=10)  # std of the noise added to the input at each step
    # context around the hole, × its longer side; None: the whole image
    crop_margin: float | None = setting(1.0, low=0, high=100)
    max_resolution: int | None = setting(64, low=8, high=100_000)  # longer side of the working crop; None: no resizing
    guidance: str = setting("ring", choices=GUIDANCES)
    guidance_weight: float = setting(1.0, low=0, high=1e6)
    # the ring's colour the hole is pulled to: its mean, its per-channel median (blind to the
    # few pixels of a neighbouring object the ring may cross), or the mean of the hole's biharmonic
    # fill (the ring weighted by how much each part of it reaches the hole)
    ring_target: str = setting("mean", choices=RING_TARGETS)
    guidance_field: str = setting("harmonic", choices=FIELDS)  # the background field G
    guidance_scale: float = setting(0.25, low=0, low_open=True, high=100)  # σ of fields and low-pass, × the hole's side
    harmonic_blend: float = setting(0.5, low=0, high=1)  # share of the biharmonic fill mixed into the hole
    # σ (px) of the Gaussian over the known pixels the blend's biharmonic fill is solved from, in a
    # hole whose ring is not textured (at most `confidence_texture`): there their variation is pixel
    # noise, which the fill would otherwise carry in from the hole's edge. 0: the pixels as they are
    harmonic_smooth: float = setting(0.0, low=0, high=100)
    # a hole whose nearest band of known pixels is refilled more than `halo` times worse than the
    # band past it (simbil.inpaint.halo: a removed object's rim or shadow rings it) takes
    # `halo_blend` of the biharmonic fill instead of harmonic_blend. 0: off
    halo: float = setting(2.0, low=0, high=1e6)
    halo_blend: float = setting(0.25, low=0, high=1)
    # a hole whose deepest pixel lies at most this many working pixels from its edge (after the
    # crop's downscaling: a thin stroke across a large crop) is filled by the biharmonic fill
    # alone, with no fit: at that resolution the network cannot see it. 0: off
    thin: float = setting(2.0, low=0, high=1e6)
    # a hole whose surroundings are textured (simbil.inpaint.texture: ring texture over
    # `confidence_texture`, a photograph's rather than a floor's) takes the network's share only
    # where the network is sure of it: at each pixel that share is scaled by clip(1 − spread /
    # `confidence`, 0, 1), spread being how much the fitted network's output moves under fresh
    # input jitter (the std of a few outputs); where it invents texture, the biharmonic fill. 0: off
    confidence: float = setting(0.015, low=0, high=1e6)
    confidence_texture: float = setting(0.004, low=0, high=1e6)
    # what the fit changes: the network's weights (DIP) or only its input, the network frozen at
    # its random start (Deep Random Projector, Li et al., CVPR 2023)
    optimise: str = setting("net", choices=OPTIMISED)
    tv: float = setting(0.0, low=0, high=1e6)  # weight of the output's total variation in the loss
    # the first `coarse` share of the iterations fits the image at half resolution (2×2 means)
    coarse: float = setting(0.0, low=0, high=1)
    # early stopping without ground truth (ES-WMV, Wang et al., arXiv 2112.06074): stop once the
    # variance of the last `es_window` outputs has not fallen for `es_patience` iterations, and
    # return the output where it was lowest; `iterations` is then the most. 0: off
    es_window: int = setting(0, low=0, high=10_000)
    es_patience: int = setting(50, low=1, high=100_000)
    ema: float = setting(0.95, low=0, high=1, high_open=True)  # average of outputs over iterations (DIP's exp_weight)
    fill_smooth: float = setting(3.0, low=0, high=100)  # σ (px) of a Gaussian over the network's fill
    seam: int = setting(2, low=0, high=100)
    # > 0: a band of this many known pixels around the hole is hidden from the fit, and the blend
    # of network and biharmonic fill and the blur that best refill it are used for the hole
    # (replacing harmonic_blend and fill_smooth): the image decides. 0: off
    choose_band: int = setting(0, low=0, high=64)
    device: str = setting("auto")  # auto (CUDA when torch sees one), cpu, cuda or cuda:N
    seed: int = setting(0, low=0, high=2**32 - 1)

    def __post_init__(self):
        d = self.device
        if d not in DEVICES and not (d.startswith("cuda:") and d[5:].isdigit()):
            raise ValueError(f"setting device must be auto, cpu, cuda or cuda:N, got {d!r}")


# Vanilla DIP at its paper settings (Ulyanov et al., inpainting): whole image, no guidance.
PAPER = DIPSettings(levels=5, channels=128, skip_channels=4, noise_channels=32, iterations=5000, lr=0.01,
                    reg_noise=0.03, crop_margin=None, max_resolution=None, guidance="none", seam=0,
                    harmonic_blend=0.0, ema=0.0, fill_smooth=0.0, halo=0.0, thin=0.0, confidence=0.0)
# SIMBIL's background-guided DIP (docs/benchmarks.md has the ablation behind these defaults).
BGDIP = DIPSettings()


@dataclass(frozen=True)
class OpenCVSettings(Settings):
    crop_margin: float = setting(1.0, low=0, high=100)  # context around the hole, × its longer side
    radius: int = setting(3, low=1, high=100)  # OpenCV's inpaintRadius


@dataclass(frozen=True)
class BiharmonicSettings(Settings):
    crop_margin: float = setting(1.0, low=0, high=100)
