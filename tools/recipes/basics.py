"""Outputs of the chapter "What machine learning and deep learning are" (docs/*/basics/index.md)."""

from __future__ import annotations

import inspect

from snippets.basics import exercises as ex
from snippets.basics import rules_vs_learning as rvl
from snippets.basics import self_supervised as ssl
from snippets.basics import universal_approximation as ua
from tools.generate import Outputs
from tools.verify import FORMULA, Tol

SENTENCES = {"tr": "kedi paspasın üstünde uyudu", "en": "the cat slept on the mat"}


def _self_supervised(out: Outputs) -> None:
    pairs = {lang: ssl.next_token_pairs(s.split()) for lang, s in SENTENCES.items()}
    masked = {lang: ssl.masked_pairs(s.split()) for lang, s in SENTENCES.items()}
    rows = [[{"tr": "sonraki token (GPT)", "en": "next token (GPT)"},
             {lang: "`" + " ".join(pairs[lang][i][0]) + "`" for lang in pairs},
             {lang: f"`{pairs[lang][i][1]}`" for lang in pairs}] for i in range(3)]
    rows.append([{"tr": "maskelenmiş token (BERT)", "en": "masked token (BERT)"},
                 {lang: "`" + " ".join(m[0]) + "`" for lang, m in masked.items()},
                 {lang: ", ".join(f"`{w}`" for w in m[1].values()) for lang, m in masked.items()}])
    rate = inspect.signature(ssl.masked_pairs).parameters["rate"].default
    out.json("self_supervised.mask", {"rate": rate})  # BERT's masking rate (Devlin et al., 2019)
    out.table("self_supervised.examples",
              {"tr": ["Görev", "Girdi", "Etiket (metnin kendisinden)"],
               "en": ["Task", "Input", "Label (from the text itself)"]}, rows)


def _universal_approximation(out: Outputs) -> None:
    fits = {width: ua.fit(width) for width in ua.WIDTHS}
    out.table("universal_approximation.errors",
              {"tr": ["Gizli nöron sayısı", "Ortalama kare hata"],
               "en": ["Hidden units", "Mean squared error"]},
              [[width, f"{error:.2e}"] for width, (_, error) in fits.items()])
    out.json("universal_approximation.errors",
             {"widths": list(fits), "errors": [float(f"{e:.4e}") for _, e in fits.values()]})
    shown = {w: fits[w][0] for w in (1, 4, 8, 16)}
    out.figure("universal_approximation.fits", lambda lang: ua.plot_fits(shown, lang))


def _exercises(out: Outputs) -> None:
    slopes = ex.slope_by_noise()
    out.json("exercises.noise", {"noises": list(slopes), "slopes": [round(s, 4) for s in slopes.values()],
                                 "errors": [float(f"{abs(s - 1.8):.3e}") for s in slopes.values()]},
             tolerance={"slopes.*": FORMULA, "errors.*": Tol(rel=0.01, abs=1e-5)})
    out.json("exercises.narrow", {"wide": [-10, 40], "narrow": [0, 10],
                                  "wide_error": round(ex.error_at_100(-10, 40), 2),
                                  "narrow_error": round(ex.error_at_100(0, 10), 2)}, tolerance=FORMULA)
    out.json("exercises.half_masked", {lang: {str(rate): ex.clues(sentence, rate) for rate in (0.15, 0.5)}
                                       for lang, sentence in SENTENCES.items()})
    inside, outside = ex.errors_inside_and_outside(ex.fit())
    out.json("exercises.outside", {"inside_mse": float(f"{inside:.2e}"), "outside_mse": float(f"{outside:.2e}"),
                                   "ratio": float(f"{outside / inside:.1e}")},
             tolerance={"inside_mse": Tol(rel=0.2), "ratio": Tol(rel=0.2), "outside_mse": FORMULA})


def generate(out: Outputs) -> None:
    """The learned conversion, the fits by sample size, self-supervised pairs, widening nets."""
    out.capture("rules_vs_learning.compare", rvl.main)
    rows = []
    for n in (3, 10, 100, 1000):
        slope, intercept = rvl.learn_rule(*rvl.readings(n=n))
        rows.append([n, round(slope, 4), round(intercept, 4), round(abs(slope * 100 + intercept - 212), 3)])
    out.table("rules_vs_learning.fits",
              {"tr": ["Örnek sayısı", "Öğrenilen eğim", "Öğrenilen sabit", "100 °C'de hata (°F)"],
               "en": ["Examples", "Learned slope", "Learned intercept", "Error at 100 °C (°F)"]}, rows)
    _self_supervised(out)
    _universal_approximation(out)
    _exercises(out)
