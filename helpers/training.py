"""Gradient descent as the notebooks use it once the learner has written it by hand (notebook 03).

`descend` runs plain gradient descent on any loss with a known gradient and stops, saying so, when the
run diverges, so a figure never has to draw an overflow or a NaN. `line_loss` and `line_gradient`
are the noisy line's mean squared error and its hand-derived gradient (tested against torch autograd).
`remembered` keeps a notebook's repeated experiments by their arguments, so running a cell again is instant.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from types import FunctionType
from typing import Any, TypeVar

import numpy as np

from helpers.validate import finite_array, positive_number

Schedule = Callable[[int], float]
Compute = TypeVar("Compute", bound=Callable[..., Any])


def _rate(lr: float) -> float:
    return positive_number("lr (the learning rate)", lr)


def _pair(params: np.ndarray) -> tuple[float, float]:
    if isinstance(params, (str, bytes)) or np.ndim(params) != 1 or len(params) != 2:
        raise ValueError(f"params must be two numbers (a, b), got {params!r}")
    return params[0], params[1]


def line_loss(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of the line y = a*x + b, with params = (a, b)."""
    a, b = _pair(params)
    return float(np.mean((a * x + b - y) ** 2))


def line_gradient(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of `line_loss` by hand: dL/da = mean(2 (ŷ − y) x), dL/db = mean(2 (ŷ − y))."""
    a, b = _pair(params)
    error = a * x + b - y
    return np.array([np.mean(2 * error * x), np.mean(2 * error)])


def line_curvature(x: np.ndarray) -> np.ndarray:
    """The Hessian of `line_loss` (the same everywhere, since the loss is quadratic in a and b)."""
    x = finite_array("x", x, ndim=1)
    return 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


@dataclass(frozen=True)
class Run:
    """The record of a gradient descent run: every point visited, its loss, and the rate used."""

    path: np.ndarray
    losses: np.ndarray
    rates: np.ndarray
    diverged_at: int | None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])


def descend(
    loss: Callable[[np.ndarray], float],
    gradient: Callable[[np.ndarray], np.ndarray],
    start: np.ndarray,
    lr: float | Schedule,
    steps: int,
    blowup: float = 100.0,
) -> Run:
    """Gradient descent from `start` for `steps` steps with learning rate `lr` (a number or a schedule).

    Stops early when the loss becomes infinite, NaN, or `blowup` times its starting value: the run is then
    marked as diverged at that step, and its path ends at the last finite point.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps <= 0:
        raise ValueError(f"steps must be a positive whole number, got {steps!r}")
    if callable(lr):
        schedule = lr
    else:
        constant = _rate(lr)

        def schedule(_step: int) -> float:
            return constant

    point = np.asarray(start, dtype=float).copy()
    if point.ndim != 1 or not np.all(np.isfinite(point)):
        raise ValueError(f"start must be a 1-D array of finite numbers, got {start!r}")
    path, losses, rates = [point.copy()], [loss(point)], []
    limit = blowup * max(abs(losses[0]), 1.0)
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            rate = _rate(schedule(step))
            candidate = point - rate * np.asarray(gradient(point), dtype=float)
            value = loss(candidate) if np.all(np.isfinite(candidate)) else np.inf
            if not np.isfinite(value) or value > limit:
                diverged_at = step + 1
                break
            point = candidate
            path.append(point.copy())
            losses.append(value)
            rates.append(rate)
    return Run(np.array(path), np.array(losses), np.array(rates), diverged_at)


def step_decay(lr: float, factor: float = 0.5, every: int = 25) -> Schedule:
    """A schedule that multiplies the learning rate by `factor` every `every` steps."""
    lr = _rate(lr)
    if not 0 < factor <= 1:
        raise ValueError(f"factor must be in (0, 1], got {factor}")
    if every <= 0:
        raise ValueError(f"every must be a positive number of steps, got {every}")
    return lambda step: lr * factor ** (step // every)


def cyclical(low: float, high: float, period: int = 20) -> Schedule:
    """A triangular cyclical schedule: from `low` up to `high` and back down every `period` steps."""
    low, high = _rate(low), _rate(high)
    if high < low:
        raise ValueError(f"high ({high}) must be at least low ({low})")
    if period < 2:
        raise ValueError(f"period must be at least 2 steps, got {period}")
    half = period / 2
    return lambda step: low + (high - low) * (1 - abs((step % period) - half) / half)


def remembered(compute: Compute) -> Compute:
    """`compute`, keeping each result by its exact arguments: asked again with the same ones, it gives back the
    kept result instead of computing it again; any changed argument computes afresh.

    For a notebook's repeated experiments (many seeds, rates or draws): a cell run again prints the same at once.
    Arguments are compared by value: NumPy arrays and torch tensors by dtype, shape and bytes, numbers by type and
    bytes, a function by its code, the values it closes over and its defaults; any other object by itself (a model
    changed in place is the same argument). `f(1)` and `f(x=1)` are the same call. The notebook's variables that
    `compute` itself reads (its globals: the data, a loss function) count too, so a learner who changes the data
    and runs the experiment again gets a new result, not a stale one.
    Results are shared, not copied, and kept as long as the returned function: defining it again keeps nothing.
    """
    signature = inspect.signature(compute)
    kept: dict[Hashable, Any] = {}
    read = [name for name in compute.__code__.co_names if name in compute.__globals__]

    @functools.wraps(compute)
    def compute_once(*args: Any, **kwargs: Any) -> Any:
        call = signature.bind(*args, **kwargs)
        call.apply_defaults()
        key = tuple((name, _by_value(value)) for name, value in call.arguments.items())
        key += tuple((name, _global_by_value(compute.__globals__.get(name))) for name in read)
        if key not in kept:
            kept[key] = compute(*args, **kwargs)
        return kept[key]

    return compute_once  # type: ignore[return-value]


def _global_by_value(value: Any) -> Hashable:
    """A global read by the remembered function, by value where it can be (data), else by identity (a module)."""
    try:
        return _by_value(value)
    except TypeError:
        return ("object", id(value))


def _by_value(value: Any) -> Hashable:
    """A hashable stand-in for `value` that equals another's exactly when the two values are the same."""
    if isinstance(value, (bool, int, float, complex, np.generic)):
        number = np.asarray(value)  # 1, 1.0 and True differ; so do 0.0 and -0.0; nan equals nan
        value = value if number.dtype.hasobject else number  # an int too large for int64 stays itself
    if callable(getattr(value, "detach", None)) and callable(getattr(value, "numpy", None)):  # a torch tensor
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            return ("object array", value.shape, _by_value(value.tolist()))
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *map(_by_value, value))
    if isinstance(value, dict):
        return ("dict", *((_by_value(k), _by_value(v)) for k, v in value.items()))
    if isinstance(value, FunctionType):
        cells = tuple(_by_value(cell.cell_contents) for cell in value.__closure__ or ())
        return ("function", value.__code__, cells, _by_value(value.__defaults__), _by_value(value.__kwdefaults__))
    if isinstance(value, Hashable):
        return (type(value), value)
    raise TypeError(f"remembered: cannot compare an argument of type {type(value).__name__} by value")
