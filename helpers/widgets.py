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
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from PIL import Image

from helpers import plots

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def slider(description: str, low: float, high: float, value: float, step: float) -> widgets.FloatSlider:
    """A float slider that reports every move while dragging, with a readable label width."""
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
        extra: Sequence[widgets.Widget] = (),
    ) -> None:
        if not controls:
            raise ValueError("LiveFigure needs at least one control (a slider or another value widget)")
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
        for artist in self.animated:
            artist.set_animated(True)
        width, height = (int(round(v)) for v in fig.get_size_inches() * fig.dpi)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px", height=f"{height}px"))
        self.status = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.VBox([*extra, *self.controls.values()]), self.image, self.status])
        self.refresh()
        self.timings.clear()
        self.created = next(LiveFigure._counter)
        LiveFigure.instances.add(self)

    @property
    def values(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: Any) -> None:
        """Move several controls at once (one redraw), as a preset or a test would."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(
                f"unknown control(s) {', '.join(sorted(unknown))}; this figure has {', '.join(self.controls)}"
            )
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.refresh()

    def refresh(self) -> None:
        """Run `update` with the current values, re-render the image and the status line."""
        start = time.perf_counter()
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
        pixels = np.asarray(canvas.buffer_rgba())[:, :, :3]  # the figure is opaque; RGB encodes faster
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, format="png", compress_level=1)
        return out.getvalue()

    def _draw_animated(self) -> None:
        for artist in self.animated:
            (artist.axes or self.fig).draw_artist(artist)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, plus a PNG of the current state and a text line for static viewers."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        settings = ", ".join(f"{name} = {_format_value(v)}" for name, v in self.values.items())
        bundle["text/plain"] = f"{self.title} ({settings}). {self.status_text}".strip()
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


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
) -> LiveFigure:
    """Sliders for a model's parameters over a scatter of (x, y): the model curve, the errors, the loss.

    `predict(x, **params)` and `loss(y_true, y_pred)` are the learner's own functions; each slider is
    given as name -> (low, high, start, step). With `surface=True` (two sliders), a loss map over the
    sliders' ranges sits beside the fit, with a marker at the current setting and a star at `minimum`.
    """
    x, y = _check_xy(x, y)
    controls = {name: slider(name, *spec) for name, spec in sliders.items()}
    if surface and len(controls) != 2:
        raise ValueError(f"surface=True needs exactly two sliders, got {len(controls)}: {', '.join(controls)}")
    fig, axes = plots.live_figure(ncols=2 if surface else 1, size=(10.5, 3.8) if surface else (6.4, 3.6))
    ax = axes[0]
    ax.scatter(x, y, s=18, color=plots.DATA_COLOR, label="data", zorder=3)
    grid = np.linspace(x.min(), x.max(), 100)
    (curve,) = ax.plot(grid, grid, color=plots.MODEL_COLOR, lw=2.5, label="model")
    errors = LineCollection([], colors=plots.ERROR_COLOR, linewidths=1, label="errors")
    ax.add_collection(errors, autolim=False)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    margin = 0.25 * (y.max() - y.min())
    ax.set_ylim(y.min() - margin, y.max() + margin)
    ax.legend(loc="upper left")
    headline = ax.set_title(" ")

    def update(**params: float) -> str:
        y_hat = np.asarray(predict(x, **params), dtype=float)
        curve.set_ydata(predict(grid, **params))
        errors.set_segments(np.stack([np.column_stack([x, y]), np.column_stack([x, y_hat])], axis=1))
        value = float(loss(y, y_hat))
        headline.set_text(f"mean squared error = {value:,.1f}")
        if surface:
            marker.set_data([params[names[0]]], [params[names[1]]])
        return f"Mean squared error: {value:,.2f}"

    animated: tuple[Artist, ...] = (curve, errors, headline)
    if surface:
        names = list(sliders)
        first, second = (np.linspace(sliders[n][0], sliders[n][1], 61) for n in names)
        losses = plots.loss_grid(lambda p, q: loss(y, predict(x, **{names[0]: p, names[1]: q})), first, second)
        plots.draw_contours(axes[1], first, second, losses, (names[0], names[1]), minimum)
        axes[1].set_title("the loss over every setting")
        (marker,) = axes[1].plot([], [], "o", ms=10, color=plots.MODEL_COLOR, mec="white", label="your setting")
        axes[1].legend(loc="upper right", framealpha=0.8, frameon=True)
        animated += (marker,)
    return LiveFigure(fig, update, controls, animated=animated, title=title)


def _check_xy(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or len(x) == 0:
        raise ValueError(f"x and y must be 1-D arrays of the same length, got shapes {x.shape} and {y.shape}")
    return x, y


def training_explorer(
    x: np.ndarray,
    y: np.ndarray,
    predict: Callable[..., np.ndarray],
    history: Mapping[str, np.ndarray],
    losses: np.ndarray,
    surface: tuple[str, str, np.ndarray, np.ndarray, np.ndarray],
    xlabel: str = "x",
    ylabel: str = "y",
    title: str = "Training, epoch by epoch",
) -> LiveFigure:
    """An epoch slider (and a play button) stepping through a finished training run.

    `history` maps each parameter's name to its value at every epoch (epoch 0 = the start) and `losses`
    holds the loss at each epoch. Three panels move together: the model over the data, the path on the
    loss map `surface = (first_name, second_name, first_grid, second_grid, loss_grid)`, and the loss curve.
    Nothing is trained on a move: the slider only looks up an epoch that was already computed.
    """
    x, y = _check_xy(x, y)
    history = {name: np.asarray(values, dtype=float) for name, values in history.items()}
    losses = np.asarray(losses, dtype=float)
    epochs = len(losses) - 1
    if epochs < 1 or any(len(v) != len(losses) for v in history.values()):
        raise ValueError(f"every history entry needs {len(losses)} values (one per epoch), like losses")
    first_name, second_name, first, second, grid = surface
    missing = {first_name, second_name} - set(history)
    if missing:
        raise ValueError(f"surface names {', '.join(sorted(missing))} are not in history ({', '.join(history)})")
    epoch = widgets.IntSlider(value=0, min=0, max=epochs, description="epoch", continuous_update=True,
                              layout=widgets.Layout(width="420px"))
    play = widgets.Play(value=0, min=0, max=epochs, interval=150, description="play")
    widgets.jslink((play, "value"), (epoch, "value"))
    fig, (fit_ax, map_ax, loss_ax) = plots.live_figure(ncols=3, size=(12.5, 3.6))
    shown = np.random.default_rng(0).choice(len(x), size=min(len(x), 200), replace=False)
    fit_ax.scatter(x[shown], y[shown], s=8, color=plots.DATA_COLOR, alpha=0.6, label="data")
    grid_x = np.linspace(x.min(), x.max(), 120)
    (curve,) = fit_ax.plot(grid_x, grid_x, color=plots.MODEL_COLOR, lw=2.5, label="model")
    fit_ax.set(xlabel=xlabel, ylabel=ylabel, ylim=(y.min() - 0.1 * np.ptp(y), y.max() + 0.1 * np.ptp(y)))
    fit_ax.legend(loc="upper left")
    headline = fit_ax.set_title(" ")
    plots.draw_contours(map_ax, first, second, grid, (first_name, second_name))
    map_ax.set_title("path on the loss map")
    (path,) = map_ax.plot([], [], "-", color="white", lw=1.5)
    (point,) = map_ax.plot([], [], "o", ms=9, color=plots.MODEL_COLOR, mec="white")
    loss_ax.plot(np.arange(epochs + 1), losses, color=plots.PALETTE["blue"], lw=2)
    loss_ax.set(yscale="log", xlabel="epoch", ylabel="loss (log scale)", title="loss per epoch")
    (now,) = loss_ax.plot([], [], "o", ms=9, color=plots.MODEL_COLOR)

    def update(epoch: int) -> str:
        params = {name: float(values[epoch]) for name, values in history.items()}
        curve.set_ydata(predict(grid_x, **params))
        path.set_data(history[first_name][: epoch + 1], history[second_name][: epoch + 1])
        point.set_data([params[first_name]], [params[second_name]])
        now.set_data([epoch], [losses[epoch]])
        headline.set_text(f"epoch {epoch}: loss {losses[epoch]:.3g}")
        values = ", ".join(f"{name} = {value:.2f}" for name, value in params.items())
        return f"Epoch {epoch}: {values}; loss {losses[epoch]:.4g}"

    return LiveFigure(fig, update, {"epoch": epoch}, animated=(curve, path, point, now, headline),
                      title=title, extra=[play])


def learning_rate_explorer(
    run: Callable[[float], Any],
    surface: tuple[str, str, np.ndarray, np.ndarray, np.ndarray],
    lr_range: tuple[float, float, float],
    minimum: tuple[float, float] | None = None,
    stable_limit: float | None = None,
    title: str = "Choose a learning rate",
) -> LiveFigure:
    """A log-scale learning-rate slider: the descent path on the loss map and the loss per step.

    `run(lr)` returns a `helpers.training.Run`. A diverging run is drawn up to its last finite step and
    the figure says in words that it diverged and what to try, instead of drawing NaNs.
    `lr_range` is (lowest, highest, start), each a learning rate (the slider moves in powers of ten).
    """
    low, high, start = lr_range
    if not 0 < low <= start <= high:
        raise ValueError(f"lr_range must be (lowest, highest, start), 0 < lowest <= start <= highest; got {lr_range}")
    rate = widgets.FloatLogSlider(value=start, base=10, min=np.log10(low), max=np.log10(high), step=0.01,
                                  description="learning rate", readout_format=".3g", continuous_update=True,
                                  style={"description_width": "initial"}, layout=widgets.Layout(width="480px"))
    first_name, second_name, first, second, grid = surface
    fig, (map_ax, loss_ax) = plots.live_figure(ncols=2, size=(10.5, 3.8))
    plots.draw_contours(map_ax, first, second, grid, (first_name, second_name), minimum)
    map_ax.set(xlim=(first[0], first[-1]), ylim=(second[0], second[-1]), title="path on the loss map")
    (path,) = map_ax.plot([], [], ".-", color="white", lw=1.2, ms=4)
    reference = run(start)
    steps = len(reference.rates) if not reference.diverged else reference.diverged_at
    loss_floor = float(grid.min())
    loss_ax.set(yscale="log", xlim=(0, steps), ylim=(max(loss_floor / 2, 1e-4), float(grid.max()) * 100),
                xlabel="step", ylabel="loss (log scale)", title="loss per step")
    (curve,) = loss_ax.plot([], [], color=plots.PALETTE["blue"], lw=2)
    verdict = loss_ax.text(0.97, 0.95, " ", transform=loss_ax.transAxes, ha="right", va="top", fontsize=11,
                           color=plots.PALETTE["vermillion"], fontweight="bold")

    def update(lr: float) -> str:
        result = run(lr)
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

    return LiveFigure(fig, update, {"lr": rate}, animated=(path, curve, verdict), title=title)
