"""The course on Colab's own package versions: every notebook, opened the way Colab opens it, runs and its
sliders move.

Colab's kernel has ipywidgets 7, IPython 7, ipykernel 6 and its own numpy and matplotlib (the pins in
`tests/colab-requirements.txt`). A virtual environment with exactly those is built once, from Python 3.11, and
cached outside the repository (a new one when the pins change). Each notebook is copied into a folder of its own
outside the repository with its outputs cleared, and run by nbclient on a kernel of that environment, with a
stand-in `google.colab` so its first cell fetches the course from a local copy of the repository
(`tests.course_source`). Then, in the same kernel, every slider of every live figure is moved across its range.
The same checks run once on this environment's own kernel (ipywidgets 8), with notebook 01.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import check_env, session
from helpers.authoring import notebooks
from tests.course_source import AFTER_THE_RELEASE, colab_stand_in, make_course_source
from tests.harness import in_kernel
from tests.kernels import (
    CACHE,
    MODULE_OF,
    colab_restart,
    kernel_cell,
    kernel_facts,
    printed,
    python_311,
    text_differences,
)
from tests.paths import ROOT

pytestmark = pytest.mark.colab
COLAB_REQUIREMENTS = Path(__file__).with_name("colab-requirements.txt")
LIVE_FIGURE = re.compile(r"widgets\.(?:\w+_explorer|LossCurve)\(")
SWEPT_FIGURE = re.compile(r"widgets\.\w+_explorer\(")  # the LiveFigures; a LossCurve has no controls


@dataclass(frozen=True)
class Kernel:
    """A kernel the notebooks run on: its kernelspec name and the requirements file its versions must match."""

    name: str
    requirements: Path


COLAB = Kernel("colab-stand-in", COLAB_REQUIREMENTS)
THIS_ENVIRONMENT = Kernel("python3", ROOT / "requirements.txt")


def venv_folder(python: str) -> Path:
    """Where the venv for these pins and this interpreter is cached: a new folder when either changes."""
    version = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True,
                             check=True).stdout
    key = hashlib.sha256(COLAB_REQUIREMENTS.read_bytes() + version.encode()).hexdigest()[:12]
    return CACHE / f"colab-{key}"


def build_venv(python: str, target: Path) -> None:
    """Build the venv in a temporary folder beside `target`, then rename it: a build that was interrupted is
    never taken for a finished one. Then remove the venvs of older pins. Raises `RuntimeError` with pip's last
    line if the install fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f"{target.name}.partial-*"):
        if time.time() - leftover.stat().st_mtime > 3600:  # an older build that was interrupted
            shutil.rmtree(leftover, ignore_errors=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{target.name}.partial-", dir=target.parent))
    try:
        subprocess.run([python, "-m", "venv", str(partial)], check=True, capture_output=True)
        install = subprocess.run(
            [str(partial / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q",
             "-r", str(COLAB_REQUIREMENTS)], capture_output=True, text=True, timeout=1800)
        if install.returncode != 0:
            said = (install.stderr or install.stdout).strip().splitlines() or ["no message"]
            raise RuntimeError(f"pip: {said[-1].removeprefix('ERROR: ')}")
        try:
            partial.rename(target)
        except OSError:  # another run finished the same build first
            if not (target / "bin" / "python").is_file():
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    for old in target.parent.glob("colab-*"):  # venvs for older pins: 1.3 GB each
        if old != target and ".partial-" not in old.name:
            shutil.rmtree(old, ignore_errors=True)


@pytest.fixture(scope="module")
def colab_python() -> str:
    """The Python of the cached Colab venv, built on first use; skips, saying why, if it cannot be had."""
    python = python_311()
    if python is None:
        pytest.skip("no Python 3.11 found (python3.11 or pyenv's 3.11) to build the Colab test's venv from")
    target = venv_folder(python)
    if not (target / "bin" / "python").is_file():
        try:
            build_venv(python, target)
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            pytest.skip(f"the Colab test's venv could not be built ({error}): run `python -m pytest "
                        f"tests/test_colab.py` once with the network on, which builds it in {target}")
    return str(target / "bin" / "python")


@pytest.fixture(scope="module")
def course_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course's GitHub repository, as a local copy the setup cell clones from."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the Colab setup cell clones the course with git")
    return make_course_source(tmp_path_factory.mktemp("github") / "course")


def move_every_slider(in_kernel: str) -> dict:
    """Sent to the notebook's kernel after its last cell: the suite's slider sweep (`slider_problems` of
    tests/harness/in_kernel.py, loaded by its path at `in_kernel`, so the kernel's `helpers` stays the clone's).
    Returns what it moved and every problem (an error, a warning or a NaN drawn)."""
    import runpy

    report, problems, _ = runpy.run_path(in_kernel)["slider_problems"]()
    return {"figures": len({r["figure"] for r in report}), "controls": len(report),
            "moves": sum(r["moves"] for r in report), "problems": problems}


def write_kernelspec(folder: Path, python: str) -> str:
    """A kernelspec for the Colab venv's Python in a JUPYTER_PATH folder; returns that folder."""
    spec = folder / "kernels" / COLAB.name
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab stand-in (Python 3.11, Colab's versions)", "language": "python"}))
    return str(folder)


CASES = [pytest.param(COLAB, path.name, id=f"colab-{path.stem[:2]}") for path in notebooks.notebook_paths()]
CASES.append(pytest.param(THIS_ENVIRONMENT, "01_the_neuron.ipynb", id="ipywidgets8-01"))


@pytest.mark.parametrize("kernel, name", CASES)
def test_notebook_runs_on_colab_and_every_slider_moves(kernel: Kernel, name: str, request, course_source, tmp_path,
                                                       monkeypatch):
    """A cell that raises stops the run with its traceback (nbclient's CellExecutionError), so no error output
    gets past it; the rest is asserted below, on what the kernel printed and on the notebook's outputs."""
    if kernel is COLAB:
        python = request.getfixturevalue("colab_python")
        monkeypatch.setenv("JUPYTER_PATH", write_kernelspec(tmp_path / "jupyter", python))
        # matplotlib's font list, private to the cached environment: ~/.cache/matplotlib's is shared by every
        # matplotlib of its cache version, and one written here today without matplotlib's bundled fonts made the
        # kernel warn "Font family ['DejaVu Sans Display'] not found" under notebook 01's formula figure
        monkeypatch.setenv("MPLCONFIGDIR", str(Path(python).parent.parent / "matplotlib"))
    for variable, value in colab_stand_in(tmp_path / "colab", course_source).items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("PYTHONHASHSEED", "0")  # as helpers.authoring.notebooks.run, which made the committed outputs
    committed = nbformat.read(notebooks.NOTEBOOK_DIR / name, as_version=4)
    nb = copy.deepcopy(committed)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    facts, sweep = kernel_cell(kernel_facts, MODULE_OF), kernel_cell(move_every_slider, in_kernel.__file__)
    nb.cells += [facts, sweep]
    content = tmp_path / "content"  # Colab's working folder, outside the repository
    content.mkdir()
    NotebookClient(nb, timeout=300, kernel_name=kernel.name, resources={"metadata": {"path": str(content)}}).execute()

    facts, sweep = printed(facts), printed(sweep)
    pins = check_env.pinned_requirements(kernel.requirements)
    assert {package: version.split("+")[0] for package, version in facts["versions"].items()} == {
        package: pins[package] for package in MODULE_OF}
    assert facts["colab"] is True
    assert Path(facts["helpers"]).resolve() == (content / "course" / "helpers" / "__init__.py").resolve()
    assert not (content / "course" / AFTER_THE_RELEASE).exists()  # the release tag was fetched, not main
    live_cells = [cell for cell in nb.cells if cell.cell_type == "code" and LIVE_FIGURE.search(cell.source)]
    without_view = [cell.source for cell in live_cells
                    if not any(notebooks.WIDGET_VIEW in o.get("data", {}) for o in cell.outputs)]
    assert live_cells and not without_view, f"no live widget view in the outputs of: {without_view}"
    assert sweep["figures"] == sum(bool(SWEPT_FIGURE.search(cell.source)) for cell in live_cells)
    assert sweep["problems"] == []
    assert text_differences(committed, nb) == []


def test_on_colabs_versions_a_restarted_kernel_explains_a_name_error_and_holds_stops(colab_python, course_source,
                                                                                       tmp_path, monkeypatch):
    """Colab's IPython 7.34 and ipykernel 6.17: the setup cell's startup file loads `helpers.session` in the kernel
    that Runtime > Restart session starts (tests/test_kernel_session.py does the same on this environment)."""
    monkeypatch.setenv("JUPYTER_PATH", write_kernelspec(tmp_path / "jupyter", colab_python))
    said = colab_restart(tmp_path / "colab", course_source, COLAB.name, tmp_path / "content")
    assert said == {"startup file": session.COLAB_STARTUP_NAME, "before the restart": True, "after": True,
                    "name error": [f"NameError: name 'np' is not defined. {session.RUN_ABOVE_FIRST}"],
                    "helpers": str((tmp_path / "content" / "course" / "helpers" / "__init__.py").resolve())}
