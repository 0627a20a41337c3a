"""The project around the notebooks: the README's commands, CI, Binder, the environment check, lint."""

import ast
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat

from helpers import check_env, data
from helpers.authoring import notebooks
from tests.paths import ROOT

INSTALL = "python -m pip install -r requirements.txt"
TEST_INSTALL = "python -m pip install -r tests/requirements.txt"
TEST_TOOLS = ["pytest", "nbval", "pytest-xdist", "ruff", "playwright", "voila", "jupyter-repo2docker", "setuptools"]


def readme_blocks() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block.strip().splitlines() for block in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_readme_has_the_two_commands():
    blocks = readme_blocks()
    assert [INSTALL, "jupyter lab notebooks/"] in blocks
    assert [TEST_INSTALL, "python -m pytest"] in blocks


def test_ci_runs_exactly_the_readme_test_command_in_a_fresh_venv():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(script) if line.startswith("python "))
    commands = [line for line in script[start:] if line and not line.startswith(("#", " "))]
    readme_test_command = next(block for block in readme_blocks() if "python -m pytest" in block)
    assert commands[: len(readme_test_command)] == readme_test_command
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [line for line in commands[len(readme_test_command) :] if f"`{line}`" not in readme] == []  # documented
    assert any("-m venv" in line for line in script[:start])


def pins(path: Path) -> dict[str, str]:
    return check_env.pinned_requirements(path)


def imported_modules(sources: list[str]) -> set[str]:
    """The top-level names of every module the sources import, at the top or inside a function."""
    names = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def distributions_of(modules: set[str]) -> set[str]:
    """The installed distributions (normalised names) that provide the third-party modules among `modules`."""
    owners = metadata.packages_distributions()
    not_pinned = {"helpers", "tests", "__future__", "pip"}  # the course itself, and pip, which every venv has
    third_party = modules - set(sys.stdlib_module_names) - not_pinned
    unknown = sorted(m for m in third_party if m not in owners)
    assert not unknown, f"imported but installed by no distribution here: {unknown}"
    return {owners[m][0].lower().replace("_", "-") for m in third_party}


def python_sources(folder: str) -> list[str]:
    """Every Python file under `folder`, its subpackages included."""
    return [path.read_text(encoding="utf-8") for path in sorted((ROOT / folder).rglob("*.py"))]


def notebook_sources() -> list[str]:
    """The code cells of every notebook (IPython magics, which ast cannot read, are left out)."""
    cells = [c.source for p in notebooks.notebook_paths() for c in nbformat.read(p, 4).cells if c.cell_type == "code"]
    return ["\n".join(line for line in cell.splitlines() if not line.lstrip().startswith(("%", "!"))) for cell in cells]


def test_requirements_pin_every_package_the_course_imports_and_no_test_tool():
    pinned = pins(ROOT / "requirements.txt")
    for package in sorted(distributions_of(imported_modules(python_sources("helpers") + notebook_sources()))):
        assert package in pinned, f"the course imports {package}, which is not pinned with == in requirements.txt"
    assert pinned["torch"] == "2.13.0"
    assert "-e ." in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [tool for tool in TEST_TOOLS if tool in pinned] == [], "learners do not install the test bench"


def test_test_requirements_add_every_tool_the_tests_import_to_the_learner_set():
    path = ROOT / "tests" / "requirements.txt"
    assert "-r ../requirements.txt" in path.read_text(encoding="utf-8").splitlines()
    pinned = pins(ROOT / "requirements.txt") | pins(path)
    for package in sorted(distributions_of(imported_modules(python_sources("tests"))) | set(TEST_TOOLS)):
        assert package in pinned, f"the tests need {package}, which neither requirements file pins with =="


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
    assert {"python", "torch", "ipywidgets", "widget front end"} <= names
    assert {"course data: vending_machine.csv", "course data: digits.csv.gz"} <= names


def test_check_env_fails_a_damaged_digits_file_with_its_own_fix(tmp_path):
    shutil.copy(data.DATA_DIR / data.VENDING_FILE, tmp_path)
    (tmp_path / data.DIGITS_FILE).write_bytes((data.DATA_DIR / data.DIGITS_FILE).read_bytes()[:1000])  # cut short
    vending, digits = check_env.check_helpers_data(tmp_path)
    assert vending.ok and not digits.ok
    assert digits.line().startswith("FAIL  course data: digits.csv.gz: ")
    assert f"fix: Restore it with `{data.restore_command(data.DIGITS_FILE)}`" in digits.line()
    assert "checkout -- data/digits.csv.gz`" in digits.line() and "helpers.data" not in digits.line()


