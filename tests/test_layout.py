"""The helpers' layout: where a notebook's exercises and figures are found, the loss map's named fields, the
controls' shared look, and modules small enough to read."""

import ast
import importlib

import ipywidgets
import nbformat
import numpy as np
import pytest

from helpers import live, plots, widgets
from helpers.authoring import editions, notebooks
from helpers.exercises import nb01, nb03
from tests.paths import ROOT

LONGEST_MODULE = 350  # lines: a module a newcomer can read in one sitting


def test_a_notebooks_number_names_its_exercise_module():
    assert editions.exercise_module(ROOT / "notebooks" / "01_the_neuron.ipynb") is nb01
    assert editions.exercise_module("03_anything.ipynb") is nb03
    assert editions.exercise_module("99_not_written_yet.ipynb") is None  # a notebook without exercises


def test_every_notebook_with_exercises_imports_them_from_its_own_module():
    for path in notebooks.notebook_paths():
        module = f"helpers.exercises.nb{path.name[:2]}"
        imports = {node.module for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"
                   for node in ast.walk(ast.parse(cell.source)) if isinstance(node, ast.ImportFrom)}
        exercise_imports = {name for name in imports if name.startswith("helpers.exercises")}
        assert exercise_imports == {module}, f"{path.name} imports {exercise_imports}, expected only {module}"


def test_every_lesson_figure_is_reexported_by_the_widgets_package():
    folder = ROOT / "helpers" / "widgets"
    for path in sorted(folder.glob("*.py")):
        module = importlib.import_module(f"helpers.widgets.{path.stem}")
        explorers = [name for name in vars(module) if name.endswith("_explorer")
                     and getattr(module, name).__module__ == module.__name__]
        for name in explorers:
            assert getattr(widgets, name, None) is getattr(module, name), f"widgets.{name} is not re-exported"


def test_no_helpers_module_is_longer_than_a_sitting():
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "helpers").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE}
    assert not long, f"split these modules (lines): {long}"


def test_learners_namespace_leaves_the_authoring_tools_out():
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "helpers").rglob("*.py")
                     if "authoring" not in p.parts)
    assert "helpers.authoring" not in text, "a learner's module imports an authoring tool"


def _surface():
    first, second = np.linspace(-1, 1, 7), np.linspace(-2, 2, 5)
    losses = plots.loss_grid(lambda a, b: a**2 + b**2 / 4, first, second)
    return first, second, losses


def test_surface_names_its_fields_and_accepts_the_plain_tuple():
    first, second, losses = _surface()
    surface = widgets.Surface.of(("a", "b", first, second, losses))
    assert surface.first_name == "a" and surface.second_name == "b"
    assert np.array_equal(surface.first, first) and np.array_equal(surface.second, second)
    assert np.array_equal(surface.losses, losses) and isinstance(surface.losses, np.ndarray)
    assert widgets.Surface.of(surface).first_name == "a"  # a Surface passes through


@pytest.mark.parametrize(
    "bad, message",
    [
        (("a", "b", np.linspace(0, 1, 7), np.linspace(0, 1, 5)), "must be \\(first_name"),
        (("a", "b", np.linspace(0, 1, 5), np.linspace(0, 1, 7), np.ones((5, 7))), "shape \\(len\\(second_grid\\)"),
        (("a", "b", [0.0, np.nan], [0.0, 1.0], np.ones((2, 2))), "first_grid"),
        (3, "must be \\(first_name"),
    ],
)
def test_surface_refuses_a_map_that_does_not_fit_together(bad, message):
    with pytest.raises(ValueError, match=message):
        widgets.Surface.of(bad)


def test_a_surface_and_its_tuple_draw_the_same_learning_rate_explorer():
    first, second, losses = _surface()

    def run(lr):
        from helpers.training import descend

        return descend(lambda p: p[0] ** 2 + p[1] ** 2 / 4, lambda p: np.array([2 * p[0], p[1] / 2]),
                       np.array([0.8, 1.5]), lr, 20)

    named = widgets.learning_rate_explorer(run, widgets.Surface("a", "b", first, second, losses), (0.01, 1.0, 0.3))
    drawn = named.image.value, named.status_text  # read now: the second explorer closes the first
    plain = widgets.learning_rate_explorer(run, ("a", "b", first, second, losses), (0.01, 1.0, 0.3))
    assert drawn == (plain.image.value, plain.status_text)


def test_every_control_has_the_course_look():
    for kind, options in ((ipywidgets.IntSlider, {"min": 0, "max": 3}),
                          (ipywidgets.SelectionSlider, {"options": [1, 2]})):
        made = live.control(kind, "steps", **options)
        assert isinstance(made, kind) and made.description == "steps" and made.continuous_update
        assert made.layout.width == live.CONTROL_WIDTH and made.style.description_width == "initial"
    assert live.slider("w", 0, 1, 0.5, 0.01).layout.width == live.CONTROL_WIDTH


# Numbers a notebook and its checker share, each set once in the exercise module; a copy written out again in
# the notebook (these spellings) could drift from the checker without any test noticing.
SHARED = {
    "03": {"QUADRATIC_START": ["15.0, -2.0, 10.0"], "QUADRATIC_LR": ["lr=0.1):"]},
    "05": {"RING_SIZE": ["n=400"], "RING_NOISE": ["noise=0.1,", "noise=0.1)"], "XOR_SIZE": ["n=200"],
           "XOR_NOISE": ["noise=0.25"]},
    "07": {"NOISE": ["noise=0.2"], "TRAIN": ["[:15]", "[:15,"], "VALIDATION": ["[200:250"], "TEST": ["[250:]"]},
}


@pytest.mark.parametrize("number", sorted(SHARED))
def test_numbers_a_notebook_shares_with_its_checker_are_imported_not_copied(number):
    (path,) = [p for p in notebooks.notebook_paths() if p.name.startswith(number)]
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    module = importlib.import_module(f"helpers.exercises.nb{number}")
    for name, copies in SHARED[number].items():
        assert hasattr(module, name), f"{module.__name__} lost {name}"
        assert f" {name}" in code.split("\n\n", 1)[0] or f"{name}," in code, f"{path.name} does not import {name}"
        found = [copy for copy in copies if copy in code]
        assert not found, f"{path.name} writes {found} again instead of using {name} from {module.__name__}"
