"""The authoring tools: the notebook normaliser and the benchmark's slider sweep."""

import re
import shutil
import sys
import tomllib
import types
import warnings

import ipywidgets
import nbformat
import pytest

from helpers.authoring import bench, notebooks
from tests.course_source import AFTER_THE_RELEASE, make_course_source


def test_normalise_stamps_setup_and_badges_and_strips_widget_views():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 99 · Test\n\nIntro"),
        nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output(
            "display_data", data={notebooks.WIDGET_VIEW: {"model_id": "abc"}, "text/plain": "w", "image/png": "AA=="}),
            nbformat.v4.new_output("display_data", data={notebooks.WIDGET_VIEW: {"model_id": "def"}})]),
    ])
    nb.metadata["widgets"] = {"state": {}}
    nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    out = notebooks.normalise(nb, "99_test.ipynb")
    assert out.cells[0].source.splitlines()[1] == notebooks.badges("99_test.ipynb")
    assert out.cells[1].source == notebooks.SETUP_CELL and out.cells[2].source == "x = 1"
    assert [o.data for o in out.cells[2].outputs] == [{"text/plain": "w", "image/png": "AA=="}]
    assert "widgets" not in out.metadata and "execution" not in out.cells[2].metadata
    assert notebooks.normalise(out, "99_test.ipynb") == out  # idempotent


LAUNCH_LINK = re.compile(r"https://(?:mybinder\.org/v2|colab\.research\.google\.com/github|YOUR-HUB/hub)[^)\s]*")


def test_every_launch_link_and_the_setup_cell_name_the_release_tag_from_pyproject():
    readme = (notebooks.ROOT / "README.md").read_text(encoding="utf-8")
    cells = "".join(nbformat.read(path, as_version=4).cells[0].source for path in notebooks.notebook_paths())
    links = LAUNCH_LINK.findall(readme) + LAUNCH_LINK.findall(cells)
    assert len(links) == 3 + 2 * len(notebooks.notebook_paths())  # README: two badges and the nbgitpuller link
    pinned = [link for link in links if f"/{notebooks.TAG}" in link or f"branch={notebooks.TAG}&" in link]
    assert pinned == links, set(links) - set(pinned)
    assert f"--branch {notebooks.TAG} " in notebooks.SETUP_CELL
    assert notebooks.TAG == "v" + tomllib.loads((notebooks.ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_normalise_joins_printed_text_that_arrived_in_pieces():
    stream = nbformat.v4.new_output
    pieces = [stream("stream", name="stdout", text="a\n"), stream("stream", name="stdout", text="b\n"),
              stream("stream", name="stderr", text="c\n"), stream("stream", name="stdout", text="d\n")]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 99 · Test"),
                                         nbformat.v4.new_code_cell("print()", outputs=pieces)])
    out = notebooks.normalise(nb, "99_test.ipynb").cells[2].outputs
    assert [(o.name, o.text) for o in out] == [("stdout", "a\nb\n"), ("stderr", "c\n"), ("stdout", "d\n")]


def test_normalise_refuses_a_notebook_without_a_title():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    with pytest.raises(ValueError, match="first cell must be Markdown"):
        notebooks.normalise(nb, "x.ipynb")


def test_setup_cell_does_nothing_outside_colab(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path_before = list(sys.path)
    namespace = {}
    exec(notebooks.SETUP_CELL, namespace)
    assert "source" not in namespace and sys.path == path_before and list(tmp_path.iterdir()) == []


def _run_setup_cell_on_colab(monkeypatch, source):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setenv("COURSE_SOURCE", str(source))
    exec(notebooks.SETUP_CELL, {})


def test_setup_cell_on_colab_says_in_a_sentence_when_the_course_cannot_be_fetched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match="Could not fetch the course from .*nowhere. Check the network"):
        _run_setup_cell_on_colab(monkeypatch, tmp_path / "nowhere")


def test_setup_cell_on_colab_fetches_the_release_once_and_is_safe_to_run_again(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the Colab setup cell clones the course with git")
    source = make_course_source(tmp_path / "source", parts=("helpers",))
    (tmp_path / "content" / "course").mkdir(parents=True)  # a fetch that broke off: the folder, no helpers
    monkeypatch.chdir(tmp_path / "content")
    monkeypatch.setattr(sys, "path", list(sys.path))
    for _ in range(2):
        _run_setup_cell_on_colab(monkeypatch, source)
    course = tmp_path / "content" / "course"
    assert (course / "helpers" / "__init__.py").is_file()
    assert not (course / AFTER_THE_RELEASE).exists()  # the release tag was fetched, not the newest commit
    assert sys.path.count(str(course)) == 1


@pytest.mark.parametrize(
    "control",
    [
        ipywidgets.FloatSlider(value=0.5, min=0, max=1),
        ipywidgets.IntSlider(value=0, min=0, max=10),
        ipywidgets.FloatLogSlider(value=0.1, min=-3, max=0),
        ipywidgets.Dropdown(options=["relu", "tanh"], value="relu"),
    ],
    ids=lambda c: type(c).__name__,
)
def test_sweep_covers_the_whole_range_and_every_move_changes_the_value(control):
    values = bench.sweep_values(control, 11)
    assert len(values) == 11
    previous = control.value
    for value in values:
        assert value != previous
        previous = value
    visited = [*values, control.value]  # the starting value was drawn when the figure was built
    if hasattr(control, "max") and not hasattr(control, "base"):
        assert min(visited) == control.min and max(visited) == control.max
    if hasattr(control, "base"):
        assert min(visited) == pytest.approx(10**control.min) and max(visited) == pytest.approx(10**control.max)
    if hasattr(control, "options"):
        assert set(visited) == set(control.options)


def test_every_setting_of_the_fit_explorer_draws_without_errors_or_warnings(vending_explorer):
    live = vending_explorer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = bench.measure_live_figures(moves=25, figures=[live])
    assert {r["control"] for r in report} >= {"w", "b"}
    assert all(r["errors"] is None and r["moves"] == 25 and r["median_ms"] > 0 for r in report)
    assert live.values == {"w": 0.5, "b": 0.0}  # the sweep puts the sliders back
