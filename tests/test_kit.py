"""The offline workshop kit (`helpers.authoring.kit`): a class installs the course from it with no network.

The kit test (marked `kit`, run with `python -m pytest -m kit`) builds a kit's Linux part, its wheels kept in the
cache the Colab test uses (a new download when the requirements change), then, in a network namespace of its own
with only loopback up (`unshare -rn`), makes a fresh venv, installs the course from the kit with
`pip install --no-index --find-links` as INSTALL.md says, and runs notebook 01 there with nbclient: its printed
text must be the committed notebook's. The other tests are fast and always run: on small made-up wheels, the two
things that make the macOS and Windows parts right without those machines (pip and the kit's own check evaluate
the requirements' markers for the target system; a wheel counts only for the Pythons its tags name), and what the
command refuses or cleans up.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from helpers import check_env
from helpers.authoring import kit, wheels
from tests.kernels import CACHE, MODULE_OF, kernel_cell, kernel_facts, printed, python_311, text_differences

NOTEBOOK = "01_the_neuron.ipynb"


def make_wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = (),
               tag: str = "py3-none-any") -> Path:
    """A minimal wheel (no code, only its metadata) that pip and `wheels.unmet_requirements` can read."""
    wheel = folder / f"{name}-{version}-{tag}.whl"
    info = f"{name}-{version}.dist-info"
    metadata = "".join([f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
                        *(f"Requires-Dist: {text}\n" for text in requires)])
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(f"{info}/METADATA", metadata)
        archive.writestr(f"{info}/WHEEL", f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: {tag}\n")
        archive.writestr(f"{info}/RECORD", "")
    return wheel


def test_unmet_requirements_follow_the_target_systems_markers(tmp_path):
    make_wheel(tmp_path, "lab", "1.0", ('winpty; os_name == "nt"', 'pexpect; sys_platform != "win32"', "server[x]"))
    make_wheel(tmp_path, "server", "2.0", ('terminado; extra == "x"', 'never; extra == "y"'))
    make_wheel(tmp_path, "pexpect", "4.9")
    assert wheels.unmet_requirements(tmp_path, wheels.SYSTEMS["windows"], "3.11", ["lab==1.0"]) == [
        'terminado (needed by server)', 'winpty (needed by lab)']
    make_wheel(tmp_path, "terminado", "0.1")
    assert wheels.unmet_requirements(tmp_path, wheels.SYSTEMS["linux"], "3.11", ["lab==1.0"]) == []
    assert wheels.unmet_requirements(tmp_path, wheels.SYSTEMS["linux"], "3.11", ["lab==2.0", "server>=2"]) == [
        "lab==2.0 (needed by requirements.txt)"]


def test_a_wheel_counts_only_for_the_pythons_it_installs_on(tmp_path):
    make_wheel(tmp_path, "fast", "1.0", tag="cp312-cp312-win_amd64")
    make_wheel(tmp_path, "stable", "1.0", tag="cp310-abi3-win_amd64")
    windows = wheels.SYSTEMS["windows"]
    assert wheels.unmet_requirements(tmp_path, windows, "3.11", ["fast", "stable"]) == [
        "fast (needed by requirements.txt)"]
    assert wheels.unmet_requirements(tmp_path, windows, "3.12", ["fast", "stable"]) == []


def without_pip_configuration() -> dict[str, str]:
    """This process's environment with pip reading no configuration (here it adds local package folders)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    return {**environment, "PIP_CONFIG_FILE": os.devnull}


def test_pip_downloads_what_the_target_system_needs(tmp_path):
    """Plain `pip download --platform win_amd64` here would evaluate the markers for this Linux machine: it would
    take pexpect and leave out winpty."""
    found = tmp_path / "index"
    found.mkdir()
    make_wheel(found, "lab", "1.0", ('winpty; os_name == "nt"', 'pexpect; sys_platform != "win32"'))
    make_wheel(found, "winpty", "3.0")
    make_wheel(found, "pexpect", "4.9")
    windows = wheels.SYSTEMS["windows"]
    command = [sys.executable, "-m", "helpers.authoring.wheels", wheels.PIP_WITH_TARGET_MARKERS,
               json.dumps(wheels.target_markers(windows, "3.11")), "download", "--quiet", "--no-index",
               "--find-links", str(found), "-d", str(tmp_path / "kit"), "--only-binary=:all:",
               "--python-version", "3.11", "--platform", windows.platforms[0], "lab"]
    subprocess.run(command, check=True, capture_output=True, env=without_pip_configuration())
    assert sorted(path.name.split("-")[0] for path in (tmp_path / "kit").glob("*.whl")) == ["lab", "winpty"]


