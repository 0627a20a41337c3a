"""Running course notebooks on a kernel of another environment and comparing what they print with the committed
outputs: the machinery the Colab test (`tests/test_colab.py`), the offline kit's test (`tests/test_kit.py`) and the
kernel-session tests (`tests/test_kernel_session.py`) share."""

from __future__ import annotations

import copy
import inspect
import json
import os
import queue
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import start_new_kernel
from nbval.plugin import coalesce_streams, find_comment_markers, find_metadata_tags, transform_streams_for_comparison

from helpers.authoring import notebooks
from tests.course_source import colab_stand_in
from tests.paths import NOTEBOOKS

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "deep-learning-basics"

# What nbval leaves out of the comparison (its default skip list, images included): the rest is compared.
NOT_COMPARED = {"metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
                notebooks.WIDGET_VIEW, "image/png", "image/jpeg"}

# The distributions whose version the kernel reports from the module it imported, and that module's name.
MODULE_OF = {"ipywidgets": "ipywidgets", "ipython": "IPython", "ipykernel": "ipykernel", "numpy": "numpy",
             "matplotlib": "matplotlib", "pillow": "PIL", "torch": "torch"}


def python_311() -> str | None:
    """A Python 3.11 interpreter to build the Colab venv from: this venv's base interpreter first."""
    candidates = [Path(sys.base_prefix) / "bin" / "python3.11", shutil.which("python3.11"),
                  *sorted(Path.home().glob(".pyenv/versions/3.11*/bin/python3.11"))]
    return next((str(c) for c in candidates if c and Path(c).is_file()), None)


def kernel_facts(modules: dict[str, str]) -> dict:
    """Sent to the notebook's kernel after its last cell: the version of each of `modules` (by distribution name)
    it imported, where `helpers` came from and whether it was Colab's kernel."""
    import importlib
    import sys

    import helpers

    versions = {name: importlib.import_module(module).__version__ for name, module in modules.items()}
    return {"versions": versions, "helpers": helpers.__file__, "colab": "google.colab" in sys.modules}


def kernel_cell(function: Any, *args: Any) -> nbformat.NotebookNode:
    """A code cell that defines `function` (plain, self-contained code in this file), calls it with `args` (plain
    values) and prints the result as JSON."""
    call = f"{function.__name__}({', '.join(map(repr, args))})"
    return nbformat.v4.new_code_cell(f"{inspect.getsource(function)}\nimport json\nprint(json.dumps({call}))")


def printed(cell: nbformat.NotebookNode) -> Any:
    """What a `kernel_cell` printed, read back."""
    return json.loads("".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream"))


def compared_text(outputs: list) -> dict[str, list]:
    """The parts of a cell's outputs nbval compares (streams, text/plain and other text, by key), in order."""
    parts = defaultdict(list)
    for output in transform_streams_for_comparison(coalesce_streams(copy.deepcopy(outputs))):
        for key, value in output.items():
            if key == "data":
                for mime, content in value.items():
                    if mime not in NOT_COMPARED:
                        parts[mime].append(content)
            elif key not in NOT_COMPARED:
                parts[key].append(value)
    return dict(parts)


def nbval_compares(cell: nbformat.NotebookNode) -> bool:
    """Whether nbval compares this cell's output: not if a tag or a comment (`# NBVAL_IGNORE_OUTPUT`) says not."""
    options = dict(find_metadata_tags(cell.metadata))
    options.update(find_comment_markers(cell.source))
    return options.get("check", True) and not options.get("skip", False)


def text_differences(committed: nbformat.NotebookNode, ran: nbformat.NotebookNode) -> list[str]:
    """Every code cell whose compared text differs from the committed notebook's, with both versions."""
    differences = []
    for index, (mine, theirs) in enumerate(zip(committed.cells, ran.cells, strict=False)):
        if mine.cell_type != "code" or not nbval_compares(mine):
            continue
        if compared_text(mine.outputs) != compared_text(theirs.outputs):
            differences.append(f"cell {index}:\n  committed: {compared_text(mine.outputs)}\n"
                               f"  on this kernel: {compared_text(theirs.outputs)}")
    return differences


class Kernel:
    """A fresh kernel (this environment's, or the kernelspec `kernel_name`), working in the notebooks' folder (or
    `cwd`), as JupyterLab starts one; `run` sends it one cell."""

    def __init__(self, kernel_name: str = "python3", cwd: Path = NOTEBOOKS, **environment: str) -> None:
        env = {**os.environ, "PYTHONHASHSEED": "0", **environment}  # the hash seed the committed outputs ran with
        self.manager, self.client = start_new_kernel(kernel_name=kernel_name, cwd=str(cwd), env=env)

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *_: Any) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)

    def restart(self) -> None:
        """Kernel > Restart: a new process, nothing of the old one's variables."""
        self.manager.restart_kernel(now=True)
        self.client.wait_for_ready(timeout=60)

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


def ask(kernel: Kernel, function: Any, *args: Any) -> Any:
    """What `function` (a `kernel_cell` function) returns when `kernel` runs it."""
    cell = kernel_cell(function, *args)
    cell.outputs = kernel.run(cell.source)
    assert not errors(cell.outputs), errors(cell.outputs)
    return printed(cell)


def holds_stops() -> bool:
    """Sent to a kernel: whether `helpers.session` is loaded in it (its imports hold a stop)."""
    import builtins

    return getattr(builtins.__import__, "holds_stops", False)


def helpers_file() -> str:
    """Sent to a kernel: the `helpers` package it imports, resolved."""
    from pathlib import Path

    import helpers

    return str(Path(helpers.__file__).resolve())


def colab_restart(folder: Path, source: Path, kernel_name: str, content: Path) -> dict[str, Any]:
    """A Colab session with a restart, as a learner has it: in the Colab stand-in (`colab_stand_in` in `folder`, the
    course fetched from the repository copy `source`), a kernel of `kernel_name` working in `content` runs the setup
    cell, then Runtime > Restart session, then a lesson cell that needs the import cell (`np.zeros(3)`). Returns the
    startup file the setup cell wrote, whether `helpers.session` was loaded before and after the restart, the
    restarted kernel's error and which `helpers` it imports."""
    environment = colab_stand_in(folder, source)
    content.mkdir(parents=True, exist_ok=True)
    with Kernel(kernel_name, cwd=content, **environment) as kernel:
        assert not errors(kernel.run(notebooks.SETUP_CELL))
        before = ask(kernel, holds_stops)
        kernel.restart()
        after = ask(kernel, holds_stops)
        name_error = errors(kernel.run("np.zeros(3)"))
        where = ask(kernel, helpers_file)
    written = [path.name for path in (Path(environment["IPYTHONDIR"]) / "profile_default" / "startup").iterdir()
               if path.read_text(encoding="utf-8").startswith("# Written by the Deep Learning Basics setup cell")]
    return {"startup file": written[0] if len(written) == 1 else written, "before the restart": before,
            "after": after, "name error": name_error, "helpers": where}
