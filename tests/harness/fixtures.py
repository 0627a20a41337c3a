"""Fixtures the tests share, and notebook 01's model and loss they are built from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest


def neuron(x: Any, w: float, b: float) -> Any:
    """Notebook 01's neuron: a line through the vending data."""
    return w * x + b


def mse(y_true: Any, y_pred: Any) -> Any:
    """Notebook 01's loss: the mean squared error."""
    return np.mean((y_pred - y_true) ** 2)


@pytest.fixture
def vending_explorer() -> Callable[..., Any]:
    """A builder of notebook 01's explorer (the neuron fitted to the vending data, sliders w and b) that starts
    at `w`, `b` and takes any other `fit_explorer` option."""
    from helpers import widgets
    from helpers.data import load_vending_machine

    vending = load_vending_machine()

    def build(w: float = 0.5, b: float = 0.0, **options: Any) -> Any:
        return widgets.fit_explorer(vending.visitors, vending.bottles_sold, neuron, mse,
                                    {"w": (0.0, 0.6, w, 0.005), "b": (-10.0, 20.0, b, 0.5)}, "visitors", "bottles",
                                    **options)

    return build
