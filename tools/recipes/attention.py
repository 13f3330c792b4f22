"""Outputs of the chapter "Attention and the transformer" (docs/*/attention/index.md)."""

from __future__ import annotations

from snippets.attention import exercises
from snippets.attention import transformer as tf
from tools.generate import Outputs
from tools.verify import FLOAT_NOISE, FORMULA

STEP_NAMES = {  # the shape-recording keys of MultiHeadAttention.forward, in both languages
    "input": "girdi",
    "q after projection and split": "izdüşüm ve bölmeden sonra q",
    "attention weights": "dikkat ağırlıkları",
    "output per head": "her başlığın çıktısı",
    "heads merged": "başlıklar birleşince",
    "after out_proj": "out_proj sonrası",
}


def _difference(value: float) -> str:
    return f"{value:.1e}"


def generate(out: Outputs) -> None:
    """Every output of the chapter, in page order."""
    vocabulary, ids, vectors = tf.embed_tokens("the cat sat on the mat")
    out.text("transformer.embedding", f"vocabulary: {vocabulary}\n"
                                      f"ids:        {ids.tolist()}  shape {tuple(ids.shape)}\n"
                                      f"vectors:    shape {tuple(vectors.shape)}  (batch, tokens, d_model)")
    out.json("transformer.attention_check", {k: _difference(v) for k, v in tf.compare_attention().items()},
             tolerance=FLOAT_NOISE)
    weights = tf.causal_example()
    out.text("transformer.causal_weights", str(weights.numpy().round(3)))
    out.json("transformer.causal_facts", {
        "above_diagonal_max": float(weights.triu(diagonal=1).abs().max()),
        "row_sums": [round(float(x), 6) for x in weights.sum(dim=1)],
    })
    difference, shapes = tf.compare_multi_head()
    batch, heads, tokens, d_head = shapes["q after projection and split"]
    out.json("transformer.multi_head", {"difference": _difference(difference), "d_model": shapes["input"][-1],
                                         "heads": heads, "d_head": d_head, "batch": batch, "tokens": tokens},
             tolerance={"difference#*": FLOAT_NOISE})
    out.table("transformer.multi_head_shapes", {"tr": ["Adım", "Şekil"], "en": ["Step", "Shape"]},
              [[{"tr": STEP_NAMES[step], "en": step}, f"`{shape}`"] for step, shape in shapes.items()])
    encoding = tf.positional_encoding(64, 64)
    out.figure("transformer.positional", lambda lang: tf.plot_positional(encoding, lang))
    similarity = encoding @ encoding[10]  # how alike position 10 is to every position
    out.json("transformer.positional_facts", {
        "steps": 64, "d_model": 64,
        "similarity_to_10": {str(p): round(float(similarity[p]), 2) for p in (10, 11, 15, 30, 60)},
    })
    out.json("transformer.blocks_check", {k: _difference(v) for k, v in tf.compare_blocks().items()},
             tolerance=FLOAT_NOISE)
    _exercise_outputs(out)


def _exercise_outputs(out: Outputs) -> None:
    out.json("exercises.no_scaling", {str(d): {k: round(v, 3) for k, v in w.items()}
                                      for d, w in exercises.compare_scaling().items()}, tolerance=FORMULA)
    out.json("exercises.pre_norm", {k: _difference(v) for k, v in exercises.compare_pre_norm().items()},
             tolerance={"pre_norm#*": FLOAT_NOISE, "post_norm#*": FORMULA})
    shuffled = exercises.shuffle_check()
    out.json("exercises.permutation", {"without_positions": _difference(shuffled["without_positions"]),
                                       "with_positions": round(shuffled["with_positions"], 2),
                                       "moved": shuffled["moved"]},
             tolerance={"without_positions#*": FLOAT_NOISE, "with_positions": FORMULA})
