import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from simbil.cli import main
from simbil.inpaint import METHODS, InpaintError, inpaint
from simbil.inpaint import crop as cropping
from simbil.inpaint.dip import DIPSettings
from simbil.inpaint.fit import fit
from simbil.inpaint.harmonic import biharmonic_fill

TINY = dict(levels=2, channels=8, skip_channels=2, noise_channels=4, iterations=25, max_resolution=32,
            device="cpu")  # CPU: bit-for-bit repeatable, which several tests rely on


def scene(h=40, w=48):
    """A smooth colour gradient with a few stripes, and a hole in its middle."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.stack([x / w, y / h, 0.5 + 0.2 * np.sin(x / 3)], axis=-1).astype(np.float32)
    mask = np.zeros((h, w), bool)
    mask[15:25, 18:30] = True
    return img, mask


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_fills_only_the_hole(method):
    img, mask = scene()
    settings = TINY if METHODS[method].torch else {}
    if method == "dip":
        settings = dict(TINY, crop_margin=1.0)
    out = inpaint(img, mask, method, **settings)
    assert out.shape == img.shape and out.dtype == np.float32
    assert np.array_equal(out[~mask], img[~mask])
    assert np.isfinite(out).all() and 0 <= out.min() and out.max() <= 1
    assert np.abs(out - img)[mask].mean() < 0.2  # something like the surroundings, not black


def test_classical_fill_of_a_smooth_ramp_is_close():
    img, mask = scene()
    img[..., 2] = 0.5
    assert np.abs(inpaint(img, mask, "biharmonic") - img)[mask].max() < 0.02


@pytest.mark.parametrize("mutate, words", [
    (lambda i, m: (i, np.zeros_like(m)), "mask is empty"),
    (lambda i, m: (i, np.ones_like(m)), "covers the whole image"),
    (lambda i, m: (i, m[:-1]), "mask is 48x39 but the image is 48x40"),
    (lambda i, m: (i[..., 0], m), "H×W×3"),
])
def test_bad_input_is_refused(mutate, words):
    img, mask = mutate(*scene())
    with pytest.raises(InpaintError, match=words):
        inpaint(img, mask, "telea")


def test_unknown_method_and_settings_are_named():
    img, mask = scene()
    with pytest.raises(InpaintError, match="unknown method 'magic'"):
        inpaint(img, mask, "magic")
    with pytest.raises(InpaintError, match=r"unknown setting\(s\) \['iters'\]"):
        inpaint(img, mask, "bgdip", iters=3)
    with pytest.raises(InpaintError, match="unknown net 'unet'"):
        inpaint(img, mask, "bgdip", net="unet")
    with pytest.raises(InpaintError, match="unknown guidance 'psychic'"):
        inpaint(img, mask, "bgdip", guidance="psychic")
    with pytest.raises(InpaintError, match="radious"):
        inpaint(img, mask, "telea", radious=3)


def test_bgdip_is_deterministic_on_cpu_and_seeded():
    img, mask = scene()
    a = inpaint(img, mask, "bgdip", seed=1, **TINY)
    b = inpaint(img, mask, "bgdip", seed=1, **TINY)
    c = inpaint(img, mask, "bgdip", seed=2, **TINY)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_crop_cost_follows_the_hole_not_the_image():
    mask = np.zeros((2160, 3840), bool)
    mask[1000:1060, 2000:2050] = True
    c = cropping.plan_crop(mask, margin=1.0, max_side=96)
    assert (c.y1 - c.y0, c.x1 - c.x0) == (180, 170) and max(c.height, c.width) == 96
    wider = cropping.plan_crop(mask, margin=2.0, max_side=96)
    assert wider.y1 - wider.y0 == 300 and wider.scale < c.scale  # crop_margin: more context


def test_paste_changes_only_hole_pixels_even_when_downscaled():
    rng = np.random.default_rng(0)
    img = rng.random((120, 160, 3)).astype(np.float32)
    mask = np.zeros((120, 160), bool)
    mask[40:80, 50:100] = True
    c = cropping.plan_crop(mask, 1.0, 40)
    assert c.scale < 1
    work, hole = cropping.take(img, mask, c)
    assert work.shape[:2] == (c.height, c.width) and hole.any()
    out = cropping.paste(img, mask, c, np.zeros_like(work), seam=2)
    assert np.array_equal(out[~mask], img[~mask])
    inner = np.zeros_like(mask)
    inner[45:75, 55:95] = True
    assert np.abs(out[inner]).max() < 1e-6  # the result, away from the seam
    edge = mask & ~inner
    assert out[edge].mean() > 0.05  # within the seam, blended with the edge fill


# --- every knob of the fit has an effect that shows ---

def known_error(**kw):
    img, mask = scene(32, 32)
    s = DIPSettings.make(**{**TINY, "guidance": "none", **kw})
    y = fit(img, mask, s)
    return np.abs(y - img)[~mask].mean(), y


def test_more_iterations_fit_the_known_pixels_better():
    few, _ = known_error(iterations=5)
    many, _ = known_error(iterations=60)
    assert many < 0.7 * few


def test_learning_rate_controls_progress():
    slow, _ = known_error(lr=1e-5, iterations=30)
    fast, _ = known_error(lr=0.01, iterations=30)
    assert fast < 0.7 * slow


@pytest.mark.parametrize("key, a, b", [("reg_noise", 0.0, 0.1), ("noise_channels", 4, 8), ("channels", 8, 12),
                                       ("levels", 2, 3), ("skip_channels", 0, 2)])
def test_network_settings_change_the_fit(key, a, b):
    _, ya = known_error(**{key: a})
    _, yb = known_error(**{key: b})
    assert not np.allclose(ya, yb, atol=1e-3)


def test_max_resolution_bounds_the_working_size():
    img, mask = scene()
    seen = []
    import simbil.inpaint.fit as fitting

    real_fit = fitting.fit
    fitting.fit = lambda im, h, s, p=None, **k: (seen.append(im.shape), real_fit(im, h, s, p, **k))[1]
    try:
        inpaint(img, mask, "bgdip", **{**TINY, "max_resolution": 16})
        inpaint(img, mask, "bgdip", **{**TINY, "max_resolution": 64})
    finally:
        fitting.fit = real_fit
    assert max(seen[0][:2]) == 16 and max(seen[1][:2]) > 16


def test_guidance_weight_pulls_the_hole_towards_the_background_field():
    img, mask = scene(32, 32)
    img[mask] = 0.0  # whatever the hole held must not matter
    from skimage.restoration import inpaint_biharmonic

    G = inpaint_biharmonic(img, mask, channel_axis=-1)
    gap = {}
    for w in (0.0, 10.0):
        y = fit(img, mask, DIPSettings.make(**{**TINY, "guidance": "lowpass", "guidance_weight": w, "iterations": 60}))
        gap[w] = np.abs(y[mask].mean(axis=0) - G[mask].mean(axis=0)).mean()
    assert gap[10.0] < 0.5 * gap[0.0]


def test_guidance_modes_differ():
    img, mask = scene(32, 32)
    outs = {g: fit(img, mask, DIPSettings.make(**TINY, guidance=g)) for g in ("none", "ring", "field", "lowpass")}
    assert len({o.tobytes() for o in outs.values()}) == 4


def test_seam_blends_only_the_edge_of_the_hole():
    img, mask = scene()
    a = inpaint(img, mask, "bgdip", **TINY, seam=0, fill_smooth=0)  # the blur would spread the seam inwards
    b = inpaint(img, mask, "bgdip", **TINY, seam=2, fill_smooth=0)
    diff = np.abs(a - b).max(axis=2) > 1e-6
    from scipy import ndimage

    inner = ndimage.binary_erosion(mask, iterations=3)
    assert diff[mask & ~inner].any() and not diff[inner].any()


def test_device_that_is_not_there_is_refused():
    import torch

    img, mask = scene()
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(InpaintError, match="no CUDA device"):
        inpaint(img, mask, "bgdip", **{**TINY, "device": "cuda"})


# --- the command ---

def write(tmp_path, name, arr):
    p = tmp_path / name
    Image.fromarray(arr).save(p)
    return str(p)


def test_cli_inpaints_and_refuses_bad_input(tmp_path, capsys):
    img, mask = scene()
    ip = write(tmp_path, "img.png", (img * 255).astype(np.uint8))
    mp = write(tmp_path, "mask.png", mask.astype(np.uint8) * 255)
    out = tmp_path / "out.png"
    assert main(["inpaint", ip, mp, "-o", str(out), "--method", "telea"]) == 0 and out.is_file()
    assert main(["inpaint", ip, mp, "-o", str(tmp_path / "b.png"), "--set", "iterations=5", "--set", "levels=2",
                 "--set", "channels=4", "--set", "noise_channels=2", "-q"]) == 0
    cases = {
        "empty": (write(tmp_path, "e.png", np.zeros_like(mask, np.uint8)), "mask is empty"),
        "full": (write(tmp_path, "f.png", np.full_like(mask, 255, np.uint8)), "whole image"),
        "size": (write(tmp_path, "s.png", np.zeros((10, 10), np.uint8)), "mask is 10x10 but the image is 48x40"),
    }
    (tmp_path / "junk.png").write_bytes(b"not a png")
    cases["junk"] = (str(tmp_path / "junk.png"), "not a readable mask image")
    cases["missing"] = (str(tmp_path / "nope.png"), "no such file")
    for name, (m, words) in cases.items():
        target = tmp_path / f"out-{name}.png"
        assert main(["inpaint", ip, m, "-o", str(target), "--method", "ns"]) == 2, name
        assert words in capsys.readouterr().err and not target.exists()


def test_ring_guidance_pulls_the_hole_mean_to_the_surroundings():
    img, mask = scene(32, 32)
    img[mask] = 1.0  # a bright object; the background around it is darker
    base = {**TINY, "guidance": "ring", "ema": 0.0, "harmonic_blend": 0.0, "iterations": 60}
    gaps = {}
    from scipy import ndimage

    ring = ndimage.binary_dilation(mask, iterations=3) & ~mask  # σ = ¼ of the 12-pixel hole
    for w in (0.0, 20.0):
        y = fit(img, mask, DIPSettings.make(**base, guidance_weight=w))
        gaps[w] = np.abs(y[mask].mean(axis=0) - img[ring].mean(axis=0)).mean()
    assert gaps[20.0] < 0.5 * gaps[0.0]


def test_harmonic_blend_mixes_the_full_resolution_biharmonic_fill():
    img, mask = scene(64, 64)
    settings = {**TINY, "max_resolution": 16}  # the network works downscaled; the blend does not
    bih = inpaint(img, mask, "biharmonic")
    full = inpaint(img, mask, "bgdip", **settings, harmonic_blend=1.0)
    assert np.allclose(full, bih, atol=1e-5)
    half = inpaint(img, mask, "bgdip", **settings, harmonic_blend=0.5)
    none = inpaint(img, mask, "bgdip", **settings, harmonic_blend=0.0)
    assert np.allclose(half[mask], 0.5 * none[mask] + 0.5 * bih[mask], atol=1e-5)
    assert np.array_equal(half[~mask], img[~mask])


def test_ema_smooths_the_output():
    img, mask = scene(32, 32)
    tv = lambda a: np.abs(np.diff(a, axis=0)).mean() + np.abs(np.diff(a, axis=1)).mean()
    raw = fit(img, mask, DIPSettings.make(**TINY, ema=0.0, harmonic_blend=0.0, reg_noise=0.1))
    avg = fit(img, mask, DIPSettings.make(**TINY, ema=0.9, harmonic_blend=0.0, reg_noise=0.1))
    assert not np.allclose(raw, avg) and tv(avg) < tv(raw)
    with pytest.raises(ValueError, match="ema"):
        DIPSettings.make(ema=1.0)


def test_fill_smooth_blurs_only_the_hole():
    img, mask = scene(48, 48)
    tv = lambda a: np.abs(np.diff(a, axis=0)).mean() + np.abs(np.diff(a, axis=1)).mean()  # noqa: E731
    settings = {**TINY, "harmonic_blend": 0.0, "reg_noise": 0.1, "ema": 0.0}
    sharp = inpaint(img, mask, "bgdip", **settings, fill_smooth=0.0)
    soft = inpaint(img, mask, "bgdip", **settings, fill_smooth=2.0)
    ys, xs = np.nonzero(mask)
    box = np.s_[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    assert tv(soft[box]) < tv(sharp[box]) and np.array_equal(soft[~mask], img[~mask])
    with pytest.raises(ValueError, match="fill_smooth"):
        DIPSettings.make(fill_smooth=-1)


@pytest.mark.parametrize("key, a, b, guidance", [("guidance_field", "harmonic", "mean", "field"),
                                                 ("guidance_scale", 0.25, 1.0, "ring"),
                                                 ("guidance_scale", 0.25, 1.0, "lowpass")])
def test_guidance_field_and_scale_change_the_fit(key, a, b, guidance):
    img, mask = scene(32, 32)
    ya = fit(img, mask, DIPSettings.make(**TINY, guidance=guidance, **{key: a}))
    yb = fit(img, mask, DIPSettings.make(**TINY, guidance=guidance, **{key: b}))
    assert not np.allclose(ya[mask], yb[mask], atol=1e-4)


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="needs a CUDA device")
def test_cuda_graph_path_fills_the_hole_like_the_cpu():
    img, mask = scene()
    settings = {**TINY, "iterations": 60}
    gpu = inpaint(img, mask, "bgdip", **{**settings, "device": "cuda"})
    cpu = inpaint(img, mask, "bgdip", **settings)
    assert np.isfinite(gpu).all()
    assert np.array_equal(gpu[~mask], img[~mask])
    # different kernels and random streams, same fit: the fills agree on average
    assert abs(float(gpu[mask].mean()) - float(cpu[mask].mean())) < 0.05


def test_choose_picks_the_blend_that_refills_the_band():
    from simbil.inpaint.crop import Crop
    from simbil.inpaint.dip import choose

    img, _ = scene()
    band = np.zeros(img.shape[:2], bool)
    band[10:12, 10:40] = True
    c = Crop(0, img.shape[0], 0, img.shape[1], 1.0, img.shape[0], img.shape[1])
    noisy = img + 0.2
    assert choose(img, band, img.copy(), noisy, c) == (1.0, 0.0)  # the network refills it exactly
    assert choose(img, band, noisy, img.copy(), c)[0] == 0.0  # the harmonic fill does


def test_choose_band_lets_a_smooth_image_pick_the_harmonic_fill():
    """On a linear ramp the biharmonic fill is exact; the band says so, and the hole gets it."""
    from skimage.restoration import inpaint_biharmonic

    y, x = np.mgrid[0:40, 0:48].astype(np.float32)
    img = np.stack([x / 48, y / 40, 0.3 + 0 * x], axis=-1).astype(np.float32)
    mask = np.zeros((40, 48), bool)
    mask[15:25, 18:30] = True
    chosen = inpaint(img, mask, "bgdip", **TINY, choose_band=3, seam=0)
    assert np.abs(chosen - inpaint_biharmonic(img, mask, channel_axis=-1))[mask].max() < 1e-3
    plain = inpaint(img, mask, "bgdip", **TINY, seam=0)
    assert np.abs(plain - img)[mask].mean() > np.abs(chosen - img)[mask].mean()
    assert np.array_equal(chosen[~mask], img[~mask])  # outside the hole nothing changes


def _ringed(dark: bool):
    """A lit ramp with a hole; `dark`: a 3 px dark ring just outside it, as a removed object's
    shadow and rim leave."""
    y, x = np.mgrid[0:48, 64:0:-1].astype(np.float32)
    img = np.stack([0.4 + x / 400, 0.4 + y / 300, 0.45 + 0 * x], axis=-1).astype(np.float32)
    mask = np.zeros((48, 64), bool)
    mask[18:30, 26:38] = True
    if dark:
        ring = ndimage.binary_dilation(mask, iterations=3) & ~mask
        img[ring] *= 0.6
    return img, mask


def test_halo_ratio_tells_a_ringed_hole_from_a_plain_one():
    from simbil.inpaint.halo import halo_ratio

    assert halo_ratio(*_ringed(True)) > 5
    assert halo_ratio(*_ringed(False)) < 2


def test_a_ringed_hole_takes_halo_blend_of_the_biharmonic_fill():
    settings = {**TINY, "seam": 0, "fill_smooth": 0.0}
    ringed, mask = _ringed(True)
    on = inpaint(ringed, mask, "bgdip", **settings)
    off = inpaint(ringed, mask, "bgdip", **settings, halo=0)
    assert not np.allclose(on[mask], off[mask])
    assert np.array_equal(inpaint(ringed, mask, "bgdip", **settings, halo_blend=0.5), off)  # halo_blend is what changes
    net = inpaint(ringed, mask, "bgdip", **settings, halo=0, harmonic_blend=0.0)
    harmonic = inpaint(ringed, mask, "bgdip", **settings, halo=0, harmonic_blend=1.0)
    assert np.allclose(on[mask], 0.75 * net[mask] + 0.25 * harmonic[mask], atol=1e-5)
    assert np.array_equal(on[~mask], ringed[~mask])
    plain, _ = _ringed(False)  # no halo: the test does not fire
    assert np.array_equal(inpaint(plain, mask, "bgdip", **settings), inpaint(plain, mask, "bgdip", **settings, halo=0))


def test_a_hole_too_thin_for_the_working_resolution_is_filled_biharmonically_without_a_fit(monkeypatch):
    from simbil.inpaint import dip
    from simbil.inpaint import fit as fitting

    y, x = np.mgrid[0:96, 0:128].astype(np.float32)
    img = np.stack([0.3 + x / 300, 0.3 + y / 200, 0.5 + 0 * x], axis=-1).astype(np.float32)
    stroke = np.zeros((96, 128), bool)
    stroke[47:50, 8:120] = True  # 3 px wide across a crop downscaled to 32 px: under a working pixel
    settings = TINY  # max_resolution 32
    fits = []
    real_fit = fitting.fit
    monkeypatch.setattr(fitting, "fit", lambda *a, **k: fits.append(1) or real_fit(*a, **k))
    out = inpaint(img, stroke, "bgdip", **settings)
    assert not fits
    assert np.array_equal(out, inpaint(img, stroke, "biharmonic"))
    off = inpaint(img, stroke, "bgdip", **settings, thin=0)  # off: the network fills it
    assert fits and not np.allclose(off[stroke], out[stroke])
    assert np.array_equal(off[~stroke], img[~stroke])
    fits.clear()
    square = np.zeros((96, 128), bool)
    square[36:60, 52:76] = True  # wide at the same resolution: fitted as before
    assert np.array_equal(inpaint(img, square, "bgdip", **settings), inpaint(img, square, "bgdip", **settings, thin=0))
    assert len(fits) == 2
    # what a job asks before it leases a device or imports torch says the same
    s = DIPSettings(**settings)
    assert not dip.fits_network(stroke, s) and dip.fits_network(stroke, DIPSettings(**settings, thin=0))
    assert dip.fits_network(square, s)


def test_a_hole_that_takes_every_working_pixel_is_filled_biharmonically_not_with_nan():
    y, x = np.mgrid[0:120, 0:160].astype(np.float32)
    img = np.stack([x / 160, y / 120, 0.5 + 0.2 * np.sin(x / 3)], axis=-1).astype(np.float32)
    line = np.zeros((120, 160), bool)
    line[60, 20:140] = True  # with no margin, downscaled to 8 px: a 1×8 crop that is all hole
    for extra in ({}, {"choose_band": 2}):
        out = inpaint(img, line, "bgdip", **{**TINY, "thin": 0.0, "crop_margin": 0.0, "max_resolution": 8, **extra})
        assert np.isfinite(out).all()
        assert np.allclose(out[line], inpaint(img, line, "biharmonic")[line], atol=1e-5)


def _total_variation(a: np.ndarray) -> float:
    return float(np.abs(np.diff(a, axis=0)).mean() + np.abs(np.diff(a, axis=1)).mean())


def test_tv_weight_smooths_the_fit():
    img, mask = scene()
    rough = img + 0.15 * (np.indices(img.shape[:2]).sum(0) % 2)[..., None].astype(np.float32)  # 1-px checks
    plain = fit(rough, mask, DIPSettings(**TINY, ema=0.0))
    smooth = fit(rough, mask, DIPSettings(**TINY, ema=0.0, tv=1.0))
    assert _total_variation(smooth) < 0.8 * _total_variation(plain)


def test_optimise_input_leaves_the_random_network_as_it_started(monkeypatch):
    import torch

    from simbil.inpaint import fit as dip

    nets = []
    real_build = dip.build_net
    monkeypatch.setattr(dip, "build_net", lambda *a, **k: nets.append(real_build(*a, **k)) or nets[-1])
    img, mask = scene()
    s = DIPSettings(**TINY, optimise="input", lr=0.05)
    torch.manual_seed(s.seed)  # fit seeds torch the same way before it builds the net
    start = [p.detach().clone() for p in real_build(s.net, in_channels=s.noise_channels, out_channels=3,
                                                     levels=s.levels, channels=s.channels,
                                                     skip_channels=s.skip_channels).parameters()]
    out = fit(img, mask, s)
    assert all(torch.equal(a, b) for a, b in zip(start, nets[-1].parameters()))
    assert not np.allclose(out, fit(img, mask, DIPSettings(**TINY, lr=0.05)))  # the weights' fit differs
    assert np.abs(out - img)[~mask].mean() < np.abs(img - img[~mask].mean((0,)))[~mask].mean()  # it fits


def test_coarse_fits_only_two_by_two_means():
    img, mask = scene(40, 48)
    mask[:] = False
    mask[16:24, 18:30] = True  # on the 2×2 grid: every cell wholly known or wholly hole
    checks = np.where(np.indices((2, 2)).sum(0) % 2 == 0, 0.05, -0.05).astype(np.float32)
    twin = img + np.tile(checks, (20, 24))[..., None]  # the same 2×2 means, other pixels
    s = DIPSettings(**TINY, coarse=1.0)
    assert np.abs(fit(img, mask, s) - fit(twin, mask, s)).max() < 1e-5  # float rounding of the means
    fine = DIPSettings(**TINY)
    assert np.abs(fit(img, mask, fine) - fit(twin, mask, fine)).max() > 1e-3
    half = DIPSettings(**TINY, coarse=0.5)  # then full resolution: the pixels matter again
    assert np.abs(fit(img, mask, half) - fit(twin, mask, half)).max() > 1e-3


def test_windowed_variance_stops_after_its_low_and_returns_the_output_there():
    import torch

    from simbil.inpaint.early_stop import WindowedVariance

    w = WindowedVariance(window=3, patience=4)
    steps = [1.0, 0.5, 0.25, 0.2, 0.19, 0.19, 0.19, 0.6, 1.4, 2.5, 3.9, 5.0, 7.0]  # settles, then diverges
    stopped = None
    for it, v in enumerate(steps):
        if w.update(it, torch.full((1, 1, 2, 2), v), None):
            stopped = it
            break
    assert w.low_it == 6 and torch.equal(w.best, torch.full((1, 1, 2, 2), 0.19))
    assert stopped == 10  # four iterations past the low
    avg = torch.zeros(1, 1, 2, 2)
    w2 = WindowedVariance(window=2, patience=1)
    w2.update(0, torch.ones(1, 1, 2, 2), avg)
    w2.update(1, torch.ones(1, 1, 2, 2), avg + 7)
    assert torch.equal(w2.best, avg + 7)  # with `ema` on, the running average at the low is kept


def test_early_stopping_ends_the_fit_before_its_iteration_count(monkeypatch):
    from simbil.inpaint import fit as dip

    seen = []

    class Counting(dip.WindowedVariance):
        def update(self, it, y, avg):
            seen.append(it)
            return super().update(it, y, avg)

    monkeypatch.setattr(dip, "WindowedVariance", Counting)
    img, mask = scene()
    out = fit(img, mask, DIPSettings(**dict(TINY, iterations=2000), es_window=5, es_patience=10))
    assert 15 <= len(seen) < 2000
    assert out.shape == img.shape and np.isfinite(out).all()
    seen.clear()
    fit(img, mask, DIPSettings(**TINY))
    assert not seen  # off by default


def test_every_inpainter_setting_has_a_row_with_its_range_in_the_config_reference():
    import dataclasses
    from pathlib import Path

    from simbil.inpaint.settings import BiharmonicSettings, OpenCVSettings

    doc = (Path(__file__).resolve().parents[1] / "docs" / "config.md").read_text()
    cells = {}  # name -> the type cells of every row that names it (a name may be in several tables)
    for line in doc.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 3 and parts[1].startswith("`"):
            cells.setdefault(parts[1].strip("`"), []).append(parts[2])
    for cls in (DIPSettings, OpenCVSettings, BiharmonicSettings):
        for f in dataclasses.fields(cls):
            assert f.name in cells, f"{cls.__name__}.{f.name} is not in docs/config.md"
            want = _type_cell(f)
            assert want is None or want in cells[f.name], (cls.__name__, f.name, want, cells[f.name])


def _type_cell(f) -> str | None:
    """How docs/config.md writes a setting's type and range, from its metadata (None: not derived)."""
    import typing

    m = f.metadata
    if m["choices"]:
        return ", ".join(f"`{c}`" for c in m["choices"])
    args = set(typing.get_args(f.type)) or {f.type}
    kind = "int" if int in args or "int" in str(f.type) else "float" if "float" in str(f.type) else None
    if kind is None or m["low"] is None or m["high"] is None:
        return None

    def num(v):
        return {1e6: "1e6", 2**32 - 1: "2³²−1"}.get(v, str(int(v)) if float(v).is_integer() else str(v))

    lo, hi = num(m["low"]), num(m["high"])
    if m["low_open"] or m["high_open"]:
        rng = f"{lo} {'<' if m['low_open'] else '≤'} x {'<' if m['high_open'] else '≤'} {hi}"
    else:
        rng = f"{lo}–{hi}"
    return f"{kind}, {rng}" + (", or null" if "None" in str(f.type) else "")


