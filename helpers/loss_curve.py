"""A loss curve that grows while a model trains, drawn with the live-figure pieces of `helpers.live` (a PNG in
an ipywidgets `Image`, updated in place), so it shows in JupyterLab, Colab and Voila alike."""

from __future__ import annotations

import base64
import time
from typing import Any, ClassVar

import ipywidgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from helpers import plots
from helpers.live import canvas_png, widget_bundle
from helpers.validate import positive_int


class LossCurve:
    """A loss curve that grows while a model trains, shown as one image updated in place.

    Use `with widgets.LossCurve(epochs) as progress:` and pass `progress.record` as `on_epoch` to
    `helpers.networks.train`; at the end the cell's saved output is replaced by the finished curve.
    """

    REDRAW_SECONDS: ClassVar[float] = 0.1

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
        self.image = ipywidgets.Image(format="png")
        self.label = ipywidgets.HTML()
        self.widget = ipywidgets.VBox([self.image, self.label])
        self._handle = None
        self._drawn_at, self._stale = -np.inf, False

    def __enter__(self) -> LossCurve:
        self._handle = self._display(self, display_id=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stale:
            self._draw()
        if self._handle is not None:
            self._handle.update(self)

    def record(self, epoch: int, history: Any) -> None:
        """Add one epoch to the curve (the `on_epoch` callback of `networks.train`).

        The picture is redrawn at most every `REDRAW_SECONDS` and at the last epoch: a redraw costs about
        40 ms, more than an epoch of a small network, and an eye cannot follow more frames than that anyway.
        """
        epochs = np.arange(1, epoch + 1)
        self.train_line.set_data(epochs, history.train_loss)
        if history.val_loss:
            self.val_line.set_data(epochs, history.val_loss)
        values = [v for v in history.train_loss + history.val_loss if v > 0]
        self.ax.set_ylim(min(values) * 0.7, max(values) * 1.4)
        self.label.value = f"epoch {epoch} of {self.epochs}"
        self._stale = True
        if epoch >= self.epochs or time.monotonic() - self._drawn_at >= self.REDRAW_SECONDS:
            self._draw()

    def _draw(self) -> None:
        """Render the curve as it stands into the image."""
        self.fig.canvas.draw()
        self.image.value = canvas_png(self.fig.canvas)
        self._drawn_at, self._stale = time.monotonic(), False

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = widget_bundle(self.widget, **kwargs)
        bundle["text/plain"] = f"Live loss curve ({self.epochs} epochs)"
        if self.image.value:
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle
