"""Checked exercises for notebook 05, Multi-layer networks."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.exercises import Exercise, NotYet, as_array, as_number, call, expect_close


def collapse(W1: np.ndarray, B1: np.ndarray, W2: np.ndarray, B2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The single linear layer equal to two stacked ones: X W1 + B1 then @ W2 + B2 is X (W1 W2) + (B1 W2 + B2)."""
    return W1 @ W2, B1 @ W2 + B2


def relu_backward(dH: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """The gradient through a ReLU: it passes where the input was positive and stops elsewhere."""
    return dH * (Z > 0)


def count_parameters(sizes: list[int]) -> int:
    """Weights and biases of a multi-layer perceptron with these layer sizes."""
    return int(sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)))


def _check_collapse(function: Any) -> str:
    rng = np.random.default_rng(5)
    W1, B1, W2, B2 = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 2)), rng.normal(size=2)
    result = call(function, W1, B1, W2, B2, what="collapse(W1, B1, W2, B2)")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise NotYet("collapse should return two things, (W, B), as a tuple.")
    want_w, want_b = collapse(W1, B1, W2, B2)
    W = as_array(result[0], "the W you returned")
    B = as_array(result[1], "the B you returned")
    if W.shape == (2, 3) and np.allclose(W, want_w.T):
        raise NotYet("W is transposed: with rows as examples, X @ W1 comes first, so multiply W1 @ W2.")
    if W.shape != (3, 2):
        raise NotYet(f"the W you returned should have shape (3, 2), one row per input, but it has shape {W.shape}.")
    if B.shape not in {(2,), (1, 2)}:
        raise NotYet(f"the B you returned should have one bias per output, shape (2,), but it has shape {B.shape}.")
    expect_close(W, want_w, "W")
    if np.allclose(B.ravel(), B1 @ W2):
        raise NotYet("B is missing B2: the second layer adds its own bias after multiplying by W2.")
    expect_close(B.ravel(), want_b, "B")
    return "Two linear layers are one linear layer: W = W1 W2 and B = B1 W2 + B2."


def _check_relu_backward(function: Any) -> str:
    rng = np.random.default_rng(6)
    dH, Z = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    got = as_array(call(function, dH, Z, what="relu_backward(dH, Z)"), "relu_backward(dH, Z)", shape=(5, 3))
    if np.allclose(got, Z > 0):
        raise NotYet("relu_backward returns where Z > 0, but it should multiply the incoming gradient dH by that.")
    if np.allclose(got, np.maximum(dH, 0)):
        raise NotYet("relu_backward applies ReLU to dH; the gate is decided by the forward input Z, not by dH.")
    expect_close(got, relu_backward(dH, Z), "relu_backward(dH, Z)")
    return "The gradient flows only through the units that were active (Z > 0) on the way forward."


def _check_count(function: Any) -> str:
    for sizes in ([2, 8, 1], [64, 32, 10], [3, 5, 5, 2]):
        got = as_number(call(function, sizes, what=f"count_parameters({sizes})"), f"count_parameters({sizes})")
        weights_only = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
        if len(sizes) == 3 and got == weights_only:
            raise NotYet(f"count_parameters({sizes}) counts the weights but not the biases (one per output).")
        if len(sizes) > 3 and got != count_parameters(sizes):
            raise NotYet(f"count_parameters({sizes}) is not right yet: does it handle any number of layers?")
        expect_close(got, count_parameters(sizes), f"count_parameters({sizes})", rtol=0, atol=0)
    return "Each layer has n_in × n_out weights plus n_out biases."


q1 = Exercise(
    "Collapse two linear layers",
    _check_collapse,
    "Expand (X W1 + B1) W2 + B2 and group what multiplies X and what does not.",
    "def collapse(W1, B1, W2, B2):\n    return W1 @ W2, B1 @ W2 + B2",
)
q2 = Exercise(
    "The gradient through a ReLU",
    _check_relu_backward,
    "ReLU's slope is 1 where its input was positive and 0 elsewhere; the chain rule multiplies by it.",
    "def relu_backward(dH, Z):\n    return dH * (Z > 0)",
)
q3 = Exercise(
    "Count the parameters",
    _check_count,
    "Loop over neighbouring pairs of sizes, zip(sizes[:-1], sizes[1:]): each pair is one Linear layer.",
    "def count_parameters(sizes):\n"
    "    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))",
)
