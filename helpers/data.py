"""Data for the course: seeded generators for synthetic examples and checked loaders for shipped files.

Every generator takes a seed, so a learner and the tests see the same numbers on every run.
Run `python -m helpers.data` to write `data/vending_machine.csv` again from its generator.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from helpers.validate import positive_int, positive_number

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


def restore_hint(name: str) -> str:
    """How a learner gets a shipped file back: git in a checkout, a reinstall for an installed copy.

    Only the vending machine file has a generator (`python -m helpers.data`); the digits come back from git or pip.
    """
    if DATA_DIR == INSTALLED_DATA_DIR:
        return (
            "Reinstall the course to restore it: `python -m pip install --force-reinstall --no-deps` followed by "
            "the folder or git address you installed it from."
        )
    regenerate = " or write it again with `python -m helpers.data`" if name == VENDING_FILE else ""
    return f"Restore it with `git checkout -- data/{name}`{regenerate}."


class DataFileError(ValueError):
    """A shipped data file is missing or not what the course expects."""


def noisy_line(
    n: int = 50, a: float = 3.0, b: float = 8.0, noise: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Points around the line y = a*x + b, with x uniform on [0, 1] and Gaussian noise.

    The course's first fitting problem: 50 points around y = 3x + 8 (noise sd 0.3).
    """
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, n)
    y = a * x + b + rng.normal(0.0, noise, n)
    return x, y


def quadratic(
    n: int = 1000,
    coefficients: tuple[float, float, float] = (10.0, 5.0, 12.0),
    noise: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs x from N(0, 1) and targets y = a*x**2 + b*x + c (plus optional Gaussian noise).

    The one-neuron quadratic of the course: true (a, b, c) = (10, 5, 12), 1000 inputs.
    """
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    if len(coefficients) != 3:
        raise ValueError(f"coefficients must be three numbers (a, b, c), got {len(coefficients)}")
    a, b, c = coefficients
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, n)
    y = a * x**2 + b * x + c + rng.normal(0.0, noise, n)
    return x, y


def ring(n: int = 400, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two classes no straight line can separate: class 0 in a disc, class 1 in a ring around it.

    Returns points X of shape (n, 2) and labels y of shape (n,) with values 0.0 and 1.0, half of each.
    """
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    radius = np.where(labels == 0, rng.uniform(0.0, 0.5, n), rng.uniform(1.0, 1.5, n))
    angle = rng.uniform(0.0, 2 * np.pi, n)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]) + rng.normal(0.0, noise, (n, 2))
    return points, labels.astype(float)


def xor(n: int = 200, noise: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The XOR problem: four clouds at (±1, ±1); class 1 where the two coordinates differ in sign.

    Returns points X of shape (n, 2) and labels y of shape (n,) with values 0.0 and 1.0.
    """
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    corners = np.array([[1, -1], [-1, 1], [1, 1], [-1, -1]], dtype=float)  # the first two are class 1
    which = np.arange(n) % 4
    points = corners[which] + rng.normal(0.0, noise, (n, 2))
    return points, (which < 2).astype(float)


def wave(x: np.ndarray) -> np.ndarray:
    """The curve behind `wavy`: one period of a sine wave on [0, 1]."""
    return np.sin(2 * np.pi * np.asarray(x))


def wavy(n: int = 300, noise: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points around one period of a sine wave, x uniform on [0, 1]: the overfitting notebook's data."""
    n = positive_int("n", n)
    noise = positive_number("noise", noise, allow_zero=True)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, n)
    return x, wave(x) + rng.normal(0.0, noise, n)


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
    return DataFileError(f"{path.name}: {problem}. " + restore_hint(path.name))


def _read_shipped(path: Path) -> bytes:
    """The file's bytes, or a `DataFileError` that says what stopped them being read (never a bare OSError)."""
    if not path.is_file():
        raise _fail(path, f"the file is missing (looked for {path.name} in the course's data folder)")
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
