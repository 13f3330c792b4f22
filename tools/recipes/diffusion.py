"""Outputs of the chapter "Diffusion models" (docs/*/diffusion/index.md)."""

from __future__ import annotations

import time

import torch

from snippets.diffusion import ddpm, exercises, forward, text_to_image
from tools.generate import Outputs, Tol

# Samples drawn through hundreds of network calls carry the network's last digits along (seen under
# other numeric settings: points 1e-4 apart, pixels 1e-5); declared with a tenfold margin.
SAMPLED_POINTS = Tol(abs=1e-3)
SAMPLED_PIXELS = Tol(abs=1e-4)
# The judge (scikit-learn's logistic regression, on OpenBLAS) fits its last digits to the BLAS kernels
# and thread count, and a sample near its decision boundary flips: seen, one of 200 samples (0.005)
# with one thread, one of the 1797 real digits with AVX-512 kernels. Shares it reads are declared
# with a margin, as the exercises' are.
JUDGED = Tol(abs=0.02)

GUIDANCE = [0.0, 1.0, 3.0, 5.0]
PER_CLASS = 20  # samples per digit when the judge scores a sampler
DDIM_STEPS = [100, 20, 10]
KEEP = (1000, 700, 400, 200, 100, 50, 0)
SHAPE_NAMES = {"latent": "gizil temsil (latent)", "image features (queries)": "görüntü öznitelikleri (sorgular)",
               "prompt tokens (keys, values)": "istem token'ları (anahtarlar, değerler)",
               "attention weights": "dikkat ağırlıkları", "output": "çıktı"}


def _forward_outputs(out: Outputs) -> None:
    schedules = {"linear": forward.linear_betas(), "cosine": forward.cosine_betas()}
    names = {"linear": {"tr": "doğrusal", "en": "linear"}, "cosine": {"tr": "kosinüs", "en": "cosine"}}
    checkpoints = [1, 250, 500, 750, 1000]
    out.table("forward.alpha_bars", {"tr": ["Takvim", *(f"ᾱ, t = {t}" for t in checkpoints)],
                                     "en": ["Schedule", *(f"ᾱ, t = {t}" for t in checkpoints)]},
              [[names[n], *(float(f"{forward.alpha_bars(b)[t - 1].item():.3g}") for t in checkpoints)]
               for n, b in schedules.items()])
    ends = {n: forward.alpha_bars(b) for n, b in schedules.items()}
    out.json("forward.ends", {n: {"alpha_bar_T": f"{a[-1].item():.1e}", "alpha_bar_1": round(a[0].item(), 6)}
                              for n, a in ends.items()})
    out.figure("forward.alpha_bars", lambda lang: forward.plot_alpha_bars(schedules, lang))
    image = forward.digit_image()
    shown = [0, 50, 100, 250, 500, 750, 1000]
    out.figure("forward.noising", lambda lang: forward.plot_noising(image, schedules, shown, lang))
    rows = []
    for name, t in (("linear", 10), ("linear", 100), ("linear", 500), ("cosine", 500)):
        c = forward.compare_closed_form(t, schedules[name])
        rows.append([names[name], t, round(c["mean_formula"], 4), round(c["mean_iterated"], 4),
                     round(c["var_formula"], 4), round(c["var_iterated"], 4)])
    out.table("forward.closed_form", {
        "tr": ["Takvim", "t", "Ortalama (formül)", "Ortalama (adım adım)", "Varyans (formül)",
               "Varyans (adım adım)"],
        "en": ["Schedule", "t", "Mean (formula)", "Mean (step by step)", "Variance (formula)",
               "Variance (step by step)"]},
        rows)
    out.json("forward.closed_form_setup", {"samples": c["samples"], "start": c["start"]})


