"""The test run must not write into the repository: the session fails if `git status` lists a file after the run
that it did not list before (compiled bytecode included: it is switched off for the run and its kernels)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.paths import ROOT

BEFORE = pytest.StashKey[set[str]]()


def repository_files() -> set[str] | None:
    """Every changed, untracked or ignored file git reports in the repository, or None without a usable git."""
    try:
        run = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=ROOT,
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return set(run.stdout.splitlines()) if run.returncode == 0 else None


def pytest_configure(config: pytest.Config) -> None:
    """No bytecode from here on, in this process, in xdist's workers and in the notebooks' kernels."""
    sys.dont_write_bytecode = True
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"


def pytest_sessionstart(session: pytest.Session) -> None:
    """What git lists before any test ran (in the controlling process only, not in xdist's workers)."""
    if not hasattr(session.config, "workerinput"):
        before = repository_files()
        if before is not None:
            session.config.stash[BEFORE] = before


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Fail the session, naming the files, if the run wrote into the repository."""
    before = session.config.stash.get(BEFORE, None)
    after = repository_files() if before is not None else None
    if after is not None and after - before:
        written = "\n  ".join(sorted(after - before))
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"FAILED: the test run wrote into the repository (it must not):\n  {written}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
