"""The data the course ships and generates: seeded, documented numbers, and clear errors on broken files."""

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from helpers import data
from tests.paths import ROOT


def test_noisy_line_is_seeded_and_follows_3x_plus_8():
    x, y = data.noisy_line()
    x2, y2 = data.noisy_line()
    assert x.shape == y.shape == (50,)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(y, data.noisy_line(seed=1)[1])
    assert 0 <= x.min() and x.max() <= 1
    slope, intercept = np.polyfit(x, y, 1)
    assert slope == pytest.approx(3, abs=0.4) and intercept == pytest.approx(8, abs=0.3)
    residual_sd = np.std(y - (3 * x + 8))
    assert residual_sd == pytest.approx(0.3, abs=0.1)


def test_noisy_line_loss_numbers_from_the_brief():
    x, y = data.noisy_line()
    assert np.mean(y**2) == pytest.approx(90, abs=10)  # a = b = 0
    assert np.mean((x + 1 - y) ** 2) == pytest.approx(65, abs=8)  # a = b = 1
    diagonal = np.linspace(0, 12, 1201)
    losses = [np.mean((d * x + d - y) ** 2) for d in diagonal]
    assert diagonal[int(np.argmin(losses))] == pytest.approx(6, abs=0.8)


def test_quadratic_recovers_its_coefficients():
    x, y = data.quadratic()
    assert x.shape == (1000,)
    np.testing.assert_allclose(np.polyfit(x, y, 2), [10, 5, 12], atol=1e-9)
    assert abs(x.mean()) < 0.1 and x.std() == pytest.approx(1, abs=0.1)


def test_shipped_csv_is_exactly_what_the_generator_writes():
    shipped = (data.DATA_DIR / data.VENDING_FILE).read_text(encoding="utf-8")
    assert shipped == data.vending_csv_text(data.make_vending_machine())
    assert data.sha256(data.DATA_DIR / data.VENDING_FILE) == data.CHECKSUMS[data.VENDING_FILE]


def test_vending_data_has_the_worked_example_of_the_brief():
    vending = data.load_vending_machine()
    assert len(vending) == 50
    assert (vending.visitors[0], vending.bottles_sold[0]) == (105, 21)
    best_w = np.sum(vending.visitors * vending.bottles_sold) / np.sum(vending.visitors**2)
    assert best_w == pytest.approx(0.2, abs=0.01)
    one = np.mean((best_w * vending.visitors - vending.bottles_sold) ** 2)
    X = np.column_stack([vending.visitors, vending.temperature_c])
    w2, *_ = np.linalg.lstsq(X, vending.bottles_sold, rcond=None)
    two = np.mean((X @ w2 - vending.bottles_sold) ** 2)
    assert two < one / 3  # the second input really helps


def _broken_copy(tmp_path, edit):
    good = (data.DATA_DIR / data.VENDING_FILE).read_text(encoding="utf-8")
    path = tmp_path / data.VENDING_FILE
    path.write_text(edit(good), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda t: "", "expected the columns"),
        (lambda t: t.replace("bottles_sold", "bottles"), "expected the columns"),
        (lambda t: "\n".join(t.splitlines()[:30]) + "\n", "expected 50 days of data, found 29"),
        (lambda t: t.replace("105,20.0,21", "105,warm,21"), "'warm' is not a number"),
        (lambda t: t.replace("105,20.0,21", "105,nan,21"), "is not finite"),
        (lambda t: t.replace("105,20.0,21", "105,20.0"), "line 2 has 3 values"),
        (lambda t: t.replace("105,20.0,21", "105,20.0,22"), "checksum mismatch"),
    ],
)
def test_broken_vending_file_says_which_file_what_and_how_to_restore(tmp_path, edit, words):
    path = _broken_copy(tmp_path, edit)
    with pytest.raises(data.DataFileError, match=words) as caught:
        data.load_vending_machine(path)
    message = str(caught.value)
    assert message.startswith("vending_machine.csv") and "git checkout -- data/vending_machine.csv" in message


def test_edited_copy_loads_when_checksum_is_not_asked_for(tmp_path):
    path = _broken_copy(tmp_path, lambda t: t.replace("105,20.0,21", "105,20.0,22"))
    assert data.load_vending_machine(path, verify_checksum=False).bottles_sold[0] == 22


def test_a_crlf_copy_of_the_vending_data_loads_and_a_changed_one_still_fails(tmp_path):
    shipped = data.load_vending_machine()
    crlf = tmp_path / "crlf" / data.VENDING_FILE  # what Git for Windows checks out with core.autocrlf=true
    crlf.parent.mkdir()
    crlf.write_bytes((data.DATA_DIR / data.VENDING_FILE).read_bytes().replace(b"\n", b"\r\n"))
    loaded = data.load_vending_machine(crlf)
    np.testing.assert_array_equal(loaded.bottles_sold, shipped.bottles_sold)
    np.testing.assert_array_equal(loaded.temperature_c, shipped.temperature_c)
    changed = tmp_path / data.VENDING_FILE
    changed.write_bytes(crlf.read_bytes().replace(b"105,", b"106,", 1))
    with pytest.raises(data.DataFileError, match="checksum mismatch"):
        data.load_vending_machine(changed)


