"""Runs inside a notebook kernel, before its first cell, to make the kernel look like Colab's.

`tests.course_source.colab_stand_in` writes an IPython startup file that loads this file by its path (the
kernel cannot import `tests`) and calls `pretend_colab`. Standard library only: the kernel's environment
is Colab's, not the test tools'.
"""

from __future__ import annotations

import importlib
import sys

STARTUP = 'import runpy\nrunpy.run_path({path!r})["pretend_colab"]({fake!r}, {root!r})\n'


def pretend_colab(fake: str, root: str) -> None:
    """Import the stand-in `google.colab` found in the folder `fake`, as Colab imports the real one before any
    cell runs (the setup cell then takes its Colab branch), and hide this machine's copy of the course under
    `root` (its editable install and any path into it): on Colab the course is not installed."""
    sys.path.insert(0, fake)
    importlib.import_module("google.colab")  # by name: no distribution provides it here, only `fake`

    sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
    sys.path[:] = [p for p in sys.path if not p.startswith(root)]
