"""Sliders that move a figure at once: build the figure once, update its artists in place, re-render it.

`LiveFigure` is the course's one widget mechanism. It uses core ipywidgets only (an `Image` showing a
PNG rendered by matplotlib's Agg), so it behaves the same in JupyterLab, Colab, Binder and Voila, and
needs no ipympl. Artists that move are drawn by blitting over a cached background, so a move costs a
few milliseconds instead of a full redraw. The cell's saved output also carries a PNG of the default
state, so GitHub, nbviewer and printouts show the figure.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import time
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
from matplotlib import patches as mpl_patches
from matplotlib import patheffects
from matplotlib import text as mpl_text
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

from helpers import plots
from helpers.validate import finite_array, positive_int, positive_number


def slider(description: str, low: float, high: float, value: float, step: float) -> widgets.FloatSlider:
    """A float slider that reports every move while dragging, with a readable label width."""
    if not low < high:
        raise ValueError(f"slider {description!r}: low ({low}) must be below high ({high})")
    if not low <= value <= high:
        raise ValueError(f"slider {description!r}: value {value} is outside [{low}, {high}]")
    if step <= 0:
        raise ValueError(f"slider {description!r}: step must be positive, got {step}")
    decimals = max(0, int(np.ceil(-np.log10(step))))
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=True, readout_format=f".{decimals}f",
        style={"description_width": "initial"}, layout=widgets.Layout(width="420px"),
    )


class LiveFigure:
    """A matplotlib figure driven by widget controls, updated in place on every move.

    `update(**values)` receives the controls' current values by name, changes the figure's artists
    (never creates a new figure) and may return a sentence for the status line under the figure.
    Artists listed in `animated` are redrawn alone over a cached background (fast); anything else
    that changes needs `animated` left empty, which redraws the whole figure.
    """

    instances: ClassVar[weakref.WeakSet[LiveFigure]] = weakref.WeakSet()
    _counter: ClassVar[itertools.count] = itertools.count()

    def __init__(
        self,
        fig: Figure,
        update: Callable[..., str | None],
        controls: Mapping[str, widgets.ValueWidget],
        animated: Iterable[Artist] = (),
        title: str = "Interactive figure",
    ) -> None:
        if not controls:
            raise ValueError("LiveFigure needs at least one control (a slider or another value widget)")
        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure (see plots.live_figure), got {type(fig).__name__}")
        if not callable(update):
            raise TypeError(f"update must be a function of the controls' values, got {type(update).__name__}")
        self.fig = fig
        self.update = update
        self.controls = dict(controls)
        self.animated: tuple[Artist, ...] = tuple(animated)
        self.title = title
        self.timings: list[float] = []
        self.status_text = ""
        self.error: str | None = None
        self._background: Any = None
        self._holding = False
        self._cache: dict[tuple, tuple[bytes, str, str | None]] = {}
        self.presets: dict[str, dict[str, Any]] = {}
        for artist in self.animated:
            artist.set_animated(True)
        self.image = widgets.Image(format="png", layout=_scaled_image_layout(fig))
        self.status = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.VBox(list(self.controls.values())), self.image, self.status])
        self.refresh()
        self.timings.clear()
        self.created = next(LiveFigure._counter)
        LiveFigure.instances.add(self)

    @property
    def values(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def share(self, variable: str = "explorer") -> str:
        """The current setting as one line of code an instructor can send to a class, like a shared link:
        pasted into a cell, it puts every learner's figure on this setting."""
        settings = ", ".join(f"{name}={value!r}" for name, value in self.values.items())
        return f"{variable}.set({settings})"

    def add_preset(self, name: str, **values: Any) -> None:
        """Remember a named setting, so that `preset(name)` can move every control to it at once."""
        self._check_names(values)
        self.presets[name] = dict(values)

    def preset(self, name: str) -> None:
        """Move the controls to a named setting (see `add_preset`)."""
        if name not in self.presets:
            known = ", ".join(self.presets) or "none yet (add one with add_preset)"
            raise ValueError(f"no preset called {name!r}; the presets are: {known}")
        self.set(**self.presets[name])

    def set(self, **values: Any) -> None:
        """Move several controls at once (one redraw), as a preset or a test would."""
        self._check_names(values)
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.refresh()

    def prerender(self, settings: Iterable[Mapping[str, Any]]) -> None:
        """Draw these settings now and keep their pictures, so that moving to them later draws nothing.

        For figures whose controls take a few discrete values and whose drawing is slow; the controls end
        where they started.
        """
        start = self.values
        for values in settings:
            self.set(**values)
            self._cache[tuple(self.values.items())] = (self.image.value, self.status_text, self.error)
        self.set(**start)
        self.timings.clear()

    def smallest_text_px(self) -> float:
        """The height of the figure's smallest visible text (tick labels, legend, titles) in pixels of its PNG.

        Times the drawn width over the PNG's width, it is how large a learner sees that text, so a test can
        check that a figure shrunk to a narrow screen stays legible.
        """
        sizes = [text.get_fontsize() for text in self.fig.findobj(mpl_text.Text)
                 if text.get_visible() and text.get_text().strip()]
        return min(sizes) * self.fig.dpi / 72

    def _check_names(self, values: Mapping[str, Any]) -> None:
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(
                f"unknown control(s) {', '.join(sorted(unknown))}; this figure has {', '.join(self.controls)}"
            )

    def refresh(self) -> None:
        """Run `update` with the current values, re-render the image and the status line."""
        start = time.perf_counter()
        cached = self._cache.get(tuple(self.values.items()))
        if cached is not None:
            self.image.value, self.status_text, self.error = cached
        else:
            try:
                message = self.update(**self.values)
                self.error = None
            except Exception as exc:  # a slider callback's traceback would vanish into the log; show it
                message = None
                self.error = f"{type(exc).__name__}: {exc}"
            self.image.value = self._render()
            self.status_text = self.error and f"This setting could not be drawn ({self.error})" or message or ""
        colour = plots.PALETTE["vermillion"] if self.error else "inherit"
        self.status.value = f'<span style="color:{colour}">{html.escape(self.status_text)}</span>'
        self.timings.append(time.perf_counter() - start)

    def _on_change(self, _change: Mapping[str, Any]) -> None:
        if not self._holding:
            self.refresh()

    def _render(self) -> bytes:
        canvas = self.fig.canvas
        if not self.animated:
            canvas.draw()
        elif self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._draw_animated()
        else:
            canvas.restore_region(self._background)
            self._draw_animated()
        return _png(canvas)

    def _draw_animated(self) -> None:
        for artist in self.animated:
            (artist.axes or self.fig).draw_artist(artist)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, plus a PNG of the current state and a text line for static viewers."""
        bundle = widget_bundle(self.widget, **kwargs)
        settings = ", ".join(f"{name} = {_format_value(v)}" for name, v in self.values.items())
        bundle["text/plain"] = f"{self.title} ({settings}). {self.status_text}".strip()
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


def widget_bundle(widget: widgets.Widget, **kwargs: Any) -> dict[str, Any]:
    """The MIME bundle that shows `widget` as a live view, under ipywidgets 8 and under 7 (Colab's).

    ipywidgets 8 widgets have `_repr_mimebundle_`; ipywidgets 7 widgets display themselves through
    `_ipython_display_` instead, so for them the same view reference is built here by hand.
    """
    if hasattr(widget, "_repr_mimebundle_"):
        return widget._repr_mimebundle_(**kwargs)
    view = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
    return {"text/plain": repr(widget), "application/vnd.jupyter.widget-view+json": view}


def _scaled_image_layout(fig: Figure) -> widgets.Layout:
    """The live image's CSS: its natural width at most, narrower when its output area is (a laptop screen
    with the file browser open), and a height that follows the width, so the figure keeps its proportions.
    ipywidgets 8 and 7 both set these as the <img>'s style; a fixed pixel height would squeeze the figure."""
    width = int(round(fig.get_size_inches()[0] * fig.dpi))
    return widgets.Layout(width=f"{width}px", max_width="100%", height="auto")


