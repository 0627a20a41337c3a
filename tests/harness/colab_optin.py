"""The slow opt-in tests run only when asked for by name: the Colab test (marked `colab`: its own cached environment,
about 2 minutes) with `-m colab`, the workshop kit's (marked `kit`: hundreds of MB of wheels, a fresh install) with
`-m kit`. A `-m` given on the command line replaces the one in pyproject's addopts, so without this
`python -m pytest -m "not browser"` would quietly run them too."""

from __future__ import annotations

import re

import pytest

OPT_IN = ("colab", "kit")  # markers whose tests run only when the marker expression names them


def asked_for(config: pytest.Config, marker: str) -> bool:
    """Whether the run's marker expression names `marker` (as `-m kit` or `-m "not kit"` do)."""
    return re.search(rf"\b{marker}\b", config.option.markexpr or "") is not None


def asked_for_colab(config: pytest.Config) -> bool:
    """Whether the run's marker expression names the colab marker (as `-m colab` or `-m "not colab"` do)."""
    return asked_for(config, "colab")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the items of each opt-in marker that the marker expression does not name."""
    for marker in OPT_IN:
        if asked_for(config, marker):
            continue
        unasked = [item for item in items if item.get_closest_marker(marker)]
        if unasked:
            config.hook.pytest_deselected(items=unasked)
            items[:] = [item for item in items if not item.get_closest_marker(marker)]
