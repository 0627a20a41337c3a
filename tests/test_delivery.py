"""How the course reaches people: student and instructor editions, slides and Binder (Colab: test_colab.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.authoring import editions, notebooks
from tests.paths import ROOT


def test_editions_put_each_solution_in_place_of_its_stub(tmp_path):
    written = editions.write_editions(tmp_path)
    assert [p.name for p in written] == [p.name for p in notebooks.notebook_paths()]
    for source in notebooks.notebook_paths():
        student = nbformat.read(tmp_path / "student" / source.name, as_version=4)
        assert student == nbformat.read(source, as_version=4)  # the committed notebooks are the student edition
        teacher = nbformat.read(tmp_path / "instructor" / source.name, as_version=4)
        module = editions.exercise_module(source)
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
        editions.instructor_source("x = 1", editions.exercise_module(notebooks.notebook_paths()[0]))


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
