"""Notebook 03: walk downhill on a loss map from a start you choose, one step at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets
import numpy as np
from matplotlib import patches as mpl_patches
from matplotlib import patheffects
from matplotlib.collections import LineCollection

from helpers import plots
from helpers.live import LiveFigure, control, slider
from helpers.validate import finite_array, positive_int, positive_number
from helpers.widgets.surface import Surface

EARLIER_WALKS = 8  # descent_explorer keeps this many walks from earlier starts on its panels


def descent_explorer(
    loss: Callable[[np.ndarray], float],
    gradient: Callable[[np.ndarray], np.ndarray],
    surface: Surface | tuple[str, str, np.ndarray, np.ndarray, np.ndarray],
    lr: float,
    steps: int = 40,
    start: tuple[float, float] = (0.0, 0.0),
    minimum: tuple[float, float] | None = None,
    levels: Sequence[float] | None = None,
    title: str = "Walk downhill from a start you choose",
    floor: float | None = None,
    floor_label: str = "noise level",
    margin: float = 0.15,
) -> LiveFigure:
    """Choose where gradient descent starts, and how many steps it has taken: the path on the loss map
    (the steps taken so far solid white, the steps still to come dotted), the arrow of the next step (minus the
    learning rate times the gradient, drawn where the walk now stands, a ring), and the loss per step. When a
    start slider is let go at a new start, the walk before it stays on both panels, dashed in light blue, and the
    ones before that in light grey (the last `EARLIER_WALKS` walks in all).
    `surface` is the loss map (a `Surface`, or its 5-tuple); the start sliders span the
    grids less `margin` (a fraction of each range) at both ends, so the start and its first arrow stay inside
    the frame. `floor` (optional) draws a dashed line on the loss panel, e.g. the loss the noise alone leaves.
    Moving a slider reruns the descent (plain NumPy, a few microseconds).
    """
    from helpers.training import descend  # here, not at the top: helpers.training is the learner's next step

    if not callable(loss) or not callable(gradient):
        raise TypeError("loss and gradient must be functions of the parameters (a NumPy array of two numbers)")
    lr = positive_number("lr (the learning rate)", lr)
    steps = positive_int("steps", steps)
    surface = Surface.of(surface)
    first_name, second_name, first, second = surface.first_name, surface.second_name, surface.first, surface.second
    start = finite_array("start", start, ndim=1, length=2)
    margin = positive_number("margin", margin, allow_zero=True)
    if margin >= 0.5:
        raise ValueError(f"margin must be a fraction of each range in [0, 0.5), got {margin}")
    floor = None if floor is None else positive_number("floor", floor)
    inner = [(float(g[0] + margin * np.ptp(g)), float(g[-1] - margin * np.ptp(g))) for g in (first, second)]
    if not (inner[0][0] <= start[0] <= inner[0][1] and inner[1][0] <= start[1] <= inner[1][1]):
        raise ValueError(f"start must lie on the map, away from its edges ({first_name} in [{inner[0][0]:g}, "
                         f"{inner[0][1]:g}], {second_name} in [{inner[1][0]:g}, {inner[1][1]:g}]), got {tuple(start)}")
    spacing = [float(np.ptp(g)) / 20 for g in (first, second)]
    controls = {
        "start_a": slider(f"start {first_name}", *inner[0], float(start[0]), spacing[0]),
        "start_b": slider(f"start {second_name}", *inner[1], float(start[1]), spacing[1]),
        "step": control(ipywidgets.IntSlider, "steps taken", value=0, min=0, max=steps),
    }
    for name in ("start_a", "start_b"):  # a new start counts when the slider is let go: the walk before it stays
        controls[name].continuous_update = False
    fig, (map_ax, loss_ax) = plots.live_figure(ncols=2, size=(10.5, 4.0))
    surface.draw(map_ax, "the walk on the loss map", minimum, levels)
    older = LineCollection([], colors="0.82", linewidths=1.2, alpha=0.9)  # the walks before the previous one
    map_ax.add_collection(older)
    (before,) = map_ax.plot([], [], "--", color=plots.PALETTE["sky"], lw=1.4, alpha=0.9)  # the previous start's
    (whole,) = map_ax.plot([], [], ":", color="white", lw=1.3, alpha=0.9)  # the steps still to come
    (path,) = map_ax.plot([], [], ".-", color="white", lw=2.2, ms=6)
    halo = [patheffects.withStroke(linewidth=4.5, foreground="white")]
    (here,) = map_ax.plot([], [], "o", ms=12, mfc="none", mec=plots.MODEL_COLOR, mew=2.5, path_effects=halo)
    star = None if minimum is None else map_ax.plot(*minimum, marker="*", ms=14, color=plots.PALETTE["yellow"],
                                                    mec="black", ls="none")[0]  # on top of the walk's ring
    arrow = mpl_patches.FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=16, lw=2.2,
                                        color=plots.PALETTE["purple"], zorder=5)  # a hue apart from the ring's
    map_ax.add_patch(arrow)
    low, high = max(float(surface.losses.min()), 1e-3), float(surface.losses.max())
    loss_ax.set(yscale="log", xlim=(0, steps), ylim=(low / 2, high * 2), xlabel="step",
                ylabel="loss (log scale)", title="loss per step")
    plots.plain_log_ticks(loss_ax, "y")
    if floor is not None:  # the label sits under the line, where no walk's loss curve passes
        loss_ax.axhline(floor, color="0.35", ls="--", lw=1.2)
        loss_ax.text(steps, floor / 1.12, f"{floor_label} {floor:.3g}", ha="right", va="top", fontsize=9,
                     color="0.25")
    older_curves = LineCollection([], colors="0.7", linewidths=1.2)
    loss_ax.add_collection(older_curves)
    (curve_before,) = loss_ax.plot([], [], "--", color=plots.PALETTE["sky"], lw=1.6)
    (curve,) = loss_ax.plot([], [], color=plots.PALETTE["blue"], lw=2)
    (now,) = loss_ax.plot([], [], "o", ms=9, color=plots.MODEL_COLOR)
    walks: dict[str, Any] = {"start": None, "run": None, "earlier": []}  # the walk shown, and those before it

    def update(start_a: float, start_b: float, step: int) -> str:
        run = descend(loss, gradient, np.array([start_a, start_b]), lr, steps)
        if walks["start"] is not None and walks["start"] != (start_a, start_b):
            walks["earlier"] = [*walks["earlier"], walks["run"]][-EARLIER_WALKS:]  # a new start: the last walk stays
        walks["start"], walks["run"] = (start_a, start_b), run
        taken = min(step, len(run.path) - 1)
        point = run.path[taken]
        move = -lr * np.asarray(gradient(point), dtype=float)
        whole.set_data(run.path[taken:, 0], run.path[taken:, 1])
        path.set_data(run.path[: taken + 1, 0], run.path[: taken + 1, 1])
        here.set_data([point[0]], [point[1]])
        arrow.set_positions(tuple(point), tuple(point + move))
        curve.set_data(np.arange(len(run.losses)), run.losses)
        now.set_data([taken], [run.losses[taken]])
        compared = ""
        if walks["earlier"]:
            *oldest, previous = walks["earlier"]  # the previous walk dashed in light blue, the ones before it grey
            older.set_segments([old.path for old in oldest])
            older_curves.set_segments([np.column_stack([np.arange(len(old.losses)), old.losses]) for old in oldest])
            before.set_data(previous.path[:, 0], previous.path[:, 1])
            curve_before.set_data(np.arange(len(previous.losses)), previous.losses)
            compared = (f" Dashed: the walk from your previous start ({previous.path[0, 0]:.2f}, "
                        f"{previous.path[0, 1]:.2f}), loss {previous.losses[-1]:.3g} after {len(previous.losses) - 1}"
                        f" steps." + (f" Grey: {len(oldest)} earlier walk{'s' if len(oldest) > 1 else ''}."
                                      if oldest else ""))
        return (f"Start ({start_a:.2f}, {start_b:.2f}); after {taken} steps {first_name} = {point[0]:.2f}, "
                f"{second_name} = {point[1]:.2f}, loss {run.losses[taken]:.3g}; the next step (arrow) moves by "
                f"({move[0]:+.2f}, {move[1]:+.2f}).{compared}")

    animated = (older, older_curves, before, whole, path, here, arrow, curve_before, curve, now,
                *([star] if star is not None else []))
    return LiveFigure(fig, update, controls, animated=animated, title=title)
