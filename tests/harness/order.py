"""The notebooks run in a shuffled order, a new one every run (COURSE_ORDER_SEED=N repeats one): no notebook
may depend on another having run before it or beside it. Each notebook's cells keep their order."""

from __future__ import annotations

import os
import random

import pytest
from nbval.plugin import IPyNbCell


def shuffled_notebooks(items: list[pytest.Item], seed: int) -> list[pytest.Item]:
    """Each notebook's cells together and in order, the notebooks in the order a `seed`ed shuffle of their sorted
    paths gives, then the other tests. The notebooks are the big pieces of work: handed out first, they leave
    the many small test files to fill in whichever worker finishes early, instead of one worker idling while
    the other runs the last notebook."""
    groups: dict = {}
    for item in items:
        groups.setdefault(item.parent if isinstance(item, IPyNbCell) else None, []).append(item)
    notebooks = sorted((key for key in groups if key is not None), key=lambda parent: str(parent.path))
    random.Random(seed).shuffle(notebooks)
    return [item for parent in notebooks for item in groups[parent]] + groups.get(None, [])


def pytest_configure(config: pytest.Config) -> None:
    """One seed for the run, chosen by the controlling process (xdist's workers inherit it), and xdist told to
    hand out the notebooks in that order: by default (`--loadscope-reorder`) it sorts them by their number of
    items, the same order on every run, whatever the shuffle."""
    os.environ.setdefault("COURSE_ORDER_SEED", str(random.SystemRandom().randrange(10**6)))
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Shuffle before the other plugins add items, so what they add follows its notebook."""
    items[:] = shuffled_notebooks(items, int(os.environ["COURSE_ORDER_SEED"]))
