"""The project around the notebooks: the README's commands, CI, Binder, the environment check, lint."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import check_env

ROOT = Path(__file__).resolve().parent.parent
INSTALL = "python -m pip install -r requirements.txt"


def readme_blocks() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block.strip().splitlines() for block in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_readme_has_the_two_commands():
    blocks = readme_blocks()
    assert [INSTALL, "jupyter lab notebooks/"] in blocks
    assert [INSTALL, "python -m pytest"] in blocks


def test_ci_runs_exactly_the_readme_test_command_in_a_fresh_venv():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in script if line.startswith("python ")]
    assert commands == [INSTALL, "python -m pytest"]
    assert any("-m venv" in line for line in script)


def pins(path: Path) -> dict[str, str]:
    return check_env.pinned_requirements(path)


def test_requirements_pin_every_direct_dependency():
    pinned = pins(ROOT / "requirements.txt")
    for package in ["jupyterlab", "numpy", "matplotlib", "ipywidgets", "torch", "nbval", "pytest", "pytest-xdist"]:
        assert package in pinned, f"{package} is not pinned with == in requirements.txt"
    assert pinned["torch"] == "2.13.0"
    assert "-e ." in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()


def test_binder_asks_for_cpu_torch_and_agrees_with_requirements_on_every_other_pin():
    local, binder = pins(ROOT / "requirements.txt"), pins(ROOT / "binder" / "requirements.txt")
    assert binder.pop("torch") == local.pop("torch") + "+cpu"
    assert binder == local
    text = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert "download.pytorch.org/whl/cpu" in text
    assert (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"


def test_check_env_passes_in_the_course_environment():
    checks = check_env.run_checks()
    assert [c.line() for c in checks if not c.ok] == []
    names = {c.name for c in checks}
    assert {"python", "torch", "ipywidgets", "widget front end", "course data"} <= names


def test_check_env_reports_wrong_and_missing_packages_with_a_fix(tmp_path):
    wrong = check_env.check_package("numpy", "0.0.1")
    assert not wrong.ok and "the course is pinned to 0.0.1" in wrong.line() and check_env.INSTALL in wrong.line()
    missing = check_env.check_package("no-such-package-xyz", "1.0")
    assert not missing.ok and "not installed" in missing.detail
    assert check_env.check_package("torch", "2.13.0").ok  # a +cpu build satisfies the pin
    assert not check_env.check_python((3, 8)).ok and not check_env.check_python((3, 10)).ok
    assert check_env.check_python((3, 11)).ok and check_env.check_python((3, 13)).ok


def test_check_env_reports_a_missing_widget_front_end(tmp_path):
    result = check_env.check_widget_frontend(prefix=tmp_path)
    assert not result.ok and "sliders will not show" in result.detail


def test_check_env_command_prints_ok_lines_and_exits_zero():
    run = subprocess.run([sys.executable, "-m", "helpers.check_env"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "OK    widget front end" in run.stdout and "All good" in run.stdout


def test_ruff_is_clean_on_code_and_notebooks():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    run = subprocess.run([ruff, "check", "--no-cache", "."], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_instructor_guide_is_linked_and_covers_every_notebook_and_plan():
    guide = ROOT / "notebooks" / "instructor-guide.md"
    assert "(notebooks/instructor-guide.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    text = guide.read_text(encoding="utf-8")
    for plan in ("### 90 minutes", "### Half day", "### Full day"):
        assert plan in text
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert path.stem[:2] in text, f"the guide does not mention notebook {path.stem}"
    assert "## Where learners get stuck" in text and "## Recovering a broken setup" in text


def test_the_test_run_is_offline_in_this_process_and_in_notebook_kernels():
    import socket

    import nbformat

    from helpers import notebooks

    with socket.socket() as sock:
        try:
            sock.connect(("192.0.2.1", 443))  # TEST-NET-1: never reachable, and refused before trying
            raise AssertionError("a connection to the outside was allowed")
        except OSError as exc:
            assert "blocked in the course's tests" in str(exc)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 443), timeout=1)\n"
        "except OSError as exc:\n    print(exc)")])
    notebooks.run(nb, ROOT)
    assert "blocked in the course's tests" in nb.cells[0].outputs[0].text
