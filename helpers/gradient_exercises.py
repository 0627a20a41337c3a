"""Checked exercises for notebook 03, Gradient descent."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import quadratic
from helpers.exercises import Exercise, NotYet, as_array, as_number, call, expect_close

LOSS_TARGET = 0.01


def quadratic_gradient(x: np.ndarray, y: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """The reference gradient of the quadratic neuron's MSE with respect to (a, b, c)."""
    error = a * x**2 + b * x + c - y
    return np.array([np.mean(2 * error * x**2), np.mean(2 * error * x), np.mean(2 * error)])


def epochs_to_reach(target: float, lr: float = 0.1, epochs: int = 50) -> int | None:
    """The first epoch at which the brief's quadratic training has a loss below `target`."""
    x, y = quadratic()
    params = np.array([15.0, -2.0, 10.0])
    for epoch in range(epochs + 1):
        a, b, c = params
        if np.mean((a * x**2 + b * x + c - y) ** 2) < target:
            return epoch
        params = params - lr * quadratic_gradient(x, y, *params)
    return None


def _check_line_gradient(line_gradient: Any) -> str:
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=20), rng.normal(size=20)
    for a, b in [(1.0, -2.0), (0.5, 3.0)]:
        got = as_array(call(line_gradient, x, y, a, b, what="line_gradient(x, y, a, b)"),
                       "line_gradient(x, y, a, b)", shape=(2,))
        error = a * x + b - y
        want = np.array([np.mean(2 * error * x), np.mean(2 * error)])
        if np.allclose(got, want / 2):
            raise NotYet("line_gradient is half the right size: the square brings down a factor 2.")
        if np.allclose(got, -want):
            raise NotYet("line_gradient points the wrong way: use the error ŷ − y, prediction minus target.")
        if np.allclose(got, want * len(x)):
            raise NotYet("line_gradient adds over the examples; the loss is a mean, so take the mean.")
        for name, g, w in zip("ab", got, want, strict=True):
            expect_close(g, w, f"the derivative with respect to {name}")
    return "Both derivatives match: the same pattern as the quadratic's, with x and 1 multiplying a and b."


def _check_slope(slope: Any) -> str:
    got = as_number(call(slope, lambda t: t**3, 2.0, 1e-3, what="slope(f, t, h)"), "slope(f, t, h)")
    if abs(got - 12.006001) < 1e-6 or abs(got - 11.994001) < 1e-6:
        raise NotYet("slope(f, t, h) looks one-sided; step both ways, f(t + h) − f(t − h), and divide by 2h.")
    expect_close(got, 12.0, "slope(f, t, h) for f(t) = t³ at t = 2", rtol=1e-5)
    other = as_number(call(slope, np.sin, 1.0, 1e-5, what="slope(f, t, h)"), "slope(np.sin, 1.0, 1e-5)")
    expect_close(other, np.cos(1.0), "slope(np.sin, 1.0, 1e-5)", rtol=1e-6)
    return "A central difference: accurate to about h²."


def _check_step(step: Any) -> str:
    params, grads = np.array([1.0, -2.0, 3.0]), np.array([0.5, -1.0, 0.0])
    got = as_array(call(step, params.copy(), grads, 0.1, what="step(params, grads, lr)"),
                   "step(params, grads, lr)", shape=(3,))
    if np.allclose(got, params + 0.1 * grads):
        raise NotYet("step(params, grads, lr) goes uphill: the gradient points up, so subtract it.")
    expect_close(got, params - 0.1 * grads, "step(params, grads, lr)")
    return "New parameters = old − learning rate × gradient."


def _check_epochs(answer: Any) -> str:
    epochs = as_number(answer, "epochs_needed")
    right = epochs_to_reach(LOSS_TARGET)
    if epochs != right:
        direction = "too many" if right is not None and epochs > right else "too few"
        raise NotYet(f"{epochs:g} is {direction}: find the first epoch whose loss is below {LOSS_TARGET}.")
    return f"From epoch {right} on, the loss stays below {LOSS_TARGET}."


q1 = Exercise(
    "The line's gradient",
    _check_line_gradient,
    "Compute error = a·x + b − y once; as in section 4, each derivative is mean(2 · error · (what multiplies"
    " that parameter in the model)).",
    "def line_gradient(x, y, a, b):\n    error = a * x + b - y\n"
    "    return np.array([np.mean(2 * error * x), np.mean(2 * error)])",
)
q2 = Exercise(
    "A slope by finite differences",
    _check_slope,
    "Look a little to each side: (f(t + h) − f(t − h)) / (2h).",
    "def slope(f, t, h):\n    return (f(t + h) - f(t - h)) / (2 * h)",
)
q3 = Exercise(
    "One gradient step",
    _check_step,
    "Move against the gradient, by the learning rate times its size.",
    "def step(params, grads, lr):\n    return params - lr * grads",
)
q4 = Exercise(
    "How many epochs?",
    _check_epochs,
    "`losses` from section 4 holds the loss at every epoch (losses[0] is before training); find the first"
    " index below 0.01, for example with a loop or np.argmax(np.array(losses) < 0.01).",
    "epochs_needed = int(np.argmax(np.array(losses) < 0.01))",
)
