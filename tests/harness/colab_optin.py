"""The Colab test (marked `colab`: its own cached environment, about 2 minutes) runs only when asked for by name,
`-m colab`. A `-m` given on the command line replaces the one in pyproject's addopts, so without this
`python -m pytest -m "not browser"` would quietly run it too."""

from __future__ import annotations

import pytest


def asked_for_colab(config: pytest.Config) -> bool:
    """Whether the run's marker expression names the colab marker (as `-m colab` or `-m "not colab"` do)."""
    return "colab" in (config.option.markexpr or "")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the colab items unless the marker expression names them."""
    if asked_for_colab(config):
        return
    colab = [item for item in items if item.get_closest_marker("colab")]
    if colab:
        config.hook.pytest_deselected(items=colab)
        items[:] = [item for item in items if not item.get_closest_marker("colab")]
