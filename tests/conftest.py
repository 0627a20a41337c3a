"""Adds one test item to the end of every notebook's nbval run: move every slider across its whole range.

The sweep runs in the notebook's own kernel after its last cell, so nothing is executed twice. Numerical
and plotting warnings are errors there; an update that raises, an artist that would draw a NaN, or a live
figure that was not found fails the item with the report.
"""

import re
from collections import defaultdict

import nbformat
from nbval.plugin import IPyNbCell

SWEEP_NAME = "every slider across its whole range"
SWEEP = """
import json, warnings
warnings.simplefilter("error", RuntimeWarning)
warnings.simplefilter("error", UserWarning)
from helpers.bench import measure_live_figures
report = measure_live_figures(moves=21)
problems = [r for r in report if r["errors"] or r["non_finite_moves"] or r["moves"] != 21]
assert not problems, json.dumps(problems, indent=1)
found = len({{r["figure"] for r in report}})
assert found == {figures}, f"expected {figures} live figures in this kernel, found {{found}}"
print(f"{{len(report)}} controls moved, {{sum(r['moves'] for r in report)}} moves, no errors, warnings or NaN")
"""
EXPLORER = re.compile(r"widgets\.\w+_explorer\(")


def pytest_collection_modifyitems(session, config, items):
    last = {}
    for index, item in enumerate(items):
        if isinstance(item, IPyNbCell):
            last[item.parent] = index
    extended = []
    for index, item in enumerate(items):
        extended.append(item)
        if isinstance(item, IPyNbCell) and last[item.parent] == index:
            cells = nbformat.read(str(item.parent.fspath), as_version=4).cells
            figures = sum(bool(EXPLORER.search(c.source)) for c in cells if c.cell_type == "code")
            if figures:
                cell = nbformat.v4.new_code_cell(SWEEP.format(figures=figures))
                options = defaultdict(bool, check=False)
                extended.append(IPyNbCell.from_parent(item.parent, name=SWEEP_NAME, cell_num=item.cell_num + 1,
                                                      cell=cell, options=options))
    items[:] = extended


def pytest_terminal_summary(terminalreporter):
    """Print where the browser test saved its screenshots and the key-to-pixels times it measured.

    The tests record these as user properties, which reach this process from pytest-xdist's workers too.
    """
    lines = []
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", []):
                if key == "browser" and value not in lines:
                    lines.append(value)
    if lines:
        terminalreporter.section("browser test")
        for line in lines:
            terminalreporter.write_line(line)