def offline(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run `command` in a new network namespace (`unshare -rn`) with only loopback up: no network at all."""
    return subprocess.run(["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "offline", *command],
                          capture_output=True, text=True, **kwargs)


def learner_environment(home: Path, python: str) -> dict[str, str]:
    """A terminal that sees nothing but the kit: `python`'s folder first on the PATH, no pip configuration, no
    PYTHONPATH or virtual environment, Jupyter's, IPython's and matplotlib's folders new."""
    environment = {key: value for key, value in without_pip_configuration().items()
                   if not key.startswith(("JUPYTER", "PYTHON", "IPYTHON", "MPL", "VIRTUAL_ENV"))}
    return {**environment, "PATH": f"{Path(python).parent}{os.pathsep}{os.environ['PATH']}",
            "JUPYTER_DATA_DIR": str(home / "jupyter"), "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"),
            "IPYTHONDIR": str(home / "ipython"), "MPLCONFIGDIR": str(home / "matplotlib"),
            "PYTHONHASHSEED": "0"}  # as helpers.authoring.notebooks.run, which made the committed outputs


def install_commands(install_page: Path, system: str) -> list[str]:
    """The commands INSTALL.md gives for `system`: the code block under its heading."""
    section = install_page.read_text(encoding="utf-8").split(f"## {wheels.SYSTEMS[system].title}\n", 1)[1]
    return section.split("```\n", 2)[1].strip().splitlines()


@pytest.fixture(scope="module")
def linux_kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kit with the Linux wheels for Python 3.11, from the cache (downloaded on first use)."""
    out = tmp_path_factory.mktemp("kit") / "kit"
    try:
        kit.build_kit(out, systems=["linux"], pythons=["3.11"], cache=CACHE)
    except wheels.DownloadError as error:
        pytest.skip(f"{error}: run `python -m pytest -m kit tests/test_kit.py` once with the network on, which "
                    f"keeps the wheels in {CACHE}")
    return out


@pytest.mark.kit
def test_the_kit_installs_with_the_network_off_and_runs_notebook_01(linux_kit, tmp_path):
    python = python_311()
    if python is None or shutil.which("unshare") is None or offline(["true"]).returncode != 0:
        pytest.skip("needs Python 3.11 and a network namespace of its own (`unshare -rn` and `ip`)")
    assert offline(["ip", "-o", "link"]).stdout.split()[1] == "lo:"  # the namespace has no other interface
    assert len(offline(["ip", "-o", "link"]).stdout.splitlines()) == 1
    environment = learner_environment(tmp_path, python)
    *install, open_the_course = install_commands(linux_kit / "INSTALL.md", "linux")
    assert open_the_course == "jupyter lab student" and (linux_kit / "student" / NOTEBOOK).is_file()
    installed = offline(["bash", "-c", "\n".join(["set -e", *install])], env=environment, cwd=linux_kit)
    assert installed.returncode == 0, installed.stderr[-2000:]
    venv = linux_kit / ".venv"
    assert offline([str(venv / "bin" / "jupyter"), "lab", "--version"], env=environment).stdout.strip() == (
        check_env.pinned_requirements(linux_kit / "requirements.txt")["jupyterlab"])
    assert check_env.check_widget_frontend(venv).ok  # JupyterLab will draw the sliders

    committed = nbformat.read(linux_kit / "student" / NOTEBOOK, as_version=4)
    notebook = copy.deepcopy(committed)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    notebook.cells.append(kernel_cell(kernel_facts, MODULE_OF))
    ran_path = linux_kit / "student" / f"offline-{NOTEBOOK}"
    nbformat.write(notebook, ran_path)
    run = offline([str(venv / "bin" / "jupyter"), "execute", "--inplace", "--timeout=300", ran_path.name],
                  env=environment, cwd=ran_path.parent)
    assert run.returncode == 0, run.stderr[-3000:]

    ran = nbformat.read(ran_path, as_version=4)
    facts = printed(ran.cells[-1])
    pins = check_env.pinned_requirements(linux_kit / "requirements.txt")
    assert {package: version.split("+")[0] for package, version in facts["versions"].items()} == {
        package: pins[package] for package in MODULE_OF}
    assert facts["versions"]["torch"].endswith("+cpu")  # PyTorch's CPU build, not the CUDA one
    assert Path(facts["helpers"]).is_relative_to(venv) and not facts["colab"]  # the kit's course, installed
    assert text_differences(committed, ran) == []


def test_a_kit_is_built_only_in_a_new_folder_and_for_systems_it_knows(tmp_path):
    (tmp_path / "notes.txt").write_text("an instructor's notes")
    with pytest.raises(wheels.KitError, match=f"{tmp_path} already exists and is not empty"):
        kit.build_kit(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == ["notes.txt"]
    with pytest.raises(wheels.KitError, match="unknown system or Python beos, 3.10: the kit knows the systems linux"):
        kit.build_kit(tmp_path / "kit", systems=["beos"], pythons=["3.10"])


def test_a_kit_that_fails_half_way_leaves_no_half_built_folder(tmp_path, monkeypatch):
    def broken_editions(out: Path, execute: bool) -> list[Path]:
        assert (out / "course" / "pyproject.toml").is_file()  # the course was copied: the kit is half built
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kit, "write_editions", broken_editions)
    with pytest.raises(OSError, match="No space left"):
        kit.build_kit(tmp_path / "kit", systems=["windows"])
    assert not (tmp_path / "kit").exists()
