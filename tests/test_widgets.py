"""The slider mechanism: one figure, updated in place, rendered fast and correctly, never crashing."""

import base64
import io

import ipywidgets
import numpy as np
import pytest
from PIL import Image

from helpers import plots, widgets
from helpers.authoring import notebooks
from helpers.data import load_vending_machine
from helpers.live import LiveFigure, control, slider
from helpers.loss_curve import LossCurve
from tests.harness.fixtures import mse


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_moving_a_slider_updates_the_same_figure_in_place(vending_explorer):
    live = vending_explorer()
    fig, curve, before = live.fig, live.animated[0], live.image.value
    live.controls["w"].value = 0.2
    assert live.fig is fig and live.animated[0] is curve
    assert live.image.value != before
    grid = curve.get_xdata()
    np.testing.assert_allclose(curve.get_ydata(), 0.2 * grid)
    assert len(live.timings) == 1


def test_status_reports_the_learners_loss_for_the_current_values(vending_explorer):
    live = vending_explorer()
    vending = load_vending_machine()
    live.set(w=0.12, b=9.0)
    expected = mse(vending.bottles_sold, 0.12 * vending.visitors + 9.0)
    assert live.status_text == f"Mean squared error: {expected:,.2f}"
    assert live.animated[2].get_text() == f"mean squared error = {expected:,.1f}"


def test_blitted_update_draws_the_same_pixels_as_a_full_render(vending_explorer):
    moved = vending_explorer()
    moved.set(w=0.15, b=4.0)
    moved_pixels = pixels(moved.image.value)  # read now: building another explorer closes this one
    fresh_pixels = pixels(vending_explorer(w=0.15, b=4.0).image.value)
    np.testing.assert_array_equal(moved_pixels, fresh_pixels)
    assert not np.array_equal(moved_pixels, pixels(vending_explorer().image.value))


def test_set_moves_several_controls_with_one_redraw_and_rejects_unknown_names(vending_explorer):
    live = vending_explorer()
    live.set(w=0.1, b=2.0)
    assert live.values == {"w": 0.1, "b": 2.0} and len(live.timings) == 1
    with pytest.raises(ValueError, match="unknown control.*z.*this figure has w, b"):
        live.set(z=1)


def test_an_error_in_the_update_is_shown_under_the_figure_not_raised():
    fig, (ax,) = plots.live_figure()

    def update(k):
        if k > 1:
            raise ZeroDivisionError("k too big")
        return f"k = {k}"

    live = LiveFigure(fig, update, {"k": slider("k", 0, 2, 0, 1)})
    assert live.status_text == "k = 0.0" and live.error is None
    live.controls["k"].value = 2
    assert live.error == "ZeroDivisionError: k too big"
    assert "could not be drawn" in live.status_text and "k too big" in live.status.value
    live.controls["k"].value = 1
    assert live.error is None and live.status_text == "k = 1.0"


def test_saved_output_carries_a_static_png_of_the_current_state_and_a_text_line(vending_explorer):
    live = vending_explorer()
    bundle = live._repr_mimebundle_()
    assert notebooks.WIDGET_VIEW in bundle
    assert base64.b64decode(bundle["image/png"]) == live.image.value
    assert bundle["text/plain"] == "Fit the model by hand (w = 0.5, b = 0). Mean squared error: 1,069.61"


class _SevenStyleWidget:
    """What an ipywidgets 7 widget (Colab's) offers a display: a model id, and no `_repr_mimebundle_`."""

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id


def test_live_figures_show_as_a_widget_view_under_ipywidgets_7_too(vending_explorer):
    live = vending_explorer()
    eight = live._repr_mimebundle_()
    live.widget = _SevenStyleWidget(live.widget.model_id)  # under ipywidgets 7 this attribute access raised
    seven = live._repr_mimebundle_()
    assert seven[notebooks.WIDGET_VIEW] == eight[notebooks.WIDGET_VIEW]
    assert seven["image/png"] == eight["image/png"] and seven["text/plain"] == eight["text/plain"]


def test_live_figures_are_registered_for_the_benchmark(vending_explorer):
    live = vending_explorer()
    assert live in LiveFigure.instances


