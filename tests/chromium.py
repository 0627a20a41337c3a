"""What the browser tests share: Debian's Chromium driven by Playwright, and local servers for it to open.

`tests/test_browser.py` (the notebooks in JupyterLab and Voila) and `tests/test_site.py` (the website) both use
it. Playwright's own browser download is not used (it needs the network): the tests drive /usr/bin/chromium.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]

try:
    from playwright.sync_api import Browser, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


def skip_reason() -> str | None:
    """Why the browser tests cannot run here (a missing package or browser, with the fix), or None if they can."""
    if sync_playwright is None:
        return "the playwright package is not installed: python -m pip install -r tests/requirements.txt"
    if not CHROMIUM.exists():
        return "no Chromium at /usr/bin/chromium: apt-get install -y chromium chromium-driver (.ci/run does this)"
    return None


@contextmanager
def launched() -> Iterator[Browser]:
    """A headless Chromium, closed afterwards."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until `url` answers; raise with the server's last output if it exits or stays silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}: {process.stdout.read()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer at {url} within {seconds} s")


def start(command: list[str], url: str, env: dict[str, str] | None, cwd: Path) -> subprocess.Popen:
    """Start a server and return it once `url` answers (it is killed if it never does)."""
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_http(url, process)
    except Exception:
        process.kill()
        raise
    return process
