"""An offline workshop kit: one folder that lets a class install and open the course with no network.

    python -m helpers.authoring.kit OUT                      # Linux, macOS (arm64) and Windows, for Python 3.11
    python -m helpers.authoring.kit OUT --python 3.11 3.12 3.13 --systems linux windows

OUT holds `INSTALL.md` (the install steps for each system), `requirements.txt` (the learner's pins, with the
course's own helpers as a wheel instead of `-e .`), `course/` (the repository's files), `student/` and
`instructor/` (the two editions of the notebooks) and `wheels/<system>/`: every wheel the learner's
requirements need on that system, so `pip install --no-index --find-links wheels/<system> -r requirements.txt`
installs the course without the network. Linux gets PyTorch's CPU build, as Binder does (binder/requirements.txt);
macOS and Windows get PyPI's, which is a CPU build there anyway.

Python 3.11 by default: each Python version adds a full set of compiled wheels (PyTorch most of it), and 3.11 is
the version the course is tested on most (the whole suite, the Colab test, Binder). Learners are told in INSTALL.md
which Python the kit needs; `--python` adds others (3.12 and 3.13 are supported too). The wheels for each
system are downloaded and checked by `helpers.authoring.wheels`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from helpers.authoring.editions import write_editions
from helpers.authoring.notebooks import ROOT
from helpers.authoring.wheels import (
    SYSTEMS,
    KitError,
    System,
    cached_download,
    download,
    link_or_copy,
    unmet_requirements,
)
from helpers.check_env import pinned_requirements
from helpers.release import DISTRIBUTION, VERSION

PYTHONS = ("3.11", "3.12", "3.13")  # what the course supports
DEFAULT_PYTHONS = ("3.11",)


def kit_requirements() -> list[str]:
    """The learner's pins (requirements.txt) with the course itself as its wheel: what the kit installs."""
    pins = pinned_requirements(ROOT / "requirements.txt")
    return [f"{name}=={version}" for name, version in pins.items()] + [f"{DISTRIBUTION}=={VERSION}"]


def course_files(root: Path = ROOT) -> list[Path]:
    """The checkout's files as git sees them (tracked, and new files not ignored), relative to `root`."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        raise KitError(f"{root} is not a git checkout of the course (git ls-files said: "
                       f"{listed.stderr.strip() or 'nothing'}): build the kit from a clone")
    return sorted(Path(name) for name in set(listed.stdout.split("\0")) if name and (root / name).is_file())


def copy_course(target: Path, root: Path = ROOT) -> None:
    """Copy the checkout's files (see `course_files`) into `target`."""
    for relative in course_files(root):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target / relative)


def build_course_wheel(course: Path, folder: Path) -> Path:
    """Build the course's own wheel (its helpers and data) from a copy of `course` into `folder`."""
    with tempfile.TemporaryDirectory(prefix="kit-course-") as scratch:
        source = Path(scratch) / "source"
        shutil.copytree(course, source)  # the build writes build/ and *.egg-info beside the sources
        built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
                                "--no-build-isolation", "-w", str(folder), str(source)],
                               capture_output=True, text=True)
    if built.returncode != 0:
        raise KitError(f"the course's wheel could not be built: {(built.stderr or built.stdout).strip()[-300:]}")
    return next(folder.glob(f"{DISTRIBUTION.replace('-', '_')}-{VERSION}-*.whl"))


