"""Self-checking exercises: `q1.check(answer)`, `q1.hint()`, `q1.solution()`.

Hints come in levels, as in Kaggle's learntools: the first `q1.hint()` gives a nudge, the next call the
method, and `q1.solution()` the worked answer; `q1.hint(2)` jumps to a level.

A check compares with a tolerance and answers every input with a sentence: a right answer, a wrong
one (without giving the answer away), a wrong type or shape, NaN, an unfinished `...`, or a function
that raises. It never raises itself, so a learner's notebook keeps running.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np

CORRECT = "✅ Correct"
NOT_YET = "❌ Not yet"


class NotYet(Exception):
    """Raised inside a check to tell the learner what is not right yet (the message is shown)."""


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if callable(value):
        return f"the function {getattr(value, '__name__', type(value).__name__)}"
    return f"{type(value).__name__} {value!r}"[:80]


def _reject_placeholder(value: Any, what: str) -> None:
    if value is Ellipsis:
        raise NotYet(f"{what} is still `...`: replace it with your answer, then run the cell again.")
    if value is None:
        raise NotYet(f"{what} is None. Did you forget to `return` (or to assign) your result?")


def as_number(value: Any, what: str) -> float:
    """`value` as a finite float, or NotYet saying what was expected instead."""
    _reject_placeholder(value, what)
    if hasattr(value, "detach"):
        value = value.detach().numpy()  # a torch tensor
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


def call(function: Any, *args: Any, what: str = "your function") -> Any:
    """Call the learner's function; a non-function or an exception in it becomes NotYet."""
    _reject_placeholder(function, what)
    if not callable(function):
        raise NotYet(f"{what} should be a function (defined with `def`), but it is {_describe(function)}.")
    try:
        result = function(*args)
    except Exception as exc:
        tip = ""
        if "truth value of an array" in str(exc):
            tip = " Python's `if` and `max` look at one number; np.where and np.maximum work element by element."
        raise NotYet(f"{what} raised {type(exc).__name__}: {exc}.{tip}") from None
    if result is None:
        raise NotYet(f"{what} returned None. Did you forget `return`, or is `...` still in its body?")
    return result


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

    def feedback(self, answer: Any = Ellipsis) -> tuple[bool, str]:
        """Whether `answer` is right, and the sentence to show. Never raises."""
        try:
            praise = self.checker(answer)
        except NotYet as wrong:
            return False, f"{NOT_YET}: {wrong}"
        except Exception as exc:  # a bug in a checker must not break the learner's notebook
            return False, f"{NOT_YET}: the checker could not judge this answer ({type(exc).__name__}: {exc})."
        return True, f"{CORRECT}! {praise}".rstrip()

    def check(self, answer: Any = Ellipsis) -> None:
        """Print whether `answer` is right, and if not, what to look at."""
        print(self.feedback(answer)[1])

    def hint(self, level: Any = None) -> None:
        """Print the next hint level (or `level`, counted from 1): a nudge first, then the method.

        Never raises: a level that does not exist is answered with a sentence saying which ones do.
        """
        count = len(self.hints)
        if level is None:
            level = min(self.hints_shown + 1, count)
        elif isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= count:
            print(f"This exercise has hint levels 1 to {count}: q.hint() gives the next one, q.hint(1) the first.")
            return
        self.hints_shown = max(self.hints_shown, level)
        if count == 1:
            print(f"💡 Hint: {self.hints[0]}")
            return
        after = "run .hint() again for the next level" if level < count else "the next level is .solution()"
        print(f"💡 Hint {level} of {count}: {self.hints[level - 1]}\n   ({after})")

    def solution(self) -> None:
        """Print a worked solution."""
        print(f"Solution:\n{self.solution_text}")
