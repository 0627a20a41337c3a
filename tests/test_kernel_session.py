"""The course in a real Jupyter kernel, through a learner's accidents (issue 15): a stop pressed in the first
second of a training cell or during the import cell, then the cell run again; a lesson cell run in a kernel that
was just (re)started.

Each test starts its own kernel of this environment (jupyter_client) in the notebooks' folder, as JupyterLab
does, and sends it the notebook's cells one by one.
"""

from __future__ import annotations

import _thread
import ast
import os
import queue
import signal
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

from helpers import session
from tests.harness import offline
from tests.kernels import compared_text, kernel_cell
from tests.paths import NOTEBOOKS

STOP_AFTER = 0.9  # seconds into the cell: within its first second, after `WORST_MOMENT` (0.3-0.7 s here)
WORST_MOMENT = "sympy.printing"  # a stop as PyTorch's first optimizer starts importing this leaves sympy broken
IMPORT_CELL_WORST_MOMENT = "torch.fx"  # a stop as `import torch` reaches this leaves torch half-imported
TRAINERS = {"networks.train", "torch.optim"}  # what trains, called directly or by a function an earlier cell defines


class Kernel:
    """A fresh kernel of this environment, working in the notebooks' folder; `run` sends it one cell."""

    def __init__(self, **environment: str) -> None:
        env = {**os.environ, "PYTHONHASHSEED": "0", **environment}  # the hash seed the committed outputs ran with
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(NOTEBOOKS), env=env)

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *_: Any) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def run(self, source: str, stop_after: float | None = None, timeout: float = 120) -> list[nbformat.NotebookNode]:
        """Run `source` as a cell and return its outputs; with `stop_after`, interrupt it (the stop button) that
        many seconds after the kernel started it."""
        msg_id = self.client.execute(source)  # kept in the history, and its result in Out, as Jupyter does
        outputs: list[nbformat.NotebookNode] = []
        started = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if stop_after is not None and started is not None and time.monotonic() - started >= stop_after:
                self.manager.interrupt_kernel()
                stop_after = None
            try:
                message = self.client.get_iopub_msg(timeout=0.005)
            except queue.Empty:
                continue
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "status" and content["execution_state"] == "busy":
                started = time.monotonic()
            elif kind == "status" and content["execution_state"] == "idle":
                return outputs
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append(nbformat.v4.output_from_msg(message))
        raise TimeoutError(f"the cell did not finish in {timeout} s:\n{source}")


def errors(outputs: list[nbformat.NotebookNode]) -> list[str]:
    """The errors among a cell's outputs, as `Name: message`."""
    return [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]


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


def configured_home(folder: Path) -> str:
    """An IPython folder whose kernels read the config `python -m helpers.session` installs, with the offline
    guard; returns it, for IPYTHONDIR."""
    session.install_kernel_config(folder / "profile_default")
    offline.startup_file(folder)
    return str(folder)


def test_a_stop_in_the_import_cell_waits_for_the_import_then_the_cell_runs_again(tmp_path: Path):
    """Two stops, as in the training cell's test, in notebook 03's import cell (numpy, matplotlib, PyTorch): without
    `session.hold_stops_during_imports` (loaded by the kernel config), the second run fails with `partially
    initialized module 'torch' has no attribute 'jit'` (or 'fx', or numpy's or matplotlib's like it)."""
    nb = nbformat.read(NOTEBOOKS / "03_gradient_descent.ipynb", as_version=4)
    import_cell = next(cell for cell in nb.cells if cell.cell_type == "code" and "from helpers" in cell.source)
    with Kernel(IPYTHONDIR=configured_home(tmp_path)) as kernel:
        assert not errors(kernel.run(kernel_cell(stop_when_imported, IMPORT_CELL_WORST_MOMENT).source))
        stopped = kernel.run(import_cell.source, stop_after=STOP_AFTER)
        assert set(errors(stopped)) <= {"KeyboardInterrupt: "}, errors(stopped)
        assert not errors(kernel.run(kernel_cell(forget_stop_when_imported).source))
        again = errors(kernel.run(import_cell.source))
    assert not again, f"the import cell, run again after a stop: {again}"


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
