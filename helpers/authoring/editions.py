"""Student and instructor editions of the notebooks, from one source.

The notebooks in `notebooks/` are the student edition: each exercise cell (tagged "exercise") holds a stub,
`...`, which its checker answers with a "Not yet" sentence saying what to do, so the notebook still runs
to the end. Each exercise's worked solution is kept once, as runnable code, in the notebook's exercise
module (`q1.solution()` prints it, and the tests run it against its own check). The instructor edition
puts that solution in place of the stub.

    python -m helpers.authoring.editions OUT             # OUT/student/*.ipynb and OUT/instructor/*.ipynb
    python -m helpers.authoring.editions OUT --execute   # also runs the instructor copies, so they show their ✅
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import nbformat

from helpers.authoring.notebooks import EXERCISE_CHECK, notebook_paths, run


def exercise_module(notebook: str | Path) -> ModuleType | None:
    """The checkers of notebook `NN_name.ipynb`: the module `helpers.exercises.nbNN`, or None if it has none.

    The notebook's number names its module, so a new notebook's exercises are found by where they live.
    """
    name = f"helpers.exercises.nb{Path(notebook).name[:2]}"
    return importlib.import_module(name) if importlib.util.find_spec(name) else None


def instructor_source(source: str, module: ModuleType) -> str:
    """An exercise cell with the learner's stub replaced by the exercise's solution (the check line stays)."""
    match = EXERCISE_CHECK.search(source)
    if match is None:
        raise ValueError(f"not an exercise cell (no `qN.check(...)` line): {source[:60]!r}")
    exercise = getattr(module, match.group(1))
    return f"{exercise.solution_text}\n\n{source[match.start():]}"


def instructor_edition(nb: nbformat.NotebookNode, module: ModuleType) -> nbformat.NotebookNode:
    """A copy of a student notebook whose exercise cells hold the solutions of `module` (outputs cleared)."""
    copy = nbformat.from_dict(nb)
    for cell in copy.cells:
        if cell.cell_type == "code" and "exercise" in cell.metadata.get("tags", []):
            cell.source = instructor_source(cell.source, module)
            cell.outputs, cell.execution_count = [], None
    return copy


def write_editions(out: Path, execute: bool = False) -> list[Path]:
    """Write the student and instructor editions of every notebook under `out`; return the instructor files."""
    written = []
    for edition in ("student", "instructor"):
        (out / edition).mkdir(parents=True, exist_ok=True)
    for path in notebook_paths():
        shutil.copyfile(path, out / "student" / path.name)
        target = out / "instructor" / path.name
        nb = instructor_edition(nbformat.read(path, as_version=4), exercise_module(path))
        if execute:
            run(nb, path.parent)
        nbformat.write(nb, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder for the student/ and instructor/ editions")
    parser.add_argument("--execute", action="store_true", help="run the instructor copies so they show outputs")
    args = parser.parse_args(argv)
    for path in write_editions(args.out, args.execute):
        print(f"wrote {path} and its student twin")
    return 0


if __name__ == "__main__":
    sys.exit(main())
