"""snippets/llm/exercises.py: each solution's claim, on the generated values and the functions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from snippets.llm import exercises
from snippets.llm import tiny_gpt as gpt
from snippets.llm import tokenization as tok


def test_memorisation_starts_inside_the_chapters_run(outputs):
    """memorisation: the held-out loss is lowest before the last logged step, and the gap between the
    held-out and the training loss has grown by the end."""
    start = outputs.json("llm/exercises.memorisation")
    summary = outputs.json("llm/tiny_gpt.summary")
    assert start["step"] == summary["best_val_step"] < start["last_step"] == summary["steps"]
    assert start["gap_at_last"] > start["gap_at_best"] > 0


def test_a_longer_run_repeats_the_shorter_ones_first_steps():
    """memorisation: the learning rate is constant and nothing depends on --steps, so the first steps of a
    1,500-step run are those of the chapter's 500-step run (checked on a tiny configuration)."""
    tiny = replace(gpt.Config(), n_layer=1, n_embd=16, n_head=2, block_size=16, batch_size=4,
                   eval_every=2, steps=4)
    short = gpt.train(gpt.CORPUS, tiny, log=lambda _: None)[3]
    long = gpt.train(gpt.CORPUS, replace(tiny, steps=8), log=lambda _: None)[3]
    assert long.steps[:len(short.steps)] == short.steps
    assert long.val_loss[:len(short.val_loss)] == short.val_loss


def test_memorisation_start_reads_the_lowest_held_out_loss():
    start = exercises.memorisation_start([1, 50, 100, 150], [3.0, 2.0, 1.5, 1.0], [3.0, 2.2, 2.1, 2.4])
    assert start["step"] == 100 and start["gap_at_last"] == pytest.approx(1.4)


def test_bpe_100_shrinks_the_sequence_and_grows_the_vocabulary(outputs):
    """bpe_100: 100 merges add (at most) 100 tokens to the vocabulary and shorten the training text, so the
    64-token context covers more characters than 64."""
    effect = outputs.json("llm/exercises.bpe_100")
    assert effect["char_vocabulary"] < effect["bpe_vocabulary"] <= effect["char_vocabulary"] + effect["merges"]
    assert effect["bpe_tokens"] < effect["characters"]
    assert effect["context_characters"] > effect["block_size"]


def test_bpe_copy_matches_the_chapters_tokenizer():
    learned, tokens = exercises.learn_bpe(tok.SAMPLE, 40)
    assert (learned, tokens) == tok.learn_bpe(tok.SAMPLE, 40)
