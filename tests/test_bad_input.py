"""The one table of bad arguments (other test files do not repeat these checks). Every public helper a notebook
calls, given bad input: each answers with a ValueError or TypeError whose
message names the argument and says what was expected, never a traceback from deep inside NumPy.

The table lists at least three bad inputs per helper. Below it, every exercise checker of every notebook (read
from helpers.exercises) is given bad answers, bad hint levels and learner functions that loop, sleep or change
their input: each gets one sentence, and the learner's objects stay as they were.
"""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import re
import signal
import time

import ipywidgets
import numpy as np
import pytest
import torch
from torch import nn

from helpers import data, exercises, live, loss_curve, networks, plots, training, widgets
from tests.paths import ROOT

NAN = float("nan")
INF = float("inf")
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


def live_set(**values):
    """Move the controls of a small live figure (a float, an int, a log and a selection slider) to `values`."""
    fig, _ = plots.live_figure()
    controls = {
        "w": live.slider("w", 0, 1, 0.5, 0.1),
        "steps": live.control(ipywidgets.IntSlider, "steps", value=2, min=0, max=5),
        "rate": live.control(ipywidgets.FloatLogSlider, "rate", value=0.1, base=10, min=-3, max=0),
        "size": live.control(ipywidgets.SelectionSlider, "size", options=[1, 8, 64], value=8),
    }
    live.LiveFigure(fig, lambda **_: None, controls, title="bad-input figure").set(**values)


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
    ("plots.draw_mistakes", lambda: plots.draw_mistakes(np.ones((3, 8, 8)), [1, 2], [2, 1, 0]), ValueError,
     "true must have 3 rows"),
    ("plots.draw_mistakes", lambda: plots.draw_mistakes(np.ones((3, 64)), [1, 2, 3], [2, 1, 0]), ValueError,
     "images must have 3 dimension(s)"),
    ("plots.draw_mistakes", lambda: plots.draw_mistakes(np.full((1, 8, 8), NAN), [1], [2]), ValueError,
     "images contains NaN"),
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
    ("live.slider", lambda: live.slider("w", 0, 1, NAN, 0.1), ValueError, "'w': value must be a finite number"),
    ("live.slider", lambda: live.slider("w", 0, INF, 0.5, 0.1), ValueError, "'w': high must be a finite number"),
    ("live.slider", lambda: live.slider("w", 0, 1, 0.5, NAN), ValueError, "'w': step must be a finite number"),
    (
        "live.control",
        lambda: live.control(ipywidgets.IntSlider, "k", value=1, min=0, max=INF),
        ValueError,
        "slider 'k': max must be a finite number, got inf",
    ),
    ("live.control", lambda: live.control(ipywidgets.FloatSlider, "k", value=NAN), ValueError, "'k': value must be a"),
    ("live.control", lambda: live.control(ipywidgets.FloatSlider, "k", step=-INF), ValueError, "step must be a finite"),
    ("live.LiveFigure.set", lambda: live_set(w=NAN), ValueError, "w must be a finite number, got nan"),
    ("live.LiveFigure.set", lambda: live_set(rate=-INF), ValueError, "rate must be a finite number, got -inf"),
    ("live.LiveFigure.set", lambda: live_set(steps="3"), TypeError, "steps must be a number, got str '3'"),
    ("live.LiveFigure.set", lambda: live_set(size=7), ValueError, "size must be one of the slider's values (1, 8, 64)"),
    ("live.LiveFigure.set", lambda: live_set(size=NAN), ValueError, "size must be one of the slider's values"),
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
    ("loss_curve.LossCurve", lambda: loss_curve.LossCurve(epochs=0), ValueError, "epochs must be positive"),
    ("loss_curve.LossCurve", lambda: loss_curve.LossCurve(epochs=2.5), TypeError, "epochs must be a whole number"),
    ("loss_curve.LossCurve", lambda: loss_curve.LossCurve(epochs="ten"), TypeError, "epochs must be a whole number"),
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


# Every exercise checker of every notebook, found in helpers.exercises (a new exercise is covered without an edit
# here): each bad input below gets one sentence, never a traceback, and the learner's objects stay as they were.
def _every_exercise() -> dict[str, exercises.Exercise]:
    found = {}
    for module in pkgutil.iter_modules(exercises.__path__):
        if re.fullmatch(r"nb\d\d", module.name):
            loaded = importlib.import_module(f"helpers.exercises.{module.name}")
            found.update({f"{module.name}.{name}": value for name, value in sorted(vars(loaded).items())
                          if isinstance(value, exercises.Exercise)})
    return found


