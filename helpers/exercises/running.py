"""Running a learner's function inside a check: within a time limit, and stopped cleanly when it runs out.

A notebook kernel runs cells in its main thread, so a function that loops or sleeps can only be stopped there,
by an exception raised in it. Linux and macOS (and Colab) have `signal.setitimer`: SIGALRM rings after the limit
and its handler raises. Windows has no SIGALRM: a timer thread calls `_thread.interrupt_main()`, which raises
KeyboardInterrupt in the main thread (as the kernel's own stop button does there), and the check tells that
interrupt from the learner's own by whether its timer rang. Either way the learner's real Ctrl-C or stop button
still interrupts the cell, and no alarm can ring after the function has returned.
"""

from __future__ import annotations

import _thread
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class TimeUp(Exception):
    """The learner's code was still running when its time was up (it has been stopped)."""


class _Expired(BaseException):
    """Raised inside the learner's code by the alarm. A BaseException, so `except Exception` there cannot keep it."""


class _SignalAlarm:
    """SIGALRM after `seconds` (Linux, macOS; main thread only). The previous handler and timer are put back."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self.stopped = True
        self.previous_handler = None
        self.previous_timer = (0.0, 0.0)
        self.started = 0.0

    def start(self) -> None:
        """Arm: our handler in place of the previous one, and the timer (the previous one is remembered)."""
        self.previous_handler = signal.signal(signal.SIGALRM, self._ring)
        self.armed, self.stopped, self.started = True, False, time.monotonic()
        self.previous_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def _ring(self, _signum: int, _frame: object) -> None:
        """The SIGALRM handler: stop the learner's code by raising in it."""
        if self.armed:  # rings at most once: after this, nothing in the check can be interrupted by it
            self.armed = False
            raise _Expired

    def stop(self) -> None:
        """Disarm and put back what was there before. Safe to call twice (the alarm may interrupt the first call)."""
        self.armed = False  # first: from here on the alarm can no longer raise
        if self.stopped:
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        handler = self.previous_handler if self.previous_handler is not None else signal.SIG_DFL
        signal.signal(signal.SIGALRM, handler)
        delay, interval = self.previous_timer
        if delay > 0:  # someone else's alarm was running: let it ring when it would have
            signal.setitimer(signal.ITIMER_REAL, max(delay - (time.monotonic() - self.started), 1e-3), interval)
        self.stopped = True

    def settle(self) -> None:
        """Nothing to wait for: a signal alarm that rang has already raised."""

    def rang(self, error: BaseException) -> bool:
        """Whether `error` is this alarm's doing (anything else, a real Ctrl-C included, is passed on)."""
        return isinstance(error, _Expired)


class _ThreadAlarm:
    """`_thread.interrupt_main()` from a timer thread after `seconds` (Windows, where there is no SIGALRM).

    A sleep in C code (time.sleep) is only stopped when it returns, as with the kernel's stop button on Windows.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.lock = threading.Lock()
        self.armed = False
        self.fired = False
        self.timer: threading.Timer | None = None

    def start(self) -> None:
        """Arm: a daemon timer thread, so that a forgotten one can never keep Python from exiting."""
        self.armed = True
        self.timer = threading.Timer(self.seconds, self._ring)
        self.timer.daemon = True
        self.timer.start()

    def _ring(self) -> None:
        """In the timer thread: interrupt the main thread, unless the check has already disarmed the alarm."""
        with self.lock:
            if self.armed:
                self.armed, self.fired = False, True
                _thread.interrupt_main()

    def stop(self) -> None:
        """Disarm; after this the timer thread cannot interrupt, even if it is already running."""
        with self.lock:
            self.armed = False
        if self.timer is not None:
            self.timer.cancel()

    def settle(self) -> None:
        """If the alarm rang just as the learner's code returned, take its interrupt here, not in their next cell."""
        if self.fired:
            for _ in range(50_000_000):  # the pending KeyboardInterrupt is raised within a few iterations
                pass

    def rang(self, error: BaseException) -> bool:
        """Whether `error` is this alarm's interrupt and not the learner's own Ctrl-C or stop button."""
        return isinstance(error, KeyboardInterrupt) and self.fired


USE_SIGNALS = hasattr(signal, "setitimer")  # False on Windows; a test sets it False to try Windows' way here


def _alarm(seconds: float) -> _SignalAlarm | _ThreadAlarm:
    """The alarm this platform can ring in the main thread."""
    return _SignalAlarm(seconds) if USE_SIGNALS else _ThreadAlarm(seconds)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the body for at most `seconds`; TimeUp if it was still running then (it is stopped by an exception).

    Outside the main thread nothing can stop it, and the body runs without a limit.
    """
    if seconds <= 0:
        raise TimeUp
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    alarm = _alarm(seconds)
    try:
        try:
            alarm.start()
            yield
        finally:
            alarm.stop()
        alarm.settle()
    except BaseException as error:
        alarm.stop()  # again, in case the alarm rang during the first stop
        if alarm.rang(error):
            raise TimeUp from None
        raise
