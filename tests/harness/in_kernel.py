"""What a notebook's kernel runs for the checks injected after its last cell (see `notebook_checks`).

The injected cell loads this file by its path (`runpy.run_path`) and calls one function here with plain
arguments. The kernel has already run the whole notebook (every cell twice), so its live figures and its
variables are the learner's. Only the tests use this module; `helpers.authoring.bench` keeps what the benchmark uses.
"""

from __future__ import annotations

import contextlib
import io
import json
import warnings
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

MOVES = 21  # per control, across its whole range and back
COMBINATIONS = 12  # random settings of all of a figure's controls at once
CORRECT = "✅ Correct"
EXPLORER_RERUNS = 10  # runs of every explorer cell again, as a learner trying settings does
MEMORY_LIMIT_MIB = 20  # what those re-runs may add to the kernel's resident memory (issue 15)


def try_combinations(live: Any, count: int = COMBINATIONS, seed: int = 0) -> list[str]:
    """Put a live figure on `count` random combinations of all its controls' values; return the problems
    (an update that raised, or a non-finite value that would be drawn). Restores the controls."""
    from helpers.authoring.bench import drawn_finite, sweep_values

    rng = np.random.default_rng(seed)
    choices = {name: sweep_values(control, 9) + [control.value] for name, control in live.controls.items()}
    start, problems = live.values, []
    for _ in range(count):
        setting = {name: values[rng.integers(len(values))] for name, values in choices.items()}
        live.set(**setting)
        if live.error or not all(drawn_finite(artist) for artist in live.animated):
            problems.append(f"{setting}: {live.error or 'a non-finite value would be drawn'}")
    live.set(**start)
    return problems


def slider_problems(moves: int = MOVES, figures: list[Any] | None = None) -> tuple[list[dict], list[str], int]:
    """Move every control of every live figure in this kernel (or of `figures`) across its whole range, then put
    every figure with more than one control on random combinations, numerical and plotting warnings being errors.

    Returns the per-control report (`measure_live_figures` of helpers.authoring.bench), every problem (an update
    that raised or warned, a NaN that would be drawn, a control that did not make `moves` moves) and how many
    figures were tried on combinations."""
    from helpers.authoring.bench import measure_live_figures
    from helpers.live import LiveFigure

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("error", UserWarning)
        chosen = list(LiveFigure.instances) if figures is None else figures
        report = measure_live_figures(moves=moves, figures=chosen)
        problems = [json.dumps(r) for r in report if r["errors"] or r["non_finite_moves"] or r["moves"] != moves]
        several = [live for live in chosen if len(live.controls) > 1]
        problems += [problem for live in several for problem in try_combinations(live)]
    return report, problems, len(several)


def sweep_every_slider(figures: int, report_file: str) -> None:
    """The sweep item: no problem in `slider_problems`, and a live figure found for each of the notebook's
    `figures` explorer cells: every cell ran twice, and the second run of an explorer cell replaced (and closed)
    the figure of the first. Leaves its counts in `report_file` for the summary."""
    report, problems, combined = slider_problems()
    assert not problems, "\n".join(problems)
    found = len({r["figure"] for r in report})
    assert found == figures, f"expected {figures} live figures in this kernel, found {found}"
    counts = {"controls": len({(r["figure"].split(". ", 1)[1], r["control"]) for r in report}), "figures": figures,
              "moves": sum(r["moves"] for r in report), "combinations": COMBINATIONS * combined}
    Path(report_file).write_text(json.dumps(counts), encoding="utf-8")
    print(f"{len(report)} controls moved, {counts['moves']} moves, no errors, warnings or NaN")


def solved_sources(notebook: str) -> list[str]:
    """The instructor edition of the notebook's exercise cells: each stub replaced by its solution."""
    from helpers.authoring.editions import exercise_module, instructor_source

    nb = nbformat.read(notebook, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and "exercise" in c.metadata.get("tags", [])]
    module = exercise_module(notebook)
    return [instructor_source(source, module) for source in cells]


def check_solutions(notebook: str) -> None:
    """The solutions item: every exercise cell's solution, run in this kernel's namespace (the notebook's own
    variables), prints a verdict starting with "✅ Correct"."""
    from IPython import get_ipython

    namespace = get_ipython().user_ns
    sources = solved_sources(notebook)
    verdicts = []
    for source in sources:
        captured = io.StringIO()
        with contextlib.redirect_stdout(captured):
            exec(source, namespace)  # a notebook cell's code, as the kernel would run it
        verdicts.append(captured.getvalue())
    wrong = [verdict for verdict in verdicts if not verdict.startswith(CORRECT)]
    assert sources and not wrong, wrong or "the notebook has no exercise cells"


def resident_mib() -> float | None:
    """This process's resident memory in MiB (Linux's /proc/self/statm), or None where there is no such file."""
    import os

    statm = Path("/proc/self/statm")
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20 if statm.exists() else None


def explorer_memory_growth(notebook: str, cells: list[int], reruns: int = EXPLORER_RERUNS) -> None:
    """The memory item: the notebook's explorer cells (`cells`, by index) each run `reruns` times more, as a
    learner does (in the history, their results kept in `Out`), add less than `MEMORY_LIMIT_MIB` to this kernel's
    resident memory, measured after one more run of each, so that caches are warm, and after a garbage
    collection. Where the memory cannot be read (not Linux) the cells still run, and it says so."""
    import gc

    from IPython import get_ipython

    shell = get_ipython()
    sources = [nbformat.read(notebook, as_version=4).cells[index].source for index in cells]

    def run_each() -> None:
        for source in sources:
            shell.run_cell(source, store_history=True).raise_error()

    run_each()
    gc.collect()
    before = resident_mib()
    for _ in range(reruns):
        run_each()
    gc.collect()
    after = resident_mib()
    if before is None or after is None:
        print(f"{len(sources)} explorer cells run {reruns} times more; memory not measured on this system")
        return
    grown = after - before
    assert grown < MEMORY_LIMIT_MIB, (f"{len(sources)} explorer cells run {reruns} times more grew the kernel by "
                                      f"{grown:.1f} MiB ({before:.0f} -> {after:.0f}), over {MEMORY_LIMIT_MIB} MiB")
    print(f"{len(sources)} explorer cells run {reruns} times more: the kernel grew by {grown:.1f} MiB")