def test_a_clone_with_autocrlf_keeps_the_data_byte_exact_and_loads_it(tmp_path):
    root = data.DATA_DIR.parent
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("needs git and the course as a git checkout")
    clone = tmp_path / "windows-like"
    subprocess.run(["git", "-c", "core.autocrlf=true", "clone", "-q", str(root), str(clone)], check=True)
    assert b"\r\n" in (clone / "README.md").read_bytes()  # the clone really converted text files to CRLF
    for name in (data.VENDING_FILE, data.DIGITS_FILE):
        assert data.sha256(clone / "data" / name) == data.CHECKSUMS[name], f"{name} changed on checkout"
    assert len(data.load_vending_machine(clone / "data" / data.VENDING_FILE)) == data.VENDING_DAYS
    images, labels = data.load_digits(clone / "data" / data.DIGITS_FILE)
    assert images.shape == (data.DIGITS_COUNT, 8, 8) and labels.shape == (data.DIGITS_COUNT,)


WHEEL_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "helpers", "data")  # what the build reads
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-cache-dir"]
# Run from a folder outside the repository, with the installed copy (argv[1]) first on the path and this
# machine's editable install of the course (and the repository, argv[2]) hidden, as on a learner's machine.
INSTALLED_PROBE = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
sys.path[:] = [sys.argv[1]] + [p for p in sys.path if not p.startswith(sys.argv[2])]
from helpers import data
vending, (images, labels) = data.load_vending_machine(), data.load_digits()
print(data.__file__, data.DATA_DIR, len(vending), len(labels), sep="\\n")
"""


def test_a_wheel_carries_the_data_and_an_installed_copy_outside_the_repository_loads_it(tmp_path):
    assert data.data_dir() == ROOT / "data"  # this checkout (editable or on sys.path) reads its own data/
    source = tmp_path / "source"  # setuptools writes build/ and *.egg-info beside what it builds: use a copy
    source.mkdir()
    for part in WHEEL_SOURCES:
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, source / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / part, source / part)
    build = [*PIP, "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp_path / "dist")]
    subprocess.run([*build, str(source)], check=True)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    for name in (data.VENDING_FILE, data.DIGITS_FILE, "README.md"):  # the README carries the digits' licence
        assert f"helpers/course_data/{name}" in in_wheel, f"the wheel lacks data/{name}"
    modules = {module.relative_to(ROOT).as_posix() for module in (ROOT / "helpers").rglob("*.py")}
    assert modules - in_wheel == set(), "the wheel lacks these modules: list their package in pyproject.toml"
    site = tmp_path / "site"
    subprocess.run([*PIP, "install", "-q", "--no-deps", "--no-index", "--target", str(site), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = [sys.executable, "-c", INSTALLED_PROBE, str(site), str(ROOT)]
    loaded = subprocess.run(probe, cwd=elsewhere, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    module, folder, days, digits = loaded.stdout.splitlines()
    assert Path(module) == (site / "helpers" / "data.py").resolve()
    assert Path(folder) == (site / "helpers" / "course_data").resolve()
    assert (int(days), int(digits)) == (data.VENDING_DAYS, data.DIGITS_COUNT)
    installed_csv = site / "helpers" / "course_data" / data.VENDING_FILE  # damaged: there is no git to restore it
    installed_csv.write_bytes(installed_csv.read_bytes().replace(b"105,", b"106,", 1))
    damaged = subprocess.run(probe, cwd=elsewhere, capture_output=True, text=True)
    assert "checksum mismatch" in damaged.stderr and "Reinstall the course" in damaged.stderr
    assert "git checkout" not in damaged.stderr


@pytest.mark.parametrize("name", [data.VENDING_FILE, data.DIGITS_FILE])
def test_an_unreadable_data_file_is_named_with_the_reason_not_a_bare_permission_error(name, tmp_path, monkeypatch):
    copy = tmp_path / name
    shutil.copy(data.DATA_DIR / name, copy)
    real_read_bytes = Path.read_bytes

    def refuse(self):  # what a file without read permission does (root, who runs CI here, may read anything)
        if self == copy:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    load = data.load_vending_machine if name == data.VENDING_FILE else data.load_digits
    with pytest.raises(data.DataFileError, match=rf"^{re.escape(name)}: it cannot be read \(Permission denied\)"):
        load(copy)
