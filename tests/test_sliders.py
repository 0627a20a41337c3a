"""Every slider of every notebook, moved across its whole range in a real kernel after running the notebook.

Numerical warnings are errors in that kernel, so an overflow or an invalid value fails the test, as does
an update that raises or an artist that would draw a NaN.
"""

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import notebooks

PROBE = """
import json, warnings
warnings.simplefilter("error", RuntimeWarning)
warnings.simplefilter("error", UserWarning)
from helpers.bench import measure_live_figures
print(json.dumps(measure_live_figures(moves=21)))
"""


def sweep_notebook(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout"))


@pytest.mark.parametrize("path", notebooks.notebook_paths(), ids=lambda p: p.stem)
def test_every_slider_moves_across_its_range_without_errors_warnings_or_nan(path):
    report = sweep_notebook(path)
    cells = nbformat.read(path, as_version=4).cells
    widget_cells = sum(bool(re.search(r"widgets\.\w+\(", c.source)) for c in cells if c.cell_type == "code")
    assert len({r["figure"] for r in report}) == widget_cells
    for row in report:
        assert row["moves"] == 21, row
        assert row["errors"] is None, row
        assert row["non_finite_moves"] == 0, row
    print(f"{path.stem}: {len(report)} controls moved, {sum(r['moves'] for r in report)} moves")