def line_setup():
    from helpers import training
    from helpers.data import noisy_line

    x, y = noisy_line()
    a_grid, b_grid = np.linspace(-1, 7, 31), np.linspace(-1, 11, 31)
    grid = plots.loss_grid(lambda a, b: training.line_loss((a, b), x, y), a_grid, b_grid)

    def run(lr):
        return training.descend(
            lambda p: training.line_loss(p, x, y), lambda p: training.line_gradient(p, x, y), np.zeros(2), lr, 100
        )

    return x, y, a_grid, b_grid, grid, run


def test_surface_explorer_moves_a_marker_on_the_loss_map():
    x, y, *_ = line_setup()
    live = widgets.fit_explorer(
        x,
        y,
        lambda x, a, b: a * x + b,
        mse,
        {"a": (-2.0, 8.0, 0.0, 0.1), "b": (-2.0, 12.0, 0.0, 0.1)},
        "x",
        "y",
        surface=True,
        minimum=(3.16, 7.93),
    )
    marker = next(artist for artist in live.animated if artist.get_label() == "your setting")
    live.set(a=3.0, b=8.0)
    assert list(marker.get_xdata()) == [3.0] and list(marker.get_ydata()) == [8.0]
    assert live.status_text == f"Mean squared error: {mse(y, 3 * x + 8):,.2f}"
    assert live.animated[-1].get_label() == "minimum"  # the star is drawn last, over the marker
    map_ax = live.fig.axes[1]
    assert map_ax.get_xlim()[0] < -2.0 and map_ax.get_ylim()[1] > 12.0  # room for the marker at a corner
    assert (map_ax.get_xlabel(), map_ax.get_ylabel()) == ("a", "b")  # by default, the sliders' names
    precise = widgets.fit_explorer(x, y, lambda x, a, b: a * x + b, mse, {"a": (-2.0, 8.0, 3.0, 0.1),
                                   "b": (-2.0, 12.0, 8.0, 0.1)}, "x", "y", surface=True, loss_format=".3g")
    assert precise.animated[2].get_text() == f"mean squared error = {mse(y, 3 * x + 8):.3g}"
    outside = widgets.fit_explorer(x, y, lambda x, a, b: a * x + b, mse, {"a": (-2.0, 8.0, 3.0, 0.1),
                                   "b": (-2.0, 12.0, 8.0, 0.1)}, "x", "y", surface=True, minimum=(3.16, 7.93),
                                   map_legend="upper center", map_legend_anchor=(0.5, -0.15))
    outside.fig.canvas.draw()
    legend_box = outside.fig.axes[1].get_legend().get_window_extent()
    assert legend_box.y1 < outside.fig.axes[1].get_window_extent().y0  # below the map: no marker hides under it
    labelled = widgets.fit_explorer(x, y, lambda x, a, b: a * x + b, mse, {"a": (-2.0, 8.0, 3.0, 0.1),
                                    "b": (-2.0, 12.0, 8.0, 0.1)}, "x", "y", surface=True,
                                    map_labels=("a (slope)", "b (intercept)"))
    assert (labelled.fig.axes[1].get_xlabel(), labelled.fig.axes[1].get_ylabel()) == ("a (slope)", "b (intercept)")


def test_fit_explorer_limits_keep_the_starting_line_inside_the_frame(vending_explorer):
    live = vending_explorer(w=0.3, xlim=(0, 170), ylim=(0, 60))
    ax, curve = live.fig.axes[0], live.animated[0]
    assert ax.get_xlim() == (0, 170) and ax.get_ylim() == (0, 60)
    xs, ys = curve.get_xdata(), curve.get_ydata()
    assert xs.min() == 0 and xs.max() == 170  # the line spans the frame and shows the bias at zero visitors
    assert 0 <= ys.min() and ys.max() <= 60  # at the starting values it stays inside
    default = vending_explorer()  # without limits the frame hugs the data, as before
    assert default.fig.axes[0].get_xlim()[0] > 0


def test_fit_explorer_title_can_name_the_setting(vending_explorer):
    live = vending_explorer(w=0.3, title_values=True)
    title = live.fig.axes[0].title
    assert title.get_text() == "w = 0.3, b = 0: mean squared error = 131.0"  # a static PNG says which setting
    live.set(w=0.115, b=-0.0)
    assert title.get_text().startswith("w = 0.115, b = 0: mean squared error = ")
    default = vending_explorer().fig.axes[0].title
    assert default.get_text().startswith("mean squared error = ")  # the default is unchanged


