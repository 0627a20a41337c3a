"""Every number in a notebook's prose is printed by a cell above it, so prose and outputs cannot drift apart.

A number in a markdown cell passes when it equals (as a value, so 0.30 matches 0.3 and 1,797 matches 1797)
a number in the committed text output of a code cell above it, or a number written in any code cell's source
(a setting such as `epochs=30` or `n=100_000` is defined there, not measured, and the prose may introduce it
before the cell that uses it); a percentage also matches its fraction (60% matches `0.6`). Not read as
claims: integers 0 to 10 (counts and names such as "two layers" or "8 × 8"), numbers inside `code` and
$LaTeX$, link addresses, section and exercise numbers, references to other notebooks, and the opening's
"about N minutes". What remains is checked, so a result typed into the prose that no cell prints, or that
only a later cell prints, fails here.

Every notebook is covered: 05-08 since issue 13, 01-04 since issue 12.
"""

import re
from pathlib import Path

import nbformat
import pytest

from helpers.authoring.notebooks import notebook_paths

COVERED = notebook_paths()
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")
NOT_CLAIMS = [
    re.compile(r"```.*?```", re.S),  # fenced code
    re.compile(r"`[^`]*`"),  # code spans
    re.compile(r"\$\$.*?\$\$", re.S),  # display maths
    re.compile(r"\$[^$]*\$"),  # inline maths
    re.compile(r"\]\([^)]*\)"),  # link addresses
    re.compile(r"https?://\S+"),
    re.compile(r"<[^>]+>"),  # HTML tags and their attributes
    re.compile(r"^#+\s*\d+(\.\d+)*\.?", re.M),  # section numbers in headings
    re.compile(r"\*\*\d+\.", re.M),  # exercise numbers: **1. Flatten.**
    re.compile(r"\bnotebooks?\s+\d{2}(?:\s*(?:,|and|to|or|–|-)\s*\d{2})*", re.I),
    re.compile(r"\babout \d+ minutes"),
]


def prose_numbers(markdown: str) -> list[str]:
    """The numbers a markdown cell states as claims, as written (see the module's docstring for what is not)."""
    for pattern in NOT_CLAIMS:
        markdown = pattern.sub(" ", markdown)
    return [
        number + "%" * markdown[match.end() :].lstrip().startswith("%")
        for match in NUMBER.finditer(markdown)
        if "." in (number := match.group()) or "," in number or int(number) > 10
    ]


def value(number: str) -> float:
    return float(number.rstrip("%").replace(",", ""))


def is_printed(number: str, printed: set[float]) -> bool:
    """Whether the prose number is among the printed values (a percentage also as its fraction)."""
    return value(number) in printed or (number.endswith("%") and round(value(number) / 100, 12) in printed)


def output_values(cells: list[nbformat.NotebookNode]) -> set[float]:
    """Every number in the committed text outputs of these cells."""
    texts = []
    for cell in cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "stream":
                texts.append(output.get("text", ""))
            else:
                texts.append(output.get("data", {}).get("text/plain", ""))
    return {round(value(n), 12) for text in texts for n in NUMBER.findall(text)}


def setting_values(nb: nbformat.NotebookNode) -> set[float]:
    """Every number written in the notebook's code cells (settings), `100_000` read as 100000."""
    sources = [re.sub(r"(?<=\d)_(?=\d)", "", cell.source) for cell in nb.cells if cell.cell_type == "code"]
    return {round(value(n), 12) for source in sources for n in NUMBER.findall(source)}


def test_the_number_reader_finds_claims_and_skips_the_rest():
    text = (
        "## 3. Results\n**2. Predict.** We trained for 2000 epochs ($\\eta = 0.05$, `lr=0.5`) as in notebook 06:"
        " 96.4% of 1,797 images, 3 layers, see [data](../data/README.md#x12)."
    )
    assert prose_numbers(text) == ["2000", "96.4%", "1,797"]
    assert value("1,797") == 1797.0
    assert is_printed("60%", {0.6}) and is_printed("0.30", {0.3}) and not is_printed("60", {0.6})


@pytest.mark.parametrize("path", COVERED, ids=[p.stem for p in COVERED])
def test_every_number_in_the_prose_is_printed_by_a_cell_above_it(path: Path):
    nb = nbformat.read(path, as_version=4)
    settings = setting_values(nb)
    missing = [
        f"cell {index}: {number}"
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
        for number in prose_numbers(cell.source)
        if not is_printed(number, settings | output_values(nb.cells[:index]))
    ]
    assert not missing, f"numbers in the prose of {path.name} that no cell above prints, nor any cell sets: {missing}"


def test_a_number_printed_only_below_the_prose_does_not_count():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("The loss falls to 0.089."),
        nbformat.v4.new_code_cell("print(round(loss, 3))", outputs=[nbformat.v4.new_output("stream", text="0.089\n")]),
        nbformat.v4.new_markdown_cell("Again: 0.089, over n = 100,000 points."),
        nbformat.v4.new_code_cell("n = 100_000"),
    ]
    assert 0.089 not in output_values(nb.cells[:0]) and 0.089 in output_values(nb.cells[:2])
    assert 100000 in setting_values(nb)
