"""Checked exercises for notebook 07, Overfitting."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import wavy
from helpers.exercises import Exercise, NotYet, as_array, as_number, call, expect_close

X, Y = wavy(n=300, noise=0.2, seed=0)
NOISE_FLOOR = 0.2**2  # the data's noise variance: the error of the true wave itself, on average


def interpolation_error() -> float:
    """Training error of a degree-11 polynomial on the first 12 points of the pool (12 coefficients, 12 points)."""
    fit = np.polynomial.Polynomial.fit(X[:12], Y[:12], 11)
    return float(np.mean((fit(X[:12]) - Y[:12]) ** 2))


def _check_split(function: Any) -> str:
    seen: list[list[int]] = []
    for n, seed in ((100, 0), (50, 3), (100, 1)):
        result = call(function, n, seed, what=f"split({n}, seed={seed})")
        if not isinstance(result, (tuple, list)) or len(result) != 3:
            raise NotYet("split should return three index arrays: (train, validation, test).")
        names = ("train", "validation", "test")
        parts = [as_array(part, name).astype(int).ravel() for part, name in zip(result, names, strict=True)]
        sizes, want = tuple(len(part) for part in parts), (int(0.6 * n), int(0.2 * n), n - int(0.8 * n))
        if sizes != want:
            raise NotYet(f"split({n}, ...) should give parts of {want[0]}, {want[1]} and {want[2]}, not "
                         f"{sizes[0]}, {sizes[1]} and {sizes[2]}.")
        together = np.concatenate(parts)
        if sorted(together) != list(range(n)):
            raise NotYet("every example should land in exactly one part: the parts must not overlap or miss any.")
        if list(together) == list(range(n)):
            raise NotYet("the split keeps the original order; shuffle first, in case the data are sorted.")
        seen.append(list(together))
    if seen[0] == seen[2]:
        raise NotYet("split(100, seed=0) and split(100, seed=1) give the same order: use `seed` for the shuffle.")
    return "Shuffled (differently for each seed), then cut 60 / 20 / 20, with no example in two parts."


def _check_prediction(answer: Any) -> str:
    guess = as_number(answer, "predicted_error")
    if guess < 0:
        raise NotYet("a mean of squares cannot be negative.")
    if guess <= NOISE_FLOOR / 10:
        return ("Degree 11 has 12 coefficients, enough to pass through all 12 points, so its training error is "
                "zero (up to rounding): far below the noise floor, because it has learned every point's noise.")
    if guess < NOISE_FLOOR * 0.75:
        raise NotYet("below the floor is right, but how far? Count the polynomial's coefficients and the points.")
    if guess <= NOISE_FLOOR * 1.5:
        raise NotYet("near the noise floor is where the true wave itself lands. But the polynomial is not "
                     "trying to be the wave: it minimises the error on these 12 points. How many can it hit exactly?")
    raise NotYet("above the floor? More capacity never makes the training error worse: least squares could "
                 "always set the extra coefficients to zero. Count the coefficients and the points.")


REMEDY_FEEDBACK = {
    "a": "Not (a): once the validation loss has turned up it keeps rising; more epochs fit more of the noise.",
    "b": "Not (b): a bigger network has more capacity, which makes learning the points by heart easier still.",
    "c": ("Early stopping costs nothing: it needs only the validation losses you already recorded, and keeps "
          "the weights from where the validation loss was lowest."),
    "d": ("Not (d): a smaller learning rate slows training and memorising alike; the validation loss turns up "
          "later, not never."),
}


def _check_remedy(answer: Any) -> str:
    if answer is Ellipsis or answer is None:
        raise NotYet("answer with one letter in quotes, such as \"a\".")
    choice = str(answer).strip().lower().strip("()")
    if choice not in REMEDY_FEEDBACK:
        raise NotYet(f"answer with one of the letters a, b, c or d, not {answer!r}.")
    if choice != "c":
        raise NotYet(REMEDY_FEEDBACK[choice])
    return REMEDY_FEEDBACK["c"] + " Then, if you can tune a setting, weight decay or dropout, chosen on validation."


def _check_decay_step(function: Any) -> str:
    rng = np.random.default_rng(7)
    for lr, decay in ((0.1, 0.5), (0.01, 3.0), (0.2, 0.0)):
        w, grad = rng.normal(size=4), rng.normal(size=4)
        what = f"decay_step(w, grad, lr={lr}, decay={decay})"
        got = as_array(call(function, w.copy(), grad.copy(), lr, decay, what=what), what, shape=w.shape)
        if decay and np.allclose(got, w - lr * grad):
            raise NotYet("that is a plain gradient step: the pull toward zero (decay × w) is missing.")
        if decay and np.allclose(got, w - lr * grad + lr * decay * w):
            raise NotYet("the weights move away from zero: the decay term should shrink w, so subtract it.")
        if decay and np.allclose(got, w - lr * grad - decay * w):
            raise NotYet("the pull toward zero is a step too, so it is scaled by the learning rate like the gradient.")
        expect_close(got, w - lr * (grad + decay * w), what)
    return "Each step shrinks every weight by the factor (1 − lr × decay) before the gradient moves it."


def test_standard_error() -> float:
    """The standard error of the degree-3 polynomial's test error in notebook 07 (50 test points)."""
    fit = np.polynomial.Polynomial.fit(X[:15], Y[:15], 3)
    squared = (fit(X[250:]) - Y[250:]) ** 2
    return float(squared.std(ddof=1) / np.sqrt(len(squared)))