def test_loss_grid_orientation_matches_contourf():
    grid = plots.loss_grid(lambda p, q: 10 * p + q, np.array([0.0, 1.0, 2.0]), np.array([0.0, 5.0]))
    np.testing.assert_array_equal(grid, [[0, 10, 20], [5, 15, 25]])


def test_learning_rate_explorer_says_when_training_diverges_and_draws_no_nan():
    x, y, a_grid, b_grid, grid, run = line_setup()
    live = widgets.learning_rate_explorer(run, ("a", "b", a_grid, b_grid, grid), (0.001, 1.0, 0.05), stable_limit=0.771)
    path, curve, verdict = live.animated
    assert live.status_text.startswith("Learning rate 0.05: loss 92.9 →") and verdict.get_text() == " "
    live.set(lr=0.9)
    assert "diverged at step" in live.status_text and "Try a smaller learning rate" in live.status_text
    assert "0.771" in live.status_text and verdict.get_text().startswith("diverged at step")
    assert np.all(np.isfinite(path.get_xydata())) and np.all(np.isfinite(curve.get_xydata()))
    live.set(lr=0.5)
    assert verdict.get_text() == " " and "diverged" not in live.status_text


def test_learning_rate_explorer_reports_each_runs_own_step_count():
    x, y, a_grid, b_grid, grid, run = line_setup()
    live = widgets.learning_rate_explorer(run, ("a", "b", a_grid, b_grid, grid), (0.001, 1.0, 0.9), stable_limit=0.771)
    assert "diverged at step" in live.status_text
    live.set(lr=0.5)
    assert live.status_text.endswith(f"after {len(run(0.5).rates)} steps.")


def test_learning_rate_explorer_keeps_compared_rates_in_grey_and_the_star_over_the_path():
    x, y, a_grid, b_grid, grid, run = line_setup()
    compare = {"too small": 0.05, "far too large": 0.85}
    live = widgets.learning_rate_explorer(run, ("a", "b", a_grid, b_grid, grid), (0.001, 1.0, 0.05),
                                          minimum=(3.0, 8.0), compare=compare)
    path, star, curve, verdict = live.animated  # the star is drawn after the path, so it stays on top
    map_ax, loss_ax = path.axes, curve.axes
    greys = [line for line in loss_ax.get_lines() if line.get_color() == "0.55"]
    assert [line.get_label() for line in greys] == ["too small (0.05)", "far too large (0.85)"]
    assert len(greys[1].get_ydata()) == run(0.85).diverged_at  # a diverged rate's curve ends where it stopped
    assert star.axes is map_ax and star.get_marker() == "*"
    with pytest.raises(ValueError, match="compare"):
        widgets.learning_rate_explorer(run, ("a", "b", a_grid, b_grid, grid), (0.001, 1.0, 0.05), compare={"x": -1})


def test_learning_rate_explorer_draws_the_noise_floor():
    x, y, a_grid, b_grid, grid, run = line_setup()
    live = widgets.learning_rate_explorer(run, ("a", "b", a_grid, b_grid, grid), (0.001, 1.0, 0.05), floor=0.09)
    loss_ax = live.animated[-2].axes
    floors = [line for line in loss_ax.get_lines() if line.get_label() == "noise floor 0.09"]
    assert len(floors) == 1 and np.allclose(floors[0].get_ydata(), 0.09)
    assert loss_ax.get_ylim()[0] < 0.09 and "noise floor 0.09" in [text.get_text() for text in loss_ax.texts]
    with pytest.raises(ValueError, match="floor"):
        widgets.learning_rate_explorer(run, ("a", "b", a_grid, b_grid, grid), (0.001, 1.0, 0.05), floor=-1)


