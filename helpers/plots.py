"""The course's look: a colour-blind-safe palette, readable defaults, and figures for live widgets."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.validate import finite_array, positive_int, positive_number

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
DATA_COLOR = PALETTE["blue"]
MODEL_COLOR = PALETTE["vermillion"]
ERROR_COLOR = PALETTE["orange"]
LIVE_DPI = 90


def use_course_style() -> None:
    """Set matplotlib defaults for every figure in the course: palette, size, grid, font sizes."""
    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=list(PALETTE.values())),
            "figure.figsize": (6.4, 3.6),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 11,
            "axes.titlesize": 12,
            "legend.frameon": False,
            "image.cmap": "viridis",
        }
    )


def live_figure(ncols: int = 1, size: tuple[float, float] = (6.4, 3.6)) -> tuple[Figure, list[Axes]]:
    """A figure for a live widget, made outside pyplot so the notebook does not also show it statically.

    Returns the figure and a flat list of its axes (one per column).
    """
    positive_int("ncols", ncols)
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise ValueError(f"size must be (width, height) in inches, got {size!r}")
    size = (positive_number("the figure width", size[0]), positive_number("the figure height", size[1]))
    fig = Figure(figsize=size, dpi=LIVE_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def draw_neuron(ax: Axes, inputs: list[str], weights: list[str], output: str = "y") -> None:
    """Draw a neuron as a diagram: inputs with weighted arrows into a sum, an activation, an output."""
    n = len(inputs)
    if n == 0 or len(weights) != n:
        raise ValueError(f"draw_neuron needs one weight label per input, got {n} inputs and {len(weights)} weights")
    ys = np.linspace(0.85, 0.15, n) if n > 1 else np.array([0.5])
    body = (0.55, 0.5)
    for label, weight, y in zip(inputs, weights, ys, strict=True):
        start, end = np.array([0.12, y]), np.array([body[0] - 0.11, body[1]])
        ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": PALETTE["blue"], "lw": 1.5})
        ax.text(0.08, y, label, ha="right", va="center", fontsize=13)
        # Each weight label sits at its own arrow's midpoint, along the arrow, the same small distance off it: on the
        # outer side (above the upper arrows, below the lower ones), so that it never sits closer to a neighbour.
        direction = (end - start) / np.linalg.norm(end - start)
        normal = np.array([-direction[1], direction[0]])  # a quarter turn to the left: the arrow's upper side
        below = y < body[1]
        at = (start + end) / 2 + (-0.025 if below else 0.025) * normal
        angle = np.degrees(np.arctan2(direction[1], direction[0]))  # the axes have equal aspect: data angle = screen
        ax.text(*at, weight, color=PALETTE["blue"], ha="center", va="top" if below else "bottom", fontsize=11,
                rotation=angle, rotation_mode="anchor")
    ax.add_patch(mpl.patches.Circle(body, 0.11, fc="white", ec=PALETTE["black"], lw=1.5))
    ax.text(*body, r"$\Sigma \to f$", ha="center", va="center", fontsize=11)
    ax.text(body[0], body[1] - 0.2, "+ b", ha="center", fontsize=11, color=PALETTE["vermillion"])
    ax.annotate("", xy=(0.9, body[1]), xytext=(body[0] + 0.11, body[1]),
                arrowprops={"arrowstyle": "->", "color": PALETTE["black"], "lw": 1.5})
    ax.text(0.93, body[1], output, va="center", fontsize=13)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.axis("off")


def loss_grid(loss: Callable[[float, float], float], first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The loss at every pair of two parameters: entry [i, j] is loss(first[j], second[i]).

    Rows follow the second parameter (the plot's vertical axis), as `contourf` expects.
    """
    if not callable(loss):
        raise TypeError(f"loss must be a function of two parameters, got {type(loss).__name__}")
    first = finite_array("first", first, ndim=1)
    second = finite_array("second", second, ndim=1)
    return np.array([[loss(p, q) for p in first] for q in second], dtype=float)