def test_es_steps_counts_the_steps_early_stopping_lets_run():
    from types import SimpleNamespace

    from benchmarks.es_steps import steps_run
    from simbil.inpaint import fit as dip

    img, mask = scene()
    n = steps_run(SimpleNamespace(image=img, mask=mask), window=5, patience=5, most=60)
    assert 10 <= n <= 60
    stroke = np.zeros(img.shape[:2], bool)
    stroke[20, 5:40] = True  # thin: not fitted at all
    assert steps_run(SimpleNamespace(image=img, mask=stroke), window=5, patience=5, most=60) == 0
    assert dip.WindowedVariance.__name__ == "WindowedVariance"  # put back


def test_bgdip_reads_only_a_window_around_the_hole_and_fills_as_the_whole_image_would(monkeypatch):
    from simbil.inpaint import dip

    ratios = []  # the halo test's reading inside the window, against the whole image's
    whole = dip.halo.halo_ratio
    monkeypatch.setattr(dip.halo, "halo_ratio", lambda i, m: ratios.append(whole(i, m)) or ratios[-1])
    img, _ = scene(40, 48)
    holes = {"middle": (slice(16, 24), slice(20, 30)), "edge": (slice(0, 6), slice(18, 26)),
             "corner": (slice(34, 40), slice(40, 48))}
    for crop_margin in (0.0, 0.3, 1.0, 2.5):
        for max_resolution in (8, None):
            # halo 0.01: the halo test fires, so its crop (margin halo.MARGIN) must lie in the window too
            s = DIPSettings.make(**{**TINY, "iterations": 3, "crop_margin": crop_margin,
                                    "max_resolution": max_resolution, "halo": 0.01, "thin": 0.0})
            for name, box in holes.items():
                mask = np.zeros((40, 48), bool)
                mask[box] = True
                got = dip.inpaint_dip(img, mask, s)
                assert ratios[0] == whole(img, mask), (crop_margin, max_resolution, name)
                assert np.array_equal(got, dip._inpaint_window(img, mask, s)), (crop_margin, max_resolution, name)
                ratios.clear()
                assert np.array_equal(got[~mask], img[~mask])


