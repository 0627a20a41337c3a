"""How the course reaches people: student and instructor editions, slides and Binder (Colab: test_colab.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from helpers.authoring import editions, notebooks, slides
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


REMOTE = re.compile(r"^(?:https?:)?//", re.I)
CSS_REFERENCE = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)|url\(\s*['"]?([^'")\s]+)""")
ES_IMPORT = re.compile(r"""\bimport\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]""")
LOADING_TAGS = {"script", "link", "img", "iframe", "source", "audio", "video", "embed", "object"}


class LoadedReferences(HTMLParser):
    """The addresses a page loads by itself (src and href of scripts, styles, images, frames), not its links."""

    def __init__(self):
        super().__init__()
        self.addresses, self.styles, self.scripts, self._inside = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in LOADING_TAGS:
            self.addresses += [value for key in ("src", "href", "data") if (value := attributes.get(key))]
        self._inside = tag if tag in ("style", "script") else None

    def handle_data(self, data):
        {"style": self.styles, "script": self.scripts}.get(self._inside, []).append(data)

    def handle_endtag(self, tag):
        self._inside = None


def css_references(text: str) -> list[str]:
    """Every address a style sheet loads (@import and url()), data: URIs left out."""
    found = [a or b for a, b in CSS_REFERENCE.findall(text)]
    return [address for address in found if not address.startswith("data:")]


def local_file(base: Path, address: str) -> Path:
    """The file a relative address names, without its query or fragment (MathJax's ?config=, a font's ?#iefix)."""
    return base / re.split(r"[?#]", address)[0]


def offline_problems(deck: Path) -> list[str]:
    """What in a deck would reach the network or miss a file: remote or missing scripts, styles and fonts."""
    page = LoadedReferences()
    page.feed(deck.read_text(encoding="utf-8"))
    addresses = [a for a in page.addresses if not a.startswith("data:")]
    addresses += css_references("".join(page.styles)) + ES_IMPORT.findall("".join(page.scripts))
    addresses += re.findall(r"""["'](assets/[^"']+)["']""", "".join(page.scripts))  # reveal.js, loaded by require.js
    problems, seen = [], set()
    pending = [(deck.parent, address) for address in addresses]
    while pending:
        base, address = pending.pop()
        if REMOTE.match(address):
            problems.append(f"{deck.name} loads {address} from the network")
            continue
        path = local_file(base, address).resolve()
        if not path.is_file():
            problems.append(f"{deck.name} refers to {address}, which is not there")
        elif path.suffix == ".css" and path not in seen:
            seen.add(path)
            pending += [(path.parent, ref) for ref in css_references(path.read_text(encoding="utf-8"))]
    return problems


def test_every_notebook_becomes_a_deck_that_loads_nothing_from_the_network(tmp_path):
    decks = slides.write_decks(tmp_path)
    assert [d.name for d in decks] == [f"{p.stem}.slides.html" for p in notebooks.notebook_paths()]
    for path, deck in zip(notebooks.notebook_paths(), decks, strict=True):
        text = deck.read_text(encoding="utf-8")
        nb = nbformat.read(path, as_version=4)
        headings = sum(c.cell_type == "markdown" and c.source.startswith(("# ", "## ")) for c in nb.cells)
        assert text.count("<section") >= headings >= 5
        assert notebooks.SETUP_MARKER not in text  # the setup cell is skipped in the slides
        assert "mybinder.org/badge_logo.svg" not in text  # the launch badges stay in the notebooks
        assert "MathJax.js?config=" in text and "reveal.js/dist/reveal.js" in text
        assert offline_problems(deck) == []


def test_the_offline_check_finds_a_remote_script_a_remote_font_and_a_missing_file(tmp_path):
    (tmp_path / "theme.css").write_text("@import url(https://fonts.example.org/css?family=Lato);\n"
                                        "@font-face { src: url('gone.woff') format('woff'); }", encoding="utf-8")
    deck = tmp_path / "deck.slides.html"
    deck.write_text('<script src="https://cdn.example.org/reveal.js"></script><link rel="stylesheet" href="theme.css">'
                    '<a href="https://example.org/">a link is fine</a><img src="data:image/png;base64,AA==">'
                    "<script type=\"module\">import m from '//cdn.example.org/m.mjs';</script>", encoding="utf-8")
    assert sorted(offline_problems(deck)) == [
        "deck.slides.html loads //cdn.example.org/m.mjs from the network",
        "deck.slides.html loads https://cdn.example.org/reveal.js from the network",
        "deck.slides.html loads https://fonts.example.org/css?family=Lato from the network",
        "deck.slides.html refers to gone.woff, which is not there",
    ]


def test_the_slides_command_names_a_path_that_is_not_a_notebook(tmp_path, capsys):
    with pytest.raises(SystemExit):
        slides.main([str(tmp_path / "decks"), "notebooks/01_the_neuron.md"])
    assert "notebooks/01_the_neuron.md is not a notebook file; give paths such as" in capsys.readouterr().err
    assert not (tmp_path / "decks").exists()


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
    install = out.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    copy_all = out.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/")
    post_build = out.index("RUN ./binder/postBuild")
    # PyTorch's layer is built before the course is copied, so an edit to a notebook does not reinstall it;
    # postBuild, after the copy, installs the helpers and warms matplotlib's font cache.
    assert install < copy_all < post_build
    post_build_lines = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8").splitlines()
    assert "python -m pip install --no-cache-dir --no-deps -e ." in post_build_lines
    assert 'python -c "import matplotlib.pyplot"' in post_build_lines