def draw_contours(
    ax: Axes, first: np.ndarray, second: np.ndarray, losses: np.ndarray, labels: tuple[str, str],
    minimum: tuple[float, float] | None = None, colorbar: bool = True, levels: Sequence[float] | None = None,
) -> mpl.contour.QuadContourSet:
    """A loss map: filled contours on log-spaced levels (so both the valley floor and the walls show),
    labelled axes, a colour bar (unless `colorbar=False`, e.g. for panels sharing one: pass the returned
    contours to `fig.colorbar`), and the minimum marked with a star. `levels` (optional, increasing, e.g.
    round numbers 0.1, 0.3, 1, ...) replaces the 16 log-spaced levels; losses outside them take the end
    colours."""
    first, second = finite_array("first", first, ndim=1), finite_array("second", second, ndim=1)
    losses = finite_array("losses", losses, ndim=2)
    if losses.shape != (len(second), len(first)):
        raise ValueError(f"losses must have shape (len(second), len(first)) = {(len(second), len(first))}, "
                         f"got {losses.shape}")
    low = max(float(losses.min()), 1e-3)
    high = max(float(losses.max()), 10 * low)  # a flat map still needs increasing levels
    losses = np.maximum(losses, low)  # a perfect fit has loss 0, which a log scale cannot show
    round_levels = levels is not None
    if round_levels:
        levels = finite_array("levels", levels, ndim=1)
        if len(levels) < 2 or np.any(np.diff(levels) <= 0) or levels[0] <= 0:
            raise ValueError("levels must be at least two increasing positive numbers")
    else:
        levels = np.geomspace(low, high, 16)
    filled = ax.contourf(first, second, losses, levels=levels, norm=mpl.colors.LogNorm(), cmap="viridis",
                         **({"extend": "both"} if round_levels else {}))
    ax.contour(first, second, losses, levels=levels, colors="white", linewidths=0.4, alpha=0.6)
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label="loss", format="%g" if round_levels else "%.3g")
    if minimum is not None:
        ax.plot(*minimum, marker="*", ms=14, color=PALETTE["yellow"], mec="black", ls="none", label="minimum")
    ax.set(xlabel=labels[0], ylabel=labels[1])
    ax.grid(False)
    return filled


def draw_classes(ax: Axes, X: np.ndarray, y: np.ndarray) -> None:
    """Scatter two classes of 2-D points with distinct colours and markers, and label the axes."""
    X = finite_array("X", X, ndim=2)
    y = finite_array("y", y, ndim=1, length=len(X))
    if X.shape[1] != 2:
        raise ValueError(f"X must have two columns (x1, x2), got shape {X.shape}")
    for label, marker, colour in [(0, "o", PALETTE["blue"]), (1, "^", PALETTE["orange"])]:
        ax.scatter(*np.asarray(X)[np.asarray(y) == label].T, s=16, marker=marker, color=colour, ec="black",
                   lw=0.5, label=f"class {label}")
    ax.set(xlabel="$x_1$", ylabel="$x_2$")


def draw_probability(
    ax: Axes, xs: np.ndarray, ys: np.ndarray, probability: np.ndarray, boundary: bool = True
) -> mpl.image.AxesImage:
    """A model's probability of class 1 as a background, with the 0.5 boundary.

    The map is ColorBrewer's colour-blind-safe BrBG: brown where class 0 is likely, teal where class 1 is, so
    the blue circles (class 0) and orange triangles (class 1) of `draw_classes` stand out on both sides.
    """
    probability = finite_array("probability", probability, ndim=2)
    if probability.shape != (len(ys), len(xs)):
        raise ValueError(f"probability must have shape (len(ys), len(xs)) = {(len(ys), len(xs))}, "
                         f"got {probability.shape}")
    if probability.min() < 0 or probability.max() > 1:
        raise ValueError("probability must lie between 0 and 1")
    image = ax.imshow(probability, origin="lower", extent=(xs[0], xs[-1], ys[0], ys[-1]), cmap="BrBG",
                      vmin=0, vmax=1, alpha=0.55, aspect="auto")
    if boundary:
        ax.contour(xs, ys, probability, levels=[0.5], colors="black", linewidths=2)
    return image


