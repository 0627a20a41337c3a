"""Checked exercises for notebook 07, Overfitting."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import wavy
from helpers.exercises import Exercise, NotYet, as_array, as_number, call, expect_close

X, Y = wavy(n=300, noise=0.2, seed=0)
TRAIN, VALIDATION = slice(0, 15), slice(200, 250)


def validation_errors(max_degree: int = 14) -> np.ndarray:
    """Validation error of polynomials of every degree fitted to the notebook's 15 training points."""
    errors = []
    for degree in range(max_degree + 1):
        fit = np.polynomial.Polynomial.fit(X[TRAIN], Y[TRAIN], degree)
        errors.append(np.mean((fit(X[VALIDATION]) - Y[VALIDATION]) ** 2))
    return np.array(errors)


def _check_split(function: Any) -> str:
    result = call(function, 100, 0, what="split(100, seed=0)")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise NotYet("split should return three index arrays: (train, validation, test).")
    names = ("train", "validation", "test")
    train, val, test = (as_array(part, name).astype(int).ravel() for part, name in zip(result, names, strict=True))
    if (len(train), len(val), len(test)) != (60, 20, 20):
        raise NotYet(f"the parts should hold 60, 20 and 20 examples, not {len(train)}, {len(val)} and {len(test)}.")
    together = np.concatenate([train, val, test])
    if sorted(together) != list(range(100)):
        raise NotYet("every example should land in exactly one part: the parts must not overlap or miss any.")
    if list(together) == list(range(100)):
        raise NotYet("the split keeps the original order; shuffle first, in case the data are sorted.")
    return "Shuffled, then cut 60 / 20 / 20, with no example in two parts."


def _check_degree(answer: Any) -> str:
    degree = as_number(answer, "best_degree")
    errors = validation_errors()
    if degree == int(np.argmin(errors)):
        return "That degree has the lowest validation error; the test set can now judge it, once."
    if 0 <= degree < len(errors) and degree == int(degree):
        raise NotYet(f"degree {degree:g} has validation error {errors[int(degree)]:.3f}; another degree has less.")
    raise NotYet(f"best_degree should be a whole number from 0 to {len(errors) - 1}, not {degree:g}.")


def _check_best_epoch(function: Any) -> str:
    losses = [0.9, 0.5, 0.3, 0.25, 0.27, 0.26, 0.4]
    got = as_number(call(function, losses, what="best_epoch(val_losses)"), "best_epoch(val_losses)")
    if got == 3:
        raise NotYet("best_epoch counts from 0; epochs count from 1 (val_losses[0] is after epoch 1).")
    expect_close(got, 4, "best_epoch([0.9, 0.5, 0.3, 0.25, 0.27, 0.26, 0.4])", rtol=0, atol=0)
    return "Stop where the validation loss was lowest; the later epochs only memorise."


q1 = Exercise(
    "Train, validation, test",
    _check_split,
    "Shuffle the indices with np.random.default_rng(seed).permutation(n), then cut at 60% and 80%.",
    "def split(n, seed):\n    order = np.random.default_rng(seed).permutation(n)\n"
    "    return order[: int(0.6 * n)], order[int(0.6 * n) : int(0.8 * n)], order[int(0.8 * n) :]",
)
q2 = Exercise(
    "Choose the capacity",
    _check_degree,
    "`val_errors` from section 2 holds the validation error of every degree; np.argmin finds the smallest.",
    "best_degree = int(np.argmin(val_errors))",
)
q3 = Exercise(
    "Early stopping",
    _check_best_epoch,
    "np.argmin gives the position of the smallest loss, counting from 0; epochs count from 1.",
    "def best_epoch(val_losses):\n    return int(np.argmin(val_losses)) + 1",
)
