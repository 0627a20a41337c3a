"""Checked exercises for notebook 05, Multi-layer networks."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

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


# q1: the tiny network of the exercise, one example: x -> z1 = w1 x + b1 -> h = ReLU(z1) -> z2 = w2 h + b2 -> p
TINY = {"x": 2.0, "y": 1.0, "w1": 0.5, "b1": -0.5, "w2": -1.5, "b2": 0.5}


def tiny_gradient() -> float:
    """dL/dw1 of the exercise's tiny network, by autograd (binary cross-entropy on one example)."""
    w1 = torch.tensor(TINY["w1"], dtype=torch.float64, requires_grad=True)
    z2 = TINY["w2"] * torch.relu(w1 * TINY["x"] + TINY["b1"]) + TINY["b2"]
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z2, torch.tensor(TINY["y"], dtype=torch.float64))
    loss.backward()
    return float(w1.grad)


def _check_tiny_gradient(answer: Any) -> str:
    got = as_number(answer, "my_gradient")
    want = tiny_gradient()
    x, w2 = TINY["x"], TINY["w2"]
    p = 1 / (1 + np.exp(-(w2 * max(0.0, TINY["w1"] * x + TINY["b1"]) + TINY["b2"])))
    dz2 = p - TINY["y"]
    if np.isclose(got, -want, rtol=0.03):
        raise NotYet("the size is right but the sign is not: is dL/dz2 = p − y or y − p? Here p < y.")
    if np.isclose(got, dz2 * w2, rtol=0.03):
        raise NotYet("that is dL/dz1; one step is missing: z1 = w1·x + b1, so multiply by dz1/dw1 = x.")
    if np.isclose(got, dz2 * x, rtol=0.03):
        raise NotYet("the factor w2 is missing: the gradient reaches h through z2 = w2·h + b2.")
    if np.isclose(got, dz2 * max(0.0, TINY["w1"] * x + TINY["b1"]), rtol=0.03):
        raise NotYet("that is dL/dw2 (the gradient of the second weight); the question asks for w1.")
    if not np.isclose(got, want, rtol=0.03, atol=0.01):
        raise NotYet("not yet. Work forward first (z1, h, z2, p), then multiply the local derivatives backwards.")
    return (f"autograd says dL/dw1 = {want:.3f}: (p − y)·w2·ReLU'(z1)·x, the chain of local derivatives."
            " Raising w1 would raise the loss, so gradient descent lowers it.")


