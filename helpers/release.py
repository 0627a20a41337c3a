"""Where the course is published and which release this copy of it is.

The version lives in `pyproject.toml` only. A checkout (a clone, a zip, the editable install) reads it there;
an installed wheel, which has no `pyproject.toml`, reads the version pip recorded. Its git tag is what
learners get: the launch badges, the Colab setup cell's fetch and the restore advice for a damaged data file
all name it, so a workshop sees one fixed version.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

REPOSITORY = "deep-learning-basics/deep-learning-basics"
DISTRIBUTION = "deep-learning-basics"
_PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"  # helpers/release.py -> the checkout's top


def course_version() -> str:
    """This copy's version: from the checkout's `pyproject.toml`, else from the installed distribution."""
    if _PYPROJECT.is_file():
        return tomllib.loads(_PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    return metadata.version(DISTRIBUTION)


VERSION = course_version()
TAG = f"v{VERSION}"
