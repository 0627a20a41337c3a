"""The wheels a learner's system needs, downloaded for it from this machine: the workshop kit's
(`helpers.authoring.kit`) download and check.

`pip download --platform` picks wheels for another system but evaluates the requirements' environment markers for
this one (a Windows kit would get Linux's CUDA libraries for torch and miss pywinpty), so pip runs here with its
marker environment set to the target's (`python -m helpers.authoring.wheels --pip-with-target-markers ...`, an
internal entry point), and afterwards every wheel's requirements, evaluated for the target, are checked against
the wheels in the folder (`unmet_requirements`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path
from urllib.parse import urlparse

from helpers.authoring.notebooks import ROOT

PIP_WITH_TARGET_MARKERS = "--pip-with-target-markers"  # an internal entry point: pip, markers set for the target


@dataclass(frozen=True)
class System:
    """A learner's system the kit carries wheels for."""

    folder: str  # wheels/<folder>
    title: str
    platforms: tuple[str, ...]  # pip's --platform tags
    markers: dict[str, str]  # the environment markers that differ between systems (PEP 508)
    requirements: Path  # the requirements file its wheels are downloaded from
    needs: str  # what the learner's machine must be, for INSTALL.md


# manylinux_2_28 (glibc 2.28: Debian 10, Ubuntu 20.04, RHEL 8 and newer) is what PyTorch's CPU wheel needs. pip
# expands a macOS tag to the older macOS versions itself, but not a manylinux_2_x tag, so the older ones are listed.
LINUX_PLATFORMS = (*(f"manylinux_2_{minor}_x86_64" for minor in range(28, 4, -1)),
                   "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")
SYSTEMS = {
    "linux": System("linux", "Linux (x86-64)", LINUX_PLATFORMS,
                    {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                     "platform_machine": "x86_64"},
                    ROOT / "binder" / "requirements.txt", "an x86-64 PC with glibc 2.28 or newer (Ubuntu 20.04+, "
                    "Debian 10+, Fedora 29+)"),
    "macos": System("macos", "macOS (Apple silicon)", ("macosx_14_0_arm64",),
                    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                     "platform_machine": "arm64"},
                    ROOT / "requirements.txt", "a Mac with Apple silicon (M1 or newer) and macOS 14 or newer"),
    "windows": System("windows", "Windows (x86-64)", ("win_amd64",),
                      {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                       "platform_machine": "AMD64"},
                      ROOT / "requirements.txt", "64-bit Windows 10 or 11 on an Intel or AMD processor"),
}


class KitError(Exception):
    """A kit that cannot be built, with a sentence saying why."""


class DownloadError(KitError):
    """pip could not download a system's wheels (no network, or a package index that lacks one)."""


def target_markers(system: System, python: str) -> dict[str, str]:
    """The PEP 508 marker environment of `system` running CPython `python` (as "3.11")."""
    return {**system.markers, "python_version": python, "python_full_version": f"{python}.0",
            "implementation_name": "cpython", "platform_python_implementation": "CPython"}


def pip_with_target_markers(markers: dict[str, str], pip_args: list[str]) -> int:
    """Run pip with its environment markers evaluated for another system (this process becomes that pip).

    pip has no option for it: `--platform` and `--python-version` choose the wheels' tags, but a requirement's
    marker (`pywinpty; os_name == "nt"`) is still evaluated for the machine pip runs on.
    """
    from pip._internal.cli.main import main as pip_main
    from pip._vendor.packaging import markers as pip_markers

    this_machine = pip_markers.default_environment
    pip_markers.default_environment = lambda: {**this_machine(), **markers}
    return pip_main(pip_args)


def index_urls(requirements: Path) -> list[str]:
    """The package indexes a requirements file adds (`--extra-index-url URL` lines)."""
    urls = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        option, _, value = line.strip().partition(" ")
        if option in ("--extra-index-url", "--index-url", "-i"):
            urls.append(value.strip())
    return urls


def reachable(url: str, timeout: float = 10.0) -> bool:
    """Whether a connection to `url`'s host can be opened: an index that cannot be reached makes pip wait
    minutes (three minutes per try here) before it gives up on it."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return True
    try:
        socket.create_connection((parsed.hostname, parsed.port or 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def download_requirements(requirements: Path, target: Path) -> list[str]:
    """Write `requirements` to `target` without its editable install (`-e .`, the course itself, which the kit
    carries as a wheel) and without an index that cannot be reached; return the indexes left out."""
    left_out = [url for url in index_urls(requirements) if not reachable(url)]
    kept = [line for line in requirements.read_text(encoding="utf-8").splitlines()
            if not line.strip().startswith("-e") and not any(url in line for url in left_out)]
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return left_out


def cache_key(system: System, python: str) -> str:
    """What a cached wheel folder depends on: the requirements it was downloaded from, the platforms, Python."""
    digest = hashlib.sha256(system.requirements.read_bytes())
    digest.update(json.dumps([system.platforms, python]).encode())
    return digest.hexdigest()[:12]


def download(system: System, python: str, target: Path) -> None:
    """Download into `target` (a new folder) the wheels of `system`'s requirements for CPython `python`.
    Raises `DownloadError` with pip's complaint if pip fails."""
    target.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="kit-") as scratch:
        requirements = Path(scratch) / "requirements.txt"
        for url in download_requirements(system.requirements, requirements):
            print(f"  {url} cannot be reached: {system.title}'s wheels come from PyPI and pip's find-links only")
        tag = python.replace(".", "")
        pip_args = ["download", "--quiet", "--disable-pip-version-check", "-r", str(requirements),
                    "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
                    "--abi", f"cp{tag}", "-d", str(target)]
        for platform in system.platforms:
            pip_args += ["--platform", platform]
        command = [sys.executable, "-m", "helpers.authoring.wheels", PIP_WITH_TARGET_MARKERS,
                   json.dumps(target_markers(system, python)), *pip_args]
        done = subprocess.run(command, capture_output=True, text=True, cwd=scratch)
    if done.returncode != 0:
        raise DownloadError(f"pip could not download {system.title}'s wheels for Python {python}: "
                            f"{pip_complaint(done.stderr or done.stdout)}")


