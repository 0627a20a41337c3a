"""The authoring tools (the notebook normaliser, the benchmark's slider sweep), the release, the conventions."""

import datetime
import os
import re
import shutil
import subprocess
import sys
import tomllib
import types
import warnings
from pathlib import Path

import ipywidgets
import nbformat
import pytest
import yaml

from helpers import release
from helpers.authoring import bench, notebooks
from tests.course_source import AFTER_THE_RELEASE, make_course_source


def test_normalise_stamps_setup_and_badges_and_strips_widget_views():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 99 · Test\n\nIntro"),
        nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output(
            "display_data", data={notebooks.WIDGET_VIEW: {"model_id": "abc"}, "text/plain": "w", "image/png": "AA=="}),
            nbformat.v4.new_output("display_data", data={notebooks.WIDGET_VIEW: {"model_id": "def"}})]),
    ])
    nb.metadata["widgets"] = {"state": {}}
    nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    out = notebooks.normalise(nb, "99_test.ipynb")
    assert out.cells[0].source.splitlines()[1] == notebooks.badges("99_test.ipynb")
    assert out.cells[1].source == notebooks.SETUP_CELL and out.cells[2].source == "x = 1"
    assert [o.data for o in out.cells[2].outputs] == [{"text/plain": "w", "image/png": "AA=="}]
    assert "widgets" not in out.metadata and "execution" not in out.cells[2].metadata
    assert notebooks.normalise(out, "99_test.ipynb") == out  # idempotent


LAUNCH_LINK = re.compile(r"https://(?:mybinder\.org/v2|colab\.research\.google\.com/github|YOUR-HUB/hub)[^)\s]*")


def test_every_launch_link_and_the_setup_cell_name_the_release_tag_from_pyproject():
    readme = (notebooks.ROOT / "README.md").read_text(encoding="utf-8")
    cells = "".join(nbformat.read(path, as_version=4).cells[0].source for path in notebooks.notebook_paths())
    links = LAUNCH_LINK.findall(readme) + LAUNCH_LINK.findall(cells)
    assert len(links) == 3 + 2 * len(notebooks.notebook_paths())  # README: two badges and the nbgitpuller link
    pinned = [link for link in links if f"/{notebooks.TAG}" in link or f"branch={RELEASE_BRANCH}&" in link]
    assert pinned == links, set(links) - set(pinned)
    assert f"--branch {notebooks.TAG} " in notebooks.SETUP_CELL
    assert notebooks.TAG == "v" + tomllib.loads((notebooks.ROOT / "pyproject.toml").read_text())["project"]["version"]


# nbgitpuller clones a tag once but fails on the next pull (`git diff ..origin/v0.1.0`: no such branch), so the
# links and the hub's hook pull a branch made at the tag that never moves (CONTRIBUTING.md, "Make a release").
RELEASE_BRANCH = f"release-{notebooks.TAG}"


def read(name: str) -> str:
    return (notebooks.ROOT / name).read_text(encoding="utf-8")


def hub_config() -> dict:
    """The Zero to JupyterHub config.yaml excerpt in the instructor guide (its one yaml block)."""
    blocks = re.findall(r"```yaml\n(.*?)```", read("notebooks/instructor-guide.md"), re.S)
    assert len(blocks) == 1, f"expected one yaml block in the instructor guide, found {len(blocks)}"
    return yaml.safe_load(blocks[0])


