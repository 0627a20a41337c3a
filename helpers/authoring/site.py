"""The course as a static website, built from the committed notebooks (nothing is re-executed), offline.

    python -m helpers.authoring.site OUTPUT_DIR    # then open OUTPUT_DIR/index.html, or serve the folder

Every notebook is a page with its figures; the instructor guide and the data notes are pages too; the theme
(sphinx-book-theme) gives a table of contents, search, and Binder and Colab launch buttons on each notebook's
page that open the course's release tag. The notebooks describe every figure in the Markdown cell right
after it, in a paragraph that starts with "*The figure:*"; that description becomes the image's alt text.

The sources are staged in a temporary folder (copies, so the repository is never written to): the notebooks
without their launch-badge line (the theme's buttons replace it, and the badges' images live on other
sites) and with the Colab setup cell hidden, the guide, the data notes, the home page and MathJax (the
course's copy in helpers/authoring/slides_assets/, which the slide decks load too, so formulas render with no
network). Sphinx's configuration is `helpers/authoring/site/conf.py`. Needs the site tools:
`python -m pip install -r tests/requirements.txt`.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from helpers.authoring.notebooks import NOTEBOOK_DIR, REPOSITORY, ROOT, TAG, notebook_paths
from helpers.authoring.slides import ASSETS as SLIDE_ASSETS

SITE_DIR = Path(__file__).with_name("site")  # conf.py, the home page, a template and the icon
GUIDE = NOTEBOOK_DIR / "instructor-guide.md"
DATA_NOTES = ROOT / "data" / "README.md"
FIGURE_NOTE = "*The figure:"
SITE_TOOLS = ("sphinx", "myst_nb", "sphinx_book_theme")  # pinned in tests/requirements.txt, not the learners' set
MARKER = ".course-site"  # marks a folder this command built, so a rebuild may replace it
MARKDOWN_LINK = re.compile(r"\]\((?![a-z]+:|#)([^)#\s]+)")  # a relative link's target, before any #anchor
# LaTeX in the figure descriptions, spelled as a screen reader should read it.
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
LATEX_WORDS = {r"\to": "→", r"\times": "×", r"\cdot": "·", r"\eta": "η", r"\sigma": "σ", "^2": "²"}


def default_output() -> Path:
    """Where the site goes when no folder is named: the system's temporary folder, outside the repository."""
    return Path(tempfile.gettempdir()) / "deep-learning-basics-site"


def alt_text(note: str) -> str:
    """Plain text for an image's alt attribute from a figure's Markdown description.

    `note` is the paragraph "*The figure: ... $x_1$ ...*"; the alt text drops the emphasis, the "The figure:"
    lead-in and the math markup, which a screen reader would otherwise read out symbol by symbol.
    """
    text = " ".join(note.split()).strip("*").removeprefix(FIGURE_NOTE.strip("*")).strip()
    for latex, spoken in LATEX_WORDS.items():
        text = text.replace(latex, spoken)
    text = re.sub(r"_(\d+)", lambda match: match.group(1).translate(SUBSCRIPTS), text)
    return re.sub(r"[$`*\\]", "", text).replace("  ", " ")


def figure_note(cells: list, index: int) -> str | None:
    """The "*The figure: ...*" paragraph of the Markdown cell after code cell `index`, or None if it has none."""
    following = cells[index + 1] if index + 1 < len(cells) else None
    if following is None or following.cell_type != "markdown" or not following.source.startswith(FIGURE_NOTE):
        return None
    return following.source.split("\n\n", 1)[0]


def _has_image(cell) -> bool:
    """Whether a code cell's saved outputs include a picture."""
    return any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))


def page_names() -> dict[Path, str]:
    """Each file that becomes a page, by its path in the repository, and its source name on the site."""
    pages = {path: path.name for path in notebook_paths()}
    return {**pages, GUIDE: GUIDE.name, DATA_NOTES: "data.md"}


def site_links(markdown: str, folder: Path) -> str:
    """`markdown`, written in `folder` of the repository, with its relative links pointing where they work on the
    site: a page's link to its page, any other file's to the file in the repository at the release tag."""
    pages = page_names()

    def retarget(match: re.Match) -> str:
        target = (folder / match.group(1)).resolve()
        if target in pages:
            return f"]({pages[target]}"
        return f"](https://github.com/{REPOSITORY}/blob/{TAG}/{target.relative_to(ROOT).as_posix()}"

    return MARKDOWN_LINK.sub(retarget, markdown)


