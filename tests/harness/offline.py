"""The offline guard: every network connection that does not stay on this machine is refused.

`install` runs in the test process and in every notebook kernel (an IPython startup file loads this file by
its path and calls `install`; see `startup_file`), so no test and no notebook reaches the internet.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the kernels load this file too, and they need not have pytest
    import pytest

STARTUP = "import runpy\nrunpy.run_path({path!r})[\"install\"]()\n"  # loads this file by its path


def stays_here(address: Any) -> bool:
    """Whether a socket address is on this machine (a loopback address, "localhost" or a Unix socket path)."""
    if not isinstance(address, tuple):
        return True
    try:
        return ipaddress.ip_address(address[0]).is_loopback
    except ValueError:
        return address[0] == "localhost"


def guarded(method: Callable) -> Callable:
    """`method` (socket.connect or connect_ex), refusing an internet address with an OSError that says why."""
    if getattr(method, "course_offline", False):
        return method  # installed twice (a kernel that loads the startup file and this module): guard once

    def connect(self: socket.socket, address: Any, *args: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not stays_here(address):
            raise OSError(f"network access is blocked in the course's tests (tried to reach {address!r})")
        return method(self, address, *args)

    connect.course_offline = True
    return connect


def install() -> None:
    """Guard this process's sockets."""
    socket.socket.connect = guarded(socket.socket.connect)
    socket.socket.connect_ex = guarded(socket.socket.connect_ex)


def startup_file(ipython_dir: Path) -> Path:
    """Write the IPython startup file that installs the guard in every kernel started with `ipython_dir`.

    The file loads this module by its path (no sys.path change: a kernel's `helpers` must stay whichever copy
    it would import, as the Colab test requires)."""
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    path = startup / "00-offline.py"
    path.write_text(STARTUP.format(path=str(Path(__file__).resolve())), encoding="utf-8")
    return path


def pytest_configure(config: pytest.Config) -> None:
    """Guard the test process; in the controlling process, give the kernels a temporary IPython folder with the
    guard's startup file (xdist's workers and every kernel inherit IPYTHONDIR; ~/.ipython stays clean)."""
    install()
    if hasattr(config, "workerinput"):
        return
    folder = Path(tempfile.mkdtemp(prefix="course-ipython-"))
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    startup_file(folder)
    os.environ["IPYTHONDIR"] = str(folder)
