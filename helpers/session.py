"""Keeping a learner's kernel usable through the accidents of a session.

- `keep_kernel_usable`: what every notebook's setup cell (its first code cell) calls. From then on, in that
  kernel, a stop pressed during an import waits for the import to finish, and a `NameError` says to run the cells
  above first. On Colab it also writes an IPython startup file, so a kernel restarted in the same runtime does both
  from its first cell on.
- `load_torch_compiler`: PyTorch imports its compiler stack (torch._dynamo, and sympy with it, about a second)
  the first time an optimizer is made. A stop pressed during that import leaves sympy half-imported, and every
  later optimizer fails until the kernel is restarted. The notebooks that train with `torch.optim` call this in
  their import cell, so that import is finished, with a stop held back until it is, before any lesson cell runs
  (also in a kernel restarted and started from the import cell, where the setup cell did not run).
- `explain_missing_names`: a kernel that was restarted and then asked to run a cell from the middle of a
  notebook answers with a bare `NameError`. This adds one sentence saying to run the cells above first. Nothing
  of the course runs in a restarted kernel before that cell, so IPython must load it when the kernel starts:
  on your own computer, `python -m helpers.session` adds one line to this Python environment's IPython kernel
  config (`<sys.prefix>/etc/ipython/ipython_kernel_config.py`) that loads this module as an IPython extension;
  on Colab the setup cell's startup file does it.
- `hold_stops_during_imports`: loaded the same ways, it makes a stop pressed during any import (a notebook's
  import cell, 2-3 s) wait until that import is complete, instead of leaving a package half-imported.
"""

from __future__ import annotations

import builtins
import importlib
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TORCH_COMPILER = "torch._dynamo"  # what torch.optim's first optimizer imports (torch/_compile.py)
RUN_ABOVE_FIRST = ("If a cell above defines it, run the cells above first: Run > Run All Above Selected Cell "
                   "(on Colab: Runtime > Run before)")
# IPython reads this from a kernel config file before the first cell: kernels started after a restart run it too.
COLAB_STARTUP_NAME = "50-deep-learning-basics.py"  # startup files run in name order; the number leaves room
KERNEL_CONFIG = ('# helpers/session.py: a NameError says to run the cells above first; a stop waits for an import\n'
                 'c.InteractiveShellApp.extensions.append("helpers.session")\n')


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Run a block that a stop (Ctrl-C, the stop button) must not cut in half: a stop that arrives during it
    takes effect when it ends, as the usual `KeyboardInterrupt`.

    Jupyter stops a cell with SIGINT on Linux and macOS and with `_thread.interrupt_main` on Windows; both call
    the main thread's SIGINT handler, which is replaced here for the block. Outside the main thread no handler
    can be set, and the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stops: list[Any] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: stops.append(frame))
    try:
        yield
    finally:  # None: a handler set outside Python, which cannot be put back; Python's own is the nearest
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
    if stops and callable(previous):
        previous(signal.SIGINT, stops[0])  # the kernel's own handler: it raises KeyboardInterrupt
    elif stops and previous != signal.SIG_IGN:  # Python's default action, or a handler set outside Python
        raise KeyboardInterrupt


def load_torch_compiler() -> None:
    """Import the part of PyTorch that its first optimizer imports (about a second), with a stop held back until
    the import is complete, so that stopping a training cell later never leaves PyTorch half-imported."""
    with interrupts_held():
        importlib.import_module(TORCH_COMPILER)


def name_error_hint(shell: Any, kind: type, error: BaseException, traceback: Any, tb_offset: int | None = None) -> None:
    """IPython's handler for a `NameError`: the usual traceback, its message followed by `RUN_ABOVE_FIRST` (in the
    message itself, so every front end shows it where it shows the error)."""
    if RUN_ABOVE_FIRST not in str(error):
        error.args = (f"{error}. {RUN_ABOVE_FIRST}",)
    shell.showtraceback((kind, error, traceback), tb_offset=tb_offset)


def explain_missing_names(shell: Any = None) -> None:
    """Make every `NameError` in this IPython kernel (or `shell`) end with the sentence `RUN_ABOVE_FIRST`; the
    error itself is shown as before. Does nothing outside IPython."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NameError,), name_error_hint)


def is_imported(name: str, fromlist: Any) -> bool:
    """Whether `import name` (`from name import *fromlist`) has nothing left to import: the module is complete and
    has every name asked for. Such an import needs no holding, which keeps it as fast as it was."""
    module = sys.modules.get(name)
    if module is None or getattr(getattr(module, "__spec__", None), "_initializing", False):
        return False
    return all(hasattr(module, item) for item in fromlist or ())


def hold_stops_during_imports() -> None:
    """Make every `import` statement in this process finish before a stop takes effect: the stop then arrives as
    the usual `KeyboardInterrupt` just after it. A stop in the middle of an import leaves the package half-imported
    (`partially initialized module 'torch' has no attribute 'fx'`), and only a restart mends that; a notebook's
    import cell spends 2-3 s importing numpy, matplotlib and PyTorch. An import of a module already complete (PyTorch
    imports inside its functions, a few times a training step) takes a fast way: 0.4 microseconds, where holding
    costs 7 (500 steps of a small network: 56 ms, 57 ms with this)."""
    if getattr(builtins.__import__, "holds_stops", False):
        return
    original = builtins.__import__

    def held_import(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        if level == 0 and is_imported(name, fromlist):  # most import statements, PyTorch's in every training step
            return original(name, globals, locals, fromlist, level)
        with interrupts_held():
            return original(name, globals, locals, fromlist, level)

    held_import.holds_stops = True
    builtins.__import__ = held_import


def load_ipython_extension(shell: Any) -> None:
    """`%load_ext helpers.session`, and what `KERNEL_CONFIG` asks every kernel to do when it starts."""
    explain_missing_names(shell)
    hold_stops_during_imports()


def colab_startup_file(course: Path) -> str:
    """The IPython startup file `keep_kernel_usable` writes on Colab, for the course fetched into `course`."""
    return (f"# Written by the Deep Learning Basics setup cell (helpers/session.py): a kernel restarted in this Colab\n"
            f"# runtime still explains a NameError and lets an import finish before a stop.\n"
            f"def _course_session():\n"
            f"    import sys\n"
            f"    if {str(course)!r} not in sys.path:\n"
            f"        sys.path.insert(0, {str(course)!r})\n"
            f"    try:\n"
            f"        get_ipython().extension_manager.load_extension(\"helpers.session\")\n"
            f"    except ImportError:  # the course's folder was deleted: the setup cell fetches it again\n"
            f"        pass\n\n\n"
            f"_course_session()\n"
            f"del _course_session\n")


def keep_kernel_usable(shell: Any = None) -> None:
    """Called by every notebook's setup cell: in this IPython kernel (or `shell`), a stop waits for an import to
    finish and a `NameError` says to run the cells above first. On Colab (`google.colab` imported), also write
    `COLAB_STARTUP_NAME` in the kernel's IPython startup folder, so a restarted kernel does the same from its first
    cell: Colab keeps the folder until its runtime is deleted, and nothing of a learner's computer is touched.
    Returns nothing: it is the setup cell's last line, and a value would be shown under the cell. Does nothing
    outside IPython."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return
    shell.extension_manager.load_extension(__name__)
    if "google.colab" not in sys.modules:
        return
    startup = Path(shell.profile_dir.startup_dir) / COLAB_STARTUP_NAME
    startup.parent.mkdir(parents=True, exist_ok=True)
    startup.write_text(colab_startup_file(Path(__file__).resolve().parent.parent), encoding="utf-8")


def install_kernel_config(folder: Path) -> Path:
    """Add `KERNEL_CONFIG` to the IPython kernel config file in `folder` (made if missing; another config kept),
    so every kernel that reads that folder explains a `NameError` and holds a stop during an import, from its
    first cell on. Returns the file."""
    path = folder / "ipython_kernel_config.py"
    folder.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if KERNEL_CONFIG not in existing:
        path.write_text(existing + ("\n" if existing and not existing.endswith("\n") else "") + KERNEL_CONFIG,
                        encoding="utf-8")
    return path


def main() -> None:
    """`python -m helpers.session`: install `KERNEL_CONFIG` for every kernel of this Python environment."""
    path = install_kernel_config(Path(sys.prefix) / "etc" / "ipython")
    print(f"Every Jupyter kernel of this environment now explains a NameError (run the cells above first) and lets "
          f"an import finish before a stop: {path}")


if __name__ == "__main__":
    main()