def _percent(fraction: float) -> dict[str, float]:
    """A table cell shown as a percentage on the page."""
    return {"percent": round(fraction, 3)}


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def generate(out: Outputs) -> None:
    """Every output of the chapter, in page order."""
    _forward_outputs(out)

    # (a) two moons
    points = ddpm.moons()
    moons_model, moons_schedule, moons_losses = out.capture("ddpm.moons_training", ddpm.train, points,
                                                            ddpm.TrainConfig())
    noise = torch.randn(1000, 2, generator=torch.Generator().manual_seed(1))
    moons_ddpm, _ = ddpm.ddpm_sample(moons_model, moons_schedule, 1000, 2)
    moons_ddim = {k: ddpm.ddim_sample(moons_model, moons_schedule, 1000, 2, k) for k in DDIM_STEPS}
    chamfer = {"ddpm": ddpm.chamfer_distance(moons_ddpm, points), "noise": ddpm.chamfer_distance(noise, points),
               **{f"ddim_{k}": ddpm.chamfer_distance(v, points) for k, v in moons_ddim.items()}}
    out.figure("ddpm.moons", lambda lang: ddpm.plot_points(
        {"real": points[:1000], "DDPM, 1000": moons_ddpm, "DDIM, 20": moons_ddim[20], "noise": noise}, lang),
        tolerance=SAMPLED_POINTS)

    # (b) digits, class-conditional
    images, labels = ddpm.digits()
    config = ddpm.DIGITS_CONFIG
    model, schedule, digit_losses = out.capture("ddpm.digits_training", ddpm.train, images, config, labels)
    out.figure("ddpm.losses", lambda lang: ddpm.plot_losses({"moons": moons_losses, "digits": digit_losses}, lang))
    judge = ddpm.digit_classifier()
    _, trajectory = ddpm.ddpm_sample(model, schedule, 10, 64, torch.arange(10), 3.0, seed=5, clip=1.0, keep=KEEP)
    out.figure("ddpm.reverse", lambda lang: ddpm.plot_digit_grid({f"t = {t}": trajectory[t] for t in KEEP}),
               tolerance=SAMPLED_PIXELS)

    wanted = torch.arange(10).repeat(PER_CLASS)
    guided, ddpm_seconds = {}, 0.0
    for w in GUIDANCE:
        (samples, _), seconds = _timed(ddpm.ddpm_sample, model, schedule, len(wanted), 64, wanted, w, seed=1, clip=1.0)
        guided[w] = samples
        ddpm_seconds = seconds if w == 3.0 else ddpm_seconds
    scores = {w: ddpm.class_accuracy(judge, s, wanted) for w, s in guided.items()}
    nearest = {w: ddpm.nearest_real_distance(s, images) for w, s in guided.items()}
    noise_images = torch.randn(len(wanted), 64, generator=torch.Generator().manual_seed(2)).clamp(-1, 1)
    real_score = ddpm.class_accuracy(judge, images, labels)
    noise_score = ddpm.class_accuracy(judge, noise_images, wanted)
    nearest["noise"] = ddpm.nearest_real_distance(noise_images, images)
    out.table("ddpm.guidance", {
        "tr": ["Rehberlik ölçeği w", "Yargıcın istenen rakamı okuduğu oran", "Ortalama güven",
               "En yakın gerçek rakama uzaklık"],
        "en": ["Guidance scale w", "Judge reads the requested digit", "Mean confidence",
               "Distance to the nearest real digit"]},
        [[w, _percent(a), _percent(c), round(nearest[w], 2)] for w, (a, c) in scores.items()]
        + [[{"tr": "saf gürültü", "en": "pure noise"}, _percent(noise_score[0]), _percent(noise_score[1]),
            round(nearest["noise"], 2)],
           [{"tr": "gerçek rakamlar", "en": "real digits"}, _percent(real_score[0]), _percent(real_score[1]), "—"]],
        tolerance={"rows.*.1.percent": JUDGED, "rows.*.2.percent": JUDGED})
    out.figure("ddpm.guidance", lambda lang: ddpm.plot_digit_grid(
        {f"w = {w:g}": guided[w][:10] for w in GUIDANCE}, [str(d) for d in range(10)]), tolerance=SAMPLED_PIXELS)

    # DDPM vs DDIM on the digits (w = 3) and on the moons
    timed = {"DDPM": (guided[3.0], ddpm_seconds)}
    for k in DDIM_STEPS:
        timed[f"DDIM {k}"] = _timed(ddpm.ddim_sample, model, schedule, len(wanted), 64, k, wanted, 3.0,
                                    seed=1, clip=1.0)
    steps = {"DDPM": schedule.steps, **{f"DDIM {k}": k for k in DDIM_STEPS}}
    moons_key = {"DDPM": "ddpm", **{f"DDIM {k}": f"ddim_{k}" for k in DDIM_STEPS}}
    sampler_scores = {name: ddpm.class_accuracy(judge, s, wanted) for name, (s, _) in timed.items()}
    out.timing_table("ddpm.samplers", {
        "tr": ["Örnekleyici", "Adım", "Ağ çağrısı (rakam başına)", "Süre, 200 rakam (s)", "Yargıç doğruluğu (w = 3)",
               "Chamfer uzaklığı (hilaller)"],
        "en": ["Sampler", "Steps", "Network calls (per digit)", "Time, 200 digits (s)", "Judge accuracy (w = 3)",
               "Chamfer distance (moons)"]},
        [[name, steps[name], 2 * steps[name], round(seconds, 2), _percent(sampler_scores[name][0]),
          round(chamfer[moons_key[name]], 3)] for name, (_, seconds) in timed.items()])
    out.figure("ddpm.samplers", lambda lang: ddpm.plot_digit_grid(
        {f"{name}": s[:10] for name, (s, _) in timed.items()}, [str(d) for d in range(10)]), tolerance=SAMPLED_PIXELS)
    out.json("ddpm.summary", {
        "moons": {"final_loss": round(moons_losses[-1], 4), "first_loss": round(moons_losses[0], 4),
                  "chamfer": {k: round(v, 3) for k, v in chamfer.items()},
                  "steps": ddpm.TrainConfig().steps, "hidden": ddpm.TrainConfig().hidden,
                  "parameters": sum(p.numel() for p in moons_model.parameters())},
        "digits": {"final_loss": round(digit_losses[-1], 4), "first_loss": round(digit_losses[0], 4),
                   "steps": config.steps, "hidden": config.hidden, "p_uncond": config.p_uncond,
                   "parameters": sum(p.numel() for p in model.parameters()),
                   "guidance": {f"{w:g}": {"accuracy": round(a, 3), "confidence": round(c, 3)}
                                for w, (a, c) in scores.items()},
                   "noise": {"accuracy": round(noise_score[0], 3), "confidence": round(noise_score[1], 3)},
                   "nearest_real": {f"{k:g}" if isinstance(k, float) else k: round(v, 2) for k, v in nearest.items()},
                   "real": {"accuracy": round(real_score[0], 3), "confidence": round(real_score[1], 3)},
                   "samplers": {name: round(a, 3) for name, (a, _) in sampler_scores.items()}},
        "diffusion_steps": schedule.steps, "samples_per_class": PER_CLASS,
    }, tolerance={f"digits.{judged}.*": JUDGED for judged in ("guidance", "noise", "real", "samplers")})

    _exercise_outputs(out, model, schedule, judge, images, wanted)

    # text-to-image shapes
    out.table("text_to_image.shapes", {"tr": ["Tensör", "Şekil"], "en": ["Tensor", "Shape"]},
              [[{"tr": SHAPE_NAMES[name], "en": name}, f"`{shape}`"]
               for name, shape in text_to_image.cross_attention_shapes().items()])
    out.json("text_to_image.sizes", {
        "image": list(text_to_image.IMAGE), "latent": list(text_to_image.latent_shape()),
        "compression": text_to_image.compression(), "text_tokens": text_to_image.TEXT_TOKENS,
        "latent_positions": text_to_image.cross_attention_shapes()["attention weights"][1],
        "text_dim": text_to_image.TEXT_DIM, "vae_factor": text_to_image.VAE_FACTOR})


def _exercise_outputs(out: Outputs, model, schedule, judge, images, wanted) -> None:
    out.json("exercises.cosine", exercises.schedule_use())
    few = exercises.judge_by_steps(model, schedule.alpha_bars, judge, wanted)
    out.json("exercises.few_steps", {str(k): round(v, 3) for k, v in few.items()}, tolerance=JUDGED)
    effect = exercises.guidance_effect(model, schedule.alpha_bars, judge, wanted, images)
    out.json("exercises.large_guidance", {f"{w:g}": {k: round(v, 3) for k, v in e.items()}
                                          for w, e in effect.items()}, tolerance=JUDGED)
    out.json("exercises.no_uncond", {f"{p:g}": float(f"{exercises.null_label_gradient(p):.2e}")
                                     for p in (0.0, 0.1)}, tolerance=Tol(rel=1e-3, abs=1e-9))
