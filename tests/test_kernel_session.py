"""The course in a real Jupyter kernel, through a learner's accidents (issue 15): a stop pressed in the first
second of a training cell or during the import cell, then the cell run again; a lesson cell run in a kernel that
was just (re)started.

Each test starts its own kernel of this environment (jupyter_client) in the notebooks' folder, as JupyterLab
does, and sends it the notebook's cells one by one.
"""

from __future__ import annotations

import _thread
import ast
import signal
import time
from pathlib import Path

import nbformat
import pytest

from helpers import session
from helpers.authoring import notebooks
from tests.course_source import make_course_source
from tests.harness import offline
from tests.kernels import Kernel, ask, colab_restart, compared_text, errors, holds_stops, kernel_cell
from tests.paths import NOTEBOOKS

STOP_AFTER = 0.9  # seconds into the cell: within its first second, after `WORST_MOMENT` (0.3-0.7 s here)
WORST_MOMENT = "sympy.printing"  # a stop as PyTorch's first optimizer starts importing this leaves sympy broken
IMPORT_CELL_WORST_MOMENT = "torch.fx"  # a stop as `import torch` reaches this leaves torch half-imported
TRAINERS = {"networks.train", "torch.optim"}  # what trains, called directly or by a function an earlier cell defines


def calls(tree: ast.AST) -> set[str]:
    """The dotted names that `tree` calls (`torch.optim.SGD(...)` gives "torch.optim.SGD")."""
    return {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}


def trains(called: set[str], trainers: set[str]) -> bool:
    """Whether one of the `called` names is, or is inside, one of the `trainers`."""
    return any(name == t or name.startswith(t + ".") for name in called for t in trainers)


def first_training_cell(nb: nbformat.NotebookNode) -> int:
    """The index of the first cell that trains a model: it calls torch.optim or `networks.train`, directly or
    through a function defined in an earlier cell (08's `fit`)."""
    trainers = set(TRAINERS)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        trainers |= {f.name for f in functions if trains(calls(f), trainers)}
        rest = ast.Module(body=[node for node in tree.body if node not in functions], type_ignores=[])
        if trains(calls(rest), trainers):
            return index
    raise AssertionError("this notebook has no training cell")


def stop_when_imported(module: str) -> None:
    """Sent to the kernel: press stop the moment `module` starts being imported, as Jupyter does on Windows
    (`_thread.interrupt_main`, which runs the kernel's SIGINT handler): a stop at an import's worst moment, every
    time, where a stop sent at a set time lands somewhere else on each run."""
    import _thread
    import sys

    class StopAtImport:
        def find_spec(self, name, path=None, target=None):  # no annotations: the kernel runs this source as it is
            if name == module:
                sys.meta_path.remove(self)
                _thread.interrupt_main()

    sys.meta_path.insert(0, StopAtImport())


def forget_stop_when_imported() -> None:
    """Sent to the kernel: take away a `stop_when_imported` that did not fire (its import never came)."""
    import sys

    sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "StopAtImport"]


def names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """The names a cell defines (assigned, imported, def or class) and the names it reads."""
    defined, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            defined |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return defined, read


def cells_needed(nb: nbformat.NotebookNode, target: int) -> list[int]:
    """The code cells before `target` that define a name it reads, directly or through another such cell: the
    cells a learner must have run first (plots and tables the training does not use are left out, which keeps
    the test fast; a left-out cell that mattered would change the printed text, which the test compares)."""
    needed = names(ast.parse(nb.cells[target].source))[1]
    chosen = []
    for index in range(target - 1, -1, -1):
        if nb.cells[index].cell_type != "code":
            continue
        defined, read = names(ast.parse(nb.cells[index].source))
        if defined & needed:
            chosen.append(index)
            needed |= read
    return chosen[::-1]


def run_cells(kernel: Kernel, nb: nbformat.NotebookNode, cells: list[int]) -> None:
    """Run these cells of the notebook in order, as a learner does; none may fail."""
    for index in cells:
        failed = errors(kernel.run(nb.cells[index].source))
        assert not failed, f"cell {index} failed: {failed}"


def test_a_stop_is_held_until_the_block_ends_then_raised():
    """Both ways Jupyter stops a cell: SIGINT (Linux, macOS) and `_thread.interrupt_main` (Windows)."""
    outside = signal.signal(signal.SIGINT, signal.default_int_handler)  # as a kernel running a cell has it
    try:
        for stop in (lambda: signal.raise_signal(signal.SIGINT), _thread.interrupt_main):
            finished = []
            with pytest.raises(KeyboardInterrupt):
                with session.interrupts_held():
                    stop()
                    time.sleep(0.01)  # where an unheld stop would strike
                    finished.append(True)
            assert finished == [True]
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the handler given back
    finally:
        signal.signal(signal.SIGINT, outside)


def test_first_training_cell_is_found_through_the_functions_that_train():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import torch"),
        nbformat.v4.new_code_cell("def fit(m):\n    return networks.train(m)"),
        nbformat.v4.new_code_cell("def twice(m):\n    fit(m)\n    fit(m)"),
        nbformat.v4.new_code_cell("model = make()"),
        nbformat.v4.new_code_cell("twice(model)"),
    ])
    assert first_training_cell(nb) == 4
    nb.cells.insert(1, nbformat.v4.new_code_cell("opt = torch.optim.SGD(params, lr=0.1)"))
    assert first_training_cell(nb) == 1