def _png(canvas: Any) -> bytes:
    """The canvas's current pixels as a PNG, encoded for speed (a slider move pays for this every time)."""
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3]  # the figure is opaque; RGB encodes faster
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="png", compress_level=1)
    return out.getvalue()


def _format_value(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


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
    x, y = _check_xy(x, y)
    xlim, ylim = _check_limits("xlim", xlim), _check_limits("ylim", ylim)
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
        setting = ", ".join(f"{name} = {_format_value(params[name] + 0.0)}" for name in sliders)  # + 0.0: no -0
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


def _check_limits(name: str, limits: Any) -> tuple[float, float] | None:
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


def _check_xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = finite_array("x", x, ndim=1)
    y = finite_array("y", y, ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must be 1-D arrays of the same length, got shapes {x.shape} and {y.shape}")
    return x, y


EARLIER_WALKS = 8  # descent_explorer keeps this many walks from earlier starts on its panels


def descent_explorer(
    loss: Callable[[np.ndarray], float],
    gradient: Callable[[np.ndarray], np.ndarray],
    surface: tuple[str, str, np.ndarray, np.ndarray, np.ndarray],
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
    `surface = (first_name, second_name, first_grid, second_grid, loss_grid)`; the start sliders span the
    grids less `margin` (a fraction of each range) at both ends, so the start and its first arrow stay inside
    the frame. `floor` (optional) draws a dashed line on the loss panel, e.g. the loss the noise alone leaves.
    Moving a slider reruns the descent (plain NumPy, a few microseconds).
    """
    from helpers.training import descend  # here, not at the top: helpers.training is the learner's next step

    if not callable(loss) or not callable(gradient):
        raise TypeError("loss and gradient must be functions of the parameters (a NumPy array of two numbers)")
    lr = positive_number("lr (the learning rate)", lr)
    steps = positive_int("steps", steps)
    first_name, second_name, first, second, grid = surface
    first, second = finite_array("first_grid", first, ndim=1), finite_array("second_grid", second, ndim=1)
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
        "step": widgets.IntSlider(value=0, min=0, max=steps, description="steps taken", continuous_update=True,
                                  style={"description_width": "initial"}, layout=widgets.Layout(width="420px")),
    }
    for name in ("start_a", "start_b"):  # a new start counts when the slider is let go: the walk before it stays
        controls[name].continuous_update = False
    fig, (map_ax, loss_ax) = plots.live_figure(ncols=2, size=(10.5, 4.0))
    plots.draw_contours(map_ax, first, second, grid, (first_name, second_name), minimum, levels=levels)
    map_ax.set(xlim=(first[0], first[-1]), ylim=(second[0], second[-1]), title="the walk on the loss map")
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
    low, high = max(float(grid.min()), 1e-3), float(grid.max())
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


def learning_rate_explorer(
    run: Callable[[float], Any],
    surface: tuple[str, str, np.ndarray, np.ndarray, np.ndarray],
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
    rate = widgets.FloatLogSlider(value=start, base=10, min=np.log10(low), max=np.log10(high), step=0.005,
                                  description="learning rate", readout_format=".3g", continuous_update=True,
                                  style={"description_width": "initial"}, layout=widgets.Layout(width="480px"))
    first_name, second_name, first, second, grid = surface
    fig, (map_ax, loss_ax) = plots.live_figure(ncols=2, size=(10.5, 3.8))
    plots.draw_contours(map_ax, first, second, grid, (first_name, second_name), levels=levels)
    map_ax.set(xlim=(first[0], first[-1]), ylim=(second[0], second[-1]), title="path on the loss map")
    (path,) = map_ax.plot([], [], ".-", color="white", lw=1.2, ms=4)
    star: tuple[Artist, ...] = ()  # redrawn after the path on every move, so it stays on top
    if minimum is not None:
        star = tuple(map_ax.plot(*minimum, marker="*", ms=14, color=plots.PALETTE["yellow"], mec="black", ls="none"))
    reference = run(start)
    if reference.diverged:
        reference = run(low)  # a full-length run sets the step axis
    steps = len(reference.rates) if not reference.diverged else reference.diverged_at
    loss_floor = float(grid.min())
    loss_ax.set(yscale="log", xlim=(0, steps), ylim=(max(loss_floor / 2, 1e-4), float(grid.max()) * 100),
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
        "units": widgets.SelectionSlider(options=units, value=first[0], description="hidden units",
                                         continuous_update=True, style={"description_width": "initial"},
                                         layout=widgets.Layout(width="420px")),
        "activation": widgets.ToggleButtons(options=activations, value=first[1], description="activation"),
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


def batch_size_explorer(
    runs: Mapping[int, tuple[np.ndarray, np.ndarray]],
    examples: int,
    surface: tuple[str, str, np.ndarray, np.ndarray, np.ndarray],
    minimum: tuple[float, float] | None = None,
    seconds: Mapping[int, float] | None = None,
    title: str = "Batch size: noise against cost",
    floor: float | None = None,
    levels: Sequence[float] | None = None,
    rates: Mapping[int, float] | None = None,
    by_rate: Mapping[tuple[int, float], tuple[np.ndarray, np.ndarray]] | None = None,
) -> LiveFigure:
    """A batch-size slider over finished SGD runs: the path on the loss map, the loss per example seen, and
    (if `seconds[batch_size]` gives the time of an epoch, measured or from a cost model) the cost of an epoch.
    `floor` (optional) draws the lowest possible loss as a dashed line; `levels` gives the map round levels.

    Every run's path and loss curve stay drawn in light grey, so the chosen one (in colour; its path orange
    edged in black, under the minimum's star) is always seen against all the others. `runs[batch_size] =
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
    first_name, second_name, first, second, grid = surface
    control = widgets.SelectionSlider(options=sizes, value=sizes[len(sizes) // 2], description="batch size",
                                      continuous_update=True, style={"description_width": "initial"},
                                      layout=widgets.Layout(width="420px"))
    fig, (map_ax, loss_ax) = plots.live_figure(ncols=2, size=(10.5, 6.2) if seconds else (10.5, 3.8))
    plots.draw_contours(map_ax, first, second, grid, (first_name, second_name), minimum, levels=levels)
    map_ax.set(xlim=(first[0], first[-1]), ylim=(second[0], second[-1]), title="path of every update")
    most = max((len(runs[s][1]) - 1) * s for s in sizes)
    loss_ax.set(xscale="log", yscale="log", xlim=(1, most), xlabel="examples seen (log scale)",
                ylabel="loss on all data (log scale)", title="loss against work done")
    loss_ax.set_ylim(float(grid.min()) * 0.8, max(float(runs[s][1][0]) for s in sizes) * 1.5)
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
    (curve,) = loss_ax.plot([], [], color=plots.PALETTE["blue"], lw=2, drawstyle="steps-post")
    if floor is not None:
        loss_ax.axhline(floor, color="black", ls="--", lw=1, label="lowest possible loss")
    loss_ax.plot([], [], color="darkgrey", lw=0.8, label="every batch size" + (", its best rate" if rates else ""))
    loss_ax.plot([], [], color=plots.PALETTE["blue"], lw=2, label="the chosen one")
    loss_ax.legend(loc="lower left", fontsize="small")
    animated: tuple[Artist, ...] = (path, star, curve)
    if seconds:  # under the other two, across the figure: a third column would make a laptop shrink them all
        rows = fig.add_gridspec(2, 2, height_ratios=(3.8, 2.4))
        map_ax.set_subplotspec(rows[0, 0])
        loss_ax.set_subplotspec(rows[0, 1])
        cost_ax = fig.add_subplot(rows[1, :])
        cost_ax.bar(range(len(sizes)), [1000 * seconds[s] for s in sizes], color="lightgrey")
        cost_ax.set(xticks=range(len(sizes)), xticklabels=sizes, yscale="log", xlabel="batch size",
                    ylabel="ms per epoch (log scale)", title="cost of an epoch")
        plots.plain_log_ticks(cost_ax, "y")
        (highlight,) = cost_ax.bar([0], [1000 * seconds[sizes[0]]], color=plots.PALETTE["blue"])
        animated += (highlight,)

    controls: dict[str, widgets.ValueWidget] = {"batch": control}
    if by_rate:
        controls["rate"] = widgets.SelectionSlider(options=rate_options, value=rates[control.value],
                                                   description="learning rate", continuous_update=True,
                                                   style={"description_width": "initial"},
                                                   layout=widgets.Layout(width="420px"))

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
    x_pool, y_pool = _check_xy(x_pool, y_pool)
    x_val, y_val = _check_xy(x_val, y_val)
    if max(sizes) > len(x_pool):
        raise ValueError(f"the largest training size ({max(sizes)}) is more than the pool ({len(x_pool)} points)")
    degrees = np.arange(max_degree + 1)
    if size is not None and size not in sizes:
        raise ValueError(f"size={size} is not one of the sizes offered, {list(sizes)}")
    controls = {
        "degree": widgets.IntSlider(value=3, min=0, max=max_degree, description="degree", continuous_update=True,
                                    layout=widgets.Layout(width="420px")),
        "size": widgets.SelectionSlider(options=list(sizes), value=sizes[0] if size is None else size,
                                        description="training points",
                                        continuous_update=True, style={"description_width": "initial"},
                                        layout=widgets.Layout(width="420px")),
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


class LossCurve:
    """A loss curve that grows while a model trains, shown as one image updated in place.

    Use `with widgets.LossCurve(epochs) as progress:` and pass `progress.record` as `on_epoch` to
    `helpers.networks.train`; at the end the cell's saved output is replaced by the finished curve.
    """

    def __init__(self, epochs: int, title: str = "Training progress") -> None:
        from IPython.display import display

        self._display = display
        self.epochs = positive_int("epochs", epochs)
        self.fig, (ax,) = plots.live_figure(size=(6.4, 3.2))
        ax.set(xlim=(0, epochs), yscale="log", xlabel="epoch", ylabel="loss (log scale)", title=title)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs: 0, 5, 10 rather than 2.5, 7.5
        (self.train_line,) = ax.plot([], [], color=plots.PALETTE["blue"], lw=2, label="training loss")
        (self.val_line,) = ax.plot([], [], color=plots.PALETTE["vermillion"], lw=2, label="validation loss")
        ax.legend(loc="upper right")
        self.ax = ax
        self.image = widgets.Image(format="png")
        self.label = widgets.HTML()
        self.widget = widgets.VBox([self.image, self.label])
        self._handle = None

    def __enter__(self) -> LossCurve:
        self._handle = self._display(self, display_id=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.update(self)

    def record(self, epoch: int, history: Any) -> None:
        """Add one epoch to the curve (the `on_epoch` callback of `networks.train`)."""
        epochs = np.arange(1, epoch + 1)
        self.train_line.set_data(epochs, history.train_loss)
        if history.val_loss:
            self.val_line.set_data(epochs, history.val_loss)
        values = [v for v in history.train_loss + history.val_loss if v > 0]
        self.ax.set_ylim(min(values) * 0.7, max(values) * 1.4)
        self.fig.canvas.draw()
        self.image.value = _png(self.fig.canvas)
        self.label.value = f"epoch {epoch} of {self.epochs}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = widget_bundle(self.widget, **kwargs)
        bundle["text/plain"] = f"Live loss curve ({self.epochs} epochs)"
        if self.image.value:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle
