"""The data the course ships and generates: seeded, documented numbers, and clear errors on broken files."""

import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
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
    assert message.startswith("vending_machine.csv: ") and message.endswith(data.restore_hint(data.VENDING_FILE))
    assert f"git -C {ROOT} checkout -- data/vending_machine.csv" in message  # this checkout is a git clone


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
    installed = _module_from(site / "helpers" / "data.py")  # the installed copy's loaders and restore advice
    _one_byte_changed(installed.INSTALLED_DATA_DIR / data.VENDING_FILE)  # both files damaged: no git to restore them
    (installed.INSTALLED_DATA_DIR / data.DIGITS_FILE).unlink()
    for load, problem in [(installed.load_vending_machine, "checksum mismatch"), (installed.load_digits, "missing")]:
        with pytest.raises(installed.DataFileError, match=problem) as caught:
            load()
    (command,) = re.findall(r"`([^`]+)`", str(caught.value))  # one reinstall restores every file of the course
    assert "git" not in command and str(wheel) in command and f"--target {site}" in command
    offline = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INDEX": "1"}  # the command as advised
    reinstall = subprocess.run(command, shell=True, cwd=elsewhere, capture_output=True, text=True, env=offline)
    assert reinstall.returncode == 0, reinstall.stderr
    assert len(installed.load_vending_machine()) == data.VENDING_DAYS  # both load again, checksums included
    assert len(installed.load_digits()[1]) == data.DIGITS_COUNT


def _module_from(path: Path):
    """The module in the file `path`, loaded under a name of its own, beside the repository's `helpers.data`."""
    spec = importlib.util.spec_from_file_location(f"copy_of_{path.stem}_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def _cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _one_byte_changed(path: Path) -> None:
    """One digit in the middle becomes another (the CSV still parses: only its checksum can tell)."""
    raw = bytearray(path.read_bytes())
    at = next(i for i in range(len(raw) // 2, len(raw)) if raw[i] in b"0123456789")
    raw[at] ^= 0x01  # 0 <-> 1, 2 <-> 3, ..., 8 <-> 9
    path.write_bytes(bytes(raw))


DAMAGES = {
    "truncated": _cut_short,
    "altered": _one_byte_changed,
    "missing": Path.unlink,
    "unreadable": lambda path: path.chmod(0),
}
NOBODY = {"user": 65534, "group": 65534}


@pytest.fixture(scope="module")
def clone():
    """A Colab-style clone of this repository (git clone --depth 1, as its set-up cell makes) with this working
    tree's `helpers.data`; that module, loaded from the clone so its hints name it; and how to run a command as
    the learner: as the tests' own user, or, when that is root (who reads any file), as nobody, who owns the
    clone then. None if root cannot become nobody (`unshare -r` maps root alone)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and the course as a git checkout")
    with tempfile.TemporaryDirectory() as home:  # not pytest's tmp_path: its parent is private to root
        course = Path(home) / "course"
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", ROOT.as_uri(), str(course)], check=True)
        shutil.copy(ROOT / "helpers" / "data.py", course / "helpers" / "data.py")
        learner = {}
        if getattr(os, "geteuid", lambda: 1)() == 0:
            try:
                for folder, _, files in os.walk(home):
                    for entry in [folder, *(os.path.join(folder, f) for f in files)]:
                        os.chown(entry, NOBODY["user"], NOBODY["group"])
                learner = NOBODY
            except OSError:
                learner = None
        yield course, _module_from(course / "helpers" / "data.py"), learner


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("name", [data.VENDING_FILE, data.DIGITS_FILE])
def test_every_damage_to_a_data_file_is_undone_by_exactly_the_command_its_error_advises(clone, name, damage,
                                                                                          monkeypatch):
    course, clone_data, learner = clone
    if damage == "unreadable" and (sys.platform == "win32" or learner is None):
        pytest.skip("needs a read permission bit to take away and an ordinary user to run the command as")
    learner = learner or {}
    real_read_bytes = Path.read_bytes

    def as_the_learner(self):  # what a file without read permission does to its owner (root would read it)
        if not self.stat().st_mode & stat.S_IRUSR:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", as_the_learner)
    load = clone_data.load_vending_machine if name == data.VENDING_FILE else clone_data.load_digits
    DAMAGES[damage](course / "data" / name)
    with pytest.raises(clone_data.DataFileError) as caught:
        load()
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    (command,) = re.findall(r"`([^`]+)`", message)
    assert str(course) in command  # an absolute path: it works from notebooks/, where the learner is
    run = subprocess.run(command, shell=True, cwd=course / "notebooks", capture_output=True, text=True,
                         env={**os.environ, "HOME": str(course.parent)}, **learner)
    assert run.returncode == 0, run.stderr
    load()  # checks the whole file and its checksum


@pytest.mark.parametrize(
    "recorded, source",
    [
        ({"url": "https://github.com/someone/course.git", "vcs_info": {"vcs": "git", "commit_id": "0a1b2c"}},
         "git+https://github.com/someone/course.git@0a1b2c"),
        ({"url": "file:///home/me/my%20course", "dir_info": {}}, '"/home/me/my course"'),
        (None, "deep-learning-basics==0.1.0"),  # from a package index: pip records no address
    ],
)
def test_an_installed_copy_is_installed_again_from_the_source_pip_recorded(tmp_path, monkeypatch, recorded, source):
    record = tmp_path / "deep_learning_basics-0.1.0.dist-info"
    record.mkdir()
    (record / "METADATA").write_text("Metadata-Version: 2.1\nName: deep-learning-basics\nVersion: 0.1.0\n")
    if recorded:
        (record / "direct_url.json").write_text(json.dumps(recorded))
    monkeypatch.setattr(data, "PACKAGE_DIR", tmp_path / "helpers")
    monkeypatch.setattr(data, "DATA_DIR", data.INSTALLED_DATA_DIR)
    command = data.restore_command(data.DIGITS_FILE)
    assert command == (f"{sys.executable} -m pip install --force-reinstall --no-deps {source} "
                       f"--upgrade --target {tmp_path}")  # tmp_path is no site-packages of this Python
