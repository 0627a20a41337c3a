"""The live-figure mechanism: sliders that move a figure at once (the lesson figures are in `helpers.widgets`).

`LiveFigure` is the course's one widget mechanism. It uses core ipywidgets only (an `Image` showing a
PNG rendered by matplotlib's Agg), so it behaves the same in JupyterLab, Colab, Binder and Voila, and
needs no ipympl. Artists that move are drawn by blitting over a cached background, so a move costs a
few milliseconds instead of a full redraw. The cell's saved output also carries a PNG of the default
state, so GitHub, nbviewer and printouts show the figure (`helpers.loss_curve` uses the same pieces for a
figure that grows while a model trains); `control` and `slider` give every explorer's controls the same look.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from numbers import Real
from typing import Any, ClassVar

import ipywidgets
import numpy as np
from matplotlib import text as mpl_text
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from PIL import Image

from helpers import plots
from helpers.validate import finite_number

CONTROL_WIDTH = "420px"  # wide enough for a readable slider, narrow enough for a laptop's notebook column
NUMERIC_OPTIONS = ("value", "min", "max", "step")  # a slider's options that must be finite numbers when given


def control(kind: type[ipywidgets.ValueWidget], description: str, width: str = CONTROL_WIDTH,
            **options: Any) -> ipywidgets.ValueWidget:
    """A value widget of `kind` (a slider of any sort) in the course's look: its label at full width, a fixed
    width, and an update on every move while dragging, so that every explorer's controls look and answer alike.

    A NaN or infinite value, min, max or step is refused with a sentence: ipywidgets would take a NaN as it is.
    """
    for key in NUMERIC_OPTIONS:
        if isinstance(options.get(key), Real):  # a selection slider's value may be a word: ipywidgets checks it
            finite_number(f"slider {description!r}: {key}", options[key])
    return kind(description=description, continuous_update=True, style={"description_width": "initial"},
                layout=ipywidgets.Layout(width=width), **options)


def slider(description: str, low: float, high: float, value: float, step: float) -> ipywidgets.FloatSlider:
    """A float slider that reports every move while dragging, with a readable label width."""
    low, high = finite_number(f"slider {description!r}: low", low), finite_number(f"slider {description!r}: high", high)
    value = finite_number(f"slider {description!r}: value", value)
    if not low < high:
        raise ValueError(f"slider {description!r}: low ({low}) must be below high ({high})")
    if not low <= value <= high:
        raise ValueError(f"slider {description!r}: value {value} is outside [{low}, {high}]")
    step = finite_number(f"slider {description!r}: step", step)
    if step <= 0:
        raise ValueError(f"slider {description!r}: step must be positive, got {step}")
    decimals = max(0, int(np.ceil(-np.log10(step))))
    return control(ipywidgets.FloatSlider, description, value=value, min=low, max=high, step=step,
                   readout_format=f".{decimals}f")


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
        controls: Mapping[str, ipywidgets.ValueWidget],
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
        self.closed = False
        for artist in self.animated:
            artist.set_animated(True)
        self.image = ipywidgets.Image(format="png", layout=_scaled_image_layout(fig))
        self.status = ipywidgets.HTML(layout=ipywidgets.Layout(min_height="1.6em"))
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        control_box = ipywidgets.VBox(list(self.controls.values()))
        self.widget = ipywidgets.VBox([control_box, self.image, self.status])
        self._own_widgets = (*self.controls.values(), control_box, self.image, self.status, self.widget)
        self.refresh()
        self.timings.clear()
        self.created = next(LiveFigure._counter)
        for replaced in [live for live in LiveFigure.instances if live.title == title]:
            replaced.close()  # the same explorer cell run again: its old figure must not stay alive in the kernel
        LiveFigure.instances.add(self)

    def close(self) -> None:
        """Free the figure: its widgets leave ipywidgets' registry (and the page), its cached pictures go.

        ipywidgets keeps every widget until it is closed, and each control's observer keeps this figure, so
        without this every run of an explorer cell would keep its figure, a few MB, for the kernel's life.
        """
        if self.closed:
            return
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        for widget in self._own_widgets:  # a widget's layout and style are widgets too, kept until closed
            for part in (widget, getattr(widget, "layout", None), getattr(widget, "style", None)):
                if isinstance(part, ipywidgets.Widget):
                    part.close()
        self._cache.clear()
        self._background = None
        LiveFigure.instances.discard(self)
        # Jupyter keeps each run's result in Out[n] for the kernel's life: a closed figure must hold nothing big
        # (its figure and the renderer's pixels are about 2 MB for a wide explorer; the update keeps its data).
        self.fig.clear()
        self.fig = self.update = self.image = self.status = self.widget = None
        self.animated, self._own_widgets = (), ()
        self.closed = True

    def _ensure_open(self) -> None:
        if self.closed:
            raise RuntimeError(f"this '{self.title}' figure was replaced when its cell ran again: use the newest one"
                               " (the figure under the cell's latest run)")

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
        self.presets[name] = self._checked(values)

    def preset(self, name: str) -> None:
        """Move the controls to a named setting (see `add_preset`)."""
        if name not in self.presets:
            known = ", ".join(self.presets) or "none yet (add one with add_preset)"
            raise ValueError(f"no preset called {name!r}; the presets are: {known}")
        self.set(**self.presets[name])

    def set(self, **values: Any) -> None:
        """Move several controls at once (one redraw), as a preset, a shared line or a test would.

        A NaN, or a word for a number, is refused with a sentence before any control moves. A number outside a
        slider's range is moved to its nearer end, as dragging would, and a printed sentence says which value
        the figure uses: printed rather than warned, because Python shows a warning from one place only once
        and a notebook shows it as a red error block, while a printed line appears under the cell every time,
        in Jupyter and in Voila alike.
        """
        self._ensure_open()
        values = self._checked(values)
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        for name, value in values.items():
            if self.controls[name].value != value:
                print(self._moved_sentence(name, value))
        self.refresh()

    def prerender(self, settings: Iterable[Mapping[str, Any]]) -> None:
        """Draw these settings now and keep their pictures, so that moving to them later draws nothing.

        For figures whose controls take a few discrete values and whose drawing is slow; the controls end
        where they started.
        """
        self._ensure_open()
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
        self._ensure_open()
        sizes = [text.get_fontsize() for text in self.fig.findobj(mpl_text.Text)
                 if text.get_visible() and text.get_text().strip()]
        return min(sizes) * self.fig.dpi / 72

    def _checked(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The values, each one suiting its control: one of a selection slider's options, or a finite number for
        a numeric slider (ipywidgets would keep a NaN and draw "nan"); a sentence names the control otherwise.
        A one-number NumPy array or torch tensor counts as its number."""
        self._check_names(values)
        values = {name: value.item() if getattr(value, "ndim", None) == 0 else value for name, value in values.items()}
        for name, value in values.items():
            control = self.controls[name]
            options = getattr(control, "_options_values", None)  # a selection slider's values (ipywidgets 7 and 8)
            if options is not None:
                if value not in options:
                    shown = ", ".join(format_value(option) for option in options)
                    raise ValueError(f"{name} must be one of the slider's values ({shown}), got {value!r}")
            elif isinstance(control.value, Real) and not isinstance(control.value, bool):
                finite_number(name, value)
        return values

    def _moved_sentence(self, name: str, asked: Any) -> str:
        """What the learner is told when a slider could not take the value asked for: the value it took instead."""
        control = self.controls[name]
        used = f"{name} = {format_value(control.value)}"
        low, high = getattr(control, "min", None), getattr(control, "max", None)
        if low is None or high is None:
            return f"{name} could not take {format_value(asked)}, so the figure uses {used}."
        if isinstance(control, ipywidgets.FloatLogSlider):  # its min and max are powers of its base
            low, high = control.base**low, control.base**high
        if not low <= asked <= high:
            return (f"{name} = {format_value(asked)} is outside the slider's range, {format_value(low)} to "
                    f"{format_value(high)}, so the figure uses {used}.")
        return f"{name} = {format_value(asked)} is not a value the slider can take, so the figure uses {used}."

    def _check_names(self, values: Mapping[str, Any]) -> None:
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(
                f"unknown control(s) {', '.join(sorted(unknown))}; this figure has {', '.join(self.controls)}"
            )

    def refresh(self) -> None:
        """Run `update` with the current values, re-render the image and the status line."""
        self._ensure_open()
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
        return canvas_png(canvas)

    def _draw_animated(self) -> None:
        for artist in self.animated:
            (artist.axes or self.fig).draw_artist(artist)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, plus a PNG of the current state and a text line for static viewers."""
        if self.closed:
            return {"text/plain": f"{self.title}: replaced by a newer run of its cell"}
        bundle = widget_bundle(self.widget, **kwargs)
        settings = ", ".join(f"{name} = {format_value(v)}" for name, v in self.values.items())
        bundle["text/plain"] = f"{self.title} ({settings}). {self.status_text}".strip()
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


def widget_bundle(widget: ipywidgets.Widget, **kwargs: Any) -> dict[str, Any]:
    """The MIME bundle that shows `widget` as a live view, under ipywidgets 8 and under 7 (Colab's).

    ipywidgets 8 widgets have `_repr_mimebundle_`; ipywidgets 7 widgets display themselves through
    `_ipython_display_` instead, so for them the same view reference is built here by hand.
    """
    if hasattr(widget, "_repr_mimebundle_"):
        return widget._repr_mimebundle_(**kwargs)
    view = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
    return {"text/plain": repr(widget), "application/vnd.jupyter.widget-view+json": view}


def _scaled_image_layout(fig: Figure) -> ipywidgets.Layout:
    """The live image's CSS: its natural width at most, narrower when its output area is (a laptop screen
    with the file browser open), and a height that follows the width, so the figure keeps its proportions.
    ipywidgets 8 and 7 both set these as the <img>'s style; a fixed pixel height would squeeze the figure."""
    width = int(round(fig.get_size_inches()[0] * fig.dpi))
    return ipywidgets.Layout(width=f"{width}px", max_width="100%", height="auto")


def canvas_png(canvas: Any) -> bytes:
    """The canvas's current pixels as a PNG, encoded for speed (a slider move pays for this every time)."""
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3]  # the figure is opaque; RGB encodes faster
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="png", compress_level=1)
    return out.getvalue()


def format_value(value: Any) -> str:
    """A control's value as a person writes it: 0.5 and 12 rather than 0.5000 and 12.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)
