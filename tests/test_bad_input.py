"""The one table of bad arguments (other test files do not repeat these checks). Every public helper a notebook
calls, given bad input: each answers with a ValueError or TypeError whose
message names the argument and says what was expected, never a traceback from deep inside NumPy.

The table lists at least three bad inputs per helper.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from helpers import data, live, networks, plots, training, widgets

NAN = float("nan")
LINE = data.noisy_line(n=10)
AX = plots.live_figure()[1][0]
GRID = np.linspace(0, 1, 5)
MODEL = networks.mlp((2, 3, 1))
RING = data.ring(n=20)


def explorer(**changes):
    arguments = {
        "x": LINE[0],
        "y": LINE[1],
        "predict": lambda x, a, b: a * x + b,
        "loss": lambda t, p: np.mean((p - t) ** 2),
        "sliders": {"a": (0.0, 1.0, 0.5, 0.1)},
        "xlabel": "x",
        "ylabel": "y",
    }
    arguments.update(changes)
    return widgets.fit_explorer(**arguments)


def descend(**changes):
    arguments = {
        "loss": lambda p: training.line_loss(p, *LINE),
        "gradient": lambda p: training.line_gradient(p, *LINE),
        "start": np.zeros(2),
        "lr": 0.1,
        "steps": 10,
    }
    arguments.update(changes)
    return training.descend(**arguments)


def walk(**changes):
    arguments = {
        "loss": lambda p: training.line_loss(p, *LINE),
        "gradient": lambda p: training.line_gradient(p, *LINE),
        "surface": ("a", "b", GRID, GRID, np.ones((5, 5))),
        "lr": 0.1,
        "start": (0.5, 0.5),
    }
    arguments.update(changes)
    return widgets.descent_explorer(**arguments)


def train(**changes):
    arguments = {
        "model": networks.mlp((2, 3, 1)),
        "X": RING[0],
        "y": RING[1],
        "loss_fn": nn.BCEWithLogitsLoss(),
        "epochs": 1,
        "lr": 0.01,
    }
    arguments.update(changes)
    return networks.train(**arguments)


TABLE = [
    # helper, call, error, words the message must contain
    ("data.noisy_line", lambda: data.noisy_line(n=0), ValueError, "n must be positive"),
    ("data.noisy_line", lambda: data.noisy_line(n="10"), TypeError, "n must be a whole number"),
    ("data.noisy_line", lambda: data.noisy_line(noise=-0.1), ValueError, "noise must be a finite number >= 0"),
    ("data.noisy_line", lambda: data.noisy_line(noise=NAN), ValueError, "noise must be"),
    ("data.quadratic", lambda: data.quadratic(n=-5), ValueError, "n must be positive"),
    ("data.quadratic", lambda: data.quadratic(coefficients=(1, 2)), ValueError, "coefficients must be three"),
    ("data.quadratic", lambda: data.quadratic(noise="big"), TypeError, "noise must be a number"),
    ("data.quadratic", lambda: data.quadratic(n=2.5), TypeError, "n must be a whole number"),
    ("data.ring", lambda: data.ring(n=0), ValueError, "n must be positive"),
    ("data.ring", lambda: data.ring(n=2.5), TypeError, "n must be a whole number"),
    ("data.ring", lambda: data.ring(noise=-1), ValueError, "noise"),
    ("data.xor", lambda: data.xor(n=None), TypeError, "n must be a whole number"),
    ("data.xor", lambda: data.xor(n=-1), ValueError, "n must be positive"),
    ("data.xor", lambda: data.xor(noise=float("inf")), ValueError, "noise"),
    ("data.wavy", lambda: data.wavy(n=0), ValueError, "n must be positive"),
    ("data.wavy", lambda: data.wavy(n=True), TypeError, "n must be a whole number"),
    ("data.wavy", lambda: data.wavy(noise=-0.5), ValueError, "noise"),
    ("data.split_indices", lambda: data.split_indices(0), ValueError, "n must be positive"),
    ("data.split_indices", lambda: data.split_indices(10, fractions=(0.9, 0.2)), ValueError, "fractions"),
    ("data.split_indices", lambda: data.split_indices(10, fractions=(0, 0.2)), ValueError, "fractions"),
    (
        "data.load_vending_machine",
        lambda: data.load_vending_machine("no/such/file.csv"),
        data.DataFileError,
        "the file is missing",
    ),
    (
        "data.load_vending_machine",
        lambda: data.load_vending_machine(data.DATA_DIR / data.DIGITS_FILE),
        data.DataFileError,
        "expected the columns",
    ),
    ("data.load_vending_machine", lambda: data.load_vending_machine(data.DATA_DIR), data.DataFileError, "missing"),
    ("data.load_digits", lambda: data.load_digits("nowhere.csv.gz"), data.DataFileError, "the file is missing"),
    (
        "data.load_digits",
        lambda: data.load_digits(data.DATA_DIR / data.VENDING_FILE),
        data.DataFileError,
        "checksum mismatch",
    ),
    ("data.load_digits", lambda: data.load_digits(data.DATA_DIR), data.DataFileError, "missing"),
    ("plots.live_figure", lambda: plots.live_figure(ncols=0), ValueError, "ncols must be positive"),
    ("plots.live_figure", lambda: plots.live_figure(size=(6, -1)), ValueError, "figure height"),
    ("plots.live_figure", lambda: plots.live_figure(size=6), ValueError, "size must be (width, height)"),
    ("plots.loss_grid", lambda: plots.loss_grid("mse", GRID, GRID), TypeError, "loss must be a function"),
    ("plots.loss_grid", lambda: plots.loss_grid(min, [], GRID), ValueError, "first is empty"),
    ("plots.loss_grid", lambda: plots.loss_grid(min, GRID, [1, NAN]), ValueError, "second contains NaN"),
    (
        "plots.draw_contours",
        lambda: plots.draw_contours(AX, GRID, GRID, np.ones((4, 5)), ("a", "b")),
        ValueError,
        "losses must have shape",
    ),
    (
        "plots.draw_contours",
        lambda: plots.draw_contours(AX, GRID, GRID, np.full((5, 5), NAN), ("a", "b")),
        ValueError,
        "losses contains NaN",
    ),
    (
        "plots.draw_contours",
        lambda: plots.draw_contours(AX, GRID, GRID, np.ones(5), ("a", "b")),
        ValueError,
        "losses must have 2 dimension",
    ),
    (
        "plots.draw_contours",
        lambda: plots.draw_contours(AX, GRID, GRID, np.ones((5, 5)), ("a", "b"), levels=[1, 0.5]),
        ValueError,
        "levels must be at least two increasing",
    ),
    ("plots.draw_classes", lambda: plots.draw_classes(AX, np.ones((4, 3)), np.ones(4)), ValueError, "two columns"),
    ("plots.draw_classes", lambda: plots.draw_classes(AX, np.ones((4, 2)), np.ones(3)), ValueError, "y must have 4"),
    ("plots.draw_classes", lambda: plots.draw_classes(AX, "points", np.ones(3)), TypeError, "X must be an array"),
    (
        "plots.draw_probability",
        lambda: plots.draw_probability(AX, GRID, GRID, np.ones((5, 4))),
        ValueError,
        "probability must have shape",
    ),
    (
        "plots.draw_probability",
        lambda: plots.draw_probability(AX, GRID, GRID, np.full((5, 5), 2.0)),
        ValueError,
        "between 0 and 1",
    ),
    ("plots.draw_probability", lambda: plots.draw_probability(AX, GRID, GRID, np.full((5, 5), NAN)), ValueError, "NaN"),
    ("plots.draw_graph", lambda: plots.draw_graph(AX, {"a": (0, 0, 1.0, 0.5)}, [("a", "b", "× 2")]), ValueError,
     "not in nodes"),
    ("plots.draw_graph", lambda: plots.draw_graph(AX, {}, []), ValueError, "must not be empty"),
    ("plots.draw_graph", lambda: plots.draw_graph(AX, {"a": (0, 0, 1.0)}, []), ValueError, "four finite numbers"),
    ("plots.draw_neuron", lambda: plots.draw_neuron(AX, [], []), ValueError, "one weight label per input"),
    ("plots.draw_neuron", lambda: plots.draw_neuron(AX, ["x1", "x2"], ["w1"]), ValueError, "one weight label"),
    ("plots.draw_neuron", lambda: plots.draw_neuron(AX, ["x1"], []), ValueError, "one weight label"),
    ("training.line_loss", lambda: training.line_loss((1, 2, 3), *LINE), ValueError, "params must be two numbers"),
    ("training.line_loss", lambda: training.line_loss("ab", *LINE), ValueError, "params must be two numbers"),
    ("training.line_loss", lambda: training.line_loss(5, *LINE), ValueError, "params must be two numbers"),
    ("training.line_gradient", lambda: training.line_gradient([1], *LINE), ValueError, "params must be two"),
    ("training.line_gradient", lambda: training.line_gradient(None, *LINE), ValueError, "params must be two"),
    ("training.line_gradient", lambda: training.line_gradient(np.ones((2, 2)), *LINE), ValueError, "params"),
    ("training.line_curvature", lambda: training.line_curvature([]), ValueError, "x is empty"),
    ("training.line_curvature", lambda: training.line_curvature([1, NAN]), ValueError, "x contains NaN"),
    ("training.line_curvature", lambda: training.line_curvature(np.ones((2, 2))), ValueError, "x must have 1"),
    ("training.descend", lambda: descend(lr=0), ValueError, "lr (the learning rate) must be a positive"),
    ("training.descend", lambda: descend(lr=-1e-3), ValueError, "lr (the learning rate) must be a positive"),
    ("training.descend", lambda: descend(lr="fast"), TypeError, "lr (the learning rate) must be a number"),
    ("training.descend", lambda: descend(lr=NAN), ValueError, "lr (the learning rate) must be a positive"),
    ("training.descend", lambda: descend(lr=lambda step: -1.0), ValueError, "lr (the learning rate) must be"),
    ("training.descend", lambda: descend(steps=0), ValueError, "steps must be a positive whole number"),
    ("training.descend", lambda: descend(steps=2.5), ValueError, "steps must be a positive whole number"),
    ("training.descend", lambda: descend(start=[NAN, 0.0]), ValueError, "start must be"),
    ("training.step_decay", lambda: training.step_decay(0.0), ValueError, "lr"),
    ("training.step_decay", lambda: training.step_decay(0.1, factor=1.5), ValueError, "factor"),
    ("training.step_decay", lambda: training.step_decay(0.1, every=0), ValueError, "every"),
    ("training.cyclical", lambda: training.cyclical(0.5, 0.1), ValueError, "high"),
    ("training.cyclical", lambda: training.cyclical(-0.1, 0.5), ValueError, "lr"),
    ("training.cyclical", lambda: training.cyclical(0.1, 0.5, period=1), ValueError, "period"),
    ("networks.mlp", lambda: networks.mlp((2,)), ValueError, "at least an input and an output"),
    ("networks.mlp", lambda: networks.mlp((2, 0, 1)), ValueError, "every layer size must be positive"),
    ("networks.mlp", lambda: networks.mlp((2, 2.5, 1)), TypeError, "every layer size must be a whole number"),
    ("networks.mlp", lambda: networks.mlp((2, 3, 1), activation="swish"), ValueError, "unknown activation"),
    ("networks.mlp", lambda: networks.mlp((2, 3, 1), dropout=1.0), ValueError, "dropout"),
    ("networks.train", lambda: train(epochs=0), ValueError, "epochs must be positive"),
    ("networks.train", lambda: train(lr=0.0), ValueError, "lr (the learning rate) must be a positive"),
    ("networks.train", lambda: train(batch_size=-4), ValueError, "batch_size must be positive"),
    ("networks.train", lambda: train(y=RING[1][:5]), ValueError, "y must have 20 rows"),
    ("networks.train", lambda: train(X=np.full((20, 2), NAN)), ValueError, "X contains NaN"),
    ("networks.train", lambda: train(optimizer="rmsprop"), ValueError, "optimizer must be"),
    ("networks.train", lambda: train(keep_best=True), ValueError, "keep_best=True needs validation data"),
    ("networks.accuracy", lambda: networks.accuracy(MODEL, RING[0], RING[1][:3]), ValueError, "y must have 20 rows"),
    ("networks.accuracy", lambda: networks.accuracy(MODEL, "data", RING[1]), TypeError, "X must be an array"),
    ("networks.accuracy", lambda: networks.accuracy(MODEL, RING[0][:, 0], RING[1]), ValueError, "X must have 2"),
    ("networks.probability_grid", lambda: networks.probability_grid(MODEL, (1, -1), (-1, 1)), ValueError, "xlim"),
    ("networks.probability_grid", lambda: networks.probability_grid(MODEL, (-1, 1), (0, 0)), ValueError, "ylim"),
    (
        "networks.probability_grid",
        lambda: networks.probability_grid(MODEL, (-1, 1), (-1, 1), points=1),
        ValueError,
        "points must be at least 2",
    ),
    ("live.slider", lambda: live.slider("w", 0, 1, 2, 0.1), ValueError, "outside"),
    ("live.slider", lambda: live.slider("w", 1, 0, 0.5, 0.1), ValueError, "must be below high"),
    ("live.slider", lambda: live.slider("w", 0, 1, 0.5, 0), ValueError, "step must be positive"),
    (
        "live.LiveFigure",
        lambda: live.LiveFigure(plots.live_figure()[0], print, {}),
        ValueError,
        "at least one control",
    ),
    (
        "live.LiveFigure",
        lambda: live.LiveFigure("figure", print, {"w": live.slider("w", 0, 1, 0, 0.1)}),
        TypeError,
        "fig must be a matplotlib Figure",
    ),
    (
        "live.LiveFigure",
        lambda: live.LiveFigure(plots.live_figure()[0], 3, {"w": live.slider("w", 0, 1, 0, 1)}),
        TypeError,
        "update must be a function",
    ),
    ("widgets.fit_explorer", lambda: explorer(y=LINE[1][:3]), ValueError, "same length"),
    ("widgets.fit_explorer", lambda: explorer(x=np.full(10, NAN)), ValueError, "x contains NaN"),
    ("widgets.fit_explorer", lambda: explorer(surface=True), ValueError, "exactly two sliders"),
    ("widgets.fit_explorer", lambda: explorer(ylim=(90, 0)), ValueError, "ylim must be two finite numbers"),
    ("widgets.fit_explorer", lambda: explorer(xlim=5), ValueError, "xlim must be two numbers"),
    ("widgets.fit_explorer", lambda: explorer(surface=True, levels=[1, 0.5],
                                              sliders={"a": (0.0, 1.0, 0.5, 0.1), "b": (0.0, 1.0, 0.5, 0.1)}),
     ValueError, "levels must be"),
    ("widgets.descent_explorer", lambda: walk(lr=-0.5), ValueError, "lr (the learning rate) must be a positive"),
    ("widgets.descent_explorer", lambda: walk(lr="fast"), TypeError, "lr (the learning rate) must be a number"),
    ("widgets.descent_explorer", lambda: walk(steps=0), ValueError, "steps must be"),
    ("widgets.descent_explorer", lambda: walk(start=(5.0, 0.5)), ValueError, "start must lie on the map"),
    ("widgets.descent_explorer", lambda: walk(start=(0.5,)), ValueError, "start must have 2 rows"),
    ("widgets.descent_explorer", lambda: walk(gradient=None), TypeError, "loss and gradient must be functions"),
    ("widgets.descent_explorer", lambda: walk(margin=0.6), ValueError, "margin must be a fraction"),
    ("widgets.descent_explorer", lambda: walk(floor=-0.1), ValueError, "floor must be a positive"),
    ("widgets.descent_explorer", lambda: walk(start=(0.02, 0.5)), ValueError, "away from its edges"),
    (
        "widgets.learning_rate_explorer",
        lambda: widgets.learning_rate_explorer(min, ("a", "b", GRID, GRID, np.ones((5, 5))), (0.1, 0.01, 0.05)),
        ValueError,
        "lr_range",
    ),
    (
        "widgets.learning_rate_explorer",
        lambda: widgets.learning_rate_explorer(min, ("a", "b", GRID, GRID, np.ones((5, 5))), (0.0, 1.0, 0.5)),
        ValueError,
        "lr_range",
    ),
    (
        "widgets.learning_rate_explorer",
        lambda: widgets.learning_rate_explorer(min, ("a", "b", GRID, GRID, np.ones((5, 5))), (0.01, 1.0, 2.0)),
        ValueError,
        "lr_range",
    ),
    (
        "widgets.learning_rate_explorer",
        lambda: widgets.learning_rate_explorer(
            lambda lr: training.descend(lambda p: float(p @ p), lambda p: 2 * p, np.ones(2), lr, 5),
            ("a", "b", GRID, GRID, np.ones((5, 5))), (0.01, 1.0, 0.1), levels=[1.0, 0.5],
        ),
        ValueError,
        "levels must be at least two increasing positive numbers",
    ),
    (
        "widgets.boundary_explorer",
        lambda: widgets.boundary_explorer(np.ones((3, 3)), np.ones(3), GRID, GRID, {}, {}),
        ValueError,
        "X must have shape (n, 2)",
    ),
    (
        "widgets.boundary_explorer",
        lambda: widgets.boundary_explorer(*RING, GRID, GRID, {}, {}),
        ValueError,
        "non-empty set",
    ),
    (
        "widgets.boundary_explorer",
        lambda: widgets.boundary_explorer(
            *RING, GRID, GRID, {(1, "relu"): np.ones((5, 5))}, {(1, "relu"): 1.0}, start=(2, "relu")
        ),
        ValueError,
        "start",
    ),
    (
        "widgets.batch_size_explorer",
        lambda: widgets.batch_size_explorer({}, 10, ("a", "b", GRID, GRID, np.ones((5, 5)))),
        ValueError,
        "runs is empty",
    ),
    (
        "widgets.batch_size_explorer",
        lambda: widgets.batch_size_explorer(
            {1: (np.zeros((2, 2)), np.ones(2))}, 10, ("a", "b", GRID, GRID, np.ones((5, 5))), seconds={2: 1.0}
        ),
        ValueError,
        "one measured time per batch size",
    ),
    (
        "widgets.batch_size_explorer",
        lambda: widgets.batch_size_explorer(
            {1: (np.zeros((2, 2)), np.ones(2))}, 10, ("a", "b", GRID, GRID, np.ones((5, 4)))
        ),
        ValueError,
        "losses must have shape",
    ),
    (
        "widgets.capacity_explorer",
        lambda: widgets.capacity_explorer(*LINE, *LINE, np.sin, sizes=[5, 50]),
        ValueError,
        "more than the pool",
    ),
    (
        "widgets.capacity_explorer",
        lambda: widgets.capacity_explorer(*LINE, *LINE, np.sin, sizes=[5, 8], size=6),
        ValueError,
        "not one of the sizes offered",
    ),
    (
        "widgets.capacity_explorer",
        lambda: widgets.capacity_explorer(LINE[0], LINE[1][:4], *LINE, np.sin),
        ValueError,
        "same length",
    ),
    (
        "widgets.capacity_explorer",
        lambda: widgets.capacity_explorer(*LINE, LINE[0], [NAN] * 10, np.sin),
        ValueError,
        "y contains NaN",
    ),
    ("live.LossCurve", lambda: live.LossCurve(epochs=0), ValueError, "epochs must be positive"),
    ("live.LossCurve", lambda: live.LossCurve(epochs=2.5), TypeError, "epochs must be a whole number"),
    ("live.LossCurve", lambda: live.LossCurve(epochs="ten"), TypeError, "epochs must be a whole number"),
]


@pytest.mark.parametrize("helper, call, error, words", TABLE, ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)])
def test_bad_input_gets_a_sentence(helper, call, error, words):
    with pytest.raises(error) as caught:
        call()
    assert words in str(caught.value), f"{helper}: {caught.value}"


def test_every_listed_helper_has_at_least_three_bad_inputs(record_property):
    counts = {}
    for helper, *_ in TABLE:
        counts[helper] = counts.get(helper, 0) + 1
    assert {h: n for h, n in counts.items() if n < 3} == {}
    record_property("summary", f"bad input: {len(TABLE)} bad inputs tried on {len(counts)} public helpers")


def test_a_torch_tensor_is_not_taken_for_bad_input_and_scores_like_an_array():
    says_yes_above_half = torch.nn.Linear(2, 1)
    with torch.no_grad():
        says_yes_above_half.weight.copy_(torch.tensor([[1.0, 0.0]]))
        says_yes_above_half.bias.fill_(-0.5)
    X, y = [[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0]], np.array([0, 1, 0, 0])  # right on 3 of the 4
    assert networks.accuracy(says_yes_above_half, torch.tensor(X), y) == 0.75
    assert networks.accuracy(says_yes_above_half, np.array(X), y) == 0.75
