"""Self-checking exercises: `q1.check(answer)`, `q1.hint()`, `q1.solution()`.

Hints come in levels, as in Kaggle's learntools: the first `q1.hint()` gives a nudge, the next call the
method, and `q1.solution()` the worked answer; `q1.hint(2)` jumps to a level.

A check compares with a tolerance and answers every input with a sentence: a right answer, a wrong
one (without giving the answer away), a wrong type or shape, NaN, a complex number, a dictionary, two
answers where one was expected, an unfinished `...`, or a function that raises or never returns. It never
raises itself, so a learner's notebook keeps running.

A check works on copies: the learner's answer is deep-copied before the checker sees it, and their function
is called on deep copies of the checker's inputs, so neither side can change the other's objects. The
learner's code gets TIME_LIMIT seconds per check in all (however many times the checker calls it); then it
is stopped (see `running`) and the check says so.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np

from helpers.exercises.running import TimeUp, time_limit

CORRECT = "✅ Correct"
NOT_YET = "❌ Not yet"
TIME_LIMIT = 5.0  # seconds of the learner's own code per check, over all the checker's calls to it

_time_left: list[float] = []  # the learner's time left in each check being judged (the innermost last)


class NotYet(Exception):
    """Raised inside a check to tell the learner what is not right yet (the message is shown)."""


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, dict):
        return f"a dictionary {value!r}"[:80]
    if callable(value):
        return f"the function {getattr(value, '__name__', type(value).__name__)}"
    return f"{type(value).__name__} {value!r}"[:80]


def _reject_placeholder(value: Any, what: str) -> None:
    if value is Ellipsis:
        raise NotYet(f"{what} is still `...`: replace it with your answer, then run the cell again.")
    if value is None:
        raise NotYet(f"{what} is None. Did you forget to `return` (or to assign) your result?")


def _reject_complex(value: Any, what: str, expected: str = "real numbers") -> None:
    """NotYet if `value` holds complex numbers: converting them to float would silently drop the imaginary part."""
    try:
        complex_kind = np.asarray(value).dtype.kind == "c"
    except (TypeError, ValueError):  # ragged or not numbers at all: the caller says what was expected
        return
    if complex_kind:
        shown = f"the complex number {value}" if np.ndim(value) == 0 else f"complex, {_describe(value)}"
        raise NotYet(f"{what} should be {expected}, but it is {shown[:80]}. A square root or a fractional power of"
                     " a negative number makes complex numbers: look for one.")


def as_number(value: Any, what: str) -> float:
    """`value` as a finite float, or NotYet saying what was expected instead."""
    _reject_placeholder(value, what)
    if hasattr(value, "detach"):
        value = value.detach().numpy()  # a torch tensor
    if isinstance(value, (complex, np.complexfloating, np.ndarray)):
        _reject_complex(value, what, "a real number")
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise NotYet(f"{what} should be one number, but it is {_describe(value)}.")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, Real):
        raise NotYet(f"{what} should be a number, but it is {_describe(value)}.")
    if not math.isfinite(value):
        raise NotYet(f"{what} is {value}: it should be a finite number. Look for a division by zero or an overflow.")
    return float(value)


def as_array(value: Any, what: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """`value` as a finite float array (of `shape`, if given), or NotYet saying what was expected."""
    _reject_placeholder(value, what)
    if hasattr(value, "detach"):
        value = value.detach().numpy()  # a torch tensor
    if isinstance(value, str):
        raise NotYet(f"{what} should be numbers, but it is a string {value!r}.")
    if isinstance(value, dict):
        raise NotYet(f"{what} should be an array of numbers, but it is {_describe(value)}.")
    _reject_complex(value, what)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NotYet(f"{what} should be an array of numbers, but it is {_describe(value)}.") from None
    if shape is not None and array.shape != shape:
        raise NotYet(f"{what} should have shape {shape}, but it has shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise NotYet(f"{what} contains NaN or infinite values. Look for a division by zero or an overflow.")
    return array


def as_pair(value: Any, what: str) -> tuple[float, float]:
    """`value` as two finite numbers, e.g. `(w, b)`."""
    _reject_placeholder(value, what)
    if isinstance(value, dict) and len(value) == 2:
        first, second = (f"values[{key!r}]" for key in value)
        raise NotYet(f"{what} should be two numbers such as (1.5, -2), but it is {_describe(value)}: put its two"
                     f" values in brackets, such as ({first}, {second}).")
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise NotYet(f"{what} should be two numbers such as (1.5, -2), but it is {_describe(value)}.")
    return as_number(value[0], f"The first number of {what}"), as_number(value[1], f"The second number of {what}")


def as_letter(value: Any, letters: str, what: str = "answer") -> str:
    """`value` as one of `letters` (a multiple-choice answer such as "b", " B " or "(b)"), or NotYet."""
    if value is Ellipsis:
        raise NotYet(f'{what} is still `...`: set it to one letter in quotes, such as "{letters[0]}".')
    _reject_placeholder(value, what)
    letter = value.strip().strip("()").strip().lower() if isinstance(value, str) else None
    if letter is None or len(letter) != 1 or letter not in letters:
        options = ", ".join(f'"{option}"' for option in letters)
        raise NotYet(f"{what} should be one of the letters {options} (in quotes), but it is {_describe(value)}.")
    return letter


def choose(value: Any, right: str, why_not: dict[str, str], what: str = "answer") -> None:
    """Judge a multiple-choice answer: NotYet with the reason the chosen option is wrong, unless it is `right`.

    `why_not` maps every wrong letter to why it is wrong; the options are `right` and those letters.
    """
    letter = as_letter(value, "".join(sorted({right, *why_not})), what)
    if letter != right:
        raise NotYet(f"({letter}) is not it: {why_not[letter]}")


def _copy_of(value: Any) -> Any:
    """A deep copy of `value`, or `value` itself if it cannot be copied (a generator, an open file)."""
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


def call(function: Any, *args: Any, what: str = "your function") -> Any:
    """Call the learner's function on deep copies of `args`, within the check's time limit.

    A non-function, an exception in it, a function that runs out of time or returns None becomes NotYet.
    """
    return call_keeping_inputs(function, *args, what=what)[0]


def call_keeping_inputs(function: Any, *args: Any, what: str = "your function") -> tuple[Any, tuple]:
    """As `call`, but also give back the copies the function was given, as it left them.

    For a checker that tells the learner their function changes its input (the checker's own `args` never do).
    """
    _reject_placeholder(function, what)
    if not callable(function):
        raise NotYet(f"{what} should be a function (defined with `def`), but it is {_describe(function)}.")
    inputs = _copy_of(args)
    seconds = _time_left[-1] if _time_left else TIME_LIMIT
    started = time.monotonic()
    try:
        with time_limit(seconds):
            result = function(*inputs)
    except TimeUp:
        raise NotYet(f"{what} was still running when the check's {TIME_LIMIT:g} seconds were up, so the check"
                     " stopped it: look for a loop that never ends (a `while` whose condition stays true) or a"
                     " long wait such as time.sleep.") from None
    except Exception as exc:
        tip = ""
        if "truth value of an array" in str(exc):
            tip = " Python's `if` and `max` look at one number; np.where and np.maximum work element by element."
        raise NotYet(f"{what} raised {type(exc).__name__}: {exc}.{tip}") from None
    finally:
        if _time_left:
            _time_left[-1] -= time.monotonic() - started
    if result is None:
        raise NotYet(f"{what} returned None. Did you forget `return`, or is `...` still in its body?")
    return result, inputs


def expect_close(got: Any, want: Any, what: str, rtol: float = 1e-4, atol: float = 1e-6) -> None:
    """NotYet unless `got` equals `want` within the tolerance. The message never gives `want` away."""
    if not np.allclose(got, want, rtol=rtol, atol=atol):
        raise NotYet(f"{what} is not right yet.")


@dataclass
class Exercise:
    """One exercise: a check of the learner's answer, hints in levels, and a worked solution."""

    title: str
    checker: Callable[[Any], str]
    hint_text: str | tuple[str, ...]  # one hint, or levels from a nudge to the method
    solution_text: str  # runnable code: what the instructor edition puts in place of the learner's stub
    hints_shown: int = field(default=0, init=False, repr=False)

    @property
    def hints(self) -> tuple[str, ...]:
        """The hint levels, from a nudge to the method (the solution is the level after the last)."""
        return (self.hint_text,) if isinstance(self.hint_text, str) else tuple(self.hint_text)

    def feedback(self, answer: Any = Ellipsis, *more: Any, **named: Any) -> tuple[bool, str]:
        """Whether `answer` is right, and the sentence to show. Never raises.

        Several answers, `check(w, b)`, are judged together as the one answer `(w, b)`: that is what every
        exercise with several parts asks for in brackets, and for the others the checker's own sentence says
        what it expected instead of a tuple. The checker sees a deep copy, so it cannot change the learner's
        objects (a model's mode or dtype, an array).
        """
        if named:
            given = ", ".join(f"{name}=..." for name in named)
            return False, (f"{NOT_YET}: check() takes your answer itself, without a name: q.check(value), not"
                           f" q.check({given}).")
        together = bool(more)
        if together:
            answer = (answer, *more)
        _time_left.append(TIME_LIMIT)
        try:
            praise = self.checker(_copy_of(answer))
        except NotYet as wrong:
            lead = (f"check() takes one answer, so your {len(answer)} values were judged together, as one answer in"
                    " brackets: ") if together else ""
            return False, f"{NOT_YET}: {lead}{wrong}"
        except Exception as exc:  # a bug in a checker must not break the learner's notebook
            return False, f"{NOT_YET}: the checker could not judge this answer ({type(exc).__name__}: {exc})."
        finally:
            _time_left.pop()
        return True, f"{CORRECT}! {praise}".rstrip()

    def check(self, answer: Any = Ellipsis, *more: Any, **named: Any) -> None:
        """Print whether `answer` is right, and if not, what to look at."""
        print(self.feedback(answer, *more, **named)[1])

    def hint(self, level: Any = None, *more: Any, **named: Any) -> None:
        """Print the next hint level (or `level`, counted from 1): a nudge first, then the method.

        Never raises: a level that does not exist is answered with a sentence saying which ones do.
        """
        count = len(self.hints)
        if more or named or (level is not None and (isinstance(level, bool) or not isinstance(level, Integral)
                                                     or not 1 <= level <= count)):
            given = ", ".join([repr(value)[:40] for value in (level, *more)] + [f"{name}=..." for name in named])
            print(f"hint({given}) is not a hint level: this exercise has levels 1 to {count}; q.hint() gives the"
                  " next one, q.hint(1) the first.")
            return
        level = min(self.hints_shown + 1, count) if level is None else int(level)
        self.hints_shown = max(self.hints_shown, level)
        if count == 1:
            print(f"💡 Hint: {self.hints[0]}")
            return
        after = "run .hint() again for the next level" if level < count else "the next level is .solution()"
        print(f"💡 Hint {level} of {count}: {self.hints[level - 1]}\n   ({after})")

    def solution(self, *_ignored: Any, **_ignored_too: Any) -> None:
        """Print a worked solution (whatever it is given: there is only one)."""
        print(f"Solution:\n{self.solution_text}")
