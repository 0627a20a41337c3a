"""The course as a learner meets it: every notebook run in JupyterLab in a real (headless) Chromium.

The browser window is a laptop's, 1280×800, with JupyterLab's file browser open, so the notebook is narrower
than most live figures. For each notebook: open it, run all cells, wait for the kernel, and check that no cell
shows an error or a warning, that every live figure's widget rendered (so the widget front end matches the
kernel), that it is drawn with its image's proportions and its smallest text still legible, and that moving
its slider with the keyboard changes the figure's pixels. One notebook is also opened in Voila, the code-free
dashboard view instructors project. Screenshots before and after each move are saved in a temporary folder,
printed at the end of the run.

Needs Debian's Chromium at /usr/bin/chromium and the `playwright` package; without them the tests are
skipped with the reason shown. `python -m pytest -m "not browser"` skips them on purpose.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.authoring import notebooks
from tests.chromium import free_port, launched, skip_reason, start

TOKEN = "course-browser-test"
EXPLORER = re.compile(r"widgets\.\w+_explorer\(")
LAPTOP = {"width": 1280, "height": 800}  # a common laptop screen; the squashed figures were seen on it
ASPECT_TOLERANCE = 0.02  # drawn width/height against the PNG's, relative
LEGIBLE_PX = 9  # the smallest text a figure may show, in CSS pixels, when it is shrunk to fit its output area
# A last cell added to the served copies: the kernel's live figures, in the order they were made, with their
# PNG's size and the height of their smallest text in its pixels (the browser knows neither font sizes nor dpi).
PROBE_LABEL = "live figures (png width, png height, smallest text px):"
PROBE = ("from helpers.live import LiveFigure\n"
         "made = sorted(LiveFigure.instances, key=lambda live: live.created)\n"
         f"print({PROBE_LABEL!r}, [[*live.fig.canvas.get_width_height(), live.smallest_text_px()] for live in made])")
pytestmark = pytest.mark.browser

def _isolated_env(home: Path) -> dict[str, str]:
    """Environment that keeps Jupyter, IPython and matplotlib out of the user's home folder."""
    settings = home / "lab-settings"
    news = settings / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True, exist_ok=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = dict(os.environ)
    env.update({
        "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"), "JUPYTER_RUNTIME_DIR": str(home / "rt"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"), "MPLCONFIGDIR": str(home / "matplotlib"),
    })
    return env


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    home = tmp_path_factory.mktemp("browser-home")
    served = home / "notebooks"  # a copy, so JupyterLab's autosave never touches the repository
    shutil.copytree(notebooks.NOTEBOOK_DIR, served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for copy in served.glob("*.ipynb"):
        notebook = nbformat.read(copy, as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
        nbformat.write(notebook, copy)
    shots = tmp_path_factory.mktemp("browser-screenshots")
    return home, served, shots, _isolated_env(home)


@pytest.fixture(scope="module")
def browser(workspace):
    with launched() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def lab(workspace):
    home, served, _, env = workspace
    port = free_port()
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}",
               f"--ServerApp.root_dir={served}", "--ServerApp.allow_root=True", "--LabApp.news_url=None",
               "--LabApp.expose_app_in_browser=True"]  # window.jupyterapp, to run JupyterLab's commands
    process = start(command, f"http://127.0.0.1:{port}/api/status?token={TOKEN}", env, home)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


def _expected_figures(path: Path) -> int:
    cells = nbformat.read(path, as_version=4).cells
    return sum(bool(EXPLORER.search(c.source)) for c in cells if c.cell_type == "code")


def _run_all(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_selector("text=| Idle", timeout=timeout_ms)  # the kernel, not just the page, is ready
    page.click("li.lm-MenuBar-item >> text=Run")
    page.click("li.lm-Menu-item >> text=Run All Cells")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=timeout_ms,
    )
    page.wait_for_selector("text=| Idle", timeout=timeout_ms)


