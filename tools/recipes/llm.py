"""Outputs of the chapter "Large language models and a tiny GPT" (docs/*/llm/index.md)."""

from __future__ import annotations

import math

import torch

from snippets.llm import exercises
from snippets.llm import tiny_gpt as gpt
from snippets.llm import tokenization as tok
from tools.generate import Outputs
from tools.verify import TRAINED

WORDS = ["kedi", "ağaç", "Çiçekçiğimizi", "İstanbul'dan", tok.SAMPLE]
GPT3_TRAINING_FLOP = 3.14e23  # Brown et al. (2020), "Language Models are Few-Shot Learners", table D.1
SAMPLES = [  # (prompt, temperature, top_k, seed)
    ("Bu ", 0.8, None, 0),
    ("Bu ", 0.8, None, 1),
    ("Kışın ", 0.5, 5, 0),
    ("Kışın ", 1.5, None, 0),
]


def _tokenizer_outputs(out: Outputs) -> None:
    rows = []
    for text in WORDS:
        shown = f"`{text}`" if len(text) < 20 else {"tr": "örnek paragraf", "en": "sample paragraph"}
        rows.append([shown, len(tok.char_tokens(text)), len(tok.byte_tokens(text))])
    out.table("tokenization.lengths", {"tr": ["Metin", "Karakter token'ı", "UTF-8 bayt token'ı"],
                                     "en": ["Text", "Character tokens", "UTF-8 byte tokens"]}, rows)
    learned, tokens = tok.learn_bpe(tok.SAMPLE, 40)
    out.text("tokenization.bpe", "first 12 merges: " + ", ".join(repr("".join(p)) for p in learned[:12])
             + f"\n{len(tok.SAMPLE)} characters → {len(tokens)} tokens after {len(learned)} merges:\n"
             + " | ".join(tokens))
    out.json("tokenization.bpe", {"characters": len(tok.SAMPLE), "tokens": len(tokens), "merges": len(learned)})
    logits = torch.tensor(list(tok.EXAMPLE_LOGITS.values()))
    settings = [(1.0, None), (0.5, None), (2.0, None), (1.0, 2)]
    columns = [tok.next_token_probabilities(logits, t, k).tolist() for t, k in settings]
    out.json("tokenization.sampling_settings", {"top_k": settings[-1][1]})
    out.table("tokenization.sampling",
              {"tr": ["Sonraki karakter", "Skor (logit)", "T = 1", "T = 0,5", "T = 2", "T = 1, top-k = 2"],
               "en": ["Next character", "Score (logit)", "T = 1", "T = 0.5", "T = 2", "T = 1, top-k = 2"]},
              [[f"`{c}`", s, *(round(col[i], 3) for col in columns)]
               for i, (c, s) in enumerate(tok.EXAMPLE_LOGITS.items())])


def _model_outputs(out: Outputs) -> gpt.History:
    config = gpt.Config()
    model, stoi, itos, history = out.capture("tiny_gpt.training", gpt.train, gpt.CORPUS, config)
    parts = {"token_embedding": model.token_embedding, "position_embedding": model.position_embedding,
             "blocks": model.blocks, "ln_f": model.ln_f, "head": model.head}
    counts = {name: sum(p.numel() for p in part.parameters()) for name, part in parts.items()}
    out.table("tiny_gpt.params", {"tr": ["Parça", "Parametre"], "en": ["Part", "Parameters"]},
              [[f"`{name}`", count] for name, count in counts.items()]
              + [[{"tr": "**toplam**", "en": "**total**"}, sum(counts.values())]])
    out.figure("tiny_gpt.loss", lambda lang: gpt.plot_history(history, len(itos), lang))
    best = min(range(len(history.val_loss)), key=history.val_loss.__getitem__)
    flop = 6 * sum(counts.values()) * config.steps * config.batch_size * config.block_size
    out.json("tiny_gpt.summary", {
        "parameters": sum(p.numel() for p in model.parameters()), "vocab_size": len(itos),
        "corpus_characters": len(gpt.CORPUS), "steps": config.steps, "batch_size": config.batch_size,
        "val_fraction": config.val_fraction,
        "block_size": config.block_size, "n_layer": config.n_layer, "n_head": config.n_head,
        "n_embd": config.n_embd, "dropout": config.dropout, "learning_rate": config.learning_rate,
        "uniform_loss": round(math.log(len(itos)), 3),
        "first_train_loss": round(history.train_loss[0], 3), "final_train_loss": round(history.train_loss[-1], 3),
        "final_val_loss": round(history.val_loss[-1], 3), "best_val_loss": round(history.val_loss[best], 3),
        "best_val_step": history.steps[best],
        "tokens_seen": config.steps * config.batch_size * config.block_size,
        # Training compute by the usual estimate of 6 floating-point operations per parameter and token
        # (Kaplan et al., 2020): forward pass 2·N, backward pass 4·N.
        "training_flop": f"{flop:.1e}", "gpt3_flop": f"{GPT3_TRAINING_FLOP:.2e}",
        "gpt3_times": float(f"{GPT3_TRAINING_FLOP / flop:.2g}"),
        "formula_parameters": gpt.parameter_count(len(itos), config.block_size, config.n_layer, config.n_embd),
        # The same architecture at the published sizes (vocabulary 50,257, tied output layer).
        "gpt2_small_parameters": gpt.parameter_count(50257, 1024, 12, 768, tied_head=True),
        "gpt3_parameters": gpt.parameter_count(50257, 2048, 96, 12288, tied_head=True),
    })
    out.timing("tiny_gpt.seconds", {"training": round(history.seconds, 1)})
    samples = []
    for prompt, temperature, top_k, seed in SAMPLES:
        text = gpt.generate(model, prompt, stoi, itos, length=160, temperature=temperature, top_k=top_k, seed=seed)
        samples.append(f"--- prompt {prompt!r}, temperature {temperature}, top_k {top_k}, seed {seed}\n{text}")
    out.text("tiny_gpt.samples", "\n\n".join(samples))
    return history


def _exercise_outputs(out: Outputs, history: gpt.History) -> None:
    start = exercises.memorisation_start(history.steps, history.train_loss, history.val_loss)
    out.json("exercises.memorisation", {k: round(v, 3) for k, v in start.items()}, tolerance={
        "best_val_loss": TRAINED, "gap_at_best": TRAINED, "gap_at_last": TRAINED})
    config = gpt.Config()
    cut = int(len(gpt.CORPUS) * (1 - config.val_fraction))  # the training text: tokens are characters
    effect = exercises.bpe_effect(gpt.CORPUS[:cut], 100, config.block_size)
    out.json("exercises.bpe_100", {**{k: round(v, 2) for k, v in effect.items()}, "merges": 100,
                                   "block_size": config.block_size})


def generate(out: Outputs) -> None:
    """Every output of the chapter, in page order."""
    _tokenizer_outputs(out)
    _exercise_outputs(out, _model_outputs(out))
