"""Adds two test items to the end of every notebook's nbval run, in the notebook's own kernel after its last
cell, so nothing is executed twice:

- move every slider across its whole range: numerical and plotting warnings are errors there; an update
  that raises, an artist that would draw a NaN, or a live figure that was not found fails the item;
- the instructor edition's exercise cells (each stub replaced by its solution, see `helpers.editions`) run
  in the notebook's context, and every check must answer "✅ Correct".

The whole run is offline: a guard refuses every network connection that does not stay on this machine, in
the test process and (through an IPython startup file in a temporary IPYTHONDIR) in every notebook kernel.

The notebooks run in a shuffled order, a new one every run (COURSE_ORDER_SEED repeats one), two at a time
with pytest-xdist: no notebook may depend on another having run before it or beside it.

It also runs every code cell a second time right after its first run, and compares the second run's text
output with the committed one: a cell run twice must not corrupt the notebook's state (a training cell
must not quietly continue from where it stopped). And it fails the session if the test run wrote any
file into the repository (compiled bytecode included: it is switched off for the run and its kernels).
"""

import atexit
import copy
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import nbformat
from nbval.plugin import IPyNbCell

from helpers.authoring.editions import exercise_module, instructor_source

SWEEP_NAME = "every slider across its whole range"
SOLUTIONS_NAME = "every exercise's solution passes its check in context"
SOLUTIONS = """
import contextlib, io
verdicts = []
for source in {sources!r}:
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        exec(source, globals())
    verdicts.append(captured.getvalue())
wrong = [v for v in verdicts if not v.startswith("✅ Correct")]
assert not wrong and len(verdicts) == {count}, wrong
"""
SWEEP = """
import json, warnings
warnings.simplefilter("error", RuntimeWarning)
warnings.simplefilter("error", UserWarning)
from helpers.authoring.bench import measure_live_figures
report = measure_live_figures(moves=21)
problems = [r for r in report if r["errors"] or r["non_finite_moves"] or r["moves"] != 21]
assert not problems, json.dumps(problems, indent=1)
from helpers.authoring.bench import try_combinations
from helpers.live import LiveFigure
lives = [live for live in list(LiveFigure.instances) if len(live.controls) > 1]
combined = [p for live in lives for p in try_combinations(live)]
assert not combined, combined
import os, pathlib
pathlib.Path(os.environ["COURSE_REPORT_DIR"], "{name}.json").write_text(json.dumps(
    {{"controls": len({{(r["figure"].split(". ", 1)[1], r["control"]) for r in report}}), "figures": {figures},
     "moves": sum(r["moves"] for r in report), "combinations": 12 * len(lives)}}))
found = len({{r["figure"] for r in report}})
# every explorer cell ran twice (see "run again" below); its second figure replaced, and closed, the first
assert found == {figures}, f"expected {figures} live figures in this kernel, found {{found}}"
print(f"{{len(report)}} controls moved, {{sum(r['moves'] for r in report)}} moves, no errors, warnings or NaN")
"""
EXPLORER = re.compile(r"widgets\.\w+_explorer\(")
ROOT = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # inherited by the notebooks' kernels
OFFLINE_GUARD = """
import ipaddress
import socket


def _stays_here(address):
    if not isinstance(address, tuple):
        return True  # a Unix socket
    try:
        return ipaddress.ip_address(address[0]).is_loopback
    except ValueError:
        return address[0] == "localhost"


def _guard(method):
    def guarded(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _stays_here(address):
            raise OSError(f"network access is blocked in the course's tests (tried to reach {address!r})")
        return method(self, address, *args)
    return guarded


socket.socket.connect = _guard(socket.socket.connect)
socket.socket.connect_ex = _guard(socket.socket.connect_ex)
"""
exec(OFFLINE_GUARD)
_ipython_dir = tempfile.mkdtemp(prefix="course-ipython-")
atexit.register(shutil.rmtree, _ipython_dir, ignore_errors=True)
os.makedirs(os.path.join(_ipython_dir, "profile_default", "startup"))
with open(os.path.join(_ipython_dir, "profile_default", "startup", "00-offline.py"), "w") as _file:
    _file.write(OFFLINE_GUARD)
os.environ["IPYTHONDIR"] = _ipython_dir  # the notebooks' kernels start offline, and keep ~/.ipython clean