def test_the_changelog_citation_and_hub_configuration_name_the_release():
    newest = re.search(r"^## (\S+)", read("CHANGELOG.md"), re.M).group(1)
    assert newest == notebooks.TAG
    assert str(yaml.safe_load(read("CITATION.cff"))["version"]) == release.VERSION
    singleuser = hub_config()["singleuser"]
    assert singleuser["image"]["tag"] == notebooks.TAG
    puller, repository, branch, folder = singleuser["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert (puller, repository, branch) == ("gitpuller", f"https://github.com/{notebooks.REPOSITORY}", RELEASE_BRANCH)
    assert singleuser["extraEnv"]["PYTHONPATH"] == f"/home/jovyan/{folder}"  # the helpers of the pulled release
    opened = singleuser["defaultUrl"].removeprefix(f"/lab/tree/{folder}/")
    assert (notebooks.ROOT / opened) == notebooks.notebook_paths()[0]


def gigabytes(quantity: str) -> float:
    """A Kubernetes memory quantity as Zero to JupyterHub takes it ("1G", "512M") in gigabytes."""
    number, unit = re.fullmatch(r"([\d.]+)([MG])", quantity).groups()
    return float(number) / (1000 if unit == "M" else 1)


def test_the_hub_configuration_gives_each_learner_the_memory_and_cpu_the_readme_plans():
    readme = read("README.md")
    memory, cpu = map(float, re.search(r"Plan ([\d.]+) GB of memory and ([\d.]+) core per learner", readme).groups())
    peak = float(re.search(r"kernel holds at most about\s+([\d.]+) GB", readme).group(1))
    singleuser = hub_config()["singleuser"]
    assert gigabytes(singleuser["memory"]["guarantee"]) == memory
    assert gigabytes(singleuser["memory"]["limit"]) >= memory > peak
    assert float(singleuser["cpu"]["guarantee"]) == cpu <= float(singleuser["cpu"]["limit"])


def test_citation_is_cff_1_2_with_the_projects_version_and_licences():
    citation = yaml.safe_load(read("CITATION.cff"))
    assert citation["cff-version"] == "1.2.0" and citation["message"] and citation["title"]
    assert citation["authors"] and all("name" in a or "family-names" in a for a in citation["authors"])
    assert str(citation["version"]) == release.VERSION
    datetime.date.fromisoformat(citation["date-released"])
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}  # code, and text, figures and data (README)
    assert citation["repository-code"] == f"https://github.com/{notebooks.REPOSITORY}"


def test_the_forge_workflow_runs_the_ci_script_on_the_binder_python():
    workflow = yaml.safe_load(read(".github/workflows/ci.yml"))
    jobs = list(workflow["jobs"].values())
    runs = [step["run"] for job in jobs for step in job["steps"] if ".ci/run" in step.get("run", "")]
    assert runs == ["bash .ci/run"]
    python = read("binder/runtime.txt").strip().removeprefix("python-")
    assert [job["container"] for job in jobs] == [f"python:{python}-bookworm"]  # Debian, root: .ci/run gets Chromium


def hook_files(hook: dict) -> list[Path]:
    """The course's files a pre-commit hook would be given, by its `files` pattern and `types_or`."""
    suffixes = {"python": ".py", "jupyter": ".ipynb"}
    wanted = {suffixes[kind] for kind in hook.get("types_or", suffixes)}
    candidates = [*notebooks.notebook_paths(), *sorted((notebooks.ROOT / "helpers").rglob("*.py"))]
    pattern = re.compile(hook.get("files", ""))
    return [p for p in candidates if p.suffix in wanted and pattern.search(p.relative_to(notebooks.ROOT).as_posix())]


def test_the_pre_commit_hooks_are_local_and_their_commands_run_on_the_course():
    config = yaml.safe_load(read(".pre-commit-config.yaml"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]  # nothing fetched from the network
    hooks = config["repos"][0]["hooks"]
    entries = {hook["entry"] for hook in hooks}
    assert entries == {"ruff check", "python -m helpers.authoring.notebooks --check"}
    tools = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    for hook in hooks:
        assert hook["language"] == "system"
        program, *arguments = hook["entry"].split()
        command = [shutil.which(program, path=tools), *arguments, *map(str, hook_files(hook)[:1])]
        assert command[0] is not None, f"the hook {hook['id']} runs {program}, which is not installed"
        assert len(command) == len(arguments) + 2, f"the hook {hook['id']} matches none of the course's files"
        quiet = {**os.environ, "RUFF_NO_CACHE": "true"}  # no .ruff_cache written into the repository
        run = subprocess.run(command, cwd=notebooks.ROOT, capture_output=True, text=True, timeout=120, env=quiet)
        assert run.returncode == 0, f"{hook['id']}: {run.stdout[-500:]}{run.stderr[-500:]}"


def test_normalise_joins_printed_text_that_arrived_in_pieces():
    stream = nbformat.v4.new_output
    pieces = [stream("stream", name="stdout", text="a\n"), stream("stream", name="stdout", text="b\n"),
              stream("stream", name="stderr", text="c\n"), stream("stream", name="stdout", text="d\n")]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 99 · Test"),
                                         nbformat.v4.new_code_cell("print()", outputs=pieces)])
    out = notebooks.normalise(nb, "99_test.ipynb").cells[2].outputs
    assert [(o.name, o.text) for o in out] == [("stdout", "a\nb\n"), ("stderr", "c\n"), ("stdout", "d\n")]


