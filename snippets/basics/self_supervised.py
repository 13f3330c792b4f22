"""Self-supervised learning: labels from the data itself / Öz denetimli öğrenme.

Self-supervised learning needs no labels written by people: it hides part of
each example and trains the model to predict the hidden part from the rest, so
the labels come from the data. Two ways language models do it, on one sentence:
next-token prediction (GPT: every prefix is an input, the word after it is the
label) and masked- token prediction (BERT: some words are replaced by ``[MASK]``
and the model must name them). Words stand in for tokens here. Needs only torch;
runs instantly.

    python -m snippets.basics.self_supervised "the cat slept on the mat"
"""

from __future__ import annotations

import argparse
import sys

import torch

MASK = "[MASK]"


# --8<-- [start:pairs]
def next_token_pairs(words: list[str]) -> list[tuple[list[str], str]]:
    """GPT's task: every prefix of the sentence is an input, the next word its
    label."""
    return [(words[:i], words[i]) for i in range(1, len(words))]


def masked_pairs(
    words: list[str], rate: float = 0.15, seed: int = 0
) -> tuple[list[str], dict[int, str]]:
    """BERT's task: hide about ``rate`` of the words (at least one): the labels.

    BERT puts ``[MASK]`` in 80 % of the chosen places, a random token in 10 %
    and leaves 10 % unchanged; here every chosen word becomes ``[MASK]``.
    Returns the masked sentence and {position: hidden word}."""
    count = max(1, round(rate * len(words)))
    generator = torch.Generator().manual_seed(seed)
    positions = sorted(
        torch.randperm(len(words), generator=generator)[:count].tolist()
    )
    masked = [MASK if i in positions else word for i, word in enumerate(words)]
    return masked, {i: words[i] for i in positions}


# --8<-- [end:pairs]


def main(argv: list[str] | None = None) -> int:
    """Print both kinds of training pairs for a sentence."""
    parser = argparse.ArgumentParser(
        description="Training pairs made from a sentence, with no labels."
    )
    parser.add_argument(
        "sentence", nargs="?", default="the cat slept on the mat"
    )
    args = parser.parse_args(argv)
    words = args.sentence.split()
    if len(words) < 2:
        parser.error(
            'give a sentence of at least two words, e.g. "the cat slept"'
        )
    for context, label in next_token_pairs(words):
        print(f"next token: {' '.join(context):<40} -> {label}")
    masked, labels = masked_pairs(words)
    print(f"masked:     {' '.join(masked):<40} -> {labels}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
