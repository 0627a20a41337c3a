"""Checked exercises for notebook 05, Multi-layer networks."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import torch

from helpers.exercises import Exercise, NotYet, as_array, as_number, call, expect_close


def count_parameters(sizes: list[int]) -> int:
    """Weights and biases of a multi-layer perceptron with these layer sizes."""
    return int(sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)))


# q1: one input feeding three hidden ReLU units, one example: the gradient of x adds up over the paths
PATHS = {"x": 2.0, "y": 1.0, "a": (0.5, -0.25, 1.0), "c": (0.5, 1.0, -3.0), "v": (1.2, -2.0, 1.5), "d": -0.2}


def paths_gradient() -> float:
    """dL/dx of the exercise's network z_j = a_j x + c_j, h_j = ReLU(z_j), z = v·h + d, by autograd."""
    x = torch.tensor(PATHS["x"], dtype=torch.float64, requires_grad=True)
    a, c, v = (torch.tensor(PATHS[k], dtype=torch.float64) for k in "acv")
    logit = v @ torch.relu(a * x + c) + PATHS["d"]
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, torch.tensor(PATHS["y"], dtype=torch.float64))
    loss.backward()
    return float(x.grad)


def _path_terms() -> tuple[float, np.ndarray]:
    """dL/dz of the output and each unit's v_j·a_j, the two ingredients of every path's contribution."""
    a, c, v = (np.array(PATHS[k]) for k in "acv")
    z = a * PATHS["x"] + c
    p = 1 / (1 + np.exp(-(v @ np.maximum(0, z) + PATHS["d"])))
    return p - PATHS["y"], v * a


def _check_paths_gradient(answer: Any) -> str:
    got = as_number(answer, "my_gradient")
    want = paths_gradient()
    dz, through = _path_terms()
    close = lambda value: np.isclose(got, value, rtol=0.03, atol=0.003)  # noqa: E731
    if close(-want):
        raise NotYet("the size is right but the sign is not: dL/dz = p − y, and here p < y.")
    if close(dz * through[:2].sum() + dz * through[2]) or close(dz * through.sum()):
        raise NotYet("unit 3 is off for this example (z3 = a3·x + c3 < 0), so its ReLU passes no gradient:"
                     " its path adds 0.")
    if close(dz * through[0]) or close(dz * through[1]):
        raise NotYet("that is one path. x feeds all three units, so its gradient is the sum over the paths"
                     " x → z_j → h_j → z → L.")
    if close(dz):
        raise NotYet("that is dL/dz of the output; carry it back along each path: × v_j, × ReLU'(z_j), × a_j.")
    if not close(want):
        raise NotYet("work forward first (z1, z2, z3, h, z, p), then go back along each path and add.")
    return (f"autograd says dL/dx = {want:.3f}: the paths through units 1 and 2 add, and unit 3, which is off,"
            " adds 0 (a unit that is off passes no gradient, to x or to its own weights).")


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
        result = call(function, Hs, Zs, Ws, dZ, what=what)
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


# q3: predict, then run: ten linear layers trained on the ring
# The notebook's two data sets, drawn with seed 0 (fresh points: seed 1); the checks below draw the same ones.
RING_SIZE, RING_NOISE = 400, 0.1
XOR_SIZE, XOR_NOISE = 200, 0.25
DEEP_LINEAR = {"width": 32, "layers": 10, "seed": 0, "epochs": 200, "lr": 1.0}


def deep_linear_network() -> torch.nn.Sequential:
    """Ten Linear layers, 2 -> 32 -> ... -> 32 -> 1, no activation in between, seeded."""
    torch.manual_seed(DEEP_LINEAR["seed"])
    width, layers = DEEP_LINEAR["width"], DEEP_LINEAR["layers"]
    sizes = [2] + [width] * (layers - 1) + [1]
    return torch.nn.Sequential(*[torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)])