EXERCISES = _every_exercise()
FUNCTION_EXERCISES = {name: q for name, q in EXERCISES.items() if q.solution_text.startswith("def ")}


def test_the_exercise_rows_cover_every_exercise_a_notebook_checks(record_property):
    checked = {f"nb{notebook.name[:2]}.{q}" for notebook in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
               for q in re.findall(r"\b(q\d+)\.check\(", notebook.read_text())}
    assert checked and checked <= set(EXERCISES), checked - set(EXERCISES)
    notebooks = len({name.split(".")[0] for name in EXERCISES})
    record_property("summary", f"exercise checkers: {len(EXERCISES)} exercises in {notebooks} notebooks given bad"
                    f" answers and hint levels; the {len(FUNCTION_EXERCISES)} that take a function, functions that"
                    " loop, sleep or change their input")


def _solution_function(exercise: exercises.Exercise):
    """The function an exercise's solution defines (run with numpy and torch, as the notebooks import them)."""
    namespace = {"np": np, "torch": torch}
    exec(exercise.solution_text, namespace)
    return next(value for name, value in namespace.items() if name not in ("np", "torch", "__builtins__"))


def _solution_answer(name: str):
    """An exercise's right answer, as its notebook's check cell passes it, where the solution runs on its own
    (numpy and torch, no earlier cell); None where it needs the notebook's variables."""
    module, q = name.split(".")
    notebook = next((ROOT / "notebooks").glob(f"{module[2:]}_*.ipynb"))
    cells = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]
             if cell["cell_type"] == "code"]
    argument = next(found[1] for cell in cells for found in [re.search(rf"\b{q}\.check\((.+)\)", cell)] if found)
    namespace = {"np": np, "torch": torch}
    try:
        exec(EXERCISES[name].solution_text, namespace)
        return eval(argument, namespace)
    except NameError:
        return None


def _complex(value):
    """`value` with a small imaginary part added to every number (a function: to every number it returns)."""
    if callable(value):
        return lambda *args: _complex(value(*args))
    if isinstance(value, (tuple, list)):
        return type(value)(_complex(part) for part in value)
    if isinstance(value, (int, float, np.ndarray, np.number)) and not isinstance(value, bool):
        return np.asarray(value) + 1e-3j if isinstance(value, np.ndarray) else complex(value) + 1e-3j
    return value


def _scribble(value, found: list) -> None:
    """Overwrite every array and list in `value` in place with ones, noting in `found` what was overwritten."""
    if isinstance(value, np.ndarray):
        value[...] = 1
        found.append(value)
    elif isinstance(value, list):
        for part in value:
            _scribble(part, found)
        if value and all(isinstance(part, (int, float)) for part in value):
            value[:] = [1] * len(value)
            found.append(value)


def _sentence(message: str) -> bool:
    return (message.startswith((exercises.NOT_YET, exercises.CORRECT)) and message.endswith((".", "?", ".)"))
            and "could not judge" not in message and "\n" not in message)


@pytest.fixture
def quick_limit(monkeypatch):
    """A tenth of a second for the learner's code per check, so that stopping a loop costs the suite little."""
    monkeypatch.setattr(exercises, "TIME_LIMIT", 0.1)


def _raises(*_args):
    raise KeyError("oops")


@pytest.mark.parametrize("name", EXERCISES)
@pytest.mark.parametrize("answer", [None, Ellipsis, "0.5", [1, 2, 3], np.full(3, np.nan), _raises],
                         ids=lambda answer: type(answer).__name__)
def test_every_checker_answers_malformed_input_with_a_sentence(name, answer):
    correct, message = EXERCISES[name].feedback(answer)
    assert not correct and _sentence(message), message  # and the checker understood what was wrong


@pytest.mark.parametrize("name", EXERCISES)
def test_every_checker_answers_two_positional_arguments_with_a_sentence(name, capsys):
    EXERCISES[name].check(0.5556, -17.78)  # as learners type q4.check(w, b): judged together, as (w, b)
    message = capsys.readouterr().out.strip()
    assert _sentence(message), message
    assert message.startswith(exercises.CORRECT) or "2 values were judged together" in message


@pytest.mark.parametrize("name", EXERCISES)
@pytest.mark.parametrize("answer", [{"w": 0.12, "b": 9.0}, {"a": 1.0, "b": 2.0, "c": 3.0}], ids=["wb", "abc"])
def test_every_checker_answers_a_dictionary_with_a_sentence(name, answer):  # q3.check(explorer.values)
    correct, message = EXERCISES[name].feedback(answer)
    assert not correct and _sentence(message), message


