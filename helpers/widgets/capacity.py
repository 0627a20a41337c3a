"""Notebook 07: polynomial degree (capacity) and training-set size, the fit and both errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets
import numpy as np

from helpers import plots
from helpers.live import LiveFigure, control
from helpers.validate import paired_arrays


def capacity_explorer(
    x_pool: np.ndarray,
    y_pool: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    truth: Callable[[np.ndarray], np.ndarray],
    max_degree: int = 15,
    sizes: Sequence[int] = (10, 15, 20, 30, 50, 100, 200),
    title: str = "Capacity and data",
    noise_floor: float | None = None,
    size: int | None = None,
) -> LiveFigure:
    """Polynomial degree (capacity) and training-set size sliders: the fit, and both errors.

    The first `size` points of the pool are the training set; each (degree, size) is fitted by least squares
    the first time it is shown (well under a millisecond) and remembered, and the right panel shows training
    and validation error for every degree, with the noise floor (the error of the truth itself) as a line
    when it is given. A degree of `size` or more cannot be fitted to `size` points: the explorer fits degree
    `size - 1` (a curve through every point) and says so in words; the right panel stays empty for those
    degrees (nothing was fitted there). Errors beyond the log axis are drawn on its edge as open markers, and
    the figure says so. `size` is the training size the explorer opens at (the first of `sizes` by default).
    """
    x_pool, y_pool = paired_arrays(x_pool, y_pool)
    x_val, y_val = paired_arrays(x_val, y_val)
    if max(sizes) > len(x_pool):
        raise ValueError(f"the largest training size ({max(sizes)}) is more than the pool ({len(x_pool)} points)")
    degrees = np.arange(max_degree + 1)
    if size is not None and size not in sizes:
        raise ValueError(f"size={size} is not one of the sizes offered, {list(sizes)}")
    controls = {
        "degree": control(ipywidgets.IntSlider, "degree", value=3, min=0, max=max_degree),
        "size": control(ipywidgets.SelectionSlider, "training points", options=list(sizes),
                        value=sizes[0] if size is None else size),
    }
    fig, (fit_ax, err_ax) = plots.live_figure(ncols=2, size=(10.5, 3.8))
    grid = np.linspace(x_pool.min(), x_pool.max(), 300)
    fit_ax.plot(grid, truth(grid), color="grey", ls="--", lw=1.5, label="truth")
    fit_ax.scatter(x_val, y_val, s=10, color=plots.PALETTE["sky"], alpha=0.6, label="validation")
    dots = fit_ax.scatter([], [], s=22, color=plots.DATA_COLOR, ec="black", lw=0.3, label="training")
    (curve,) = fit_ax.plot(grid, grid, color=plots.MODEL_COLOR, lw=2.5, label="model")
    span = np.ptp(y_pool)
    fit_ax.set(xlabel="x", ylabel="y", ylim=(y_pool.min() - 0.3 * span, y_pool.max() + 0.3 * span))
    fit_ax.legend(loc="lower left", fontsize=9, ncols=2)
    (train_line,) = err_ax.plot(degrees, degrees, "o-", color=plots.PALETTE["blue"], label="training error")
    (val_line,) = err_ax.plot(degrees, degrees, "s-", color=plots.PALETTE["vermillion"], label="validation error")
    marker = err_ax.axvline(3, color="black", lw=1, ls=":")
    low, high = 1e-4, 1e3
    (off_scale,) = err_ax.plot([], [], "o", mfc="white", mec="black", ms=7, label="off the scale (drawn at edge)")
    if noise_floor is not None:
        err_ax.axhline(noise_floor, color="grey", ls="--", lw=1.2, label=f"noise floor {noise_floor:g}")
    err_ax.set(yscale="log", ylim=(low, high), xlabel="polynomial degree (capacity)", ylabel="mean squared error",
               title="error against capacity")
    headline = fit_ax.set_title(" ")

    fitted: dict[tuple[int, int], tuple[np.polynomial.Polynomial, float, float]] = {}

    def errors(degree: int, size: int) -> tuple[np.polynomial.Polynomial, float, float]:
        """The fit and its two errors, computed once per (degree, size): a move refits only what is new."""
        if (degree, size) not in fitted:
            model = np.polynomial.Polynomial.fit(x_pool[:size], y_pool[:size], deg=min(degree, size - 1))
            train = float(np.mean((model(x_pool[:size]) - y_pool[:size]) ** 2))
            fitted[degree, size] = model, train, float(np.mean((model(x_val) - y_val) ** 2))
        return fitted[degree, size]

    for i, other in enumerate(sizes):  # every size's validation curve, in grey behind the chosen one: drawn once
        fittable = degrees[degrees < other]
        err_ax.plot(fittable, np.clip([errors(d, other)[2] for d in fittable], low, high), color="grey", lw=0.8,
                    alpha=0.5, zorder=1, label="validation, every size" if i == 0 else None)
    err_ax.legend(loc="upper left", fontsize=9, ncols=2)

    def update(degree: int, size: int) -> str:
        model, train, val = errors(degree, size)
        fittable = degrees[degrees < size]  # higher degrees cannot be fitted to `size` points: left empty
        table = np.array([errors(d, size)[1:] for d in fittable])
        dots.set_offsets(np.column_stack([x_pool[:size], y_pool[:size]]))
        curve.set_ydata(model(grid))
        shown = np.clip(table, low, high)
        train_line.set_data(fittable, shown[:, 0])
        val_line.set_data(fittable, shown[:, 1])
        outside = (table < low) | (table > high)
        off_scale.set_data(np.tile(fittable[:, None], 2)[outside], shown[outside])
        marker.set_xdata([degree, degree])
        fitted_degree = min(degree, size - 1)
        headline.set_text(f"degree {fitted_degree}" + (f" (asked for {degree})" if degree >= size else "")
                          + f", {size} training points")
        capped = ""
        if degree >= size:
            capped = (f" Degree {degree} needs at least {degree + 1} points: with {size} the curve already passes "
                      f"through every point at degree {size - 1}, so degree {size - 1} is what is shown.")
        elif degree == size - 1:
            capped = f" {degree + 1} coefficients for {size} points: the curve passes through every training point."
        floor = "" if noise_floor is None else f" (noise floor {noise_floor:g})"
        return (f"Degree {degree}, {size} training points: training error {train:.3f}, "
                f"validation error {val:.3f}{floor}.{capped}")

    return LiveFigure(fig, update, controls,
                      animated=(dots, curve, train_line, val_line, off_scale, marker, headline), title=title)
