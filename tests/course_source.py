"""Stand-ins for the course's GitHub repository and for Colab's kernel, for tests of the Colab setup cell.

The setup cell clones the release tag named in `helpers.authoring.notebooks.TAG` from `COURSE_SOURCE`. The stand-in is a
local git repository with that tag on the course's files and one more commit after it, as `main` has after a
release, so a test can tell that the cell fetched the tag and not the newest commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from helpers.authoring import notebooks
from tests import colab_kernel
from tests.paths import ROOT

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


def colab_stand_in(folder: Path, source: Path) -> dict[str, str]:
    """Make Colab's kernel setting in `folder`; return the environment variables that give it to a new kernel.

    A fake `google.colab` is imported by an IPython startup file (so the setup cell takes its Colab branch), the
    course's editable install is hidden, and `COURSE_SOURCE` points the setup cell's clone at `source` (a
    `make_course_source` copy). The startup files the kernels already get (the test run's offline guard) are kept.
    """
    fake = folder / "fake"
    (fake / "google" / "colab").mkdir(parents=True)
    (fake / "google" / "__init__.py").write_text("")
    (fake / "google" / "colab" / "__init__.py").write_text('"""Stand-in for Colab\'s module."""\n')
    startup = folder / "ipython" / "profile_default" / "startup"
    inherited = Path(os.environ.get("IPYTHONDIR", folder / "none")) / "profile_default" / "startup"
    if inherited.is_dir():
        shutil.copytree(inherited, startup)
    startup.mkdir(parents=True, exist_ok=True)
    script = colab_kernel.STARTUP.format(path=colab_kernel.__file__, fake=str(fake), root=str(ROOT))
    (startup / "50-colab.py").write_text(script, encoding="utf-8")
    return {"IPYTHONDIR": str(folder / "ipython"), "COURSE_SOURCE": f"file://{source}"}
