"""Check that this machine can run the course: `python -m helpers.check_env`.

Prints one line per check, OK, WARN or FAIL, and for each problem the command that fixes it. Meant for
workshop participants whose setup differs from the README's: run it before the workshop starts.
The packages checked are the learner's pins in requirements.txt (not the test tools): a missing one is a
FAIL, one at another version a WARN (the course runs, but a printed number or a figure may differ).
Exits with status 1 if anything failed.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
NOTEBOOKS = ROOT / "notebooks"
LESSON_MODULES = ("numpy", "matplotlib.pyplot", "ipywidgets", "torch")  # what every notebook's first cells import
INSTALL = "python -m pip install -r requirements.txt"
WIDGET_EXTENSION = Path("share", "jupyter", "labextensions", "@jupyter-widgets", "jupyterlab-manager", "package.json")


@dataclass
class Check:
    """The outcome of one check: what was checked, whether it passed, and what to do if not.

    A warning passes (`ok` is true: the course runs) but still prints its fix.
    """

    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False

    @property
    def label(self) -> str:
        """OK, WARN or FAIL, four characters wide so the lines align."""
        return "FAIL" if not self.ok else "WARN" if self.warning else "OK  "

    def line(self) -> str:
        """The printed line, with the fix on a second line for a failure or a warning."""
        text = f"{self.label}  {self.name}: {self.detail}"
        return f"{text}\n      fix: {self.fix}" if self.fix and (self.warning or not self.ok) else text


def pinned_requirements(path: Path = REQUIREMENTS) -> dict[str, str]:
    """The `name==version` pins of a requirements file, by lower-case package name."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _base_version(version: str) -> str:
    return version.split("+", 1)[0]  # torch 2.13.0+cpu satisfies a pin of 2.13.0


def check_python(version: tuple[int, int] = sys.version_info[:2]) -> Check:
    """Python must be 3.11 or newer: the pinned numpy (2.4.6) has no build for 3.10."""
    text = ".".join(map(str, version))
    if version >= (3, 11):
        return Check("python", True, text)
    return Check("python", False, f"{text} is too old", "install Python 3.11 and create a new virtual environment")


def check_package(name: str, wanted: str) -> Check:
    """A package must be installed (else FAIL), and should be at the pinned version (else WARN).

    Another version usually runs the course (Colab's own versions do), so a drift is only a warning:
    a printed number may differ in its last digit, or a figure in its styling, from the committed notebook.
    """
    try:
        found = metadata.version(name)
    except metadata.PackageNotFoundError:
        return Check(name, False, "not installed", INSTALL)
    if _base_version(found) != _base_version(wanted):
        return Check(name, True, f"found {found}, the course is pinned to {wanted}: it should run, but a number "
                     "or a figure may differ from the notebook's", f"python -m pip install {name}=={wanted}",
                     warning=True)
    return Check(name, True, found)


def check_lesson_imports(modules: Sequence[str] = LESSON_MODULES) -> list[Check]:
    """Each package the notebooks import must import, not only be installed: a broken install passes metadata."""
    checks = []
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as exc:  # any failure of an import is the learner's problem to fix here, not in a lesson
            checks.append(Check(f"import {module}", False, f"installed but does not import ({type(exc).__name__}: "
                                f"{exc})", "python -m pip install --force-reinstall -r requirements.txt"))
        else:
            checks.append(Check(f"import {module}", True, "imports"))
    return checks


def check_course_importable(python: Sequence[str] = (sys.executable,), folder: Path = NOTEBOOKS) -> Check:
    """A kernel started in notebooks/ must find the course's `helpers`, or every notebook stops at its imports."""
    name = "course package"
    try:
        run = subprocess.run([*python, "-c", "import helpers"], cwd=folder, capture_output=True, text=True,
                             timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check(name, False, f"could not start Python to try it ({exc})", INSTALL)
    if run.returncode != 0:
        return Check(name, False, f"`import helpers` fails in {folder.name}/, so every notebook would stop at its "
                     "imports", f"{INSTALL}  (its last line, -e ., installs the course's helpers)")
    return Check(name, True, f"`import helpers` works in {folder.name}/")


def check_widget_frontend(prefix: Path = Path(sys.prefix)) -> Check:
    """JupyterLab needs the widget manager extension that matches the kernel's ipywidgets."""
    name = "widget front end"
    package = prefix / WIDGET_EXTENSION
    if not package.is_file():
        return Check(name, False, "the JupyterLab widget extension is missing: sliders will not show",
                     f"{INSTALL}  (it installs jupyterlab_widgets)")
    extension = json.loads(package.read_text(encoding="utf-8")).get("version", "?")
    try:
        ipywidgets = metadata.version("ipywidgets")
    except metadata.PackageNotFoundError:
        return Check(name, False, "ipywidgets is not installed", INSTALL)
    if ipywidgets.split(".")[0] != "8" or not extension.startswith("5."):
        return Check(name, False, f"ipywidgets {ipywidgets} with widget extension {extension} do not match", INSTALL)
    return Check(name, True, f"jupyterlab-manager {extension} for ipywidgets {ipywidgets}")


def check_helpers_data(folder: Path | None = None) -> list[Check]:
    """Both shipped data files must load and pass their checksums: the vending machine (01-04), the digits (08).

    `folder` replaces the course's data folder (tests use a damaged copy); by default the loaders find it.
    """
    from helpers.data import DIGITS_FILE, VENDING_FILE, DataFileError, load_digits, load_vending_machine

    checks = []
    for name, load in ((VENDING_FILE, load_vending_machine), (DIGITS_FILE, load_digits)):
        try:
            load(None if folder is None else folder / name)
        except DataFileError as exc:  # the fix goes on a line of its own
            checks.append(Check(f"course data: {name}", False, exc.problem, exc.fix))
        else:
            checks.append(Check(f"course data: {name}", True, "present and unchanged"))
    return checks


def check_packages(requirements: Path = REQUIREMENTS) -> list[Check]:
    """One check per pin of the learner's requirements file, read from the file so there is one list only."""
    if not requirements.is_file():
        return [Check("packages", False, f"{requirements} not found, so the pins cannot be checked",
                      "run this from a clone of the course (git clone, then cd into it)")]
    return [check_package(name, version) for name, version in pinned_requirements(requirements).items()]


def run_checks(requirements: Path = REQUIREMENTS) -> list[Check]:
    """Every check, in the order they are printed."""
    checks = [check_python()]
    checks += check_packages(requirements)
    checks += [*check_lesson_imports(), check_course_importable(), check_widget_frontend(), *check_helpers_data()]
    return checks


def main() -> int:
    checks = run_checks()
    for check in checks:
        print(check.line())
    print(f"\n{summary(checks)}")
    return 0 if all(c.ok for c in checks) else 1


def summary(checks: list[Check]) -> str:
    """The last line: ready, ready with warnings, or how many problems must be fixed first."""
    failed, warned = sum(not c.ok for c in checks), sum(c.warning for c in checks)
    if failed:
        return f"{failed} problem(s) found; see the fixes above."
    if warned:
        return (f"The course will run; {warned} package(s) differ from the pinned versions (WARN above), so a "
                "number or a figure may differ from the notebooks'.")
    return "All good: the course is ready."


if __name__ == "__main__":
    sys.exit(main())