def draw_graph(
    ax: Axes,
    nodes: dict[str, tuple[float, float, float, float]],
    edges: Sequence[tuple[str, str, str]],
    number_format: str = ".3f",
    true_minus: bool = False,
) -> None:
    """A computational graph in the style of micrograd: one box per value, showing the value from the forward
    pass (blue) and the gradient of the loss with respect to it (vermillion).

    `nodes[name] = (x, y, value, gradient)` places a box; `name` may be LaTeX. `edges` lists
    `(from, to, label)`: an arrow from an input of a step to its output, labelled with the local derivative
    d(to)/d(from). `number_format` formats the values and gradients (".6g" drops trailing zeros);
    `true_minus=True` writes negative numbers with "−" (U+2212), as the prose does, instead of a hyphen.
    """
    if not nodes:
        raise ValueError("nodes must not be empty")
    for name, spec in nodes.items():
        if len(spec) != 4 or not all(np.isfinite(float(number)) for number in spec):
            raise ValueError(f"node {name!r} needs four finite numbers (x, y, value, gradient), got {spec!r}")
    for source, target, _ in edges:
        if source not in nodes or target not in nodes:
            raise ValueError(f"edge {source!r} -> {target!r} names a node that is not in nodes")
    half_width, half_height = 0.5, 0.42

    def number(value: float) -> str:
        text = f"{value:{number_format}}"
        return text.replace("-", "\u2212") if true_minus else text

    for name, (x, y, value, gradient) in nodes.items():
        ax.add_patch(mpl.patches.FancyBboxPatch((x - half_width, y - half_height), 2 * half_width, 2 * half_height,
                                                boxstyle="round,pad=0.02", fc="white", ec="black", lw=1.2))
        ax.text(x, y + 0.2, name, ha="center", va="center", fontsize=13)
        ax.text(x, y - 0.05, f"value {number(value)}", ha="center", va="center", color=PALETTE["blue"],
                fontsize=9)
        ax.text(x, y - 0.25, f"grad {number(gradient)}", ha="center", va="center",
                color=PALETTE["vermillion"], fontsize=9)
    for source, target, label in edges:
        (x0, y0, *_), (x1, y1, *_) = nodes[source], nodes[target]
        start, end = (x0 + half_width, y0), (x1 - half_width, y1 + 0.2 * np.sign(y0 - y1))  # inputs stay apart
        ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "lw": 1.2, "shrinkA": 2, "shrinkB": 2})
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, label, ha="center", va="center", fontsize=9,
                bbox={"fc": "white", "ec": "none", "pad": 1})
    xs = [x for x, *_ in nodes.values()]
    ys = [y for _, y, *_ in nodes.values()]
    ax.set(xlim=(min(xs) - 0.6, max(xs) + 0.6), ylim=(min(ys) - 0.55, max(ys) + 0.55), aspect="equal")
    ax.axis("off")


def draw_step_predictions(
    ax: Axes, loss: Callable[[float], float], start: float, slope: float, rates: Sequence[float],
    colors: Sequence[str] = ("green", "sky", "purple"),
) -> None:
    """Notebook 03: for each rate, one step from `start` against `slope`: a ring where the tangent predicts the
    loss, L(start) − rate·slope², and a dot at the real loss L(start − rate·slope), joined by a dotted line."""
    for rate, color in zip(rates, colors, strict=True):
        landing, predicted = start - rate * slope, loss(start) - rate * slope**2
        ax.plot([landing, landing], [predicted, loss(landing)], ":", lw=1.5, color=PALETTE[color])
        ax.plot(landing, loss(landing), "o", ms=7, color=PALETTE[color], label=f"after one step, η = {rate:.0e}")
        ax.plot(landing, predicted, "o", ms=14, mfc="none", mec=PALETTE[color], mew=2)  # a ring, drawn on top


def draw_direction_field(
    ax: Axes, direction: Callable[[np.ndarray], np.ndarray], first: np.ndarray, second: np.ndarray,
) -> None:
    """Notebook 03: `draw_arrows` at every point of the grid `first` × `second`, each along `direction(point)`,
    short enough that neighbours do not touch. Set the axes' limits first."""
    starts = [(a, b) for b in second for a in first]
    draw_arrows(ax, starts, [tuple(direction(np.array(start))) for start in starts], length=0.6 / len(first))


