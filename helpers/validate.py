"""Argument checks shared by the helpers: bad input becomes a sentence naming the argument, what was
expected and what was given, instead of a traceback deep inside NumPy or a silent NaN in a figure."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np


def _shown(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"{type(value).__name__} {value!r}"[:80]


def positive_int(name: str, value: Any) -> int:
    """`value` as a whole number above zero, or TypeError/ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number, got {_shown(value)}")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return int(value)


def positive_number(name: str, value: Any, allow_zero: bool = False) -> float:
    """`value` as a finite number above zero (or at least zero), or TypeError/ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {_shown(value)}")
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        expected = "a finite number >= 0" if allow_zero else "a positive finite number"
        raise ValueError(f"{name} must be {expected}, got {value}")
    return float(value)


def finite_number(name: str, value: Any) -> float:
    """`value` as a finite number of any sign, or TypeError/ValueError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {_shown(value)}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return float(value)


def finite_array(name: str, value: Any, ndim: int | None = None, length: int | None = None) -> np.ndarray:
    """`value` as a non-empty float array of finite numbers (with `ndim` dimensions and `length` rows, if
    given), or TypeError/ValueError naming `name`."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {_shown(value)}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {_shown(value)}") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty: it needs at least one value")
    if length is not None and len(array) != length:
        raise ValueError(f"{name} must have {length} rows (one per example), got {len(array)}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def axis_range(name: str, limits: Any) -> tuple[float, float] | None:
    """None, or two finite increasing numbers (low, high) for an axis range."""
    if limits is None:
        return None
    try:
        low, high = (float(v) for v in limits)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be two numbers (low, high), got {limits!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"{name} must be two finite numbers with low < high, got {limits!r}")
    return low, high


def paired_arrays(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """x and y as finite 1-D float arrays of the same length: the points of a scatter."""
    x = finite_array("x", x, ndim=1)
    y = finite_array("y", y, ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must be 1-D arrays of the same length, got shapes {x.shape} and {y.shape}")
    return x, y