def test_descent_explorer_walks_from_the_chosen_start_and_draws_the_next_step():
    x = np.linspace(0, 1, 20)
    y = 3 * x + 8

    def loss(p):
        return np.mean((p[0] * x + p[1] - y) ** 2)

    def gradient(p):
        error = p[0] * x + p[1] - y
        return np.array([np.mean(2 * error * x), np.mean(2 * error)])

    grid = np.linspace(-2, 12, 8)
    surface = ("a", "b", grid, grid, plots.loss_grid(lambda a, b: loss(np.array([a, b])), grid, grid))
    live = widgets.descent_explorer(loss, gradient, surface, lr=0.5, steps=10, start=(1.0, 1.0), floor=0.09)
    older, older_curves, before, whole, path, here, arrow, curve_before, curve, now = live.animated  # in this order
    assert len(path.get_xdata()) == 1 and len(curve.get_xdata()) == 11
    assert len(whole.get_xdata()) == 11  # the whole walk still to come, dotted, before any step is taken
    assert len(before.get_xdata()) == 0 and "previous start" not in live.status_text
    first_step = -0.5 * gradient(np.ones(2))
    np.testing.assert_allclose(np.array(arrow._posA_posB), [[1, 1], [1, 1] + first_step])  # the next step
    live.set(step=3)
    assert len(before.get_xdata()) == 0  # stepping along the same walk keeps no copy of it
    live.set(step=3, start_a=4.0)
    assert len(path.get_xdata()) == 4 and path.get_xdata()[0] == 4.0 and list(now.get_xdata()) == [3]
    assert len(whole.get_xdata()) == 8  # steps 3 to 10 still to come
    assert "after 3 steps" in live.status_text and live.error is None
    # the walk from the previous start stays on both panels, dashed, to compare with
    assert before.get_xdata()[0] == 1.0 and len(curve_before.get_xdata()) == 11
    assert "previous start (1.00, 1.00)" in live.status_text and "Grey" not in live.status_text
    assert len(older.get_segments()) == 0
    for k, start_b in enumerate([2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 8.5]):  # every earlier walk stays, up to 8
        live.set(start_b=start_b)
        assert len(older.get_segments()) == len(older_curves.get_segments()) == min(k + 1, 7)
        if k == 0:
            assert "Grey: 1 earlier walk." in live.status_text  # singular
    assert "Grey: 7 earlier walks" in live.status_text and live.error is None
    assert not live.controls["start_a"].continuous_update  # a start counts when the slider is let go
    start_a = live.controls["start_a"]  # the start sliders keep clear of the map's edges (15% of each range)
    assert np.isclose(start_a.min, -2 + 0.15 * 14) and np.isclose(start_a.max, 12 - 0.15 * 14)


def test_prerendered_settings_are_shown_without_drawing_again():
    calls = []
    fig, (ax,) = plots.live_figure()
    (line,) = ax.plot([0, 1], [0, 1])

    def update(k):
        calls.append(k)
        line.set_ydata([0, k])
        return f"k = {k}"

    control = ipywidgets.SelectionSlider(options=[1, 2, 3], value=1)
    live = LiveFigure(fig, update, {"k": control}, animated=(line,))
    live.prerender({"k": k} for k in (1, 2, 3))
    drawn = {k: live._cache[(("k", k),)][0] for k in (1, 2, 3)}
    calls.clear()
    live.controls["k"].value = 3
    assert calls == [] and live.image.value == drawn[3] and live.status_text == "k = 3"
    assert drawn[1] != drawn[3] and live.values == {"k": 3}


def test_batch_size_explorer_shows_each_run_and_its_cost():
    x, y, a_grid, b_grid, grid, _ = line_setup()
    runs = {b: (np.cumsum(np.ones((n + 1, 2)), axis=0), np.linspace(90, 1, n + 1)) for b, n in [(10, 10), (50, 2)]}
    live = widgets.batch_size_explorer(
        runs, examples=100, surface=("a", "b", a_grid, b_grid, grid), seconds={10: 0.004, 50: 0.001}
    )
    path, star, curve, highlight = live.animated
    for chosen in (path, curve):  # every run stays drawn in grey beside the chosen one
        grey = [line for line in chosen.axes.lines if line.get_color() in ("lightgrey", "darkgrey")]
        assert len([line for line in grey if len(line.get_xdata())]) == len(runs)
    live.set(batch=10)
    assert len(path.get_xdata()) == 11 and live.status_text.startswith("Batch size 10: 10 updates per epoch")
    assert highlight.get_height() == pytest.approx(4.0)
    live.set(batch=50)
    assert "2 updates per epoch" in live.status_text and highlight.get_height() == pytest.approx(1.0)
    slow = {b: (run[0], run[1] + 5) for b, run in runs.items()}  # a second rate: same paths, higher losses
    by_rate = {**{(b, 0.1): slow[b] for b in runs}, **{(b, 0.2): runs[b] for b in runs}}
    live = widgets.batch_size_explorer(runs, examples=100, surface=("a", "b", a_grid, b_grid, grid),
                                       rates={10: 0.2, 50: 0.2}, by_rate=by_rate)
    assert live.values == {"batch": 50, "rate": 0.2} and "best rate of the 2: 0.2" in live.status_text
    live.set(batch=10, rate=0.1)
    assert live.status_text.startswith("Batch size 10 at rate 0.1") and "final loss 6." in live.status_text
    with pytest.raises(ValueError, match="a run for every batch size"):
        widgets.batch_size_explorer(runs, 100, ("a", "b", a_grid, b_grid, grid), rates={10: 0.2, 50: 0.2},
                                    by_rate={(10, 0.2): runs[10]})