def site_notebook(path: Path) -> nbformat.NotebookNode:
    """A notebook as its web page shows it: alt text on every figure, no badge line, no Colab setup cell.

    Raises ValueError naming the cell when a figure has no description, so no image goes out without one.
    """
    nb = nbformat.read(path, as_version=4)
    title = nb.cells[0]
    title.source = "\n".join(line for line in title.source.split("\n") if not line.startswith("[![Open in Colab]"))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = site_links(cell.source, path.parent)
        if cell.cell_type != "code":
            continue
        if index == 1:  # the setup cell (checked by the normaliser): it only matters on Colab
            cell.metadata["tags"] = [*cell.metadata.get("tags", []), "remove-cell"]
        if _has_image(cell):
            note = figure_note(nb.cells, index)
            if note is None:
                raise ValueError(f"{path.name}: the figure drawn by cell {index + 1} has no description: the "
                                 f"Markdown cell after it should start with '{FIGURE_NOTE} ...*'")
            cell.metadata["mystnb"] = {"image": {"alt": alt_text(note)}}
    return nb


def stage(source: Path) -> None:
    """Write the site's Sphinx source folder: the pages, the home page and the static files."""
    source.mkdir(parents=True, exist_ok=True)
    for path in notebook_paths():
        nbformat.write(site_notebook(path), source / path.name)
    for page in (GUIDE, DATA_NOTES):
        text = site_links(page.read_text(encoding="utf-8"), page.parent)
        (source / page_names()[page]).write_text(text, encoding="utf-8")
    for name in ("conf.py", "index.md", "favicon.svg"):
        shutil.copy(SITE_DIR / name, source / name)
    shutil.copytree(SITE_DIR / "_templates", source / "_templates")
    static = source / "_static"
    shutil.copytree(SLIDE_ASSETS / "mathjax", static / "mathjax")


def _check_output(output: Path) -> Path:
    """`output` as an absolute path, if the site may be written there: outside the repository, and new, empty
    or an earlier build's (never a folder of someone's files)."""
    output = output.resolve()
    if output == ROOT or ROOT in output.parents:
        raise SystemExit(f"OUTPUT_DIR {output} is inside the repository; give a folder outside it "
                         "(the site is built from the repository, never committed to it)")
    if output.exists() and any(output.iterdir()) and not (output / MARKER).exists():
        raise SystemExit(f"OUTPUT_DIR {output} already holds files that this command did not write; "
                         "give an empty or new folder")
    return output


def build(output: Path, quiet: bool = True) -> Path:
    """Build the website into `output` (created, or replaced if an earlier build made it); return its home page.

    Sphinx runs (as its own process, `python -m sphinx`) on a staged copy in a temporary folder; warnings fail
    the build, so a broken page is never published silently.
    """
    output = _check_output(output)
    missing = [tool for tool in SITE_TOOLS if importlib.util.find_spec(tool) is None]
    if missing:
        raise SystemExit(f"The site needs {', '.join(missing)}, not installed here: "
                         "python -m pip install -r tests/requirements.txt")
    with tempfile.TemporaryDirectory(prefix="course-site-") as work:
        source, html = Path(work) / "source", Path(work) / "build" / "html"
        stage(source)
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(Path(work) / "doctrees"), "-W",
                   "--keep-going", *(["-q"] if quiet else []), str(source), str(html)]
        status = subprocess.run(command, check=False).returncode
        if status != 0:
            raise SystemExit(f"Sphinx could not build the site (exit code {status}); its messages are above")
        for macros in (html / "_static").glob("*macros.html"):  # the themes' Jinja macros, copied as if static
            macros.unlink()
        (html / MARKER).write_text("built by python -m helpers.authoring.site\n", encoding="utf-8")
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(html, output)
    return output / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", nargs="?", type=Path, default=default_output(),
                        help=f"folder for the site, outside the repository (default: {default_output()})")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress messages")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    home = build(args.output, quiet=not args.verbose)
    print(f"Built the course's website in {time.perf_counter() - start:.1f} s: {home}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