def _check_test_size(answer: Any) -> str:
    n = as_number(answer, "n_test_needed")
    want = 50 * (test_standard_error() / 0.005) ** 2
    if 0.75 * want <= n <= 1.33 * want:
        return (f"About {want:.0f}: the standard error shrinks like 1/√n, so 2.6 times smaller needs about "
                "2.6² ≈ 7 times more points. Precision is expensive.")
    if 0.75 * np.sqrt(50 * want) <= n <= 1.33 * np.sqrt(50 * want):
        raise NotYet("that would be right if the standard error shrank like 1/n. It shrinks like 1/√n: "
                     "to divide it by k you need k² times the points.")
    if n < 50:
        raise NotYet("fewer points than now give a larger standard error, not a smaller one.")
    raise NotYet("the standard error is (spread of the squared errors) / √n; only n changes.")


q1 = Exercise(
    "Train, validation, test",
    _check_split,
    ("Shuffle the indices 0 … n − 1 with a generator seeded by `seed`, then cut the shuffled order in three.",
     "order = np.random.default_rng(seed).permutation(n); cut at int(0.6 * n) and int(0.8 * n)."),
    "def split(n, seed):\n    order = np.random.default_rng(seed).permutation(n)\n"
    "    return order[: int(0.6 * n)], order[int(0.6 * n) : int(0.8 * n)], order[int(0.8 * n) :]",
)
q2 = Exercise(
    "Predict: degree 11 on 12 points",
    _check_prediction,
    ("How many numbers (coefficients) does a degree-11 polynomial have, and how many points must it fit?",
     "With as many coefficients as points, least squares can pass the curve through every point: what is the "
     "error then? Compare it with the noise floor, `noise_floor`."),
    "predicted_error = 0.0  # 12 coefficients, 12 points: the curve hits every point",
)
q3 = Exercise(
    "Which remedy first?",
    _check_remedy,
    ("The validation loss turned up at some epoch and the training loss kept falling: what does that say the "
     "later epochs did?",
     "Which option needs no new data, no new setting and no new training run?"),
    'remedy = "c"  # early stopping: keep the weights from where the validation loss was lowest',
)
q4 = Exercise(
    "Weight decay, one step",
    _check_decay_step,
    ("Weight decay adds decay × w to the gradient: a pull toward zero, proportional to the weight.",
     "One step: w − lr × (grad + decay × w). NumPy arrays do this element by element."),
    "def decay_step(w, grad, lr, decay):\n    return w - lr * (grad + decay * w)",
)
q5 = Exercise(
    "Design: how big a test set?",
    _check_test_size,
    ("The standard error is the spread of the squared errors divided by √n. Which part changes with n?",
     "To make √n larger by a factor k = (standard error now) / 0.005, n must grow by k²: "
     "n = 50 × (standard error / 0.005)²."),
    "n_test_needed = 50 * (0.0128 / 0.005) ** 2  # about 330: the standard error shrinks like 1/sqrt(n)",
)
