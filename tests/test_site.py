"""The course's website as a reader meets it: built from the committed notebooks, served on 127.0.0.1 and read
in a real (headless) Chromium with every request that leaves the machine refused.

Every page: no console error and no failed request, every image loaded and described by its alt text, every
formula typeset, and no serious or critical accessibility violation found by axe-core (the engine's single
file comes with the pinned `axe-playwright-python` package). Search finds a term of notebook 05 and links to
its page; each notebook's page has Binder and Colab buttons opening the release tag; no link between the site's
own files is broken (read from the HTML files). Screenshots of two pages are saved; their folder is printed.

The tests that build the site are marked `browser`, like tests/test_browser.py, and need the site tools and
Chromium (`python -m pip install -r tests/requirements.txt`); without them they are skipped with the reason
shown. Three quick tests check, from the notebooks alone, that every figure has a description for its alt text
and that links are pointed where they work on the site.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from helpers.authoring import notebooks
from helpers.authoring import site as course_site
from tests.chromium import free_port, launched, skip_reason, start
from tests.paths import ROOT

browser_test = pytest.mark.browser  # every test that builds the site; the first three only read the notebooks
SITE_TOOLS = (*course_site.SITE_TOOLS, "axe_playwright_python")
SEARCH_TERM = "backpropagation"  # notebook 05 derives it
SEARCH_PAGE = "05_multi_layer.html"
SCREENSHOTS = ("index.html", SEARCH_PAGE)
BLOCKING = ("serious", "critical")  # axe-core's two highest impacts
TYPESET = """() => new Promise(done => {
    if (!window.MathJax || !window.MathJax.Hub) { done(); return; }
    window.MathJax.Hub.Queue(() => done());
})"""
PAGE_FACTS = """() => ({
    images: [...document.images].map(img => ({src: img.getAttribute('src'), alt: (img.getAttribute('alt') || '').trim(),
                                           loaded: img.complete && img.naturalWidth > 0})),
    untypeset: [...document.querySelectorAll('.math.notranslate')]  // Sphinx's math; MathJax adds its output inside
        .filter(math => !math.querySelector('.MathJax_CHTML, .MathJax, .MathJax_Display'))
        .map(math => math.textContent.slice(0, 60)),
})"""


class Links(HTMLParser):
    """The ids a page defines and the href/src values it uses."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.targets.append(value)


def read_links(page: Path) -> Links:
    """The ids and link targets of one HTML file."""
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def broken_links(site: Path) -> list[str]:
    """Every href/src between the site's own files whose file is missing or whose #anchor its page lacks."""
    pages = {page: read_links(page) for page in site.rglob("*.html")}
    broken = []
    for page, links in pages.items():
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("mailto:", "javascript:")):
                continue  # another site's address: checked by no test, the course works offline
            file = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if file.is_dir():
                file = file / "index.html"
            where = f"{page.relative_to(site)}: {target}"
            if not file.exists():
                broken.append(f"{where} (no file {file.relative_to(site) if site in file.parents else file})")
            elif parts.fragment and file.suffix == ".html":
                ids = pages[file].ids if file in pages else read_links(file).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where} (no #{parts.fragment} in {file.name})")
    return broken


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site, built once for this module by the README's command into a temporary folder."""
    reason = skip_reason()
    missing = [tool for tool in SITE_TOOLS if importlib.util.find_spec(tool) is None]
    if missing:
        reason = (f"the site tools {', '.join(missing)} are not installed: "
                  "python -m pip install -r tests/requirements.txt")
    if reason:
        pytest.skip(reason)
    output = tmp_path_factory.mktemp("site") / "html"
    start_time = time.perf_counter()
    subprocess.run([sys.executable, "-m", "helpers.authoring.site", str(output)], cwd=ROOT, check=True)
    (output.parent / "build-seconds.txt").write_text(f"{time.perf_counter() - start_time:.1f}")
    return output


@pytest.fixture(scope="module")
def server(site):
    """The site served over HTTP on 127.0.0.1, as a web host would serve it; yields its address."""
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    process = start(command, f"http://127.0.0.1:{port}/index.html", None, site)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(site):
    """Chromium (after the site, so a missing tool skips before the browser starts)."""
    with launched() as chromium:
        yield chromium


def _page_names(site: Path) -> list[str]:
    """The site's pages (its top-level HTML files), by file name."""
    return sorted(str(page.relative_to(site)) for page in site.glob("*.html"))


def _open(browser, url: str, base: str, problems: list[str]):
    """A page at `url` whose console errors, failed requests and requests off this machine go to `problems`."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})

    def refuse_outside(route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            problems.append(f"reached for the network: {route.request.url}")
            route.abort()

    page.route("**/*", refuse_outside)
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", lambda response: response.status >= 400 and problems.append(
        f"HTTP {response.status}: {response.url}"))
    page.goto(url, wait_until="networkidle")
    page.evaluate(TYPESET)
    return page


def _axe(page) -> list[dict]:
    """axe-core's violations on the page, injected from the file the axe-playwright-python package ships."""
    import axe_playwright_python

    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).with_name("axe.min.js")))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def test_every_figure_gets_its_description_as_alt_text_in_plain_words():
    for path in notebooks.notebook_paths():
        page = course_site.site_notebook(path)
        figures = [cell for cell in page.cells if cell.cell_type == "code" and any(
            "image/png" in output.get("data", {}) for output in cell.outputs)]
        alts = [cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "") for cell in figures]
        assert figures and all(alts), f"{path.name}: a figure without alt text"
        assert not [alt for alt in alts if set(alt) & set("$*`\\")], f"{path.name}: markup left in alt text"
    first = course_site.site_notebook(notebooks.notebook_paths()[0])
    assert "three inputs x₁, x₂, x₃ flow along arrows labelled with weights w₁, w₂, w₃" in first.cells[4].metadata[
        "mystnb"]["image"]["alt"]