def test_capacity_explorer_fits_and_reports_both_errors():
    from helpers.data import wave, wavy

    x, y = wavy(n=120, seed=0)
    live = widgets.capacity_explorer(x[:100], y[:100], x[100:], y[100:], truth=wave, sizes=[10, 50, 100])
    live.set(degree=3, size=50)
    fit = np.polynomial.Polynomial.fit(x[:50], y[:50], 3)
    val = np.mean((fit(x[100:]) - y[100:]) ** 2)
    assert f"validation error {val:.3f}" in live.status_text
    live.set(degree=14, size=10)
    assert "needs at least 15 points: with 10" in live.status_text and live.error is None
    assert "degree 9 is what is shown" in live.status_text
    off_scale = [line for line in live.fig.axes[1].lines if line.get_label().startswith("off the scale")][0]
    assert 9 in off_scale.get_xdata()  # degree 9 fits 10 points exactly: its training error is on the bottom edge
    train_line = [line for line in live.fig.axes[1].lines if line.get_label() == "training error"][0]
    assert max(train_line.get_xdata()) == 9  # degrees 10 to 14 cannot be fitted to 10 points: left empty
    opened = widgets.capacity_explorer(x[:100], y[:100], x[100:], y[100:], truth=wave, sizes=[10, 50], size=50)
    assert "50 training points" in opened.status_text
    floored = widgets.capacity_explorer(x[:100], y[:100], x[100:], y[100:], truth=wave, sizes=[10], noise_floor=0.04)
    assert "noise floor 0.04" in floored.status_text
    assert any(line.get_label() == "noise floor 0.04" for line in floored.fig.axes[1].lines)


def test_boundary_explorer_swaps_prerendered_pictures():
    from helpers.data import ring

    X, y = ring(n=40)
    xs = ys = np.linspace(-2, 2, 20)
    xx, yy = np.meshgrid(xs, ys)
    maps = {(1, "relu"): 1 / (1 + np.exp(-xx)), (2, "relu"): 1 / (1 + np.exp(-(xx**2 + yy**2 - 1) * 5))}
    live = widgets.boundary_explorer(X, y, xs, ys, maps, {(1, "relu"): 0.5, (2, "relu"): 0.9})
    assert len(live._cache) == 2 and live.values == {"units": 1, "activation": "relu"}
    live.set(units=2)
    assert live.status_text == "2 hidden relu units: training accuracy 90.0%"
    assert live.image.value == live._cache[(("units", 2), ("activation", "relu"))][0]
    others = {key: [1 - p, p.T] for key, p in maps.items()}  # two more runs per setting, drawn in grey
    summary = {(1, "relu"): "0 of 3 starts enclose the disc", (2, "relu"): "3 of 3 starts enclose the disc"}
    grey = widgets.boundary_explorer(X, y, xs, ys, maps, {(1, "relu"): 0.5, (2, "relu"): 0.9}, others=others,
                                     summary=summary)
    grey.set(units=2)
    ax = grey.fig.axes[0]
    assert "3 of 3 starts" in ax.get_title()
    grey_lines = [c for c in ax.collections if c.get_label() == "other starts"]
    assert len(grey_lines) == 1 and len(grey_lines[0].get_segments()) >= 2


