"""Checked exercises for notebook 04, The learning rate."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import noisy_line
from helpers.exercises import Exercise, NotYet, as_number, call, expect_close
from helpers.training import descend, line_curvature, line_gradient, line_loss

X, Y = noisy_line()
STEPS, TARGET = 20, 0.1


def _check_fast_rate(answer: Any) -> str:
    lr = as_number(answer, "lr")
    if lr <= 0:
        raise NotYet(f"a learning rate must be positive; {lr:g} would walk uphill or stand still.")
    run = descend(lambda p: line_loss(p, X, Y), lambda p: line_gradient(p, X, Y), np.zeros(2), lr, STEPS)
    if run.diverged:
        raise NotYet(f"with lr = {lr:g} training diverges (at step {run.diverged_at}). Try a smaller one.")
    if run.final_loss >= TARGET:
        raise NotYet(f"with lr = {lr:g} the loss after {STEPS} steps is {run.final_loss:.3g}, not below {TARGET}.")
    return f"Loss {run.final_loss:.3f} after {STEPS} steps."


def _check_limit(answer: Any) -> str:
    limit = as_number(answer, "my_limit")
    if np.isclose(limit, 2 / np.linalg.eigvalsh(line_curvature(X)).max(), rtol=0.005):
        raise NotYet("that is the limit for the original x; compute the curvatures of the scaled inputs 10 * x.")
    expect_close(limit, 2 / np.linalg.eigvalsh(line_curvature(10 * X)).max(), "my_limit", rtol=0.005)
    return "Inputs ten times larger make the steep direction far steeper, so the safe rate shrinks."


def _check_schedule(schedule: Any) -> str:
    for step in (0, 24, 25, 49, 50, 99):
        got = as_number(call(schedule, step, what=f"schedule({step})"), f"schedule({step})")
        if step == 24 and np.isclose(got, 0.7 * 0.5 ** (24 / 25)):
            raise NotYet("your rate changes a little at every step; it should stay at 0.7 for 25 steps, then halve"
                         " (whole-number division, `step // 25`, counts the completed blocks).")
        expect_close(got, 0.7 * 0.5 ** (step // 25), f"schedule({step})")
    return "0.7 for steps 0–24, 0.35 for 25–49, and so on."


q1 = Exercise(
    "A learning rate in a hurry",
    _check_fast_rate,
    f"Try rates with `run(lr, steps={STEPS}).final_loss` (section 1 defines `run`): it must be below {TARGET}."
    " The best rates are below the stable limit but far above the too-small ones.",
    "# any rate from about 0.4 to 0.68 works, for example\nlr = 0.6",
)
q2 = Exercise(
    "The stable limit in other units",
    _check_limit,
    "training.line_curvature(10 * x) gives the new Hessian; np.linalg.eigvalsh finds its curvatures, and the"
    " limit is 2 divided by the largest.",
    "H = training.line_curvature(10 * x)\nmy_limit = 2 / np.linalg.eigvalsh(H).max()",
)
q3 = Exercise(
    "Write a step-decay schedule",
    _check_schedule,
    "`step // 25` counts how many times 25 steps have passed; multiply 0.7 by 0.5 that many times.",
    "def schedule(step):\n    return 0.7 * 0.5 ** (step // 25)",
)