def test_normalise_refuses_a_notebook_without_a_title():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    with pytest.raises(ValueError, match="first cell must be Markdown"):
        notebooks.normalise(nb, "x.ipynb")


def test_setup_cell_fetches_nothing_and_changes_no_path_outside_colab(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path_before = list(sys.path)
    namespace = {}
    exec(notebooks.SETUP_CELL, namespace)
    assert "source" not in namespace and sys.path == path_before and list(tmp_path.iterdir()) == []


def _run_setup_cell_on_colab(monkeypatch, source):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setenv("COURSE_SOURCE", str(source))
    exec(notebooks.SETUP_CELL, {})


def test_setup_cell_on_colab_says_in_a_sentence_when_the_course_cannot_be_fetched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match="Could not fetch the course from .*nowhere. Check the network"):
        _run_setup_cell_on_colab(monkeypatch, tmp_path / "nowhere")


def test_setup_cell_on_colab_fetches_the_release_once_and_is_safe_to_run_again(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the Colab setup cell clones the course with git")
    source = make_course_source(tmp_path / "source", parts=("helpers",))
    (tmp_path / "content" / "course").mkdir(parents=True)  # a fetch that broke off: the folder, no helpers
    monkeypatch.chdir(tmp_path / "content")
    monkeypatch.setattr(sys, "path", list(sys.path))
    for _ in range(2):
        _run_setup_cell_on_colab(monkeypatch, source)
    course = tmp_path / "content" / "course"
    assert (course / "helpers" / "__init__.py").is_file()
    assert not (course / AFTER_THE_RELEASE).exists()  # the release tag was fetched, not the newest commit
    assert sys.path.count(str(course)) == 1


@pytest.mark.parametrize(
    "control",
    [
        ipywidgets.FloatSlider(value=0.5, min=0, max=1),
        ipywidgets.IntSlider(value=0, min=0, max=10),
        ipywidgets.FloatLogSlider(value=0.1, min=-3, max=0),
        ipywidgets.Dropdown(options=["relu", "tanh"], value="relu"),
    ],
    ids=lambda c: type(c).__name__,
)
def test_sweep_covers_the_whole_range_and_every_move_changes_the_value(control):
    values = bench.sweep_values(control, 11)
    assert len(values) == 11
    previous = control.value
    for value in values:
        assert value != previous
        previous = value
    visited = [*values, control.value]  # the starting value was drawn when the figure was built
    if hasattr(control, "max") and not hasattr(control, "base"):
        assert min(visited) == control.min and max(visited) == control.max
    if hasattr(control, "base"):
        assert min(visited) == pytest.approx(10**control.min) and max(visited) == pytest.approx(10**control.max)
    if hasattr(control, "options"):
        assert set(visited) == set(control.options)


def test_every_setting_of_the_fit_explorer_draws_without_errors_or_warnings(vending_explorer):
    live = vending_explorer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = bench.measure_live_figures(moves=25, figures=[live])
    assert {r["control"] for r in report} >= {"w", "b"}
    assert all(r["errors"] is None and r["moves"] == 25 and r["median_ms"] > 0 for r in report)
    assert live.values == {"w": 0.5, "b": 0.0}  # the sweep puts the sliders back