def test_loss_curve_grows_in_place_and_leaves_the_final_picture():
    from helpers.networks import History

    curve = LossCurve(epochs=3)
    history = History()
    for epoch in range(1, 4):
        history.train_loss.append(1.0 / epoch)
        history.val_loss.append(1.2 / epoch)
        curve.record(epoch, history)
        assert list(curve.train_line.get_xdata()) == list(range(1, epoch + 1))
    bundle = curve._repr_mimebundle_()
    assert bundle["text/plain"] == "Live loss curve (3 epochs)"
    assert base64.b64decode(bundle["image/png"]) == curve.image.value
    assert curve.label.value == "epoch 3 of 3"


def test_loss_curve_skips_redraws_faster_than_the_eye_and_still_ends_on_the_whole_curve(monkeypatch):
    from helpers.networks import History

    drawn = []
    curve = LossCurve(epochs=50)
    draw = curve.fig.canvas.draw
    monkeypatch.setattr(curve.fig.canvas, "draw", lambda: (drawn.append(len(curve.train_line.get_xdata())), draw()))
    history = History()
    with curve:
        for epoch in range(1, 31):  # an interrupted run: 30 of 50 epochs, far faster than REDRAW_SECONDS each
            history.train_loss.append(1.0 / epoch)
            curve.record(epoch, history)
    assert drawn[0] == 1 and len(drawn) < 5, drawn
    assert drawn[-1] == 30  # the exit drew the epochs recorded since the last redraw
    assert curve.label.value == "epoch 30 of 50"


def test_share_and_presets_put_everyone_on_the_same_setting(vending_explorer):
    live = vending_explorer()
    live.set(w=0.12, b=9.0)
    line = live.share("explorer")
    assert line == "explorer.set(w=0.12, b=9.0)"
    shared_values, shared_picture = live.values, live.image.value  # read now: a new explorer closes this one
    other = vending_explorer()
    exec(line, {"explorer": other})
    assert other.values == shared_values and other.image.value == shared_picture
    other.add_preset("best", w=0.115, b=9.5)
    other.add_preset("start", w=0.5, b=0.0)
    other.preset("best")
    assert other.values == {"w": 0.115, "b": 9.5}
    with pytest.raises(ValueError, match="no preset called 'worst'; the presets are: best, start"):
        other.preset("worst")
    with pytest.raises(ValueError, match="unknown control"):
        other.add_preset("bad", z=1)


def test_running_an_explorer_cell_again_frees_the_figure_it_replaces(vending_explorer):
    first = vending_explorer()
    first_widgets = [*first.controls.values(), first.image, first.status, first.widget]
    for _ in range(10):  # a learner re-running the cell
        latest = vending_explorer()
    assert [live for live in LiveFigure.instances if live.title == latest.title] == [latest]
    assert all(widget.comm is None for widget in first_widgets)  # closed: gone from ipywidgets' registry
    assert first._cache == {} and latest.widget.comm is not None
    latest.set(w=0.1)  # the new figure still answers
    assert "w = 0.1" in latest.status_text or latest.values["w"] == 0.1
    # Jupyter keeps every run's result in Out[n]: the closed one keeps no figure, data or picture alive
    assert first.closed and first.fig is None and first.update is None and first.image is None
    assert all(w.layout.comm is None for w in first_widgets)  # layouts are widgets too
    assert first._repr_mimebundle_() == {"text/plain": f"{first.title}: replaced by a newer run of its cell"}
    with pytest.raises(RuntimeError, match="replaced when its cell ran again: use the newest one"):
        first.set(w=0.2)


def test_set_refuses_nan_and_leaves_the_figure_as_it_was(vending_explorer):
    live = vending_explorer()
    live.set(w=0.2, b=3.0)
    before_values, before_image, before_status = live.values, live.image.value, live.status_text
    for bad in (float("nan"), float("inf"), np.float64("nan")):
        with pytest.raises(ValueError, match=f"^b must be a finite number, got {bad}$"):
            live.set(w=0.3, b=bad)  # w is not moved either: the whole call is refused
    with pytest.raises(TypeError, match="^w must be a number, got str '0.3'$"):
        live.set(w="0.3")
    with pytest.raises(ValueError, match="^w must be a finite number"):
        live.add_preset("broken", w=float("nan"))
    assert live.values == before_values and live.image.value == before_image and live.status_text == before_status
    assert "nan" not in live.status_text.lower()


