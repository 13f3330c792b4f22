"""Tokenizers and sampling / Token'layıcılar ve örnekleme.

Three ways to turn text into token ids (characters, UTF-8 bytes, and byte pair
encoding learned on a sample), and how temperature and top-k reshape a model's
next-token distribution.

Needs: torch. Runs instantly.

    python -m snippets.llm.tokenization
"""

from __future__ import annotations

from collections import Counter

import torch

SAMPLE = (
    "Kedi halıya uzandı. Kediler halıları sever. Halının üstünde uyuyan kedi, "
    "güneşli günlerde pencerenin önündeki halıya geçer."
)


# --8<-- [start:char_and_byte]
def char_tokens(text: str) -> list[str]:
    """Character-level: one token per Unicode character (ç, ğ, ı, ş are one
    token each)."""
    return list(text)


def byte_tokens(text: str) -> list[int]:
    """Byte-level: the UTF-8 bytes. A vocabulary of 256 covers every language,
    but each Turkish letter outside ASCII (ç ğ ı ö ş ü İ …) takes two bytes, so
    the same text needs more tokens."""
    return list(text.encode("utf-8"))


# --8<-- [end:char_and_byte]


# --8<-- [start:bpe]
def most_frequent_pair(tokens: list[str]) -> tuple[str, str] | None:
    """The adjacent pair that occurs most often (ties: the one seen first); None
    if no pair repeats."""
    pairs = Counter(zip(tokens, tokens[1:], strict=False))  # neighbours
    if not pairs:
        return None
    pair, count = pairs.most_common(1)[0]
    return pair if count > 1 else None


def merge(tokens: list[str], pair: tuple[str, str]) -> list[str]:
    """Replace every occurrence of ``pair`` by one joined token, left to
    right."""
    merged, i = [], 0
    while i < len(tokens):
        if i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) == pair:
            merged.append(tokens[i] + tokens[i + 1])
            i += 2
        else:
            merged.append(tokens[i])
            i += 1
    return merged


def learn_bpe(
    text: str, merges: int
) -> tuple[list[tuple[str, str]], list[str]]:
    """Byte pair encoding on characters: repeat "merge the most frequent pair"
    ``merges`` times.

    Returns the merges in the order learned and the text as the final tokens.
    Real tokenizers (GPT-2, tiktoken, SentencePiece) start from bytes, learn
    tens of thousands of merges on a huge corpus and keep them as the
    vocabulary."""
    tokens, learned = char_tokens(text), []
    for _ in range(merges):
        pair = most_frequent_pair(tokens)
        if pair is None:
            break
        tokens = merge(tokens, pair)
        learned.append(pair)
    return learned, tokens


# --8<-- [end:bpe]


# --8<-- [start:sampling]
def next_token_probabilities(
    logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None
) -> torch.Tensor:
    """The distribution a sampler draws from: ``softmax(logits / temperature)``,
    optionally only the top k.

    Temperature below 1 sharpens the distribution (more predictable text), above
    1 flattens it (more surprising text). Top-k sets every score outside the k
    largest to −∞, i.e. probability 0."""
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    scaled = logits / temperature
    if top_k is not None:
        kth = torch.topk(scaled, top_k).values[..., -1:]
        scaled = scaled.masked_fill(scaled < kth, float("-inf"))
    return scaled.softmax(dim=-1)


# --8<-- [end:sampling]


EXAMPLE_LOGITS = {
    "a": 2.0,
    "e": 1.5,
    "ı": 1.0,
    "k": 0.0,
    "z": -1.0,
}  # made-up scores for five next characters


def main() -> int:
    """Print the three tokenizations and a sampling table."""
    word = "Çiçekçiğimizi"
    print(
        f"{word!r}: {len(char_tokens(word))} characters, "
        f"{len(byte_tokens(word))} UTF-8 bytes"
    )
    learned, tokens = learn_bpe(SAMPLE, 20)
    print("first merges:", ["".join(pair) for pair in learned[:10]])
    print(f"{len(SAMPLE)} characters → {len(tokens)} BPE tokens:", tokens[:12])
    logits = torch.tensor(list(EXAMPLE_LOGITS.values()))
    for temperature, top_k in ((1.0, None), (0.5, None), (2.0, None), (1.0, 2)):
        probabilities = next_token_probabilities(logits, temperature, top_k)
        shown = {
            token: round(p, 3)
            for token, p in zip(
                EXAMPLE_LOGITS, probabilities.tolist(), strict=True
            )
        }
        print(f"T={temperature}, top_k={top_k}: {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
