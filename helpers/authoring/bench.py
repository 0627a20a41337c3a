"""Measure what a learner feels: `python -m helpers.authoring.bench [--json FILE] [--moves N] [notebooks ...]`.

For every notebook: the time to start a fresh kernel and to run all its cells, and that total as a
ratio to a floor notebook that only imports numpy, matplotlib, torch and ipywidgets. Then, in the
same kernel, every control of every live figure is moved across its whole range, and the time per
move (the figure's update and its render to PNG, as in `LiveFigure.refresh`) is reported as a
median and a 95th percentile.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from helpers.authoring.notebooks import notebook_paths

FLOOR_SOURCE = "import numpy, matplotlib.pyplot, torch, ipywidgets"
PEAK_SOURCE = "import resource as _r\nprint(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss)"  # kilobytes on Linux
PROBE_SOURCE = (
    "import json as _json\nfrom helpers.authoring.bench import measure_live_figures as _measure\n"
    "print(_json.dumps(_measure({moves})))"
)


def sweep_values(control: Any, moves: int) -> list[Any]:
    """`moves` values that take a control across its whole range, ends included, back and forth if needed.

    Every value differs from the one before it (and the first from the control's current value), so each
    one is a real move that triggers an update.
    """
    if hasattr(control, "options"):
        points = [o[1] if isinstance(o, tuple) else o for o in control.options]
    elif isinstance(control.value, int):
        span = control.max - control.min + 1
        points = list(range(control.min, control.max + 1)) if span <= moves else sorted(
            {int(round(v)) for v in np.linspace(control.min, control.max, moves)})
    else:
        points = list(np.linspace(control.min, control.max, moves))
        if hasattr(control, "base"):  # FloatLogSlider: min and max are exponents
            points = [float(control.base**p) for p in points]
        points = [float(p) for p in points]
    if len(points) < 2:
        return []
    cycle = points + points[-2:0:-1]  # up, then back down
    start = 1 if points[0] == control.value else 0
    return [cycle[(start + i) % len(cycle)] for i in range(moves)]


def drawn_finite(artist: Any) -> bool:
    """Whether an artist's data are all finite numbers (a NaN or an infinity would be drawn as nothing)."""
    if hasattr(artist, "get_xydata"):
        return bool(np.all(np.isfinite(artist.get_xydata())))
    if hasattr(artist, "get_segments"):
        return all(np.all(np.isfinite(segment)) for segment in artist.get_segments())
    return True


def measure_live_figures(moves: int = 30, figures: Iterable[Any] | None = None) -> list[dict[str, Any]]:
    """Move every control of every live figure in this kernel (or of `figures`) across its range; time each move.

    Also counts the moves that ended in an error or drew a non-finite value. Restores the controls. A
    control with a single possible value cannot move and is reported with 0 moves.
    """
    from helpers.live import LiveFigure

    results = []
    chosen = LiveFigure.instances if figures is None else figures
    for number, live in enumerate(sorted(chosen, key=lambda f: f.created), start=1):
        for name, control in live.controls.items():
            start = control.value
            live.timings.clear()
            errors, non_finite = [], 0
            for value in sweep_values(control, moves):
                control.value = value
                if live.error:
                    errors.append(f"{name} = {value}: {live.error}")
                non_finite += not all(drawn_finite(artist) for artist in live.animated)
            made = len(live.timings)
            times_ms = np.array(live.timings) * 1000 if made else np.zeros(1)
            live.set(**{name: start})
            results.append({
                "figure": f"{number}. {live.title}", "control": name, "moves": made,
                "median_ms": round(float(np.median(times_ms)), 1),
                "p95_ms": round(float(np.percentile(times_ms, 95)), 1),
                "errors": "; ".join(errors) or None, "non_finite_moves": non_finite,
            })
    return results


def run_notebook(nb: nbformat.NotebookNode, folder: Path, moves: int | None) -> dict[str, Any]:
    """Start a fresh kernel, run every cell, optionally probe the live figures. Times in seconds."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    began = time.perf_counter()
    with client.setup_kernel():
        started = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        finished = time.perf_counter()
        peak = nbformat.v4.new_code_cell(PEAK_SOURCE)
        nb.cells.append(peak)
        client.execute_cell(peak, len(nb.cells) - 1)
        peak_mb = int("".join(o.get("text", "") for o in peak.outputs)) / 1024
        widgets: list[dict[str, Any]] = []
        if moves:
            probe = nbformat.v4.new_code_cell(PROBE_SOURCE.format(moves=moves))
            nb.cells.append(probe)
            client.execute_cell(probe, len(nb.cells) - 1)
            widgets = json.loads("".join(o.get("text", "") for o in probe.outputs))
    return {"kernel_start_s": started - began, "cells_s": finished - started, "total_s": finished - began,
            "peak_memory_mb": round(peak_mb), "widgets": widgets}


def benchmark(paths: list[Path], moves: int) -> dict[str, Any]:
    """The floor, then every notebook, as one report."""
    floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    floor = run_notebook(floor_nb, Path.cwd(), None)
    notebooks = {}
    for path in paths:
        result = run_notebook(nbformat.read(path, as_version=4), path.parent, moves)
        result["ratio_to_floor"] = result["total_s"] / floor["total_s"]
        notebooks[path.stem] = result
    return {"floor": floor, "notebooks": notebooks, "moves_per_control": moves}


def format_report(report: dict[str, Any]) -> str:
    """The report as two plain-text tables (notebook times, then slider latency)."""
    rows = [f"{'notebook':<28}{'kernel start':>14}{'cells':>9}{'total':>9}{'vs floor':>10}{'peak memory':>13}"]
    floor = report["floor"]
    rows.append(f"{'floor (imports only)':<28}{floor['kernel_start_s']:>12.2f} s{floor['cells_s']:>7.2f} s"
                f"{floor['total_s']:>7.2f} s{1:>9.1f}x{floor['peak_memory_mb']:>10} MB")
    for name, r in report["notebooks"].items():
        rows.append(f"{name:<28}{r['kernel_start_s']:>12.2f} s{r['cells_s']:>7.2f} s{r['total_s']:>7.2f} s"
                    f"{r['ratio_to_floor']:>9.1f}x{r['peak_memory_mb']:>10} MB")
    rows += ["", f"{'live figure':<44}{'control':<10}{'moves':>6}{'median':>10}{'p95':>10}"]
    for name, r in report["notebooks"].items():
        for w in r["widgets"]:
            label = f"{name[:2]} · {w['figure']}"
            rows.append(f"{label[:43]:<44}{w['control']:<10}{w['moves']:>6}{w['median_ms']:>7.1f} ms"
                        f"{w['p95_ms']:>7.1f} ms" + (f"  ERROR {w['errors']}" if w["errors"] else ""))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: all)")
    parser.add_argument("--moves", type=int, default=30, help="moves per control (default 30)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    args = parser.parse_args(argv)
    if args.moves < 2:
        parser.error(f"--moves must be at least 2, got {args.moves}")
    report = benchmark(args.paths or notebook_paths(), args.moves)
    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