def pip_complaint(output: str) -> str:
    """The line of pip's output that names what it could not find, else its first error line (the one that
    names a package: the later ones point to pip's documentation)."""
    errors = [line.removeprefix("ERROR: ") for line in output.splitlines() if line.startswith("ERROR")]
    missing = [line for line in errors if line.startswith("No matching distribution")]
    return (missing or errors or ["pip printed no error"])[0]


def cached_download(system: System, python: str, cache: Path) -> Path:
    """The folder of `system`'s wheels for `python` in `cache`, downloaded on first use (into a temporary folder
    that is renamed when complete, so an interrupted download is never taken for a finished one). Removes the
    folders of older requirements."""
    prefix = f"kit-{system.folder}-cp{python.replace('.', '')}-"
    folder = cache / (prefix + cache_key(system, python))
    if not folder.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f"{folder.name}.partial-", dir=cache))
        try:
            download(system, python, partial / "wheels")
            (partial / "wheels").rename(folder)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    for old in cache.glob(prefix + "*"):
        if old != folder and ".partial-" not in old.name:
            shutil.rmtree(old, ignore_errors=True)
    return folder


def link_or_copy(files: Iterable[Path], folder: Path) -> None:
    """Put `files` in `folder`: hard links where the file system allows (a cached wheel costs no space twice)."""
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        if not (folder / file.name).exists():
            try:
                os.link(file, folder / file.name)
            except OSError:
                shutil.copy2(file, folder / file.name)


def wheel_metadata(wheel: Path) -> dict[str, list[str]]:
    """The headers of a wheel's METADATA file (each a list: Requires-Dist repeats)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        headers = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    return {key: headers.get_all(key) for key in set(headers.keys())}


def fits_python(wheel: Path, python: str) -> bool:
    """Whether a wheel installs on CPython `python` (as "3.11"), by its file name's tags."""
    from packaging.utils import parse_wheel_filename

    version = int(python.replace(".", ""))
    for tag in parse_wheel_filename(wheel.name)[3]:
        if tag.interpreter.startswith("py"):
            return True
        if tag.interpreter.startswith("cp"):
            built_for = int(tag.interpreter[2:])
            if built_for == version or (tag.abi == "abi3" and built_for <= version):
                return True
    return False


def unmet_requirements(folder: Path, system: System, python: str, wanted: Iterable[str]) -> list[str]:
    """Every requirement that no wheel in `folder` satisfies when `wanted` (requirement strings) is installed on
    `system` with CPython `python`, following each wheel's own requirements, their markers evaluated for that
    system. Empty for a folder `pip install --no-index --find-links` can install from there."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    environment = {**default_environment(), **target_markers(system, python)}
    available = {}
    for wheel in folder.glob("*.whl"):
        if fits_python(wheel, python):
            metadata = wheel_metadata(wheel)
            available[canonicalize_name(metadata["Name"][0])] = (metadata["Version"][0],
                                                                 metadata.get("Requires-Dist") or [])
    unmet, seen = [], set()
    queue = [(Requirement(text), "requirements.txt") for text in wanted]
    while queue:
        requirement, needed_by = queue.pop()
        extras = requirement.extras or {""}
        if requirement.marker and not any(requirement.marker.evaluate({**environment, "extra": extra})
                                          for extra in ({""} | extras)):
            continue
        name = canonicalize_name(requirement.name)
        if name not in available or not requirement.specifier.contains(available[name][0], prereleases=True):
            unmet.append(f"{requirement} (needed by {needed_by})")
            continue
        for extra in extras:
            if (name, extra) in seen:
                continue
            seen.add((name, extra))
            for text in available[name][1]:
                dependency = Requirement(text)
                if dependency.marker is None or dependency.marker.evaluate({**environment, "extra": extra}):
                    dependency.marker = None
                    queue.append((dependency, name))
    return sorted(set(unmet))


if __name__ == "__main__":
    if sys.argv[1:2] == [PIP_WITH_TARGET_MARKERS]:
        sys.exit(pip_with_target_markers(json.loads(sys.argv[2]), sys.argv[3:]))
    sys.exit(f"usage: python -m helpers.authoring.wheels {PIP_WITH_TARGET_MARKERS} MARKERS_JSON PIP_ARGS...")