def test_ring_target_median_ignores_a_neighbour_the_ring_crosses():
    img = np.full((48, 48, 3), 0.5, np.float32)
    img[8:16, 14:34] = (0.1, 0.1, 0.9)  # a blue object right above the hole
    mask = np.zeros((48, 48), bool)
    mask[16:32, 16:32] = True
    settings = {**TINY, "iterations": 60, "harmonic_blend": 0.0, "fill_smooth": 0.0, "halo": 0.0, "seam": 0,
                "guidance_weight": 50.0}
    mean = inpaint(img, mask, "bgdip", **settings)[mask].mean(0)
    median = inpaint(img, mask, "bgdip", **settings, ring_target="median")[mask].mean(0)
    floor = np.array([0.5, 0.5, 0.5])
    assert np.abs(median - floor).sum() < np.abs(mean - floor).sum()  # less blue carried in
    with pytest.raises(ValueError, match="ring_target"):
        DIPSettings.make(ring_target="mode")


def test_ring_target_harmonic_pulls_the_hole_to_its_biharmonic_fill():
    img = np.full((48, 48, 3), 0.5, np.float32)
    img[8:16, 14:34] = (0.1, 0.1, 0.9)  # a blue object right above the hole: the two targets differ
    mask = np.zeros((48, 48), bool)
    mask[16:32, 16:32] = True
    settings = {**TINY, "iterations": 60, "harmonic_blend": 0.0, "fill_smooth": 0.0, "halo": 0.0, "seam": 0,
                "guidance_weight": 50.0, "crop_margin": None, "max_resolution": None}
    ring = ndimage.binary_dilation(mask, iterations=4) & ~mask  # the ring at this hole's size
    targets = {"mean": img[ring].mean(0), "harmonic": biharmonic_fill(img, mask)[mask].mean(0)}
    assert np.abs(targets["mean"] - targets["harmonic"]).sum() > 0.02
    got = {name: inpaint(img, mask, "bgdip", **settings, ring_target=name)[mask].mean(0) for name in targets}
    # the fill's mean moves the way its target does, by a good part of the way
    step, shift = got["harmonic"] - got["mean"], targets["harmonic"] - targets["mean"]
    assert step @ shift > 0.3 * shift @ shift


def test_biharmonic_fill_is_solved_in_double_precision():
    """scikit-image solves in its input's precision; in float32 a large hole comes out wrong."""
    from skimage.restoration import inpaint_biharmonic

    from simbil.inpaint.classical import biharmonic
    from simbil.inpaint.settings import BiharmonicSettings

    y, x = np.mgrid[0:170, 0:170]
    img = np.dstack([0.5 + 0.3 * np.sin(x / 7) * np.cos(y / 9), 0.4 + 0.2 * np.sin((x + y) / 5), 0.3 + 0 * x])
    mask = np.zeros((170, 170), bool)
    mask[25:145, 25:145] = True
    exact = inpaint_biharmonic(img, mask, channel_axis=-1)
    single = inpaint_biharmonic(img.astype(np.float32), mask, channel_axis=-1)
    assert np.abs(single - exact).max() > 0.01  # what the precision costs at this size
    ours = biharmonic(img.astype(np.float32), mask, BiharmonicSettings(crop_margin=1.0))
    assert ours.dtype == np.float32 and np.abs(ours - exact).max() < 1e-4
