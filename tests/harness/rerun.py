"""Every notebook code cell runs a second time right after its first run, and its second run's text output is
compared with the committed one: a cell run twice must not corrupt the notebook's state (a training cell must
not quietly continue from where it stopped)."""

from __future__ import annotations

import copy

import pytest
from nbval.plugin import IPyNbCell

SUFFIX = " run again"


def run_again(cell: IPyNbCell) -> IPyNbCell:
    """A second item for `cell`, in the same notebook and kernel, expecting the same committed output."""
    # a copy: nbval merges the reference's stream outputs in place when it compares them
    return IPyNbCell.from_parent(cell.parent, name=cell.name + SUFFIX, cell_num=cell.cell_num,
                                 cell=copy.deepcopy(cell.cell), options=cell.options)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Follow every notebook cell with its second run."""
    doubled: list[pytest.Item] = []
    for item in items:
        doubled.append(item)
        if isinstance(item, IPyNbCell):
            doubled.append(run_again(item))
    items[:] = doubled
