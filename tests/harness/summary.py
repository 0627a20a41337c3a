"""The end-of-run summary, of what ran only: the slider sweeps' counts, the lines tests record as the user
property "summary" (or "browser": the browser test's screenshots and times), and the order the notebooks really
ran in with the real number of workers. No notebook line when no notebook ran."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.harness.notebook_checks import REPORT_DIR


def workers(config: pytest.Config) -> int:
    """How many processes ran the tests: xdist's resolved `-n` (0 means none), or 1 without xdist."""
    return max(1, int(getattr(config.option, "numprocesses", None) or 0))


def notebook_of(nodeid: str) -> str | None:
    """The notebook a test id belongs to (its two-digit number), or None for a test that is not a notebook's."""
    path = nodeid.split("::", 1)[0]
    return Path(path).stem[:2] if path.endswith(".ipynb") else None


def sweep_line(sweeps: list[dict]) -> str:
    """The sliders' line, from the counts each notebook's sweep left."""
    return (f"sliders: {sum(s['controls'] for s in sweeps)} controls of {sum(s['figures'] for s in sweeps)} live "
            f"figures in {len(sweeps)} notebooks moved across their whole range, {sum(s['moves'] for s in sweeps)} "
            f"moves and {sum(s['combinations'] for s in sweeps)} "
            "random combinations")


def order_line(order: list[str], processes: int, seed: str) -> str:
    """The notebooks' line: the order they started in, and how many ran at a time."""
    return (f"notebooks ran in the order {', '.join(order)}, {min(processes, len(order))} at a time "
            f"(COURSE_ORDER_SEED={seed} repeats it)")


def recorded(stats: dict[str, list]) -> dict[str, list[str]]:
    """The "summary" and "browser" user properties of every report, each line once, in order."""
    found: dict[str, list[str]] = {"summary": [], "browser": []}
    for reports in stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", []):
                if key in found and value not in found[key]:
                    found[key].append(value)
    return found


class Summary:
    """Notes the notebooks as their reports arrive (from xdist's workers too), and prints the summary."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.notebooks: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Note a notebook when its first item starts: the order the workers really took them in."""
        notebook = notebook_of(report.nodeid)
        if notebook is not None and report.when == "setup" and notebook not in self.notebooks:
            self.notebooks.append(notebook)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the sections "what was tested" and "browser test", each only if something ran for it."""
        found = recorded(terminalreporter.stats)
        files = sorted(Path(os.environ[REPORT_DIR]).glob("*.json"))
        sweeps = [json.loads(path.read_text(encoding="utf-8")) for path in files]
        if sweeps:
            found["summary"].insert(0, sweep_line(sweeps))
        if self.notebooks:
            found["summary"].append(order_line(self.notebooks, workers(self.config), os.environ["COURSE_ORDER_SEED"]))
        for title, lines in (("what was tested", found["summary"]), ("browser test", found["browser"])):
            if lines:
                terminalreporter.section(title)
                for line in lines:
                    terminalreporter.write_line(line)


def pytest_configure(config: pytest.Config) -> None:
    """The summary is printed by the controlling process, which sees every report."""
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(Summary(config), "course-summary")
