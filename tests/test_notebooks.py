"""The notebooks as files: normalised, shaped like a lesson, and with clean committed outputs.

nbval (run by the same `python -m pytest`) re-executes them and compares their text outputs.
"""

import getpass
import json
import re
import socket
from pathlib import Path

import nbformat
import pytest

from helpers.authoring import notebooks

PATHS = notebooks.notebook_paths()
IDS = [p.stem for p in PATHS]


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_there_are_notebooks():
    assert PATHS and PATHS[0].name == "01_the_neuron.ipynb"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_is_normalised(path):
    nb = load(path)
    assert notebooks.normalise(nb, path.name) == nb, f"run `python -m helpers.authoring.notebooks {path}`"
    assert nb.cells[1].source == notebooks.SETUP_CELL
    assert notebooks.badges(path.name) in nb.cells[0].source


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebook_is_shaped_like_a_lesson(path):
    nb = load(path)
    opening = nb.cells[0].source
    assert "you will learn" in opening and "minutes" in opening
    headings = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    assert "## Summary" in headings and "## Exercises" in headings
    assert headings.index("## Summary") < headings.index("## Exercises")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert sum(".check(" in src for src in code) >= 4
    long_cells = [src.splitlines()[0] for src in code if len(src.splitlines()) > 15]
    assert long_cells == []


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_committed_outputs_are_clean(path):
    nb = load(path)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {index} was never run"
        for output in cell.outputs:
            assert output.output_type != "error", f"cell {index} has an error output"
            assert output.get("name") != "stderr", f"cell {index} printed to stderr: {output.text[:200]}"
    text = json.dumps([
        o.get("text") or {k: v for k, v in o.get("data", {}).items() if not k.startswith("image/")}
        for c in nb.cells for o in c.get("outputs", [])
    ])
    leaks = [str(Path.home()), str(Path(__file__).resolve().parent.parent), socket.gethostname()]
    if getpass.getuser() not in {"root", "jovyan"}:
        leaks.append(getpass.getuser())
    assert [leak for leak in leaks if leak and leak in text] == []


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_widget_leaves_a_static_picture(path):
    widget_cells = [c for c in load(path).cells if c.cell_type == "code" and re.search(r"widgets\.\w+\(", c.source)]
    for cell in widget_cells:
        shown = [o for o in cell.outputs if "data" in o]
        assert shown, f"widget cell without output: {cell.source.splitlines()[0]}"
        assert all("image/png" in o.data and notebooks.WIDGET_VIEW not in o.data for o in shown)
        assert all(o.data["text/plain"].split(" (")[0] not in {"", "VBox"} for o in shown)


def test_the_mean_squared_error_keeps_one_signature_across_the_notebooks():
    """A learner who met `mse(y_true, y_pred)` in 01 must not meet an `mse(model, x, y)` later."""
    signatures: dict[str, set[str]] = {}
    for path in notebooks.notebook_paths():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for name, arguments in re.findall(r"^def (\w+)\(([^)]*)\)", cell.source, re.M):
                    signatures.setdefault(name, set()).add(arguments)
    assert signatures["mse"] == {"y_true, y_pred"}