def folder_size(folder: Path) -> int:
    """The bytes of the files under `folder` (a hard-linked file counted once per folder it is in)."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def megabytes(size: int) -> str:
    """A size as a learner reads it on a USB stick: "283 MB"."""
    return f"{size / 1e6:,.0f} MB"


def install_page(systems: Sequence[System], pythons: Sequence[str], sizes: dict[str, int]) -> str:
    """INSTALL.md: for each system, what the machine needs and the exact commands."""
    versions = " or ".join([", ".join(pythons[:-1]), pythons[-1]] if len(pythons) > 1 else pythons)
    lines = [
        "# Installing the course without the network",
        "",
        f"Deep Learning Basics {VERSION}. This folder holds the course (`course/`), the notebooks learners open",
        "(`student/`), the same notebooks with the exercises solved (`instructor/`), and every package the course",
        f"needs for each system below, for **Python {versions}** (64-bit). Check with `python3 --version`",
        "(Windows: `py --version`). Nothing is downloaded: copy this folder to your computer first (from a USB",
        "stick it works too, just slower), open a terminal in it and type the commands for your system.",
        "The install takes a minute or two and up to 1.3 GB of disk. Instructors: the guide is",
        "`course/notebooks/instructor-guide.md`.",
    ]
    for system in systems:
        if system.folder == "windows":
            python, activate, wheels = f"py -{pythons[0]}", r".venv\Scripts\activate", r"wheels\windows"
        else:
            python, activate, wheels = f"python{pythons[0]}", "source .venv/bin/activate", f"wheels/{system.folder}"
        lines += [
            "",
            f"## {system.title}",
            "",
            f"Needs {system.needs}. Packages: `{wheels}` ({megabytes(sizes[system.folder])}).",
            "",
            "```",
            f"{python} -m venv .venv",
            activate,
            f"python -m pip install --no-index --find-links {wheels} -r requirements.txt",
            "jupyter lab student",
            "```",
        ]
    lines += [
        "",
        "JupyterLab opens in your browser; start with `01_the_neuron.ipynb`. Next time, only the second and the",
        "last command. Another Python version than the one named above: say which one in `py -3.12` or",
        "`python3.12`; pip says `No matching distribution` if the kit has no packages for it.",
        "",
    ]
    return "\n".join(lines)


def build_kit(out: Path, systems: Sequence[str] = tuple(SYSTEMS), pythons: Sequence[str] = DEFAULT_PYTHONS,
              cache: Path | None = None, execute: bool = False) -> dict[str, int]:
    """Build the kit in `out` (a new or empty folder); return the size in bytes of each system's wheels.

    `cache`: a folder keeping each system's downloaded wheels by its requirements' hash, so a second kit
    downloads nothing. `execute`: run the instructor notebooks, so they show their outputs (about a minute).
    """
    unknown = [name for name in systems if name not in SYSTEMS] + [p for p in pythons if p not in PYTHONS]
    if unknown:
        raise KitError(f"unknown system or Python {', '.join(unknown)}: the kit knows the systems "
                       f"{', '.join(SYSTEMS)} and the Pythons {', '.join(PYTHONS)}")
    if out.exists() and any(out.iterdir()):
        raise KitError(f"{out} already exists and is not empty: give a new folder (the kit never overwrites)")
    try:
        return fill_kit(out, systems, pythons, cache, execute)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)  # new or empty before: a half-built kit is never left behind
        raise


def fill_kit(out: Path, systems: Sequence[str], pythons: Sequence[str], cache: Path | None,
             execute: bool) -> dict[str, int]:
    """Write the kit's parts into `out` (see `build_kit`)."""
    copy_course(out / "course")
    write_editions(out, execute=execute)
    (out / "requirements.txt").write_text(
        "# The course and every package it needs, pinned; installed from wheels/<your system> (see INSTALL.md).\n"
        + "\n".join(kit_requirements()) + "\n", encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="kit-wheel-") as scratch:
        course_wheel = build_course_wheel(out / "course", Path(scratch))
        sizes = {}
        for name in systems:
            system, wheels = SYSTEMS[name], out / "wheels" / name
            for python in pythons:
                print(f"{system.title}, Python {python}: wheels", flush=True)
                if cache is None:
                    download(system, python, wheels / f".cp{python}")
                    link_or_copy(sorted((wheels / f".cp{python}").glob("*.whl")), wheels)
                    shutil.rmtree(wheels / f".cp{python}")
                else:
                    link_or_copy(sorted(cached_download(system, python, cache).glob("*.whl")), wheels)
                link_or_copy([course_wheel], wheels)
                unmet = unmet_requirements(wheels, system, python, kit_requirements())
                if unmet:
                    raise KitError(f"wheels/{name} lacks what Python {python} on {system.title} needs: "
                                   f"{'; '.join(unmet)}")
            sizes[name] = folder_size(wheels)
    (out / "INSTALL.md").write_text(install_page([SYSTEMS[n] for n in systems], pythons, sizes), encoding="utf-8")
    return sizes


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="a new folder for the kit")
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), metavar="SYSTEM",
                        help=f"the learners' systems ({', '.join(SYSTEMS)}; default: all)")
    parser.add_argument("--python", nargs="+", default=list(DEFAULT_PYTHONS), metavar="X.Y",
                        help=f"the learners' Python versions ({', '.join(PYTHONS)}; default: 3.11)")
    parser.add_argument("--cache", type=Path, help="keep downloaded wheels here, to build the next kit offline")
    parser.add_argument("--execute", action="store_true", help="run the instructor notebooks so they show outputs")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        sizes = build_kit(args.out, args.systems, args.python, args.cache, args.execute)
    except KitError as error:
        print(f"Could not build the kit: {str(error).rstrip('.')}.", file=sys.stderr)
        return 1
    for name, size in sizes.items():
        print(f"wheels/{name}: {megabytes(size)}")
    print(f"kit: {args.out} ({megabytes(folder_size(args.out))}) in {time.perf_counter() - started:.0f} s; "
          f"install steps in {args.out / 'INSTALL.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
