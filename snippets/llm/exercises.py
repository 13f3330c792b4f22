"""Solutions to the chapter's exercises / Bölümün alıştırmalarının çözümleri.

Where memorisation starts in a training log, and what 100 byte-pair merges do
to the vocabulary and the sequence length of the training text.
Self-contained: the byte-pair encoding of ``tokenization.py`` is repeated
here; the functions take the log and the text as arguments.

Needs: nothing beyond the standard library. Runs in a second.

    python -m snippets.llm.exercises
"""

from __future__ import annotations

from collections import Counter

SAMPLE = (
    "Bir dil modeli bir metni okur ve bir sonraki harfi tahmin etmeye "
    "çalışır. Doğru tahmin ederse kaybı küçülür, yanlış tahmin ederse kaybı "
    "büyür. Model çok metin gördükçe daha iyi tahmin eder."
)


# --8<-- [start:memorisation]
def memorisation_start(
    steps: list[int], train_loss: list[float], val_loss: list[float]
) -> dict[str, float]:
    """The logged step with the lowest held-out loss: after it the training
    loss keeps falling while the held-out loss rises, the model memorises.

    Also the gap between the two losses there and at the last step."""
    best = min(range(len(val_loss)), key=val_loss.__getitem__)
    return {
        "step": steps[best],
        "best_val_loss": val_loss[best],
        "gap_at_best": val_loss[best] - train_loss[best],
        "last_step": steps[-1],
        "gap_at_last": val_loss[-1] - train_loss[-1],
    }


# --8<-- [end:memorisation]


# --8<-- [start:bpe_100]
def most_frequent_pair(tokens: list[str]) -> tuple[str, str] | None:
    """The adjacent pair seen most often (ties: the first seen); None if no
    pair repeats."""
    pairs = Counter(zip(tokens, tokens[1:], strict=False))
    if not pairs:
        return None
    pair, count = pairs.most_common(1)[0]
    return pair if count > 1 else None


def learn_bpe(
    text: str, merges: int
) -> tuple[list[tuple[str, str]], list[str]]:
    """The chapter's byte-pair encoding on characters: merge the most
    frequent pair ``merges`` times; return the merges and the final
    tokens."""
    tokens, learned = list(text), []
    for _ in range(merges):
        pair = most_frequent_pair(tokens)
        if pair is None:
            break
        merged, i = [], 0
        while i < len(tokens):
            if i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) == pair:
                merged.append(tokens[i] + tokens[i + 1])
                i += 2
            else:
                merged.append(tokens[i])
                i += 1
        tokens = merged
        learned.append(pair)
    return learned, tokens


def bpe_effect(text: str, merges: int = 100, block_size: int = 64) -> dict:
    """Vocabulary and sequence length of ``text`` with characters and after
    ``merges`` merges, and how many characters a ``block_size`` context then
    covers on average."""
    learned, tokens = learn_bpe(text, merges)
    vocabulary = set(text) | {a + b for a, b in learned}  # one token a merge
    return {
        "characters": len(text),
        "char_vocabulary": len(set(text)),
        "bpe_tokens": len(tokens),
        "bpe_vocabulary": len(vocabulary),
        "chars_per_token": len(text) / len(tokens),
        "context_characters": block_size * len(text) / len(tokens),
    }


# --8<-- [end:bpe_100]


def main() -> int:
    """Print every solution on a short sample text."""
    log = memorisation_start([1, 50, 100], [3.9, 2.5, 2.0], [3.9, 2.4, 2.6])
    print("memorisation starts after step", log["step"])
    print("BPE on the sample, 20 merges:", bpe_effect(SAMPLE, 20))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