# q2: backward for any number of layers
def forward(X: np.ndarray, Ws: list[np.ndarray], Bs: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Hs[l] is the input of layer l (Hs[0] = X), Zs[l] = Hs[l] @ Ws[l] + Bs[l]; ReLU between layers."""
    Hs, Zs = [X], []
    for layer, (W, B) in enumerate(zip(Ws, Bs, strict=True)):
        Zs.append(Hs[-1] @ W + B)
        if layer < len(Ws) - 1:
            Hs.append(np.maximum(0, Zs[-1]))
    return Hs, Zs


def backward(Hs: list, Zs: list, Ws: list, dZ: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The gradients of every layer's weights and biases, given dZ = dL/dZ of the last layer."""
    dWs, dBs = [None] * len(Ws), [None] * len(Ws)
    for layer in reversed(range(len(Ws))):
        dWs[layer] = Hs[layer].T @ dZ
        dBs[layer] = dZ.sum(axis=0)
        if layer > 0:
            dZ = (dZ @ Ws[layer].T) * (Zs[layer - 1] > 0)
    return dWs, dBs


def _autograd(X: np.ndarray, Ws: list, Bs: list, dZ: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    weights = [torch.tensor(W, requires_grad=True) for W in Ws]
    biases = [torch.tensor(B, requires_grad=True) for B in Bs]
    out = torch.tensor(X)
    for layer, (W, B) in enumerate(zip(weights, biases, strict=True)):
        out = out @ W + B
        if layer < len(weights) - 1:
            out = torch.relu(out)
    (out * torch.tensor(dZ)).sum().backward()  # a loss whose gradient with respect to the last Z is dZ
    return [W.grad.numpy() for W in weights], [B.grad.numpy() for B in biases]


def _check_backward(function: Any) -> str:
    rng = np.random.default_rng(11)
    for sizes, n in (([3, 5, 1], 7), ([2, 4, 3, 1], 6), ([4, 6, 5, 3, 2], 5)):
        Ws = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        Bs = [rng.normal(size=b) for b in sizes[1:]]
        X, dZ = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
        Hs, Zs = forward(X, Ws, Bs)
        what = f"backward(...) for layer sizes {sizes}"
        result = call(function, [h.copy() for h in Hs], [z.copy() for z in Zs], [w.copy() for w in Ws], dZ.copy(),
                      what=what)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise NotYet(f"{what} should return two lists, (dWs, dBs).")
        dWs, dBs = result
        if not isinstance(dWs, (list, tuple)) or not isinstance(dBs, (list, tuple)):
            raise NotYet(f"{what} should return two lists, (dWs, dBs), one entry per layer.")
        if len(dWs) != len(Ws) or len(dBs) != len(Ws):
            raise NotYet(f"{what} returned {len(dWs)} weight and {len(dBs)} bias gradients for {len(Ws)} layers.")
        want_w, want_b = _autograd(X, Ws, Bs, dZ)
        got_w = [as_array(g, f"dWs[{i}] for sizes {sizes}") for i, g in enumerate(dWs)]
        got_b = [as_array(g, f"dBs[{i}] for sizes {sizes}").ravel() for i, g in enumerate(dBs)]
        shapes, want_shapes = [g.shape for g in got_w], [w.shape for w in want_w]
        if shapes != want_shapes and shapes == want_shapes[::-1]:
            raise NotYet(f"{what}: the lists are in reverse order; dWs[0] belongs to the first layer.")
        for i, (g, w) in enumerate(zip(got_w, want_w, strict=True)):
            if g.shape != w.shape:
                raise NotYet(f"{what}: dWs[{i}] has shape {g.shape}, but Ws[{i}] has shape {w.shape}."
                             " A gradient has the shape of what it belongs to.")
        ungated = backward_without_gate(Hs, Zs, Ws, dZ)
        if all(np.allclose(g, u) for g, u in zip(got_w, ungated, strict=True)):
            raise NotYet(f"{what}: the gradient passes every ReLU; it should stop where the unit was off (Z <= 0).")
        for i, (g, w) in enumerate(zip(got_w, want_w, strict=True)):
            expect_close(g, w, f"{what}: dWs[{i}]")
        for i, (g, b) in enumerate(zip(got_b, want_b, strict=True)):
            if g.shape != b.shape:
                raise NotYet(f"{what}: dBs[{i}] should have one number per unit, shape {b.shape}: sum dZ over rows.")
            expect_close(g, b, f"{what}: dBs[{i}]")
    return ("your backward equals autograd on networks of 2, 3 and 4 layers: the same three lines per layer,"
            " run from the last layer to the first.")


def backward_without_gate(Hs: list, Zs: list, Ws: list, dZ: np.ndarray) -> list[np.ndarray]:
    """A common mistake: the weight gradients when the ReLU's gate is forgotten."""
    dWs = [None] * len(Ws)
    for layer in reversed(range(len(Ws))):
        dWs[layer] = Hs[layer].T @ dZ
        dZ = dZ @ Ws[layer].T
    return dWs


# q3: a choice with a reason
DEEP_LINEAR_FEEDBACK = {
    "a": "ten layers do have many parameters, but without an activation they multiply into one matrix"
         " W = W1 W2 … W10 of shape (2, 1): one neuron, so one straight boundary.",
    "b": "",
    "c": "a linear model does learn, and on data that a line can separate it reaches 100%. Here it is limited"
         " to what the best line can do, which is better than guessing.",
    "d": "the widths only change the shapes in between: the product W1 W2 … W10 is still one (2, 1) matrix,"
         " one straight boundary.",
}


def _check_deep_linear(answer: Any) -> str:
    if answer is Ellipsis or answer is None:
        raise NotYet("answer is still `...`: write one letter, for example \"a\".")
    if not isinstance(answer, str) or answer.strip().lower().strip("()") not in DEEP_LINEAR_FEEDBACK:
        raise NotYet(f"answer should be one of the letters \"a\", \"b\", \"c\" or \"d\", not {answer!r}.")
    letter = answer.strip().lower().strip("()")
    if letter != "b":
        raise NotYet(f"({letter}) is not it: {DEEP_LINEAR_FEEDBACK[letter]}")
    return ("(b): the ten layers collapse to one linear layer, whose boundary is one line; no line does better"
            " than the best line we searched for, so the depth buys nothing without an activation.")


# q4: a design question
def _check_xor_units(answer: Any) -> str:
    got = as_number(answer, "min_units")
    if got != int(got) or got < 0:
        raise NotYet("min_units should be a whole number of hidden units, such as 3.")
    if got <= 1:
        raise NotYet("with one hidden unit the output is a monotone function of one line's value w·x + b,"
                     " so its boundary is still one straight line, and no line separates XOR.")
    if got > 2:
        raise NotYet(f"{int(got)} units can do it, but fewer can too. Can two parallel lines put the class-0"
                     " diagonal in a band between them, with the class-1 corners outside?")
    return ("two units are enough: h1 = ReLU(x1 − x2) and h2 = ReLU(x2 − x1) add up to |x1 − x2|, which is"
            " about 2 at the class-1 corners and about 0 at the class-0 ones; the boundary is two parallel lines,"
            " with the class-0 diagonal in the band between them. Gradient descent from a random start finds this"
            " only on some seeds, which is why wider layers are used in practice.")


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
    "Predict one gradient",
    _check_tiny_gradient,
    ("Draw the graph x → z1 → h → z2 → p → L as in section 8 and compute the forward values first.",
     "dL/dz2 = p − y; then multiply by dz2/dh = w2, by dh/dz1 (1 if z1 > 0, else 0) and by dz1/dw1 = x."),
    "z1_q = 0.5 * 2.0 - 0.5                              # w1 x + b1 = 0.5 > 0: the ReLU passes the gradient\n"
    "p_q = 1 / (1 + np.exp(-(-1.5 * max(0.0, z1_q) + 0.5)))  # p = sigma(w2 h + b2)\n"
    "my_gradient = (p_q - 1.0) * (-1.5) * 1.0 * 2.0          # (p - y) * w2 * ReLU'(z1) * x",
)
q2 = Exercise(
    "Backpropagation through any number of layers",
    _check_backward,
    ("Go through the layers from the last to the first: for layer l you know dZ, the gradient of its output.",
     "For layer l: dWs[l] = Hs[l].T @ dZ and dBs[l] = dZ.sum(axis=0); then, unless l is 0, pass dZ back:"
     " dZ = (dZ @ Ws[l].T) * (Zs[l - 1] > 0)."),
    "def backward(Hs, Zs, Ws, dZ):\n"
    "    dWs, dBs = [None] * len(Ws), [None] * len(Ws)\n"
    "    for layer in reversed(range(len(Ws))):\n"
    "        dWs[layer] = Hs[layer].T @ dZ\n"
    "        dBs[layer] = dZ.sum(axis=0)\n"
    "        if layer > 0:\n"
    "            dZ = (dZ @ Ws[layer].T) * (Zs[layer - 1] > 0)\n"
    "    return dWs, dBs",
)
q3 = Exercise(
    "Ten linear layers on the ring",
    _check_deep_linear,
    ("Multiply out two linear layers, as in section 2, then ten.",
     "Ten linear layers are one linear layer W = W1 W2 … W10, and one linear layer with one output is one neuron:"
     " what is the best a single neuron can do on the ring (section 4)?"),
    'answer = "b"',
)
q4 = Exercise(
    "The fewest units for XOR",
    _check_xor_units,
    ("Each hidden ReLU unit contributes one straight crease; the output adds them up. Sketch XOR's four corners.",
     "Class 1 sits on the diagonal from top left to bottom right, between the two class-0 corners. Which unit"
     " values are large on that diagonal and small on the other one? Try ReLU(x1 − x2) and ReLU(x2 − x1)."),
    "min_units = 2",
)
q5 = Exercise(
    "Count the parameters",
    _check_count,
    ("Each neighbouring pair of sizes is one Linear layer: how many weights and biases does nn.Linear(a, b) have?",
     "Loop over neighbouring pairs of sizes, zip(sizes[:-1], sizes[1:]), and add n_in * n_out + n_out for each."),
    "def count_parameters(sizes):\n"
    "    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))",
)
