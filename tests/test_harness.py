"""The harness's own parts (tests/harness/), each given the fault it exists to catch."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from helpers import plots
from helpers.live import LiveFigure, slider
from tests.harness import colab_optin, in_kernel, offline, order, repository_guard, summary
from tests.paths import ROOT


def broken_figure(bad: str) -> LiveFigure:
    """A two-slider live figure whose line becomes NaN when both sliders are above 0.5 (`bad="nan"`), or that
    warns there (`bad="warning"`): a fault no single slider's sweep from the start finds, only a combination."""
    fig, (ax,) = plots.live_figure()
    (line,) = ax.plot([0.0, 1.0], [0.0, 1.0])

    def update(a: float, b: float) -> None:
        both = a > 0.5 and b > 0.5
        if both and bad == "warning":
            np.log(np.zeros(1))  # RuntimeWarning: divide by zero
        line.set_ydata([a, np.nan if both and bad == "nan" else b])

    controls = {"a": slider("a", 0.0, 1.0, 0.0, 0.1), "b": slider("b", 0.0, 1.0, 0.0, 0.1)}
    return LiveFigure(fig, update, controls, animated=[line])


def test_the_sweep_finds_a_nan_drawn_by_a_combination_of_sliders():
    _, problems, combined = in_kernel.slider_problems(figures=[broken_figure("nan")])
    assert combined == 1 and any("non-finite" in problem for problem in problems)


def test_the_sweep_treats_a_numerical_warning_as_an_error():
    _, problems, _ = in_kernel.slider_problems(figures=[broken_figure("warning")])
    assert any("divide by zero" in problem for problem in problems)


def test_the_sweep_passes_a_figure_without_faults_and_puts_its_sliders_back():
    live = broken_figure("none")
    report, problems, _ = in_kernel.slider_problems(figures=[live])
    assert problems == [] and [r["moves"] for r in report] == [in_kernel.MOVES] * 2
    assert live.values == {"a": 0.0, "b": 0.0}


def test_the_offline_startup_file_refuses_the_internet_in_a_fresh_python(tmp_path):
    startup = offline.startup_file(tmp_path)
    connect = "import runpy, socket, sys; runpy.run_path(sys.argv[1]); socket.create_connection(('192.0.2.1', 443), 1)"
    run = subprocess.run([sys.executable, "-c", connect, str(startup)], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "network access is blocked in the course's tests" in run.stderr, run.stderr
    assert offline.stays_here(("127.0.0.1", 80)) and offline.stays_here("/tmp/socket")
    assert not offline.stays_here(("192.0.2.1", 443))


def test_the_repository_guard_sees_a_file_written_into_the_repository():
    before = repository_guard.repository_files()
    probe = ROOT / "tests" / "written-by-a-test.tmp"
    try:
        probe.write_text("x")
        assert repository_guard.repository_files() - before == {"?? tests/written-by-a-test.tmp"}
    finally:
        probe.unlink()


def test_the_summary_counts_the_real_workers_and_the_order_the_notebooks_ran_in():
    assert summary.workers(SimpleNamespace(option=SimpleNamespace(numprocesses=3))) == 3
    assert summary.workers(SimpleNamespace(option=SimpleNamespace(numprocesses=0))) == 1  # -n 0
    assert summary.workers(SimpleNamespace(option=SimpleNamespace())) == 1  # no xdist
    assert summary.notebook_of("notebooks/04_learning_rate.ipynb::Cell 3 run again") == "04"
    assert summary.notebook_of("tests/test_data.py::test_x") is None
    assert summary.order_line(["05", "02"], 2, "7").startswith("notebooks ran in the order 05, 02, 2 at a time")
    assert ", 1 at a time" in summary.order_line(["05"], 2, "7")  # one notebook never runs two at a time


def test_a_run_without_notebooks_prints_no_notebook_line():
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/test_harness.py", "-n", "0", "-q", "-k",
                          "counts_the_real_workers"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout
    assert "notebooks ran" not in run.stdout


def test_the_colab_test_runs_only_when_the_marker_expression_names_it():
    def asked(markexpr: str) -> bool:
        return colab_optin.asked_for_colab(SimpleNamespace(option=SimpleNamespace(markexpr=markexpr)))

    assert asked("colab") and asked("not colab")  # `-m colab`, and pyproject's own default
    assert not asked("not browser") and not asked("")  # a `-m` that replaced the default does not bring it in


def test_xdist_hands_out_the_notebooks_in_the_shuffled_order():
    config = SimpleNamespace(option=SimpleNamespace(loadscopereorder=True))  # xdist's default: biggest file first
    order.pytest_configure(config)
    assert config.option.loadscopereorder is False


def test_the_fast_start_plugin_runs_before_nbformat_and_notebooks_still_validate():
    import nbformat

    assert "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None  # loaded too late: a module
    notebook = nbformat.read(ROOT / "notebooks" / "01_the_neuron.ipynb", as_version=4)
    nbformat.validate(notebook)
    notebook.cells[0]["cell_type"] = "not a cell type"
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(notebook)
