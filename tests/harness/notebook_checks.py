"""Three items added after each notebook's last cell, run in the notebook's own kernel (nothing runs twice more):

- every slider across its whole range, and random combinations of a figure's controls (`in_kernel.sweep_every_slider`);
- every exercise's solution passes its check in context (`in_kernel.check_solutions`);
- with `--explorer-memory` only: every explorer cell, run again 10 times, adds under 20 MiB to the kernel
  (`in_kernel.explorer_memory_growth`). It costs about 45 s of kernel time over the notebooks, so the README's
  quick command leaves it out and `.ci/run` asks for it in its second pass over the notebooks.

Each item's cell loads `tests/harness/in_kernel.py` by its path and calls one of its functions with plain
arguments.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbval.plugin import IPyNbCell

from tests.harness import in_kernel

SWEEP_NAME = "every slider across its whole range"
SOLUTIONS_NAME = "every exercise's solution passes its check in context"
MEMORY_NAME = f"every explorer cell run again {in_kernel.EXPLORER_RERUNS} times frees what it replaces"
EXPLORER = re.compile(r"widgets\.\w+_explorer\(")
REPORT_DIR = "COURSE_REPORT_DIR"


def kernel_call(function: Any, **arguments: Any) -> str:
    """A cell that loads `function`'s module from its file in this repository (by path: a kernel's sys.path may
    hold another `tests` package, and its `helpers` must stay the one it imported) and calls it with plain
    `arguments`."""
    call = ", ".join(f"{name}={value!r}" for name, value in arguments.items())
    path = str(Path(sys.modules[function.__module__].__file__).resolve())
    return f"import runpy\nrunpy.run_path({path!r})[{function.__name__!r}]({call})"


def checks(path: Path, memory: bool = False) -> list[tuple[str, str]]:
    """The (name, cell source) of the checks a notebook gets: the sweep (and with `memory`, the memory check) if
    it has explorers, the solutions if it has exercise cells."""
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    found = []
    figures = sum(bool(EXPLORER.search(cell.source)) for cell in code)
    if figures:
        report = Path(os.environ[REPORT_DIR], f"{path.stem}.json")
        found.append((SWEEP_NAME, kernel_call(in_kernel.sweep_every_slider, figures=figures, report_file=str(report))))
        explorers = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and EXPLORER.search(cell.source)]
        if memory:
            found.append((MEMORY_NAME, kernel_call(in_kernel.explorer_memory_growth, notebook=str(path),
                                                   cells=explorers)))
    if any("exercise" in cell.metadata.get("tags", []) for cell in code):
        found.append((SOLUTIONS_NAME, kernel_call(in_kernel.check_solutions, notebook=str(path))))
    return found


def check_items(last_cell: IPyNbCell, memory: bool = False) -> list[IPyNbCell]:
    """The checks as nbval items after `last_cell`, their output not compared (they pass or raise)."""
    return [
        IPyNbCell.from_parent(last_cell.parent, name=name, cell_num=last_cell.cell_num + 1 + offset,
                              cell=nbformat.v4.new_code_cell(source), options=defaultdict(bool, check=False))
        for offset, (name, source) in enumerate(checks(Path(last_cell.parent.path), memory))
    ]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--explorer-memory", action="store_true",
                     help="also run every explorer cell 10 times more and check the kernel's memory (about 45 s)")


def pytest_configure(config: pytest.Config) -> None:
    """One folder for the run where the sweeps leave their counts (xdist's workers and the kernels inherit it)."""
    if REPORT_DIR not in os.environ:
        folder = tempfile.mkdtemp(prefix="course-report-")
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
        os.environ[REPORT_DIR] = folder


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """After the shuffle and the second runs: the checks follow each notebook's last item."""
    last = {item.parent: index for index, item in enumerate(items) if isinstance(item, IPyNbCell)}
    extended: list[pytest.Item] = []
    for index, item in enumerate(items):
        extended.append(item)
        if isinstance(item, IPyNbCell) and last[item.parent] == index:
            extended += check_items(item, config.getoption("explorer_memory"))
    items[:] = extended