@pytest.mark.parametrize("name", EXERCISES)
@pytest.mark.parametrize("answer", [0.4 + 0.3j, np.array([0.5 + 1j, 2.0]), np.full(50, 0.25 + 1e-3j),
                                    torch.tensor([0.5 + 1j])], ids=["complex", "array", "50", "tensor"])
def test_every_checker_answers_a_complex_value_with_a_sentence(name, answer):
    correct, message = EXERCISES[name].feedback(answer)
    assert not correct and _sentence(message), message


@pytest.mark.parametrize("name", [name for name in EXERCISES if isinstance(_complex(_solution_answer(name)),
                                                                           (complex, tuple, np.ndarray))
                                  or name in FUNCTION_EXERCISES])
def test_a_right_answer_made_complex_is_refused_not_rounded(name):  # the imaginary part must not be dropped
    right = _solution_function(EXERCISES[name]) if name in FUNCTION_EXERCISES else _solution_answer(name)
    if callable(right):  # (the right values are checked in the notebooks' kernels, some of them slowly)
        assert EXERCISES[name].feedback(right)[0]
    correct, message = EXERCISES[name].feedback(_complex(right))
    assert not correct and _sentence(message) and "complex" in message, message


@pytest.mark.parametrize("name", EXERCISES)
@pytest.mark.parametrize("level", ["x", -1, 99, 1.5, (1, 2)], ids=repr)
def test_every_hint_answers_a_bad_level_with_a_sentence(name, level, capsys):
    exercise = copy.copy(EXERCISES[name])  # its own count of hints shown
    exercise.hint(*level) if isinstance(level, tuple) else exercise.hint(level)
    said = capsys.readouterr().out.strip()
    given = ", ".join(map(repr, level)) if isinstance(level, tuple) else repr(level)
    assert said == (f"hint({given}) is not a hint level: this exercise has levels 1 to {len(exercise.hints)};"
                    " q.hint() gives the next one, q.hint(1) the first.")


def _loops(*_args):
    while True:
        pass


def _sleeps(*_args):
    time.sleep(30)


@pytest.mark.parametrize("name", FUNCTION_EXERCISES)
@pytest.mark.parametrize("learner", [_loops, _sleeps], ids=["loops", "sleeps"])
def test_every_checker_stops_a_function_that_never_returns(name, learner, quick_limit):
    handler = signal.getsignal(signal.SIGALRM) if hasattr(signal, "SIGALRM") else None
    started = time.monotonic()
    correct, message = EXERCISES[name].feedback(learner)
    assert not correct and _sentence(message) and "was still running when the check's 0.1 seconds were up" in message
    assert time.monotonic() - started < 5  # stopped, not left to run its 30 seconds
    if handler is not None:  # nothing left behind that could interrupt the learner's next cell
        assert signal.getsignal(signal.SIGALRM) is handler and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert EXERCISES[name].feedback(_solution_function(EXERCISES[name]))[0]  # and the next check works


@pytest.mark.parametrize("name", FUNCTION_EXERCISES)
def test_every_checker_calls_the_learners_function_on_copies(name):
    right = _solution_function(EXERCISES[name])
    overwritten = []

    def scribbles_then_answers(*args):  # a wrong function that makes the checker's own data fit its answer
        for arg in args:
            _scribble(arg, overwritten)
        return right(*args)

    def answers_then_scribbles(*args):  # a right function that changes its input after it has answered
        answer = right(*args)
        for arg in args:
            _scribble(arg, overwritten)
        return answer

    correct, message = EXERCISES[name].feedback(answers_then_scribbles)
    assert _sentence(message) and (correct or "changed the" in message), message
    if not overwritten:
        pytest.skip(f"{name}'s function is given nothing it could change")
    correct, message = EXERCISES[name].feedback(scribbles_then_answers)
    assert not correct and _sentence(message), message


@pytest.mark.parametrize("name", EXERCISES)
def test_every_checker_leaves_the_learners_objects_as_they_were(name):
    model = nn.Linear(2, 1).train()
    answers = [model, {"w": [0.12], "b": [9.0]}, [np.arange(3.0), [1.0, 2.0]], np.linspace(-1, 1, 50)]
    right = _solution_answer(name)
    if isinstance(right, (tuple, list, dict, np.ndarray)):
        answers.append(right)
    before = copy.deepcopy(answers)
    for answer in answers:
        EXERCISES[name].feedback(answer)
    assert model.training and model.weight.dtype == torch.float32
    assert repr(answers) == repr(before)