def test_set_says_which_value_a_slider_used_when_asked_for_one_outside_its_range(vending_explorer, capsys):
    live = vending_explorer()
    low, high = live.controls["w"].min, live.controls["w"].max
    live.set(w=5, b=1.0)
    assert live.values == {"w": high, "b": 1.0}
    assert capsys.readouterr().out == (f"w = 5 is outside the slider's range, {low:g} to {high:g}, so the figure uses "
                                       f"w = {high:g}.\n")
    live.set(w=0.1, b=2.0)  # inside the range: nothing is said
    assert capsys.readouterr().out == ""
    live.set(w=5, b=1.0)
    capsys.readouterr()
    clamped = live.image.value  # read now: building another explorer closes this one
    assert vending_explorer(w=high, b=1.0).image.value == clamped  # the figure shows the value the sentence names


def test_a_log_slider_names_its_range_in_values_not_exponents(capsys):
    fig, _ = plots.live_figure()
    rate = control(ipywidgets.FloatLogSlider, "rate", value=0.1, base=10, min=-3, max=0)
    live = LiveFigure(fig, lambda rate: None, {"rate": rate}, title="log slider test")
    live.set(rate=1e-5)
    assert live.values == {"rate": 10.0**-3}
    assert capsys.readouterr().out == "rate = 1e-05 is outside the slider's range, 0.001 to 1, so the figure uses " \
                                      "rate = 0.001.\n"


def test_the_mistakes_of_a_bad_model_fill_a_bounded_grid_and_the_rest_are_counted():
    import matplotlib.pyplot as plt

    from helpers.data import load_digits

    images, labels = load_digits()
    untrained = np.random.default_rng(0).normal(size=(64, 10))  # a deliberately bad model: random weights, no training
    guessed = (images.reshape(-1, 64) @ untrained).argmax(axis=1)
    wrong = np.flatnonzero(guessed != labels)
    assert len(wrong) > 1000  # it misreads most digits: an uncapped strip would be over a hundred thousand pixels
    fig, sentence = plots.draw_mistakes(images[wrong], labels[wrong], guessed[wrong])
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == 20 and tuple(fig.get_size_inches() * fig.dpi) == (1200, 340)
    assert [ax.get_title() for ax in drawn] == [f"{labels[i]} → {guessed[i]}" for i in wrong[:20]]
    assert sentence == (f"{len(wrong)} misread digits: the first 20 are drawn below (true → guess above each); "
                        f"the other {len(wrong) - 20} are not drawn.")
    plt.close(fig)
    few, sentence = plots.draw_mistakes(images[wrong[:7]], labels[wrong[:7]], guessed[wrong[:7]])
    assert len(few.axes) == 7 and tuple(few.get_size_inches() * few.dpi) == (840, 170)  # 08's committed figure
    assert sentence == "7 misread digits, all drawn below (true → guess above each)."
    plt.close(few)
    assert plots.draw_mistakes(images[:0], [], []) == (None, "No misread digits: every one is right, so there is "
                                                             "nothing to draw.")


def test_batch_size_explorer_labels_its_cost_and_keeps_the_legend_off_the_curves():
    *_, a_grid, b_grid, grid, _ = line_setup()
    lowest = float(grid.min())  # as in notebook 06: the runs end on the lowest loss of the map, the floor
    runs = {b: (np.cumsum(np.ones((n + 1, 2)), axis=0), np.geomspace(90, lowest, n + 1))
            for b, n in [(10, 10), (50, 2)]}
    live = widgets.batch_size_explorer(runs, examples=100, surface=("a", "b", a_grid, b_grid, grid),
                                       seconds={10: 0.004, 50: 0.001}, floor=lowest, seconds_source="modelled: c + pB")
    path, _, curve, highlight = live.animated
    assert highlight.axes.get_title() == "cost of an epoch, modelled: c + pB"
    loss_ax = curve.axes
    legend_top = loss_ax.get_legend().get_window_extent().transformed(loss_ax.transData.inverted()).y1
    lowest_curve = min(min(line.get_ydata()) for line in loss_ax.lines if len(line.get_ydata()) > 1)
    assert legend_top < lowest_curve  # the legend sits below every curve, clear of their tails
    colorbar = path.axes.collections[0].colorbar
    assert colorbar is not None and colorbar.ax.get_ylabel() == "loss on all data (map colours)"
