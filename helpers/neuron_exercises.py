"""Checked exercises for notebook 01, The neuron."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import load_vending_machine
from helpers.exercises import Exercise, NotYet, as_array, as_pair, call, expect_close

MSE_TARGET = 8.0


def _check_leaky_relu(leaky_relu: Any) -> str:
    z = np.linspace(-5.0, 5.0, 21)
    got = as_array(call(leaky_relu, z, what="leaky_relu(z)"), "leaky_relu(z) for an array z", shape=z.shape)
    positive = z > 0
    expect_close(got[positive], z[positive], "leaky_relu(z) for positive z")
    expect_close(got[~positive], 0.1 * z[~positive], "leaky_relu(z) for negative z")
    return "Positive inputs pass unchanged; negative ones keep a small slope of 0.1."


def _check_celsius_neuron(answer: Any) -> str:
    w, b = as_pair(answer, "(w, b)")
    # 1% on each parameter accepts rounded decimals such as (0.56, -17.8) and refuses (0.5, -17.78).
    if not np.allclose([w, b], [1 / 1.8, -32 / 1.8], rtol=0.01, atol=0):
        raise NotYet(
            "(w, b) does not turn Fahrenheit into Celsius yet: 212 °F should give 100 °C and 32 °F should give 0 °C."
        )
    return "w = 1/1.8 and b = -32/1.8 undo the first neuron."


def _check_good_fit(answer: Any) -> str:
    w, b = as_pair(answer, "(w, b)")
    data = load_vending_machine()
    mse = float(np.mean((data.bottles_sold - (w * data.visitors + b)) ** 2))
    if mse >= MSE_TARGET:
        raise NotYet(f"with these (w, b) the mean squared error is {mse:.1f}; get it below {MSE_TARGET:g}.")
    return f"Mean squared error {mse:.2f}, below {MSE_TARGET:g}."


def _check_layer_shapes(answer: Any) -> str:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise NotYet("give two shapes, (W_shape, B_shape), for example ((2, 5), (5,)).")
    shapes = []
    for name, shape in zip(("W_shape", "B_shape"), answer, strict=True):
        if shape is Ellipsis:
            raise NotYet(f"{name} is still `...`: replace it with a shape such as (2, 5).")
        if isinstance(shape, int):
            raise NotYet(f"{name} is the number {shape}, not a tuple: a one-element tuple needs a comma, ({shape},).")
        if not isinstance(shape, (tuple, list)) or not all(isinstance(n, int) for n in shape):
            raise NotYet(f"{name} should be a tuple of whole numbers such as (2, 5), but it is {shape!r}.")
        shapes.append(tuple(shape))
    w_shape, b_shape = shapes
    if w_shape != (4, 3):
        raise NotYet("W_shape is not right yet: W has one row per input and one column per output.")
    if b_shape not in {(3,), (1, 3)}:
        raise NotYet("B_shape is not right yet: a layer adds one bias per output.")
    return "X (n, 4) @ W (4, 3) gives (n, 3), and B adds one bias to each of the 3 outputs."


q1 = Exercise(
    "A leaky ReLU",
    _check_leaky_relu,
    "`np.where(condition, a, b)` picks from a where the condition holds and from b elsewhere.",
    "def leaky_relu(z):\n    return np.where(z > 0, z, 0.1 * z)",
)
q2 = Exercise(
    "A neuron for Fahrenheit to Celsius",
    _check_celsius_neuron,
    "Start from F = 1.8·C + 32 and solve for C: it is again w·F + b.",
    "# C = (F − 32) / 1.8 = (1/1.8)·F − 32/1.8, so\nanswer = (1 / 1.8, -32 / 1.8)",
)
q3 = Exercise(
    "Fit the vending machine by hand",
    _check_good_fit,
    f"Move the sliders until the mean squared error is below {MSE_TARGET:g}: lower w and raise b together,"
    " so the line tilts down while it is lifted into the middle of the points.",
    "# any (w, b) with a small enough error works, for example\nanswer = (0.12, 9.0)",
)
q4 = Exercise(
    "Shapes of a layer",
    _check_layer_shapes,
    "In Y = f(XW + B), X has one row per example and one column per input.",
    "W_shape = (4, 3)   # one row per input, one column per output\nB_shape = (3,)     # one bias per output",
)