@functools.cache
def deep_linear_accuracy() -> float:
    """Training accuracy on the ring of the ten linear layers after full-batch gradient descent (as in the notebook)."""
    from helpers.data import ring

    X, y = ring(n=RING_SIZE, noise=RING_NOISE, seed=0)
    inputs = torch.tensor(X, dtype=torch.float32)
    targets = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)
    with torch.random.fork_rng():
        model = deep_linear_network()
    optimizer = torch.optim.SGD(model.parameters(), lr=DEEP_LINEAR["lr"])
    for _ in range(DEEP_LINEAR["epochs"]):
        optimizer.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(model(inputs), targets).backward()
        optimizer.step()
    with torch.no_grad():
        return float(((model(inputs) > 0).float() == targets).float().mean())


def _check_deep_linear(answer: Any) -> str:
    guess = as_number(answer, "my_prediction")
    if 1 < guess <= 100:
        raise NotYet(f"write the accuracy as a fraction between 0 and 1: {guess / 100:.2f} rather than {guess:g}.")
    if not 0 <= guess <= 1:
        raise NotYet("an accuracy lies between 0 and 1.")
    true = deep_linear_accuracy()
    if abs(guess - true) <= 0.05:
        return (f"it reaches {true:.1%}, as you predicted. Without activations the ten layers multiply into one"
                " linear layer with one output: a single neuron. Its cross-entropy is convex in that product, and"
                " on the ring its lowest point is the near-shrug of section 4 (p ≈ 0.5 everywhere), not the best"
                " line: gradient descent minimises the cross-entropy, not the accuracy. Depth buys nothing here.")
    if guess > 0.9:
        raise NotYet("the ten layers have thousands of parameters, but without an activation they multiply into"
                     " one matrix W1 W2 … W10 of shape (2, 1): one neuron, one straight boundary at best.")
    if guess > true + 0.05:
        raise NotYet("one straight boundary could get about three quarters right (section 4), but is that what"
                     " training a single neuron with cross-entropy found in section 4?")
    raise NotYet("lower than what the network reaches: a linear model does learn something; which single neuron"
                 " does it become, and what did that neuron reach in section 4?")


# q4: a construction: two ReLU units that solve XOR
def xor_network_accuracy(W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: float, X: np.ndarray,
                         y: np.ndarray) -> float:
    """The accuracy of ReLU(X W1 + b1) W2 + b2 > 0 as a yes/no classifier on (X, y)."""
    out = np.maximum(0, X @ W1 + b1) @ W2.reshape(-1) + b2
    return float(np.mean((out > 0) == (np.asarray(y) == 1)))


