"""How the course reaches people: student and instructor editions, slides, Binder and Colab."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers import editions, notebooks
from tests.course_source import make_course_source

ROOT = Path(__file__).resolve().parent.parent


def test_editions_put_each_solution_in_place_of_its_stub(tmp_path):
    written = editions.write_editions(tmp_path)
    assert [p.name for p in written] == [p.name for p in notebooks.notebook_paths()]
    for source in notebooks.notebook_paths():
        student = nbformat.read(tmp_path / "student" / source.name, as_version=4)
        assert student == nbformat.read(source, as_version=4)  # the committed notebooks are the student edition
        teacher = nbformat.read(tmp_path / "instructor" / source.name, as_version=4)
        module = editions.exercise_module(student)
        pairs = [
            (s, t)
            for s, t in zip(student.cells, teacher.cells, strict=True)
            if "exercise" in s.metadata.get("tags", [])
        ]
        assert len(pairs) >= 3, f"{source.name} has fewer than three exercises"
        for s, t in pairs:
            name = notebooks.EXERCISE_CHECK.search(s.source).group(1)
            assert t.source.startswith(getattr(module, name).solution_text)
            assert "...  # your code here" not in t.source and "= ..." not in t.source
            assert t.source.endswith(s.source[notebooks.EXERCISE_CHECK.search(s.source).start() :])
        untouched = [(s, t) for s, t in zip(student.cells, teacher.cells, strict=True) if (s, t) not in pairs]
        assert all(s.source == t.source for s, t in untouched)


def test_instructor_source_refuses_a_cell_without_a_check():
    with pytest.raises(ValueError, match="not an exercise cell"):
        editions.instructor_source("x = 1", editions.exercise_module(nbformat.read(notebooks.notebook_paths()[0], 4)))


def test_every_notebook_converts_to_slides(tmp_path):
    paths = [str(p) for p in notebooks.notebook_paths()]
    run = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", "--output-dir", str(tmp_path), *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    for path in notebooks.notebook_paths():
        deck = (tmp_path / f"{path.stem}.slides.html").read_text(encoding="utf-8")
        nb = nbformat.read(path, as_version=4)
        headings = sum(c.cell_type == "markdown" and c.source.startswith(("# ", "## ")) for c in nb.cells)
        assert deck.count("<section") >= headings >= 5
        assert notebooks.SETUP_MARKER not in deck  # the setup cell is skipped in the slides


def test_repo2docker_builds_binder_from_binder_folder_with_pinned_python():
    r2d = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))
    if r2d is None:
        pytest.skip("jupyter-repo2docker is not installed: python -m pip install -r tests/requirements.txt")
    run = subprocess.run(
        [r2d, "--no-build", "--debug", "--user-id", "1000", "--user-name", "jovyan", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-2000:]
    assert "python=3.11" in out
    copy_all = out.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/")
    install = out.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    assert copy_all < install  # `-e .` needs the repository in place before pip runs


COLAB_STARTUP = """
import sys
sys.path.insert(0, {fake!r})
import google.colab  # Colab imports it before any cell runs
# The course is not installed on Colab: hide this machine's editable install of it.
sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
sys.path[:] = [p for p in sys.path if not p.startswith({root!r})]
"""


def test_the_setup_cell_fetches_the_course_on_colab_and_the_notebook_runs(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the Colab setup cell clones the course with git")
    source = make_course_source(tmp_path / "source")  # the GitHub repository, reached through COURSE_SOURCE
    fake = tmp_path / "fake"
    (fake / "google" / "colab").mkdir(parents=True)
    (fake / "google" / "__init__.py").write_text("")
    (fake / "google" / "colab" / "__init__.py").write_text('"""Stand-in for Colab\'s module."""\n')
    ipython = tmp_path / "ipython"
    (ipython / "profile_default" / "startup").mkdir(parents=True)
    (ipython / "profile_default" / "startup" / "00-colab.py").write_text(
        COLAB_STARTUP.format(fake=str(fake), root=str(ROOT))
    )
    content = tmp_path / "content"  # Colab's working folder, outside the repository
    content.mkdir()
    monkeypatch.setenv("IPYTHONDIR", str(ipython))
    monkeypatch.setenv("COURSE_SOURCE", f"file://{source}")
    nb = nbformat.read(notebooks.NOTEBOOK_DIR / "01_the_neuron.ipynb", as_version=4)
    committed_status = re.search(r"Mean squared error: [\d,.]+", str(nb.cells)).group(0)  # the slider figure's
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    probe = nbformat.v4.new_code_cell(
        "import helpers, sys\nprint(helpers.__file__)\nprint('google.colab' in sys.modules)"
    )
    nb.cells.insert(2, probe)
    notebooks.run(nb, content)
    where, colab = probe.outputs[0].text.split()
    assert Path(where).resolve() == (content / "course" / "helpers" / "__init__.py").resolve()
    assert colab == "True"
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    assert committed_status in str(nb.cells)  # the live figure was built and drew its default state
