"""Checked exercises for notebook 06, SGD and mini-batches."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises import Exercise, NotYet, as_array, as_number, call, expect_close


def _check_updates(function: Any) -> str:
    for n, batch, want in [(100_000, 100, 1000), (1000, 300, 4), (50, 50, 1), (7, 1, 7)]:
        got = as_number(call(function, n, batch, what=f"updates_per_epoch({n}, {batch})"),
                        f"updates_per_epoch({n}, {batch})")
        if (n, batch) == (1000, 300) and got == 3:
            raise NotYet("updates_per_epoch(1000, 300) drops the last, smaller batch of 100 examples; count it too.")
        expect_close(got, want, f"updates_per_epoch({n}, {batch})", rtol=0, atol=0)
    return "One update per batch, and the last batch may be smaller."


def _check_batches(function: Any) -> str:
    result = call(function, 10, 3, 0, what="make_batches(10, 3, seed=0)")
    if not isinstance(result, (list, tuple)) or not result:
        raise NotYet(f"make_batches should return a list of index arrays, but it returned {type(result).__name__}.")
    parts = [as_array(part, "each batch").astype(int).ravel() for part in result]
    if [len(p) for p in parts] != [3, 3, 3, 1]:
        raise NotYet(f"batches of 3 from 10 examples should have sizes [3, 3, 3, 1], not {[len(p) for p in parts]}.")
    everything = np.concatenate(parts)
    if sorted(everything) != list(range(10)):
        raise NotYet("the batches should use every example exactly once per epoch (no repeats, none left out).")
    if list(everything) == list(range(10)):
        raise NotYet("the batches are in the original order: shuffle the indices before slicing.")
    again = np.concatenate([np.asarray(p).ravel() for p in call(function, 10, 3, 0, what="make_batches")])
    if not np.array_equal(everything, again):
        raise NotYet("the same seed should give the same batches: make the generator from the seed.")
    return "Shuffle, then slice: every example once per epoch, in a new order each epoch."


def _check_factor(answer: Any) -> str:
    factor = as_number(answer, "factor")
    if np.isclose(factor, 2):
        raise NotYet("doubling the batch shrinks the noise by √2, not by 2. Look at the printed spreads again.")
    expect_close(factor, 4, "factor", rtol=0.05)
    return "The noise shrinks like 1/√(batch size): four times the batch, half the noise."


q1 = Exercise(
    "Updates per epoch",
    _check_updates,
    "An epoch sees every example once; count the batches, including a last, smaller one.",
    "def updates_per_epoch(n, batch_size):\n    return -(-n // batch_size)  # division rounded up",
)
q2 = Exercise(
    "Shuffle, then slice",
    _check_batches,
    "np.random.default_rng(seed).permutation(n) shuffles 0..n-1; then take slices of batch_size.",
    "def make_batches(n, batch_size, seed):\n    order = np.random.default_rng(seed).permutation(n)\n"
    "    return [order[start:start + batch_size] for start in range(0, n, batch_size)]",
)
q3 = Exercise(
    "Halving the noise",
    _check_factor,
    "The spread shrinks like 1/√(batch size): for the spread to be 1/2 as large, √(batch size) must double.",
    "# the spread falls by √10 ≈ 3.2 for every tenfold batch, so like 1/√(batch size):\nfactor = 4",
)
