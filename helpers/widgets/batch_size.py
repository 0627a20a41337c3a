"""Notebook 06: batch size (and learning rate) over finished SGD runs: noise against cost."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets
import numpy as np
from matplotlib import patheffects
from matplotlib.artist import Artist

from helpers import plots
from helpers.live import LiveFigure, control
from helpers.widgets.surface import Surface


def batch_size_explorer(
    runs: Mapping[int, tuple[np.ndarray, np.ndarray]],
    examples: int,
    surface: Surface | tuple[str, str, np.ndarray, np.ndarray, np.ndarray],
    minimum: tuple[float, float] | None = None,
    seconds: Mapping[int, float] | None = None,
    title: str = "Batch size: noise against cost",
    floor: float | None = None,
    levels: Sequence[float] | None = None,
    rates: Mapping[int, float] | None = None,
    by_rate: Mapping[tuple[int, float], tuple[np.ndarray, np.ndarray]] | None = None,
    seconds_source: str = "measured",
) -> LiveFigure:
    """A batch-size slider over finished SGD runs: the path on the loss map, the loss per example seen, and
    (if `seconds[batch_size]` gives the time of an epoch) the cost of an epoch; `seconds_source` says where those
    times come from ("measured", or the cost model that gave them), in the cost panel's title.
    `floor` (optional) draws the lowest possible loss as a dashed line; `levels` gives the map round levels.

    Every run's path and loss curve stay drawn in light grey, so the chosen one (orange in every panel; its
    path edged in black, under the minimum's star) is always seen against all the others. `runs[batch_size] =
    (path, losses)` holds the parameters after every update (path[0] is the start) and the full-data loss at
    each of them; `examples` is the size of the training set.
    All runs are finished before the figure is built: a move only redraws the coloured path and curve.

    With `rates[batch_size]` (the rate of each run in `runs`, e.g. its best) and `by_rate[(batch_size, rate)]`
    (a run for every batch size and every rate), a second slider chooses the learning rate: the grey runs stay
    those of `runs`, the coloured one is `by_rate[(batch, rate)]`, and the text names the batch size's own rate.
    """
    if not runs:
        raise ValueError("runs is empty: give at least one batch size")
    sizes = sorted(runs)
    if seconds is not None and set(seconds) != set(runs):
        raise ValueError("seconds needs one measured time per batch size in runs")
    if (rates is None) != (by_rate is None):
        raise ValueError("give both rates (each run's rate) and by_rate (a run per batch size and rate), or neither")
    rate_options = sorted({rate for _, rate in by_rate}) if by_rate else []
    if by_rate and (set(by_rate) != {(s, r) for s in sizes for r in rate_options} or set(rates) != set(runs)
                    or not set(rates.values()) <= set(rate_options)):
        raise ValueError("by_rate needs a run for every batch size in runs and every rate, and rates one of "
                         "those rates per batch size")
    surface = Surface.of(surface)
    batch = control(ipywidgets.SelectionSlider, "batch size", options=sizes, value=sizes[len(sizes) // 2])
    fig, (map_ax, loss_ax) = plots.live_figure(ncols=2, size=(10.5, 6.2) if seconds else (10.5, 3.8))
    filled = plots.draw_contours(map_ax, surface.first, surface.second, surface.losses,
                                 (surface.first_name, surface.second_name), colorbar=False, levels=levels)
    map_ax.set(xlim=(surface.first[0], surface.first[-1]), ylim=(surface.second[0], surface.second[-1]),
               title="path of every update")
    # On the map's left: on its right the bar's label would sit beside the loss panel's own axis label.
    fig.colorbar(filled, ax=map_ax, location="left", label="loss on all data (map colours)", format="%g")
    most = max((len(runs[s][1]) - 1) * s for s in sizes)
    loss_ax.set(xscale="log", yscale="log", xlim=(1, most), xlabel="examples seen (log scale)",
                ylabel="loss on all data (log scale)", title="loss against work done")
    lowest = min(float(surface.losses.min()), np.inf if floor is None else floor)
    # A decade of room below the lowest loss, where no curve goes: the legend sits there, clear of the curves' tails.
    loss_ax.set_ylim(lowest * 0.08, max(float(runs[s][1][0]) for s in sizes) * 1.5)
    plots.plain_log_ticks(loss_ax)
    for size in sizes:  # every run in grey, drawn once into the background
        trajectory, losses = runs[size]
        map_ax.plot(trajectory[:, 0], trajectory[:, 1], "-", color="lightgrey", lw=0.4, alpha=0.6)
        loss_ax.plot(np.maximum(np.arange(len(losses)) * size, 1), losses, color="darkgrey", lw=0.8,
                     drawstyle="steps-post")  # flat until the first update: nothing changes before it
    (path,) = map_ax.plot([], [], "-", color=plots.PALETTE["orange"], lw=1.3,  # orange edged in black: seen on
                          path_effects=[patheffects.withStroke(linewidth=2.6, foreground="black")])  # any shade
    star = map_ax.plot(*(minimum or (np.nan, np.nan)), marker="*", ms=14, color=plots.PALETTE["yellow"], mec="black",
                       ls="none")[0]  # drawn after the paths, so it stays on top of them
    (curve,) = loss_ax.plot([], [], color=plots.PALETTE["orange"], lw=2, drawstyle="steps-post")  # as its path
    if floor is not None:
        loss_ax.axhline(floor, color="black", ls="--", lw=1, label="lowest possible loss")
    loss_ax.plot([], [], color="darkgrey", lw=0.8, label="every batch size" + (", its best rate" if rates else ""))
    loss_ax.plot([], [], color=plots.PALETTE["orange"], lw=2, label="the chosen one")
    loss_ax.legend(loc="lower left", fontsize="small")
    animated: tuple[Artist, ...] = (path, star, curve)
    if seconds:  # under the other two, across the figure: a third column would make a laptop shrink them all
        rows = fig.add_gridspec(2, 2, height_ratios=(3.8, 2.4))
        map_ax.set_subplotspec(rows[0, 0])
        loss_ax.set_subplotspec(rows[0, 1])
        cost_ax = fig.add_subplot(rows[1, :])
        cost_ax.bar(range(len(sizes)), [1000 * seconds[s] for s in sizes], color="lightgrey")
        cost_ax.set(xticks=range(len(sizes)), xticklabels=sizes, yscale="log", xlabel="batch size",
                    ylabel="ms per epoch (log scale)", title=f"cost of an epoch, {seconds_source}")
        plots.plain_log_ticks(cost_ax, "y")
        (highlight,) = cost_ax.bar([0], [1000 * seconds[sizes[0]]], color=plots.PALETTE["orange"])
        animated += (highlight,)

    controls: dict[str, ipywidgets.ValueWidget] = {"batch": batch}
    if by_rate:
        controls["rate"] = control(ipywidgets.SelectionSlider, "learning rate", options=rate_options,
                                   value=rates[batch.value])

    def update(batch: int, rate: float | None = None) -> str:
        trajectory, losses = runs[batch] if rate is None else by_rate[(batch, rate)]
        updates = len(losses) - 1
        path.set_data(trajectory[:, 0], trajectory[:, 1])
        seen = np.arange(len(losses)) * batch
        curve.set_data(np.maximum(seen, 1), losses)
        if seconds:
            highlight.set_x(sizes.index(batch) - highlight.get_width() / 2)
            highlight.set_height(1000 * seconds[batch])
        per_epoch = -(-examples // batch)
        at = "" if rate is None else f" at rate {rate}"
        best = "" if rate is None else f" Its best rate of the {len(rate_options)}: {rates[batch]}."
        if rate is not None and len(rate_options) > 2 and rates[batch] in (rate_options[0], rate_options[-1]):
            end = "lowest" if rates[batch] == rate_options[0] else "highest"
            best += f" It is the {end} offered: a rate beyond it might do better."
        return (f"Batch size {batch}{at}: {per_epoch} updates per epoch, {updates} updates in all; "
                f"final loss {losses[-1]:.3g}.{best}")

    return LiveFigure(fig, update, controls, animated=animated, title=title)