@pytest.mark.parametrize("name", ["03_gradient_descent", "08_digits"])
def test_a_training_cell_stopped_in_its_first_second_runs_again_as_committed(name):
    """Two stops: one at the worst moment of PyTorch's first-optimizer import, if that import is still to come
    (without `session.load_torch_compiler()` in the import cell it is, and the second run fails with `module
    'sympy' has no attribute 'core'`), and Jupyter's own stop, `STOP_AFTER` seconds into the cell."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    target = first_training_cell(nb)
    with Kernel() as kernel:
        run_cells(kernel, nb, cells_needed(nb, target))
        assert not errors(kernel.run(kernel_cell(stop_when_imported, WORST_MOMENT).source))
        stopped = kernel.run(nb.cells[target].source, stop_after=STOP_AFTER)
        assert set(errors(stopped)) <= {"KeyboardInterrupt: "}, errors(stopped)
        assert not errors(kernel.run(kernel_cell(forget_stop_when_imported).source))
        again = kernel.run(nb.cells[target].source)
    assert not errors(again), f"cell {target}, run again after a stop: {errors(again)}"
    assert compared_text(again) == compared_text(nb.cells[target].outputs)


def test_the_kernel_config_is_added_once_and_keeps_what_the_file_had(tmp_path: Path):
    existing = "c.InteractiveShellApp.exec_lines = ['x = 1']"  # a config file of the environment's own, no newline
    (tmp_path / "ipython_kernel_config.py").write_text(existing, encoding="utf-8")
    for _ in range(2):
        path = session.install_kernel_config(tmp_path)
    assert path.read_text(encoding="utf-8") == existing + "\n" + session.KERNEL_CONFIG
    made = session.install_kernel_config(tmp_path / "new" / "folder")
    assert made.read_text(encoding="utf-8") == session.KERNEL_CONFIG


def guarded_home(folder: Path) -> str:
    """An IPython folder of its own whose kernels have only the offline guard; returns it, for IPYTHONDIR."""
    offline.startup_file(folder)
    return str(folder)


def configured_home(folder: Path) -> str:
    """An IPython folder whose kernels read the config `python -m helpers.session` installs, with the offline
    guard; returns it, for IPYTHONDIR."""
    session.install_kernel_config(folder / "profile_default")
    offline.startup_file(folder)
    return str(folder)


def test_a_stop_in_the_import_cell_waits_for_the_import_then_the_cell_runs_again(tmp_path: Path):
    """Two stops, as in the training cell's test, in notebook 03's import cell (numpy, matplotlib, PyTorch), after
    its setup cell: without `session.hold_stops_during_imports`, which the setup cell loads, the second run fails
    with `partially initialized module 'torch' has no attribute 'jit'` (or 'fx', or numpy's or matplotlib's like
    it). A NameError then says what to run. (The kernel config of `python -m helpers.session` loads the same
    extension: the fresh-kernel test below.)"""
    nb = nbformat.read(NOTEBOOKS / "03_gradient_descent.ipynb", as_version=4)
    setup_cell, import_cell = nb.cells[1], nb.cells[2]
    assert setup_cell.source == notebooks.SETUP_CELL and "from helpers" in import_cell.source
    with Kernel(IPYTHONDIR=guarded_home(tmp_path)) as kernel:
        if ask(kernel, holds_stops):
            pytest.skip("this environment's kernels load helpers.session from its config (`python -m helpers.session` "
                        "was run), so the setup cell's part cannot be seen here; .ci/run's fresh venv runs this")
        assert not errors(kernel.run(setup_cell.source))
        assert ask(kernel, holds_stops)
        assert not errors(kernel.run(kernel_cell(stop_when_imported, IMPORT_CELL_WORST_MOMENT).source))
        stopped = kernel.run(import_cell.source, stop_after=STOP_AFTER)
        assert set(errors(stopped)) <= {"KeyboardInterrupt: "}, errors(stopped)
        assert not errors(kernel.run(kernel_cell(forget_stop_when_imported).source))
        again = errors(kernel.run(import_cell.source))
        missing = errors(kernel.run("undefined_name"))
    assert not again, f"the import cell, run again after a stop: {again}"
    assert missing == [f"NameError: name 'undefined_name' is not defined. {session.RUN_ABOVE_FIRST}"]


def test_on_colab_a_restarted_kernel_still_explains_a_name_error_and_holds_stops(tmp_path: Path):
    """The setup cell on Colab (this environment's kernel with the stand-in `google.colab`; the Colab test does it
    on Colab's versions) writes an IPython startup file, so the kernel after Runtime > Restart session loads
    `helpers.session` before its first cell, from the course it fetched."""
    said = colab_restart(tmp_path / "colab", make_course_source(tmp_path / "github" / "course"), "python3",
                         tmp_path / "content")
    assert said == {"startup file": session.COLAB_STARTUP_NAME, "before the restart": True, "after": True,
                    "name error": [f"NameError: name 'np' is not defined. {session.RUN_ABOVE_FIRST}"],
                    "helpers": str((tmp_path / "content" / "course" / "helpers" / "__init__.py").resolve())}


def test_a_lesson_cell_in_a_fresh_kernel_says_to_run_the_cells_above_first(tmp_path: Path):
    """A kernel reading the config `python -m helpers.session` installs (here in a profile of its own) adds the
    sentence to a NameError and keeps the original message."""
    nb = nbformat.read(NOTEBOOKS / "01_the_neuron.ipynb", as_version=4)
    middle = next(cell for cell in nb.cells[len(nb.cells) // 2:] if cell.cell_type == "code")
    with Kernel(IPYTHONDIR=configured_home(tmp_path)) as kernel:
        failed = errors(kernel.run(middle.source))
        assert len(failed) == 1 and failed[0].startswith("NameError: name '"), failed
        assert failed[0].endswith(f"is not defined. {session.RUN_ABOVE_FIRST}"), failed
        assert errors(kernel.run("1 / 0")) == ["ZeroDivisionError: division by zero"]  # other errors as they were