def _check_xor_network(answer: Any) -> str:
    from helpers.data import xor

    if answer is Ellipsis or not isinstance(answer, (tuple, list)) or len(answer) != 4:
        raise NotYet("pass the four parts together: q4.check((xor_W1, xor_b1, xor_W2, xor_b2)).")
    W1 = as_array(answer[0], "xor_W1")
    if W1.shape != (2, 2):
        raise NotYet(f"xor_W1 should have shape (2, 2), one row per input and one column per unit, not {W1.shape}.")
    b1 = as_array(answer[1], "xor_b1").reshape(-1)
    W2 = as_array(answer[2], "xor_W2").reshape(-1)
    for name, value in (("xor_b1", b1), ("xor_W2", W2)):
        if value.shape != (2,):
            raise NotYet(f"{name} should hold two numbers, one per hidden unit: shape (2,), such as"
                         f" np.array([0.0, 0.0]), not {value.size} number{'s' if value.size != 1 else ''}.")
    if b1.shape != (2,) or W2.shape != (2,):
        raise NotYet("xor_b1 and xor_W2 should hold two numbers each, one per hidden unit.")
    b2 = as_number(answer[3], "xor_b2")
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    wrong = [tuple(int(v) for v in corner) for corner, label in zip(corners, (0, 1, 1, 0), strict=True)
             if xor_network_accuracy(W1, b1, W2, b2, corner[None, :], np.array([label])) < 1]
    if wrong:
        raise NotYet(f"your network gets the corner{'s' if len(wrong) > 1 else ''} {', '.join(map(str, wrong))}"
                     " wrong (class 1 at (−1, 1) and (1, −1), class 0 at (1, 1) and (−1, −1)). Work out h1, h2 and"
                     " the output at each corner by hand.")
    X, y = xor(n=XOR_SIZE, noise=XOR_NOISE, seed=0)
    score = xor_network_accuracy(W1, b1, W2, b2, X, y)
    if score < 0.97:
        raise NotYet(f"the four clean corners are right, but on the noisy XOR data only {score:.0%} are: the"
                     " boundary passes too close to a corner. Put it halfway between the classes.")
    return (f"{score:.1%} of the XOR data right with two ReLU units: each unit is one straight crease, and the"
            " output adds the two ramps, so the boundary is made of straight pieces that bend where a unit switches"
            " on: enough to separate the two class-1 corners from the two class-0 corners, which no single line can."
            " One unit cannot do it: the output would be a monotone function of one line, a single straight boundary.")


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
    "Gradients add up along paths",
    _check_paths_gradient,
    ("Draw the graph: x has three arrows out, one into each z_j = a_j·x + c_j. Compute the forward values first.",
     "dL/dz = p − y at the output. The path through unit j contributes (p − y)·v_j·ReLU'(z_j)·a_j, where"
     " ReLU'(z_j) is 1 if z_j > 0 and 0 otherwise; dL/dx is the sum of the three contributions."),
    "a, c, v = np.array([0.5, -0.25, 1.0]), np.array([0.5, 1.0, -3.0]), np.array([1.2, -2.0, 1.5])\n"
    "z_units = a * 2.0 + c                                 # z3 = -1 < 0: unit 3 is off\n"
    "p_out = 1 / (1 + np.exp(-(v @ np.maximum(0, z_units) - 0.2)))\n"
    "my_gradient = ((p_out - 1.0) * v * (z_units > 0) * a).sum()  # one term per path, added",
)
q2 = Exercise(
    "Backpropagation through any number of layers",
    _check_backward,
    ("Go through the layers from the last to the first: for layer l you know dZ, the gradient of its output.",
     "Section 8's recursion with the lists counted from 0: layer l's input H is Hs[l], so dW = Hᵀ dZ and db is"
     " dZ summed over the rows; the gradient passed to the layer before is (dZ Wᵀ) ⊙ ReLU'(Zs[l − 1])."),
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
    ("Multiply out two linear layers, as in section 2, then ten: what single model are they?",
     "Ten linear layers with one output are one neuron, trained with the same cross-entropy. Section 4 trained"
     " exactly such a neuron on the ring: what accuracy did it reach, and why not the best line's?"),
    "my_prediction = 0.53  # ten linear layers are one neuron: it shrugs as in section 4",
)
q4 = Exercise(
    "Two ReLU units for XOR",
    _check_xor_network,
    ("Each hidden unit is zero on one side of a line and a ramp on the other. Sketch the four corners: class 1"
     " at (−1, 1) and (1, −1), class 0 at (1, 1) and (−1, −1).",
     "Which quantity is small on both class-0 corners and large on both class-1 corners? Build it from two"
     " ramps (each grows in one direction only), then let the output bias put the threshold halfway."),
    "xor_W1 = np.array([[1.0, -1.0], [-1.0, 1.0]])  # unit 1: x1 - x2, unit 2: x2 - x1\n"
    "xor_b1 = np.array([0.0, 0.0])\n"
    "xor_W2 = np.array([1.0, 1.0])                  # the output adds the two ramps: |x1 - x2|\n"
    "xor_b2 = -1.0                                  # class 1 where |x1 - x2| > 1",
)
q5 = Exercise(
    "Count the parameters",
    _check_count,
    ("Each neighbouring pair of sizes is one Linear layer: how many weights and biases does nn.Linear(a, b) have?",
     "Loop over neighbouring pairs of sizes, zip(sizes[:-1], sizes[1:]), and add n_in * n_out + n_out for each."),
    "def count_parameters(sizes):\n"
    "    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))",
)
