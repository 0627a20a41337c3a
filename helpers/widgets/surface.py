"""The loss map that several lesson figures draw their walks on: two parameters' grids and the loss over them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from matplotlib.axes import Axes

from helpers import plots
from helpers.validate import finite_array


class Surface(NamedTuple):
    """A loss map: the two parameters' names, their grids, and the loss at every grid point.

    `losses[j, i]` is the loss at (`first[i]`, `second[j]`), as `plots.loss_grid` computes it. A plain
    5-tuple in this order is accepted wherever a Surface is (see `Surface.of`).
    """

    first_name: str
    second_name: str
    first: np.ndarray
    second: np.ndarray
    losses: np.ndarray

    @classmethod
    def of(cls, surface: Any) -> Surface:
        """A Surface from a Surface or a tuple (first_name, second_name, first_grid, second_grid, losses),
        its grids checked: finite, one-dimensional, and matching the shape of the losses."""
        try:
            first_name, second_name, first, second, losses = surface
        except (TypeError, ValueError):
            raise ValueError("surface must be (first_name, second_name, first_grid, second_grid, losses), "
                             f"got {type(surface).__name__}") from None
        first, second = finite_array("first_grid", first, ndim=1), finite_array("second_grid", second, ndim=1)
        losses = np.asarray(losses, dtype=float)
        if losses.shape != (len(second), len(first)):
            raise ValueError(f"surface: the losses must have shape (len(second_grid), len(first_grid)) = "
                             f"{(len(second), len(first))}, got {losses.shape}")
        return cls(str(first_name), str(second_name), first, second, losses)

    def draw(self, ax: Axes, title: str, minimum: tuple[float, float] | None = None,
             levels: Sequence[float] | None = None) -> None:
        """The contour map on `ax`, framed to the grids, with a star at `minimum` if given."""
        plots.draw_contours(ax, self.first, self.second, self.losses, (self.first_name, self.second_name), minimum,
                            levels=levels)
        ax.set(xlim=(self.first[0], self.first[-1]), ylim=(self.second[0], self.second[-1]), title=title)
