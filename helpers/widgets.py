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
        self.widget = widgets.VBox([widgets.VBox(list(self.controls.values())), self.image, self.status])
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
) -> LiveFigure:
    """Sliders for a model's parameters over a scatter of (x, y): the model curve, the errors, the loss.

    `predict(x, **params)` and `loss(y_true, y_pred)` are the learner's own functions; each slider is
    given as name -> (low, high, start, step).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or len(x) == 0:
        raise ValueError(f"x and y must be 1-D arrays of the same length, got shapes {x.shape} and {y.shape}")
    controls = {name: slider(name, *spec) for name, spec in sliders.items()}
    fig, (ax,) = plots.live_figure(size=(6.4, 3.6))
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
        return f"Mean squared error: {value:,.2f}"

    return LiveFigure(fig, update, controls, animated=(curve, errors, headline), title=title)
