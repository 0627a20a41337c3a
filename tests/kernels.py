"""Running course notebooks on a kernel of another environment and comparing what they print with the committed
outputs: the machinery the Colab test (`tests/test_colab.py`), the offline kit's test (`tests/test_kit.py`) and the
kernel-session tests (`tests/test_kernel_session.py`) share."""

from __future__ import annotations

import copy
import inspect
import json
import os
import shutil
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import nbformat
from nbval.plugin import coalesce_streams, find_comment_markers, find_metadata_tags, transform_streams_for_comparison

from helpers.authoring import notebooks

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

