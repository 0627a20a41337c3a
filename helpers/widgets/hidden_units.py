"""Notebook 05: hidden units and activation against the decision boundary, over networks trained beforehand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets
import numpy as np
from matplotlib.collections import LineCollection

from helpers import plots
from helpers.live import LiveFigure, control


def boundary_explorer(
    X: np.ndarray,
    y: np.ndarray,
    xs: np.ndarray,
    ys: np.ndarray,
    maps: Mapping[tuple[int, str], np.ndarray],
    accuracies: Mapping[tuple[int, str], float],
    start: tuple[int, str] | None = None,
    title: str = "Hidden units and the decision boundary",
    others: Mapping[tuple[int, str], Sequence[np.ndarray]] | None = None,
    summary: Mapping[tuple[int, str], str] | None = None,
) -> LiveFigure:
    """A hidden-units slider and an activation choice over networks trained beforehand.

    `maps[(units, activation)]` is the probability of class 1 on the grid (xs, ys) for a network trained
    with that setting; moving a control only swaps pictures (no training), so it answers at once.
    `others[key]` (optional) holds the maps of further runs of the same setting (other seeds): their
    boundaries are drawn in grey, so a lucky or unlucky run can be seen against the rest; `summary[key]`
    (optional) is a line added under the title, e.g. how many of the runs succeeded.
    """
    import contourpy

    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) != len(y):
        raise ValueError(f"X must have shape (n, 2) and y length n, got {X.shape} and {len(y)}")
    if not maps or set(maps) != set(accuracies):
        raise ValueError("maps and accuracies need the same, non-empty set of (units, activation) settings")
    units = sorted({u for u, _ in maps})
    activations = list(dict.fromkeys(a for _, a in maps))
    first = start or (units[0], activations[0])
    if first not in maps:
        raise ValueError(f"start {first} is not one of the trained settings")
    boundaries = {key: contourpy.contour_generator(xs, ys, p).lines(0.5) for key, p in maps.items()}
    grey_lines = {key: [line for p in (others or {}).get(key, ()) for line in
                        contourpy.contour_generator(xs, ys, np.asarray(p, dtype=float)).lines(0.5)] for key in maps}
    controls = {
        "units": control(ipywidgets.SelectionSlider, "hidden units", options=units, value=first[0]),
        "activation": ipywidgets.ToggleButtons(options=activations, value=first[1], description="activation"),
    }
    fig, (ax,) = plots.live_figure(size=(5.6, 5.0))
    image = plots.draw_probability(ax, xs, ys, maps[first], boundary=False)
    fig.colorbar(image, ax=ax, label="P(class 1)")
    plots.draw_classes(ax, X, y)
    points = tuple(ax.collections)  # redrawn over the background image on every move, so they stay on top
    boundary = LineCollection([], colors="black", linewidths=2, label="boundary (p = 0.5)")
    grey = LineCollection([], colors="0.4", linewidths=0.6,
                          alpha=0.45, label="other starts")
    if others:
        ax.add_collection(grey, autolim=False)
    ax.add_collection(boundary, autolim=False)
    ax.set(xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]))
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, fontsize=9, frameon=False)
    headline = ax.set_title(" ")  # the legend sits under the axes, off the data

    def update(units: int, activation: str) -> str:
        key = (units, activation)
        if key not in maps:
            return f"No network was trained with {units} hidden units and {activation}."
        image.set_data(maps[key])
        boundary.set_segments(boundaries[key])
        grey.set_segments(grey_lines[key])
        plural = "s" if units != 1 else ""
        note = f"\n{summary[key]}" if summary and key in summary else ""
        headline.set_text(f"{units} hidden unit{plural}, {activation}: accuracy {accuracies[key]:.0%}{note}")
        return f"{units} hidden {activation} unit{plural}: training accuracy {accuracies[key]:.1%}"

    animated = (image, *([grey] if others else []), *points, boundary, legend, headline)
    live = LiveFigure(fig, update, controls, animated=animated, title=title)
    live.prerender({"units": u, "activation": a} for u, a in maps)  # about 60 ms each; then moves draw nothing
    return live
