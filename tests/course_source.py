"""A stand-in for the course's GitHub repository, for tests of the Colab setup cell.

The setup cell clones the release tag named in `helpers.notebooks.TAG` from `COURSE_SOURCE`. The stand-in is a
local git repository with that tag on the course's files and one more commit after it, as `main` has after a
release, so a test can tell that the cell fetched the tag and not the newest commit.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from helpers import notebooks

ROOT = notebooks.ROOT
AFTER_THE_RELEASE = "UNRELEASED.md"  # the file only the commit after the tag has
GIT = ["git", "-c", "user.name=course", "-c", "user.email=course@example.org", "-c", "init.defaultBranch=main"]


def make_course_source(destination: Path, parts: tuple[str, ...] = ("helpers", "data", "pyproject.toml")) -> Path:
    """Copy `parts` of the working tree into a new git repository at `destination`, tag it, commit once more."""
    destination.mkdir(parents=True)
    for part in parts:
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / part, destination / part)
    subprocess.run([*GIT, "init", "-q", str(destination)], check=True)
    subprocess.run([*GIT, "-C", str(destination), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(destination), "commit", "-qm", "the release"], check=True)
    subprocess.run([*GIT, "-C", str(destination), "tag", notebooks.TAG], check=True)
    (destination / AFTER_THE_RELEASE).write_text("Work after the release: the setup cell must not fetch this.\n")
    subprocess.run([*GIT, "-C", str(destination), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(destination), "commit", "-qm", "after the release"], check=True)
    return destination
