"""Notebook 04: a log-scale learning-rate slider, the path on the loss map and the loss per step."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets
import numpy as np
from matplotlib.artist import Artist

from helpers import plots
from helpers.live import LiveFigure, control
from helpers.validate import positive_number
from helpers.widgets.surface import Surface


def learning_rate_explorer(
    run: Callable[[float], Any],
    surface: Surface | tuple[str, str, np.ndarray, np.ndarray, np.ndarray],
    lr_range: tuple[float, float, float],
    minimum: tuple[float, float] | None = None,
    stable_limit: float | None = None,
    title: str = "Choose a learning rate",
    levels: Sequence[float] | None = None,
    compare: Mapping[str, float] | None = None,
    floor: float | None = None,
) -> LiveFigure:
    """A log-scale learning-rate slider: the descent path on the loss map and the loss per step.

    `run(lr)` returns a `helpers.training.Run`. A diverging run is drawn up to its last finite step and
    the figure says in words that it diverged and what to try, instead of drawing NaNs.
    `lr_range` is (lowest, highest, start), each a learning rate (the slider moves in powers of ten).
    `levels` (optional) are round contour levels for the map, as in `plots.draw_contours`.
    `compare` (optional, label -> learning rate) are runs whose loss curves stay in grey, each in its own
    line style, behind the chosen one, so that the choice is seen against them. The star at `minimum` is
    drawn over the path, so that it stays visible when the path crosses it. `floor` (optional) is the loss that
    no parameters get much below (the noise floor), drawn as a thin dotted line on the loss plot.
    """
    low, high, start = lr_range
    if not 0 < low <= start <= high:
        raise ValueError(f"lr_range must be (lowest, highest, start), 0 < lowest <= start <= highest; got {lr_range}")
    rate = control(ipywidgets.FloatLogSlider, "learning rate", width="480px", value=start, base=10,
                   min=np.log10(low), max=np.log10(high), step=0.005, readout_format=".3g")
    surface = Surface.of(surface)
    fig, (map_ax, loss_ax) = plots.live_figure(ncols=2, size=(10.5, 3.8))
    surface.draw(map_ax, "path on the loss map", levels=levels)  # its star is drawn below, over the path
    (path,) = map_ax.plot([], [], ".-", color="white", lw=1.2, ms=4)
    star: tuple[Artist, ...] = ()  # redrawn after the path on every move, so it stays on top
    if minimum is not None:
        star = tuple(map_ax.plot(*minimum, marker="*", ms=14, color=plots.PALETTE["yellow"], mec="black", ls="none"))
    reference = run(start)
    if reference.diverged:
        reference = run(low)  # a full-length run sets the step axis
    steps = len(reference.rates) if not reference.diverged else reference.diverged_at
    loss_floor = float(surface.losses.min())
    loss_ax.set(yscale="log", xlim=(0, steps), ylim=(max(loss_floor / 2, 1e-4), float(surface.losses.max()) * 100),
                xlabel="step", ylabel="loss (log scale)", title="loss per step")
    plots.plain_log_ticks(loss_ax, "y")  # 0.1, 1, 10 rather than powers of ten
    for (label, other), style in zip((compare or {}).items(), itertools.cycle((":", "-", "--", "-."))):
        loss_ax.plot(run(positive_number(f"compare[{label!r}]", other)).losses, color="0.55", lw=1.2, ls=style,
                     label=f"{label} ({other:g})")
    if compare:
        loss_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, handlelength=2.5,
                       title="grey: fixed rates", title_fontsize=9)  # outside the axes, clear of every curve
    if floor is not None:  # labelled on the plot, under the line, rather than among the grey rates
        loss_ax.axhline(positive_number("floor", floor), color="black", lw=0.8, ls=(0, (1, 2)),
                        label=f"noise floor {floor:.2g}")
        loss_ax.text(0.98 * steps, floor / 1.08, f"noise floor {floor:.2g}", ha="right", va="top", fontsize=9)
    (curve,) = loss_ax.plot([], [], color=plots.PALETTE["blue"], lw=2)
    verdict = loss_ax.text(0.97, 0.95, " ", transform=loss_ax.transAxes, ha="right", va="top", fontsize=11,
                           color=plots.PALETTE["vermillion"], fontweight="bold")

    def update(lr: float) -> str:
        result = run(lr)
        steps = len(result.rates)  # this run's own number of steps, not the starting rate's
        path.set_data(result.path[:, 0], result.path[:, 1])
        curve.set_data(np.arange(len(result.losses)), result.losses)
        if result.diverged:
            verdict.set_text(f"diverged at step {result.diverged_at}")
            limit = f" (the stable limit here is {stable_limit:.3g})" if stable_limit else ""
            return (f"Learning rate {lr:.3g}: training diverged at step {result.diverged_at}: each step overshoots "
                    f"the valley further than the last. Try a smaller learning rate{limit}.")
        if result.final_loss > result.losses[0]:
            verdict.set_text("diverging")
            return (f"Learning rate {lr:.3g}: the loss grew from {result.losses[0]:.3g} to {result.final_loss:.3g} "
                    f"in {steps} steps: training is diverging, slowly. Try a smaller learning rate.")
        verdict.set_text(" ")
        return f"Learning rate {lr:.3g}: loss {result.losses[0]:.3g} → {result.final_loss:.3g} after {steps} steps."

    return LiveFigure(fig, update, {"lr": rate}, animated=(path, *star, curve, verdict), title=title)
