"""Made-up data sets drawn from a seed (the same points on every machine): a noisy line, a quadratic, the ring
and XOR that need a hidden layer, and the wave of the overfitting notebook. The shipped data files and their
loaders are in `helpers.data`, which re-exports these so notebooks import all data from one place."""

from __future__ import annotations

import numpy as np

from helpers.validate import positive_int, positive_number


def noisy_line(
    n: int = 50, a: float = 3.0, b: float = 8.0, noise: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Points around the line y = a*x + b, with x uniform on [0, 1] and Gaussian noise.

    The course's first fitting problem: 50 points around y = 3x + 8 (noise sd 0.3).
    """
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, n)
    y = a * x + b + rng.normal(0.0, noise, n)
    return x, y


def quadratic(
    n: int = 1000,
    coefficients: tuple[float, float, float] = (10.0, 5.0, 12.0),
    noise: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs x from N(0, 1) and targets y = a*x**2 + b*x + c (plus optional Gaussian noise).

    The one-neuron quadratic of the course: true (a, b, c) = (10, 5, 12), 1000 inputs.
    """
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    if len(coefficients) != 3:
        raise ValueError(f"coefficients must be three numbers (a, b, c), got {len(coefficients)}")
    a, b, c = coefficients
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, n)
    y = a * x**2 + b * x + c + rng.normal(0.0, noise, n)
    return x, y


def ring(n: int = 400, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two classes no straight line can separate: class 0 in a disc, class 1 in a ring around it.

    Returns points X of shape (n, 2) and labels y of shape (n,) with values 0.0 and 1.0, half of each.
    """
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    radius = np.where(labels == 0, rng.uniform(0.0, 0.5, n), rng.uniform(1.0, 1.5, n))
    angle = rng.uniform(0.0, 2 * np.pi, n)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]) + rng.normal(0.0, noise, (n, 2))
    return points, labels.astype(float)


def xor(n: int = 200, noise: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The XOR problem: four clouds at (±1, ±1); class 1 where the two coordinates differ in sign.

    Returns points X of shape (n, 2) and labels y of shape (n,) with values 0.0 and 1.0.
    """
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    corners = np.array([[1, -1], [-1, 1], [1, 1], [-1, -1]], dtype=float)  # the first two are class 1
    which = np.arange(n) % 4
    points = corners[which] + rng.normal(0.0, noise, (n, 2))
    return points, (which < 2).astype(float)


def wave(x: np.ndarray) -> np.ndarray:
    """The curve behind `wavy`: one period of a sine wave on [0, 1]."""
    return np.sin(2 * np.pi * np.asarray(x))


def wavy(n: int = 300, noise: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points around one period of a sine wave, x uniform on [0, 1]: the overfitting notebook's data."""
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, n)
    return x, wave(x) + rng.normal(0.0, noise, n)
