"""Data for the course: checked loaders for the shipped files, and the seeded generators of `helpers.synthetic`
(re-exported, so a notebook imports all its data from here).

Every generator takes a seed, so a learner and the tests see the same numbers on every run. A shipped file
that is missing, unreadable or changed raises `DataFileError`, naming the file and the one command that
restores it for the way this copy of the course was installed (`restore_command`).
Authors: `python -m helpers.data` writes `data/vending_machine.csv` again from its generator.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import site
import sys
import sysconfig
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

import numpy as np

from helpers.release import DISTRIBUTION, REPOSITORY, TAG
from helpers.synthetic import noisy_line, quadratic, ring, wave, wavy, xor  # noqa: F401  (re-exported)
from helpers.validate import positive_int

PACKAGE_DIR = Path(__file__).resolve().parent
INSTALLED_DATA_DIR = PACKAGE_DIR / "course_data"  # where pyproject.toml puts data/ in a wheel


def data_dir() -> Path:
    """The folder the loaders read: `data/` of the checkout, or else the copy installed inside the package.

    In a checkout (a clone put on sys.path, as on Colab, or the editable install of requirements.txt) the data
    lie in `data/` beside `helpers/`, where authors edit them and git restores them. A wheel cannot put a folder
    beside the package, so it carries `data/` inside it as `helpers/course_data`, which only an installed copy
    has. Its presence is what tells the two apart: `helpers/../data` of an installed copy would be a `data`
    folder of site-packages, which belongs to some other package.
    """
    return INSTALLED_DATA_DIR if INSTALLED_DATA_DIR.is_dir() else PACKAGE_DIR.parent / "data"


DATA_DIR = data_dir()

VENDING_FILE = "vending_machine.csv"
VENDING_COLUMNS = ("day", "visitors", "temperature_c", "bottles_sold")
VENDING_DAYS = 50
# sha256 of the data files as shipped (the CSV with LF line endings; the loader reads a CRLF copy as LF).
DIGITS_FILE = "digits.csv.gz"
DIGITS_COUNT = 1797
CHECKSUMS = {
    VENDING_FILE: "8b5f7eb80db4f2149e453db26f5c090590c603e7674aedf5179ab61f478bd3f3",
    DIGITS_FILE: "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22",
}




def restore_command(name: str) -> str | None:
    """The one command that puts the shipped file `name` back as it was, whatever happened to it (cut short,
    changed, deleted, made unreadable), for the way this copy of the course was installed; None if there is none.

    A git clone (a learner's, or the one the Colab set-up cell makes) gets the file from git, by absolute path
    so the command works from any folder, `notebooks/` included. An installed wheel is installed again from
    the same source into the same place. A copy without git (a downloaded zip) has no such command.
    """
    if DATA_DIR == INSTALLED_DATA_DIR:
        return _reinstall_command()
    root = DATA_DIR.parent
    if (root / ".git").exists():
        return f"git -C {_shell_word(root)} checkout -- data/{name}"
    return None


def _shell_word(path: Path | str) -> str:
    """A path as one word of a command line: bare when it can be (PowerShell runs a bare path but not a quoted
    one without `&`), in double quotes when it holds a space or another character a shell would split on."""
    text = str(path)
    return text if re.fullmatch(r"[\w.:/\\~+@=-]+", text) else f'"{text}"'


def _reinstall_command() -> str:
    """pip, run by this Python, installing the course again from where it came from, over the installed copy.

    The source is what pip recorded at install time (direct_url.json: a wheel file, a folder or a git address),
    or else the release on the package index. A copy installed with `--target` outside this Python's
    site-packages is installed again into that folder, not into the Python's own.
    """
    install_dir = PACKAGE_DIR.parent
    records = sorted(install_dir.glob(f"{DISTRIBUTION.replace('-', '_')}-*.dist-info"))
    distribution = metadata.PathDistribution(records[-1]) if records else None
    source = f"{DISTRIBUTION}=={distribution.version}" if distribution else DISTRIBUTION
    recorded = distribution and distribution.read_text("direct_url.json")
    if recorded:
        origin = json.loads(recorded)
        url = origin.get("url", "")
        if "vcs_info" in origin:
            vcs = origin["vcs_info"]
            source = f"{vcs.get('vcs', 'git')}+{url}" + (f"@{vcs['commit_id']}" if "commit_id" in vcs else "")
        elif url.startswith("file:"):
            source = url2pathname(unquote(urlparse(url).path))
        elif url:
            source = url
    command = f"{_shell_word(sys.executable)} -m pip install --force-reinstall --no-deps {_shell_word(source)}"
    own_sites = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    if install_dir not in own_sites | {Path(site.getusersitepackages()).resolve()}:
        command += f" --upgrade --target {_shell_word(install_dir)}"
    return command


def restore_hint(name: str) -> str:
    """The sentence that ends every data error: the command that restores `name` (see `restore_command`), to type
    in a terminal or in a notebook cell after a "!"; for a copy without git, where to download the file."""
    command = restore_command(name)
    if command is None:  # a checkout without git: its pyproject.toml names the release to download from
        return (f"Download it again from https://github.com/{REPOSITORY}/raw/{TAG}/data/{name} into {DATA_DIR}, or "
                f"clone the course with git (https://github.com/{REPOSITORY}) so that git can restore it.")
    return f"Restore it with `{command}` (in a terminal, or in a notebook cell with ! in front)."


class DataFileError(ValueError):
    """A shipped data file is missing, unreadable or not what the course expects.

    Its message is one sentence naming the file and the problem, then how to restore it; `file`, `problem` and
    `fix` keep the parts apart for `check_env`, which prints the fix on a line of its own.
    """

    def __init__(self, file: str, problem: str, fix: str) -> None:
        super().__init__(f"{file}: {problem}. {fix}")
        self.file, self.problem, self.fix = file, problem, fix

    def __reduce__(self) -> tuple:  # pickled (by a test worker, say) with its three parts, not the joined message
        return type(self), (self.file, self.problem, self.fix)


@dataclass(frozen=True)
class VendingData:
    """The museum vending machine: one row per day."""

    day: np.ndarray
    visitors: np.ndarray
    temperature_c: np.ndarray
    bottles_sold: np.ndarray

    def __len__(self) -> int:
        return len(self.day)


def make_vending_machine(seed: int = 7) -> VendingData:
    """Generate 50 days of a museum's vending machine: visitors, temperature (°C), bottles sold.

    Sales follow 0.12 bottles per visitor plus 0.45 per degree, with Gaussian noise (sd 2),
    rounded to whole bottles. Day 1 is fixed to the course's worked example: 105 visitors,
    21 bottles sold. A line through the origin on visitors alone then has its best weight near 0.2.
    """
    rng = np.random.default_rng(seed)
    visitors = rng.integers(40, 161, VENDING_DAYS)
    temperature = np.round(np.clip(rng.normal(22.0, 5.0, VENDING_DAYS), 8.0, 36.0), 1)
    sales = 0.12 * visitors + 0.45 * temperature + rng.normal(0.0, 2.0, VENDING_DAYS)
    bottles = np.clip(np.round(sales), 0, None).astype(int)
    visitors[0], temperature[0], bottles[0] = 105, 20.0, 21
    return VendingData(np.arange(1, VENDING_DAYS + 1), visitors, temperature, bottles)


def vending_csv_text(data: VendingData) -> str:
    """The CSV text of a vending data set, exactly as it is stored in `data/`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(VENDING_COLUMNS)
    for row in zip(data.day, data.visitors, data.temperature_c, data.bottles_sold, strict=True):
        writer.writerow([int(row[0]), int(row[1]), f"{row[2]:.1f}", int(row[3])])
    return out.getvalue()


def sha256(path: Path) -> str:
    """The sha256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _text_digest(raw: bytes) -> str:
    """The sha256 of a text file's bytes with CRLF line endings read as LF, so a Windows checkout still matches."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def _fail(path: Path, problem: str) -> DataFileError:
    return DataFileError(path.name, problem, restore_hint(path.name))


def _read_shipped(path: Path) -> bytes:
    """The file's bytes, or a `DataFileError` that says what stopped them being read (never a bare OSError)."""
    if not path.is_file():
        raise _fail(path, f"the file is missing (looked for {path})")
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _fail(path, f"it cannot be read ({reason}); check that you may read {path}") from None


def load_vending_machine(path: str | Path | None = None, verify_checksum: bool = True) -> VendingData:
    """Load the vending machine data, checking columns, types, size and (by default) checksum.

    Any problem raises `DataFileError` naming the file, what is wrong and how to restore it,
    so a learner never meets a bare parsing traceback.
    """
    path = Path(path) if path is not None else DATA_DIR / VENDING_FILE
    raw = _read_shipped(path)
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")  # any line ending
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise _fail(path, f"it cannot be read as CSV ({exc})") from None
    if not rows or tuple(c.strip() for c in rows[0]) != VENDING_COLUMNS:
        got = ", ".join(rows[0]) if rows else "an empty file"
        raise _fail(path, f"expected the columns {', '.join(VENDING_COLUMNS)}, found {got}")
    body = [r for r in rows[1:] if r]
    if len(body) != VENDING_DAYS:
        raise _fail(path, f"expected {VENDING_DAYS} days of data, found {len(body)} (is it truncated?)")
    columns: list[list[float]] = [[] for _ in VENDING_COLUMNS]
    for line_no, row in enumerate(body, start=2):
        if len(row) != len(VENDING_COLUMNS):
            raise _fail(path, f"line {line_no} has {len(row)} values, expected {len(VENDING_COLUMNS)}")
        for i, cell in enumerate(row):
            try:
                value = float(cell)
            except ValueError:
                raise _fail(path, f"line {line_no}, column {VENDING_COLUMNS[i]}: {cell!r} is not a number") from None
            if not np.isfinite(value):
                raise _fail(path, f"line {line_no}, column {VENDING_COLUMNS[i]}: {cell!r} is not finite")
            columns[i].append(value)
    if verify_checksum and path.name in CHECKSUMS and _text_digest(raw) != CHECKSUMS[path.name]:
        raise _fail(path, "its contents differ from the file shipped with the course (checksum mismatch)")
    day, visitors, temperature, bottles = (np.array(c) for c in columns)
    return VendingData(day.astype(int), visitors.astype(int), temperature, bottles.astype(int))


def split_indices(n: int, seed: int = 0, fractions: tuple[float, float] = (0.6, 0.2)) -> tuple[np.ndarray, ...]:
    """Shuffle 0..n-1 and cut it into (train, validation, test) index arrays; the test set gets the rest."""
    n = positive_int("n", n)
    train, val = fractions
    if train <= 0 or val <= 0 or train + val >= 1:
        raise ValueError(f"fractions (train, validation) must be positive and sum to less than 1, got {fractions}")
    order = np.random.default_rng(seed).permutation(n)
    cut1, cut2 = int(round(train * n)), int(round((train + val) * n))
    return order[:cut1], order[cut1:cut2], order[cut2:]


def load_digits(path: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The 8×8 handwritten digits (UCI optdigits test set, 1,797 images, CC BY 4.0; see data/README.md).

    Returns images of shape (1797, 8, 8) with pixel values 0 to 16 as floats, and labels 0 to 9 as ints.
    The file's checksum, size and value ranges are checked; any problem names the file and the fix.
    """
    path = Path(path) if path is not None else DATA_DIR / DIGITS_FILE
    raw = _read_shipped(path)
    if hashlib.sha256(raw).hexdigest() != CHECKSUMS[DIGITS_FILE]:
        raise _fail(path, "its contents differ from the file shipped with the course (checksum mismatch)")
    try:
        table = np.loadtxt(io.StringIO(gzip.decompress(raw).decode("ascii")), delimiter=",")
    except (OSError, ValueError, EOFError) as exc:
        raise _fail(path, f"it cannot be read as gzipped CSV ({exc})") from None
    if table.shape != (DIGITS_COUNT, 65):
        raise _fail(path, f"expected {DIGITS_COUNT} rows of 65 numbers, found shape {table.shape}")
    pixels, labels = table[:, :64], table[:, 64]
    if pixels.min() < 0 or pixels.max() > 16 or not set(np.unique(labels)) <= set(range(10)):
        raise _fail(path, "pixels must lie in 0..16 and labels in 0..9")
    return pixels.reshape(-1, 8, 8), labels.astype(int)


def write_vending_machine(path: str | Path | None = None) -> Path:
    """Write the generated vending machine CSV (used once to make `data/vending_machine.csv`)."""
    path = Path(path) if path is not None else DATA_DIR / VENDING_FILE
    path.write_text(vending_csv_text(make_vending_machine()), encoding="utf-8")
    return path


if __name__ == "__main__":
    written = write_vending_machine()
    print(f"wrote {written} (sha256 {sha256(written)})")
