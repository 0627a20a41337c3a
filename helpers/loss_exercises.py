"""Checked exercises for notebook 02, Loss surfaces."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import noisy_line
from helpers.exercises import Exercise, NotYet, as_number, as_pair, call, expect_close

X, Y = noisy_line()
DIAGONAL = np.linspace(0, 12, 1201)
BEST_DIAGONAL = float(DIAGONAL[np.argmin([np.mean((d * X + d - Y) ** 2) for d in DIAGONAL])])
LOWEST_LOSS = float(np.mean((np.polyval(np.polyfit(X, Y, 1), X) - Y) ** 2))
MINIMUM_MARGIN = 0.05


def _check_mse(mse: Any) -> str:
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.normal(size=7), rng.normal(size=7)
    got = as_number(call(mse, y_true, y_pred, what="mse(y_true, y_pred)"), "mse(y_true, y_pred)")
    if np.isclose(got, np.mean(np.abs(y_pred - y_true))):
        raise NotYet("mse(y_true, y_pred) averages the absolute errors; square them instead.")
    if np.isclose(got, np.sum((y_pred - y_true) ** 2)):
        raise NotYet("mse(y_true, y_pred) adds the squared errors up; take their mean instead.")
    expect_close(got, np.mean((y_pred - y_true) ** 2), "mse(y_true, y_pred)")
    same = as_number(call(mse, y_true, y_true, what="mse(y, y)"), "mse(y, y)")
    expect_close(same, 0.0, "mse(y, y) (a perfect prediction)")
    return "Errors squared, then averaged: zero only for a perfect prediction."


def _check_diagonal(answer: Any) -> str:
    d = as_number(answer, "best_d")
    if abs(d - BEST_DIAGONAL) > 0.005:
        loss = float(np.mean((d * X + d - Y) ** 2))
        raise NotYet(f"at a = b = {d:g} the loss is {loss:.3g}; somewhere else on the diagonal it is lower.")
    return "That is the lowest point of the diagonal, to two decimals."


def _check_minimum(answer: Any) -> str:
    a, b = as_pair(answer, "(a, b)")
    loss = float(np.mean((a * X + b - Y) ** 2))
    if loss > LOWEST_LOSS + MINIMUM_MARGIN:
        raise NotYet(
            f"the loss at ({a:g}, {b:g}) is {loss:.3f}; aim for a loss no more than {MINIMUM_MARGIN} above the "
            "smallest loss on the map. Follow the valley towards the darkest colour."
        )
    return f"Loss {loss:.3f}, within {MINIMUM_MARGIN} of the lowest possible."


q1 = Exercise(
    "Write the mean squared error",
    _check_mse,
    "Subtract, square, then average: `np.mean` averages a whole array.",
    "def mse(y_true, y_pred):\n    return np.mean((y_pred - y_true) ** 2)",
)
q2 = Exercise(
    "The lowest point of the diagonal",
    _check_diagonal,
    "Compute the loss for every d in np.linspace(0, 12, 1201) with a = b = d; `np.argmin` finds the position"
    " of the smallest.",
    "ds = np.linspace(0, 12, 1201)\nlosses = [loss(d, d) for d in ds]\nmy_best_d = ds[np.argmin(losses)]",
)
q3 = Exercise(
    "Find the bottom of the valley",
    _check_minimum,
    "Use the sliders in section 3: move along the long valley of the map, watching the error in the line under"
    " the figure (it has two decimals), until it stops falling."
    " Or ask NumPy: np.polyfit(x, y, 1) returns the best (a, b) of a line.",
    "a_best, b_best = np.polyfit(x, y, 1)\nanswer = (a_best, b_best)",
)