def _shuffled_notebooks(items: list) -> list:
    """The items with each notebook's items kept together and in order, the notebooks in a seeded random order."""
    groups: dict = {}
    for item in items:
        groups.setdefault(item.parent if isinstance(item, IPyNbCell) else None, []).append(item)
    notebooks = sorted((key for key in groups if key is not None), key=lambda parent: str(parent.fspath))
    random.Random(int(os.environ["COURSE_ORDER_SEED"])).shuffle(notebooks)
    return groups.get(None, []) + [item for parent in notebooks for item in groups[parent]]


def pytest_collection_modifyitems(session, config, items):
    items[:] = _shuffled_notebooks(items)
    last = {}
    for index, item in enumerate(items):
        if isinstance(item, IPyNbCell):
            last[item.parent] = index
    extended = []
    for index, item in enumerate(items):
        extended.append(item)
        if isinstance(item, IPyNbCell):
            # a copy: nbval merges the reference's stream outputs in place when it compares them
            extended.append(IPyNbCell.from_parent(item.parent, name=f"{item.name} run again", cell_num=item.cell_num,
                                                  cell=copy.deepcopy(item.cell), options=item.options))
        if isinstance(item, IPyNbCell) and last[item.parent] == index:
            extended += _extra_items(item)
    items[:] = extended


def _extra_items(last_cell: IPyNbCell) -> list[IPyNbCell]:
    nb = nbformat.read(str(last_cell.parent.fspath), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    sources = []
    figures = sum(bool(EXPLORER.search(c.source)) for c in code)
    if figures:
        sources.append((SWEEP_NAME, SWEEP.format(figures=figures, name=Path(last_cell.parent.fspath).stem)))
    exercises = [c.source for c in code if "exercise" in c.metadata.get("tags", [])]
    if exercises:
        module = exercise_module(last_cell.parent.fspath)
        solved = [instructor_source(source, module) for source in exercises]
        sources.append((SOLUTIONS_NAME, SOLUTIONS.format(sources=solved, count=len(solved))))
    return [
        IPyNbCell.from_parent(last_cell.parent, name=name, cell_num=last_cell.cell_num + 1 + offset,
                              cell=nbformat.v4.new_code_cell(source), options=defaultdict(bool, check=False))
        for offset, (name, source) in enumerate(sources)
    ]


def pytest_terminal_summary(terminalreporter):
    """Print where the browser test saved its screenshots and the key-to-pixels times it measured.

    The tests record these as user properties, which reach this process from pytest-xdist's workers too.
    """
    found: dict[str, list[str]] = {"summary": [], "browser": []}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, value in getattr(report, "user_properties", []):
                if key in found and value not in found[key]:
                    found[key].append(value)
    sweeps = [json.loads(p.read_text()) for p in Path(os.environ["COURSE_REPORT_DIR"]).glob("*.json")]
    if sweeps:
        found["summary"].insert(0, (
            f"sliders: {sum(s['controls'] for s in sweeps)} controls of {sum(s['figures'] for s in sweeps)} live "
            f"figures in {len(sweeps)} notebooks moved across their whole range, {sum(s['moves'] for s in sweeps)} "
            f"moves and {sum(s['combinations'] for s in sweeps)} "
            "random combinations"))
    order = sorted(p.stem[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    random.Random(int(os.environ["COURSE_ORDER_SEED"])).shuffle(order)
    found["summary"].append(f"notebooks ran in the order {', '.join(order)}, two at a time "
                            f"(COURSE_ORDER_SEED={os.environ['COURSE_ORDER_SEED']} repeats it)")
    for title, lines in (("what was tested", found["summary"]), ("browser test", found["browser"])):
        if lines:
            terminalreporter.section(title)
            for line in lines:
                terminalreporter.write_line(line)


def _repository_files() -> set[str] | None:
    try:
        run = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=ROOT,
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return set(run.stdout.splitlines()) if run.returncode == 0 else None


def pytest_configure(config):
    """One folder for the whole run (xdist's workers and the notebooks' kernels inherit it) where the
    slider sweeps leave their counts for the summary at the end."""
    os.environ.setdefault("COURSE_ORDER_SEED", str(random.SystemRandom().randrange(10**6)))
    if "COURSE_REPORT_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="course-report-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["COURSE_REPORT_DIR"] = folder


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controlling process only, not xdist's workers
        session.config._files_before = _repository_files()


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_files_before", None)
    after = _repository_files() if before is not None else None
    if after is not None and after - before:
        written = "\n  ".join(sorted(after - before))
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"FAILED: the test run wrote into the repository (it must not):\n  {written}", red=True)
        session.exitstatus = 1
