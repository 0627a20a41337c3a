"""Notebooks 01 and 02: fit a model by hand with sliders, optionally beside the loss over every setting."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection

from helpers import plots
from helpers.live import LiveFigure, format_value, slider
from helpers.validate import axis_range, paired_arrays


def fit_explorer(
    x: np.ndarray,
    y: np.ndarray,
    predict: Callable[..., np.ndarray],
    loss: Callable[[np.ndarray, np.ndarray], float],
    sliders: Mapping[str, Sequence[float]],
    xlabel: str,
    ylabel: str,
    title: str = "Fit the model by hand",
    surface: bool = False,
    minimum: tuple[float, float] | None = None,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    levels: Sequence[float] | None = None,
    loss_format: str = ",.1f",
    error_color: str | None = None,
    map_legend: str = "upper right",
    map_legend_anchor: tuple[float, float] | None = None,
    title_values: bool = False,
    map_labels: tuple[str, str] | None = None,
) -> LiveFigure:
    """Sliders for a model's parameters over a scatter of (x, y): the model curve, the errors, the loss.

    `predict(x, **params)` and `loss(y_true, y_pred)` are the learner's own functions; each slider is
    given as name -> (low, high, start, step). With `surface=True` (two sliders), a loss map over the
    sliders' ranges sits beside the fit, with a marker at the current setting and a star at `minimum`.
    `xlim` and `ylim` fix the fit panel's ranges (the model curve spans `xlim`), e.g. so that the curve at
    the starting values stays inside the frame; by default the frame hugs the data. `levels` (optional, round
    numbers such as 0.1, 0.2, 0.5, 1, ...) are the loss map's contour levels, as in `plots.draw_contours`.
    `loss_format` formats the loss in the figure's title (e.g. ".3g" for losses below 1). The map reaches a
    little beyond the sliders' ranges, so that the marker stays whole at a corner, and the star is drawn
    over the marker, so that it stays visible when the setting reaches the minimum. `error_color` (optional)
    colours the error segments, e.g. black where they should stand apart from the model line's vermillion.
    `map_legend` places the loss map's legend (a matplotlib location), away from where the marker goes;
    with `map_legend_anchor` (axes coordinates, e.g. (0.5, -0.2) with `map_legend="upper center"`) it sits at
    that point, outside the map if the point is, in one row, so that no setting of the sliders hides under it.
    With `title_values=True` the fit panel's title names the sliders' values too ("w = 0.3, b = 0: mean squared
    error = 131.0"), so that a static copy of the figure says which setting it shows. `map_labels` (optional)
    labels the loss map's axes, e.g. ("a (slope)", "b (intercept)"); by default they are the sliders' names.
    """
    x, y = paired_arrays(x, y)
    xlim, ylim = axis_range("xlim", xlim), axis_range("ylim", ylim)
    controls = {name: slider(name, *spec) for name, spec in sliders.items()}
    if surface and len(controls) != 2:
        raise ValueError(f"surface=True needs exactly two sliders, got {len(controls)}: {', '.join(controls)}")
    fig, axes = plots.live_figure(ncols=2 if surface else 1, size=(10.5, 3.8) if surface else (6.4, 3.6))
    ax = axes[0]
    ax.scatter(x, y, s=18, color=plots.DATA_COLOR, label="data", zorder=3)
    grid = np.linspace(*(xlim if xlim is not None else (x.min(), x.max())), 100)
    (curve,) = ax.plot(grid, grid, color=plots.MODEL_COLOR, lw=2.5, label="model")
    errors = LineCollection([], colors=error_color or plots.ERROR_COLOR, linewidths=1, label="errors")
    ax.add_collection(errors, autolim=False)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    margin = 0.25 * (y.max() - y.min())
    ax.set_ylim(ylim if ylim is not None else (y.min() - margin, y.max() + margin))
    if xlim is not None:
        ax.set_xlim(xlim)
    ax.legend(loc="upper left")
    headline = ax.set_title(" ")

    def update(**params: float) -> str:
        y_hat = np.asarray(predict(x, **params), dtype=float)
        curve.set_ydata(predict(grid, **params))
        errors.set_segments(np.stack([np.column_stack([x, y]), np.column_stack([x, y_hat])], axis=1))
        value = float(loss(y, y_hat))
        setting = ", ".join(f"{name} = {format_value(params[name] + 0.0)}" for name in sliders)  # + 0.0: no -0
        headline.set_text(f"{setting + ': ' if title_values else ''}mean squared error = {value:{loss_format}}")
        if surface:
            marker.set_data([params[names[0]]], [params[names[1]]])
        return f"Mean squared error: {value:,.2f}"

    animated: tuple[Artist, ...] = (curve, errors, headline)
    if surface:
        names = list(sliders)
        pads = {n: 0.03 * (sliders[n][1] - sliders[n][0]) for n in names}  # room for the marker at a corner
        first, second = (np.linspace(sliders[n][0] - pads[n], sliders[n][1] + pads[n], 61) for n in names)
        losses = plots.loss_grid(lambda p, q: loss(y, predict(x, **{names[0]: p, names[1]: q})), first, second)
        plots.draw_contours(axes[1], first, second, losses, tuple(map_labels or names), minimum, levels=levels)
        axes[1].set_title("the loss over every setting")
        (marker,) = axes[1].plot([], [], "o", ms=10, color=plots.MODEL_COLOR, mec="white", label="your setting")
        if map_legend_anchor is None:
            axes[1].legend(loc=map_legend, framealpha=0.8, frameon=True)
        else:
            axes[1].legend(loc=map_legend, bbox_to_anchor=map_legend_anchor, ncols=2, frameon=False)
        star = [line for line in axes[1].lines if line.get_label() == "minimum"]
        animated += (marker, *star)  # the star last: drawn over the marker when they meet
    return LiveFigure(fig, update, controls, animated=animated, title=title)