def draw_arrows(ax: Axes, starts: Sequence[tuple[float, float]], directions: Sequence[tuple[float, float]],
                length: float = 0.12) -> None:
    """Notebook 02: from each (p, q) of `starts`, a white arrow along its direction (dp, dq), measured in data
    units, every arrow drawn `length` of the panel long (only the direction shows). Set the axes' limits first."""
    (p_low, p_high), (q_low, q_high) = ax.get_xlim(), ax.get_ylim()
    for (p, q), (dp, dq) in zip(starts, directions, strict=True):
        if dp == 0 and dq == 0:
            continue  # at a minimum there is no downhill to draw
        step = length / np.hypot(dp / (p_high - p_low), dq / (q_high - q_low))  # its length on the panel
        ax.annotate("", xy=(p + step * dp, q + step * dq), xytext=(p, q),
                    arrowprops={"arrowstyle": "-|>", "color": "white", "lw": 2})


def plain_log_ticks(ax: Axes, axis: str = "both") -> None:
    """Label a logarithmic axis with plain numbers (0.1, 1, 10, 1,000) instead of powers of ten; also the
    in-between ticks 2, 3 and 5 (20, 30, 50, ...) where the axis spans less than a factor of ten."""
    plain = mpl.ticker.FuncFormatter(lambda value, _: f"{value:,.10g}")
    some = mpl.ticker.FuncFormatter(
        lambda value, _: f"{value:,.10g}" if value > 0 and round(value / 10 ** np.floor(np.log10(value))) in (2, 3, 5)
        else ""
    )
    for which in ("x", "y") if axis == "both" else (axis,):
        target = ax.xaxis if which == "x" else ax.yaxis
        target.set_major_formatter(plain)
        low, high = sorted(ax.get_xlim() if which == "x" else ax.get_ylim())
        target.set_minor_formatter(some if low > 0 and high / low < 10 else mpl.ticker.NullFormatter())


MISTAKE_COLUMNS, MISTAKE_ROWS = 10, 2  # at most 20 pictures: enough to see which digits go wrong, never a huge strip


def draw_mistakes(
    images: np.ndarray, true: Sequence[int], guessed: Sequence[int], value_range: tuple[float, float] = (0, 16),
) -> tuple[Figure | None, str]:
    """Notebook 08: the misread images in a grid of at most two rows of ten, each titled "true → guess", and a
    sentence counting them, the ones not drawn included.

    The figure's size depends on how many pictures are drawn, never on how many mistakes there are: an
    undertrained model misreads hundreds of digits, and one picture each made a strip tens of thousands of
    pixels wide that took a minute to draw. Returns the figure (made with pyplot, so `plt.show()` shows it;
    None when there is no mistake) and the sentence.
    """
    import matplotlib.pyplot as plt  # a static notebook figure, unlike the live ones above

    if len(true) == 0 and len(guessed) == 0:
        return None, "No misread digits: every one is right, so there is nothing to draw."
    images = finite_array("images", images, ndim=3)
    true = finite_array("true", true, ndim=1, length=len(images))
    guessed = finite_array("guessed", guessed, ndim=1, length=len(images))
    total, shown = len(images), min(len(images), MISTAKE_COLUMNS * MISTAKE_ROWS)
    columns, rows = min(shown, MISTAKE_COLUMNS), -(-shown // MISTAKE_COLUMNS)
    fig, axes = plt.subplots(rows, columns, figsize=(1.2 * columns, 1.7 * rows), layout="constrained", squeeze=False)
    drawn = zip(axes.ravel()[:shown], images[:shown], true[:shown], guessed[:shown], strict=True)
    for ax, image, label, guess in drawn:
        ax.imshow(image, cmap="gray_r", vmin=value_range[0], vmax=value_range[1])
        ax.set_title(f"{label:.0f} → {guess:.0f}", fontsize=10)
    for ax in axes.flat:
        ax.axis("off")  # the empty places of a last row that is not full, too
    if shown == total:
        return fig, f"{total} misread digit{'s' * (total != 1)}, all drawn below (true → guess above each)."
    return fig, (f"{total} misread digits: the first {shown} are drawn below (true → guess above each); the other "
                 f"{total - shown} are not drawn.")