def _open_file_browser(page) -> float:
    """Show JupyterLab's file browser in the left sidebar, as a learner has it (a restored workspace may have
    it closed), and return its width in CSS pixels."""
    page.wait_for_function("() => window.jupyterapp !== undefined")
    page.evaluate("async () => { await window.jupyterapp.restored; "
                  "await window.jupyterapp.commands.execute('filebrowser:activate'); }")
    browser_panel = page.locator("#filebrowser")
    browser_panel.wait_for(state="visible")
    width = browser_panel.bounding_box()["width"]
    assert width > 150, f"the file browser is open but only {width:.0f} px wide"
    return width


def _probe(page) -> list[tuple[int, int, float]]:
    """The probe cell's report: (png width, png height, smallest text px) of each live figure, in order."""
    output = page.locator(".jp-OutputArea-output", has_text=PROBE_LABEL).last.inner_text()
    return [tuple(figure) for figure in json.loads(output.split(PROBE_LABEL, 1)[1])]


MEASURE = """img => {
    const drawn = img.getBoundingClientRect();
    const area = img.closest('.jp-OutputArea-output').getBoundingClientRect();
    return {natural: [img.naturalWidth, img.naturalHeight], drawn: [drawn.width, drawn.height], area: area.width};
}"""


def _check_proportions(box, label: str) -> tuple[list[int], list[float]]:
    """Check that the live figure in `box` is drawn within its output area with its PNG's aspect ratio;
    return its natural and drawn sizes in pixels."""
    image = box.locator("img.widget-image").first
    image.scroll_into_view_if_needed()
    sizes = image.evaluate(MEASURE)
    (width, height), (drawn_width, drawn_height) = sizes["natural"], sizes["drawn"]
    assert width > 0 and drawn_height > 0, f"{label}: the live image has no pixels"
    ratio = (drawn_width / drawn_height) / (width / height)
    assert abs(ratio - 1) <= ASPECT_TOLERANCE, (
        f"{label}: the {width}×{height} px figure is drawn {drawn_width:.0f}×{drawn_height:.0f} px, its proportions "
        f"changed by {ratio - 1:+.1%} (a fixed height while the width shrinks to fit squeezes it)")
    assert drawn_width <= sizes["area"] + 0.5, (
        f"{label}: drawn {drawn_width:.0f} px wide, wider than its {sizes['area']:.0f} px output area")
    return [width, height], [drawn_width, drawn_height]


WATCH = """img => {
    window.__keyAt = null; window.__shownAt = null;
    document.addEventListener('keydown', () => { window.__keyAt = performance.now(); }, {once: true, capture: true});
    new MutationObserver((changes, observer) => {
        observer.disconnect();
        img.decode().then(() => { window.__shownAt = performance.now(); });
    }).observe(img, {attributes: true, attributeFilter: ['src']});
}"""


def _press(page, image, key: str) -> float:
    image.evaluate(WATCH)
    page.keyboard.press(key)
    page.wait_for_function("() => window.__shownAt !== null", timeout=10_000)
    return page.evaluate("() => window.__shownAt - window.__keyAt")


def _move_and_compare(page, box, shots: Path, label: str, moves: int = 5) -> list[float]:
    """Press arrow keys on the figure's first slider; return the ms from each key press to the new picture
    decoded in the page (timed inside the browser); save screenshots before and after the first move."""
    image = box.locator("img.widget-image").first
    image.scroll_into_view_if_needed()
    before = image.screenshot(path=str(shots / f"{label}-before.png"))
    handle = box.locator(".noUi-handle").first
    handle.focus()
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    keys = ["ArrowLeft", "ArrowRight"] if at_max else ["ArrowRight", "ArrowLeft"]
    latencies = [_press(page, image, keys[0])]
    after = image.screenshot(path=str(shots / f"{label}-after.png"))
    assert after != before, f"{label}: the figure's pixels did not change after the key press"
    latencies += [_press(page, image, keys[move % 2]) for move in range(1, moves)]
    return latencies