def test_check_env_verifies_the_vending_files_checksum_not_only_its_shape(tmp_path):
    shipped = (data.DATA_DIR / data.VENDING_FILE).read_text(encoding="utf-8")
    changed = shipped.replace("\n1,105,20.0,21\n", "\n1,105,20.0,22\n")  # day 1 sold one more bottle: still parses
    assert changed != shipped
    (tmp_path / data.VENDING_FILE).write_text(changed, encoding="utf-8")
    shutil.copy(data.DATA_DIR / data.DIGITS_FILE, tmp_path)
    vending, digits = check_env.check_helpers_data(tmp_path)
    assert digits.ok and not vending.ok
    assert vending.line().startswith("FAIL  course data: vending_machine.csv: its contents differ")
    assert "checksum mismatch" in vending.line() and "checkout -- data/vending_machine.csv`" in vending.line()


def test_check_env_warns_about_another_version_and_fails_a_missing_package(tmp_path):
    drift = check_env.check_package("numpy", "0.0.1")
    assert drift.ok and drift.line().startswith("WARN  numpy: found ")
    assert "the course is pinned to 0.0.1" in drift.line() and "fix: python -m pip install numpy==0.0.1" in drift.line()
    missing = check_env.check_package("no-such-package-xyz", "1.0")
    assert not missing.ok and missing.line().startswith("FAIL  no-such-package-xyz: not installed")
    assert f"fix: {check_env.INSTALL}" in missing.line()
    assert check_env.check_package("torch", "2.13.0").ok  # a +cpu build satisfies the pin
    assert not check_env.check_python((3, 8)).ok and not check_env.check_python((3, 10)).ok
    assert check_env.check_python((3, 11)).ok and check_env.check_python((3, 13)).ok


def test_check_env_reads_the_learner_pins_from_the_requirements_file(tmp_path):
    names = {c.name for c in check_env.run_checks()}
    assert set(pins(ROOT / "requirements.txt")) <= names and not names & set(TEST_TOOLS)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy==0.0.1\nno-such-package-xyz==1.0\n-e .\n", encoding="utf-8")
    checks = {c.name: c for c in check_env.run_checks(requirements)}
    assert checks["numpy"].warning and not checks["no-such-package-xyz"].ok and "torch" not in checks
    gone = check_env.run_checks(tmp_path / "missing.txt")
    assert "not found, so the pins cannot be checked" in "\n".join(c.line() for c in gone)


def test_check_env_exits_zero_with_warnings_and_one_with_a_failure(monkeypatch, capsys):
    drift, missing = check_env.check_package("numpy", "0.0.1"), check_env.check_package("no-such-package-xyz", "1")
    monkeypatch.setattr(check_env, "run_checks", lambda: [drift])
    assert check_env.main() == 0 and "1 package(s) differ from the pinned versions" in capsys.readouterr().out
    monkeypatch.setattr(check_env, "run_checks", lambda: [drift, missing])
    assert check_env.main() == 1 and "1 problem(s) found" in capsys.readouterr().out


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

    from helpers.authoring import notebooks

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


def test_check_env_fails_when_notebooks_cannot_import_the_course():
    assert check_env.check_course_importable().ok
    hidden = check_env.check_course_importable(python=(sys.executable, "-S"))  # -S: no site-packages, no install
    assert not hidden.ok and "`import helpers` fails in notebooks/" in hidden.line()
    assert "-e ." in hidden.line()


def test_check_env_fails_a_package_that_is_installed_but_does_not_import(monkeypatch):
    real_import = check_env.importlib.import_module

    def broken_ipywidgets(name, *args):
        if name == "ipywidgets":
            raise ImportError("cannot import name 'Comm' from 'comm'")
        return real_import(name, *args)

    monkeypatch.setattr(check_env.importlib, "import_module", broken_ipywidgets)
    by_name = {check.name: check for check in check_env.check_lesson_imports()}
    assert by_name["import numpy"].ok and not by_name["import ipywidgets"].ok
    broken = by_name["import ipywidgets"].line()
    assert "installed but does not import (ImportError: cannot import name 'Comm'" in broken