def test_a_figure_without_a_description_stops_the_build_naming_its_cell(tmp_path):
    figure = nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})])
    cells = [nbformat.v4.new_markdown_cell("# 99 · Test"), nbformat.v4.new_code_cell("# Setup:"), figure,
             nbformat.v4.new_markdown_cell("**Takeaway:** no description above this line.")]
    path = tmp_path / "99_test.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    with pytest.raises(ValueError, match=r"99_test.ipynb: the figure drawn by cell 3 has no description"):
        course_site.site_notebook(path)


def test_links_to_pages_stay_on_the_site_and_other_files_open_at_the_release():
    at_release = f"https://github.com/{notebooks.REPOSITORY}/blob/{notebooks.TAG}"
    text = "[a](../CHANGELOG.md) [b](02_loss_surfaces.ipynb#top) [c](../data/README.md) [d](https://x.org/y) [e](#f)"
    assert course_site.site_links(text, notebooks.NOTEBOOK_DIR) == (
        f"[a]({at_release}/CHANGELOG.md) [b](02_loss_surfaces.ipynb#top) [c](data.md) [d](https://x.org/y) [e](#f)")


@browser_test
def test_no_broken_link_between_the_sites_files(site, record_property):
    build_seconds = (site.parent / "build-seconds.txt").read_text()
    record_property("browser", f"site: built in {build_seconds} s (python -m helpers.authoring.site)")
    pages = _page_names(site)
    assert "index.html" in pages and "instructor-guide.html" in pages and "data.html" in pages, pages
    assert all(f"{path.stem}.html" in pages for path in notebooks.notebook_paths()), pages
    broken = broken_links(site)
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:40])


@browser_test
def test_every_page_reads_well_in_chromium(site, server, browser, record_property, tmp_path_factory):
    shots = tmp_path_factory.mktemp("site-screenshots")
    record_property("browser", f"site screenshots: {shots}")
    print(f"site screenshots: {shots}")
    failures, minor = [], {}
    for name in _page_names(site):
        problems: list[str] = []
        page = _open(browser, f"{server}/{name}", server, problems)
        try:
            problems = list(problems)  # what the reader met; axe's own fetches of @import-ed stylesheets (made from
            # the wrong folder, an axe-core quirk: 404 for ../basic.css) come after and are not the reader's
            facts = page.evaluate(PAGE_FACTS)
            problems += [f"image not loaded: {image['src']}" for image in facts["images"] if not image["loaded"]]
            problems += [f"image without alt text: {image['src']}" for image in facts["images"] if not image["alt"]]
            problems += [f"formula not typeset: {math}" for math in facts["untypeset"]]
            for violation in _axe(page):
                if violation["impact"] in BLOCKING:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} at {targets}")
                else:
                    minor[violation["id"]] = minor.get(violation["id"], 0) + len(violation["nodes"])
            if name in SCREENSHOTS:
                page.screenshot(path=str(shots / name.replace(".html", ".png")), full_page=False)
        finally:
            page.close()
        failures += [f"{name}: {problem}" for problem in problems]
    record_property("browser", f"site: {len(_page_names(site))} pages read; axe's minor and moderate findings: "
                               f"{minor or 'none'}")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:60])


@browser_test
def test_search_finds_a_term_of_notebook_05_and_links_to_its_page(site, server, browser):
    problems: list[str] = []
    page = _open(browser, f"{server}/search.html?q={SEARCH_TERM}", server, problems)
    try:
        page.wait_for_selector("#search-results li a", timeout=20_000)
        hrefs = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert any(href.split("?")[0].split("#")[0].endswith(SEARCH_PAGE) for href in hrefs), hrefs
        with page.expect_navigation(wait_until="load"):
            page.locator(f"#search-results li a[href*='{SEARCH_PAGE}']").first.click()
        assert page.url.split("?")[0].split("#")[0].endswith(SEARCH_PAGE), page.url
        assert SEARCH_TERM in page.locator("article").inner_text().lower()
    finally:
        page.close()
    assert not problems, problems


@browser_test
def test_each_notebook_page_launches_its_release_on_binder_and_colab(site):
    for path in notebooks.notebook_paths():
        links = read_links(site / f"{path.stem}.html").targets
        binder = f"https://mybinder.org/v2/gh/{notebooks.REPOSITORY}/{notebooks.TAG}?urlpath=lab/tree/notebooks/{path.name}"
        colab = f"https://colab.research.google.com/github/{notebooks.REPOSITORY}/blob/{notebooks.TAG}/notebooks/{path.name}"
        assert binder in links, f"{path.stem}.html has no Binder button opening {notebooks.TAG}"
        assert colab in links, f"{path.stem}.html has no Colab button opening {notebooks.TAG}"