def _describe(latencies: list[float]) -> str:
    return f"median {statistics.median(latencies):.0f} ms, max {max(latencies):.0f} ms over {len(latencies)} moves"


@pytest.mark.parametrize("path", notebooks.notebook_paths(), ids=lambda p: p.stem)
def test_notebook_runs_and_its_sliders_move_in_jupyterlab(path, browser, lab, workspace, record_property):
    _, _, shots, _ = workspace
    record_property("browser", f"screenshots: {shots}")
    page = browser.new_page(viewport=LAPTOP)
    try:
        page.goto(f"{lab}/lab/tree/{path.name}?reset&token={TOKEN}")
        sidebar = _open_file_browser(page)
        _run_all(page)
        errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, f"{path.name}: error or warning output: {errors.first.inner_text()[:500]}"
        assert page.locator("text=Error displaying widget").count() == 0
        figures = _expected_figures(path)
        boxes = page.locator(".jp-OutputArea-output:has(img.widget-image):has(.noUi-handle)")
        assert boxes.count() == figures, f"{path.name}: {boxes.count()} live figures rendered, expected {figures}"
        made = _probe(page)
        assert len(made) == figures, f"{path.name}: the kernel made {len(made)} live figures, expected {figures}"
        for index, (png_width, png_height, text_px) in enumerate(made):
            box, label = boxes.nth(index), f"{path.stem} figure {index + 1}"
            natural, drawn = _check_proportions(box, label)
            assert natural == [png_width, png_height], f"{label}: shown {natural}, made {[png_width, png_height]}"
            scale = drawn[0] / natural[0]
            record_property("browser", f"{label}: {natural[0]}×{natural[1]} px drawn {drawn[0]:.0f}×{drawn[1]:.0f} "
                                       f"(scale {scale:.2f}, file browser {sidebar:.0f} px wide); smallest text "
                                       f"{text_px:.1f} px, drawn {text_px * scale:.1f} px")
            assert text_px * scale >= LEGIBLE_PX, (
                f"{label}: its smallest text is drawn {text_px * scale:.1f} px high at {LAPTOP['width']}×"
                f"{LAPTOP['height']} with the file browser open (scale {scale:.2f}); {LEGIBLE_PX} px is the least")
            latencies = _move_and_compare(page, box, shots, f"{path.stem}-figure{index + 1}")
            summary = f"{path.stem} figure {index + 1}: key press to new pixels, {_describe(latencies)}"
            record_property("browser", summary)
    finally:
        page.close()


def test_voila_shows_the_first_notebook_without_code_and_its_sliders_move(browser, workspace, record_property):
    home, served, shots, env = workspace
    if shutil.which("voila", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("voila is not installed: python -m pip install -r tests/requirements.txt")
    port = free_port()
    command = [sys.executable, "-m", "voila", str(served / "01_the_neuron.ipynb"), "--no-browser",
               f"--port={port}", "--Voila.ip=127.0.0.1"]
    process = start(command, f"http://127.0.0.1:{port}/", env, home)
    page = browser.new_page(viewport=LAPTOP)
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("img.widget-image", timeout=120_000)
        code = page.locator(".cm-editor, .CodeMirror, .jp-InputArea-editor")
        assert code.count() == 0 and page.get_by_text("fit_explorer(").count() == 0, "Voila should hide the code"
        box = page.locator(".jp-OutputArea-output:has(img.widget-image):has(.noUi-handle)").first
        natural, drawn = _check_proportions(box, "voila 01 figure 1")
        record_property("browser", f"voila 01_the_neuron: {natural[0]}×{natural[1]} px drawn "
                                   f"{drawn[0]:.0f}×{drawn[1]:.0f}")
        latencies = _move_and_compare(page, box, shots, "voila-01")
        record_property("browser", f"voila 01_the_neuron: key press to new pixels, {_describe(latencies)}")
    finally:
        page.close()
        process.terminate()
        process.wait(timeout=20)
