"""One reveal.js slide deck per notebook that opens with the network off.

    python -m helpers.authoring.slides OUT                        # OUT/NN_name.slides.html for every notebook
    python -m helpers.authoring.slides OUT notebooks/01_the_neuron.ipynb

`jupyter nbconvert --to slides` writes decks that load reveal.js, MathJax, require.js, jQuery and Mermaid from
CDNs, so in a room without network a deck shows unstyled text and raw LaTeX. These decks load every script,
style and font from `OUT/assets/`, a copy of the files shipped in `helpers/authoring/slides_assets/` (their
versions and licences are in its README). The launch badges are left out of the title slide: they are links
to Colab and Binder, whose images would not load offline either. Slide types come from the normaliser
(`helpers.authoring.notebooks`): a slide per heading, a sub-slide per explanation, the setup cell skipped.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from helpers.authoring.notebooks import badges, notebook_paths

ASSETS = Path(__file__).with_name("slides_assets")
TEMPLATES = Path(__file__).with_name("slides_template")
ASSETS_FOLDER = "assets"  # the decks refer to their assets by this path, relative to the deck
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"  # nbconvert's own choice; the shipped MathJax holds what it loads


def exporter() -> SlidesExporter:
    """nbconvert's slides exporter, pointed at the local assets and the course's template."""
    slides = SlidesExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="course_slides")
    slides.reveal_url_prefix = f"{ASSETS_FOLDER}/reveal.js"
    slides.reveal_theme = "white"  # its fonts ship with reveal.js; "simple" fetches Google Fonts
    slides.mathjax_url = f"{ASSETS_FOLDER}/mathjax/MathJax.js?config={MATHJAX_CONFIG}"
    slides.require_js_url = f"{ASSETS_FOLDER}/require.js"
    return slides


def without_badges(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """A copy of a notebook whose title cell no longer holds the Colab and Binder launch badges."""
    copy = nbformat.from_dict(nb)
    title = copy.cells[0]
    title.source = "\n".join(line for line in title.source.split("\n") if line != badges(name))
    return copy


def write_decks(out: Path, paths: list[Path] | None = None) -> list[Path]:
    """Write a deck for each notebook (default: all) into `out`, with the assets beside them; return the decks."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ASSETS, out / ASSETS_FOLDER, dirs_exist_ok=True)
    slides = exporter()
    written = []
    for path in map(Path, paths or notebook_paths()):
        nb = without_badges(nbformat.read(path, as_version=4), path.name)
        html, _ = slides.from_notebook_node(nb, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(html, encoding="utf-8")
        written.append(deck)
    return written


def main(argv: list[str] | None = None) -> int:
    """The command line: decks for the notebooks named (default: all) in the folder given."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder for the decks and their assets/ folder")
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all in notebooks/)")
    args = parser.parse_args(argv)
    for path in args.paths:
        if path.suffix != ".ipynb" or not path.is_file():
            parser.error(f"{path} is not a notebook file; give paths such as notebooks/01_the_neuron.ipynb")
    for deck in write_decks(args.out, args.paths):
        print(f"wrote {deck}")
    print(f"Open a deck in a browser (no network needed); keep {args.out / ASSETS_FOLDER} beside the decks.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
