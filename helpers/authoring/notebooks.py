"""Keep the notebooks runnable and their diffs small: re-execute them in place and normalise them.

    python -m helpers.authoring.notebooks                 # re-run every notebook in notebooks/ and save it
    python -m helpers.authoring.notebooks notebooks/01_the_neuron.ipynb
    python -m helpers.authoring.notebooks --check         # only report notebooks that are not normalised

Normalising means: the same setup cell and launch badges in every notebook (the repository's address
is kept here, once), fixed notebook metadata, no execution timestamps, and no saved widget state or
widget views (their random ids would change every run; the PNG of each widget's default state stays).
It also derives two kinds of cell metadata from the cells themselves, so nobody maintains them by hand:
the tag "exercise" on every cell that calls `qN.check(...)` (see `helpers.authoring.editions`), and slide types for
`jupyter nbconvert --to slides` (a new slide at every `#`/`##` heading, a sub-slide per explanation with
its code, the setup cell skipped).
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import time
from pathlib import Path

import nbformat

from helpers.release import REPOSITORY, TAG

ROOT = Path(__file__).resolve().parents[2]  # helpers/authoring/notebooks.py -> the repository
NOTEBOOK_DIR = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
SETUP_MARKER = "# Setup:"
EXERCISE_CHECK = re.compile(r"^(q\d+)\.check\(.*\)\s*$", re.M)
SETUP_CELL = f"""{SETUP_MARKER} on Colab this fetches the course; everywhere it makes stops and restarts safe.
import os
import sys

if "google.colab" in sys.modules:
    source = os.environ.get("COURSE_SOURCE", "https://github.com/{REPOSITORY}")
    if not os.path.isdir("course/helpers"):  # not fetched yet, or a fetch that broke off
        os.system("rm -rf course")
        if os.system(f"git clone --quiet --depth 1 --branch {TAG} {{source}} course") != 0:
            raise SystemExit(f"Could not fetch the course from {{source}}. Check the network and run this cell again.")
    if os.path.abspath("course") not in sys.path:  # safe to run again
        sys.path.insert(0, os.path.abspath("course"))
from helpers import session

session.keep_kernel_usable()"""


def notebook_paths() -> list[Path]:
    """Every course notebook, in order."""
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def badges(name: str) -> str:
    """The Colab and Binder launch badges for one notebook, as a Markdown line."""
    colab = f"https://colab.research.google.com/github/{REPOSITORY}/blob/{TAG}/notebooks/{name}"
    binder = f"https://mybinder.org/v2/gh/{REPOSITORY}/{TAG}?urlpath=lab/tree/notebooks/{name}"
    return (
        f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab}) "
        f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder})"
    )


def _stamp_header(nb: nbformat.NotebookNode, name: str) -> None:
    title = nb.cells[0]
    lines = title.source.split("\n")
    if title.cell_type != "markdown" or not lines[0].startswith("# "):
        raise ValueError(f"{name}: the first cell must be Markdown starting with the '# ' title")
    badge_line = badges(name)
    if len(lines) > 1 and lines[1].startswith("[![Open in Colab]"):
        lines[1] = badge_line
    else:
        lines[1:1] = [badge_line]
    title.source = "\n".join(lines)
    setup = nb.cells[1] if len(nb.cells) > 1 else None
    if setup is None or setup.cell_type != "code" or not setup.source.startswith(SETUP_MARKER):
        setup = nbformat.v4.new_code_cell(SETUP_CELL)
        nb.cells.insert(1, setup)
    setup.source = SETUP_CELL


def _clean_outputs(cell: nbformat.NotebookNode) -> None:
    kept = []
    for output in cell.get("outputs", []):
        data = output.get("data")
        if data is not None and WIDGET_VIEW in data:
            del data[WIDGET_VIEW]
            if not data:
                continue
        output.pop("transient", None)
        previous = kept[-1] if kept else None
        if output.output_type == "stream" and previous and previous.output_type == "stream" \
                and previous.name == output.name:  # one print can arrive in pieces: keep the diff independent of it
            previous.text += output.text
            continue
        kept.append(output)
    cell["outputs"] = kept


def _slide_type(cell: nbformat.NotebookNode) -> str:
    if cell.cell_type == "markdown":
        return "slide" if cell.source.startswith(("# ", "## ")) else "subslide"
    return "skip" if cell.source.startswith(SETUP_MARKER) else "-"


def _derive_metadata(cell: nbformat.NotebookNode) -> None:
    cell.metadata["slideshow"] = {"slide_type": _slide_type(cell)}
    tags = [t for t in cell.metadata.get("tags", []) if t != "exercise"]
    if cell.cell_type == "code" and EXERCISE_CHECK.search(cell.source):
        tags.append("exercise")
    if tags:
        cell.metadata["tags"] = sorted(tags)
    else:
        cell.metadata.pop("tags", None)


def normalise(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """A normalised copy of a notebook (see the module docstring for what that means)."""
    nb = copy.deepcopy(nb)
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO})
    nb.nbformat, nb.nbformat_minor = 4, 5
    _stamp_header(nb, name)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if not cell.get("id"):
            cell["id"] = f"cell-{index:03d}"
        _derive_metadata(cell)
        if cell.cell_type == "code":
            _clean_outputs(cell)
    return nb


def run(nb: nbformat.NotebookNode, folder: Path, timeout: int = 300) -> None:
    """Execute a notebook in place on a fresh kernel of this environment, with `folder` as its working folder."""
    from nbclient import NotebookClient

    os.environ.setdefault("PYTHONHASHSEED", "0")
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()


def execute(path: Path, timeout: int = 300) -> float:
    """Run a notebook top to bottom on a fresh kernel in its own folder, normalise it, save it.

    Returns the run time in seconds.
    """
    nb = normalise(nbformat.read(path, as_version=4), path.name)
    start = time.perf_counter()
    run(nb, path.parent, timeout)
    seconds = time.perf_counter() - start
    nbformat.write(normalise(nb, path.name), path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all in notebooks/)")
    parser.add_argument("--check", action="store_true", help="report notebooks that are not normalised")
    args = parser.parse_args(argv)
    paths = args.paths or notebook_paths()
    status = 0
    for path in paths:
        if args.check:
            nb = nbformat.read(path, as_version=4)
            if normalise(nb, path.name) != nb:
                print(f"NOT NORMALISED {path}: run `python -m helpers.authoring.notebooks {path}`")
                status = 1
            continue
        print(f"ran {path.name} in {execute(path):.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
