"""Checked exercises for notebook 04, The learning rate."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import noisy_line
from helpers.exercises import Exercise, NotYet, as_number, choose
from helpers.training import descend, line_curvature, line_gradient, line_loss, step_decay

X, Y = noisy_line()
SCALE = 10  # q1: the inputs in other units, ten times larger
START_RATE, STEPS, TARGET = 0.9, 30, 0.1  # q4: a step decay from a rate above the stable limit


def stable_limit(x: np.ndarray) -> float:
    """The largest stable learning rate for fitting a line to inputs x: 2 over the largest curvature."""
    return float(2 / np.linalg.eigvalsh(line_curvature(x)).max())


def double_well(w: float) -> float:
    """Section 5's made-up loss with two minima."""
    return (w**2 - 1) ** 2 + 0.3 * w + 0.4


def double_well_slope(w: float) -> float:
    return 4 * w**3 - 4 * w + 0.3


def _bounds() -> tuple[float, float]:
    """q1's numbers: section 3's k_max, and the top-left entry of the matrix for the inputs 10 * x."""
    return float(np.linalg.eigvalsh(line_curvature(X)).max()), float(line_curvature(SCALE * X)[0, 0])


def _check_limit_prediction(answer: Any) -> str:
    old, corner = _bounds()
    a_entry = float(line_curvature(X)[0, 0])
    choose(answer, "c", {
        "a": f"the largest curvature would grow 100-fold only if section 3's steep direction lay along a. It lies"
             f" mostly along b (61° from the a axis), and its curvature {old:.3f} came mostly from b's entry, 2,"
             " which does not grow with the inputs.",
        "b": f"look at the top-left entry alone: {SCALE**2} × {a_entry:.3f} = {corner:.1f}, already"
             f" {corner / old:.0f} times the old largest curvature {old:.3f}. The largest curvature is at least the"
             " curvature along a (it is the largest over every direction), so the limit shrinks at least that much.",
        "d": "larger inputs make the loss bend more steeply along a, and the limit is 2 over the largest"
             " curvature: it must change, and get smaller.",
    }, "limit_prediction")
    return (f"the new top-left entry, {corner:.1f}, is alone {corner / old:.0f} times the old k_max {old:.3f}, so"
            f" the limit shrinks at least {corner / old:.0f}-fold; and no curvature can grow more than 100-fold (with"
            " the inputs 10 * x, a change of a does what ten times that change did before), so it shrinks less than"
            " 100-fold. It stays far from 100 because the old k_max came mostly from b, which does not grow. The"
            " cell below computes the exact factor.")


KELVIN_MEAN, KELVIN_SPREAD = 290.0, 10.0  # q2: temperatures in kelvin


def kelvin_k_max(mean: float, spread: float) -> float:
    """The largest curvature of the line's loss for inputs with this mean and spread (mean x² = mean² + spread²)."""
    hessian = 2 * np.array([[mean**2 + spread**2, mean], [mean, 1.0]])
    return float(np.linalg.eigvalsh(hessian).max())


def _kelvin_rises() -> tuple[float, float]:
    """q2's factors: how much the stable limit rises when centring (b) and when measuring in units of 10 K (e)."""
    raw = kelvin_k_max(KELVIN_MEAN, KELVIN_SPREAD)
    return raw / kelvin_k_max(0.0, KELVIN_SPREAD), raw / kelvin_k_max(KELVIN_MEAN / 10, KELVIN_SPREAD / 10)


def _check_rise(value: Any, want: float, what: str, how: str) -> None:
    if isinstance(value, str):
        raise NotYet(f"{what} is the text {value!r}: write the number without quotes, like {what} = 5.")
    rise = as_number(value, what)
    if 0 < rise < 1:
        raise NotYet(f"{what} = {rise:g} is below 1, but the limit rises: the factor is the new limit over the old,"
                     " that is, the old k_max over the new one.")
    if not 0.8 * want <= rise <= 1.25 * want:
        raise NotYet(f"{what} = {rise:g} is not close yet (a rough number is enough, within 20%). {how}")


def _check_centring(answer: Any) -> str:
    if answer is Ellipsis or isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__") or len(answer) != 3:
        raise NotYet("pass three things together: q2.check((answer, limit_rise_b, limit_rise_e)), the letter and"
                     " the two factors.")
    letter, rise_b, rise_e = answer
    choose(letter, "b", {
        "a": "the matrix 2·[[mean x², mean x], [mean x, 1]] contains no y at all. Rescaling y moves the minimum and"
             " the loss values, but the bowl bends exactly as before, so the limit is unchanged.",
        "c": "more days of similar temperatures leave mean x² and mean x where they were: the same matrix, the same"
             " curvatures, the same limit (the sums get longer, but they are means).",
        "d": "the loss of a line is quadratic, so its curvature is the same everywhere: the limit does not depend on"
             " where you start, only the number of steps does.",
        "e": "it helps, since mean x² shrinks. But the values stay far from 0 (mean x ≈ 29), and mean x² is mostly"
             " that offset squared. Which option removes the offset itself? Compare the two factors you wrote.",
    }, "answer")
    want_b, want_e = _kelvin_rises()
    _check_rise(rise_b, want_b, "limit_rise_b",
                "Before centring, k_max is about 2·mean x², with mean x² = 290² + 10². After it, the matrix is"
                " diagonal, 2·[[variance, 0], [0, 1]]: what is its larger entry?")
    _check_rise(rise_e, want_e, "limit_rise_e",
                "In units of 10 K the values are near 29 with spread 1: mean x² = 29² + 1², and k_max is still"
                " about 2·mean x².")
    return (f"centring turns mean x² ≈ 290² ≈ 84,000 into the variance ≈ 100 and the off-diagonal mean x into 0:"
            f" the largest curvature falls from about 168,000 to 200, so the stable limit rises {want_b:.0f}-fold,"
            f" against {want_e:.1f}-fold for units of 10 K, which shrink the offset but keep it. Dividing by the spread"
            " as well would bring both curvatures to 2 and the limit to 1.")


def _check_which_minimum(answer: Any) -> str:
    choose(answer, "a", {
        "b": "the start is on the right-hand side, but look at the first step: the slope there is"
             f" {double_well_slope(2.0):.1f}, so one step moves w by 0.1 × {double_well_slope(2.0):.1f}. Where does"
             " that land?",
        "c": "the top of the hump is a single point with slope 0; a step lands there only by an exact coincidence.",
        "d": "the curvature at the bottom of either valley is below 2 / 0.1 = 20, so once inside a valley the steps"
             " shrink. Only the first step is large, because the wall at w = 2 is steep.",
    }, "my_prediction")
    return ("the first step is 0.1 × 24.3 = 2.43 long: from w = 2 it jumps over the hump (near w = 0.08) and lands"
            " at w = -0.43, in the left valley. Which minimum you reach depends on the start *and* on the step size.")


def _check_decay(answer: Any) -> str:
    if answer is Ellipsis or answer is None or isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__"):
        if answer is Ellipsis:
            raise NotYet("my_decay is still `...`: replace it with two numbers, (factor, every), e.g. (0.5, 10).")
        raise NotYet("my_decay should be two numbers, (factor, every), such as (0.5, 10).")
    if isinstance(answer, dict):
        raise NotYet(f"my_decay should be two numbers in brackets, (factor, every), such as (0.5, 10), but it is a"
                     f" dictionary {answer!r}"[:200] + ".")
    if len(answer) != 2:
        raise NotYet(f"my_decay should be two numbers, (factor, every), but it has {len(answer)}.")
    factor = as_number(answer[0], "factor (the first number of my_decay)")
    every = as_number(answer[1], "every (the second number of my_decay)")
    if not 0 < factor < 1:
        raise NotYet(f"factor is {factor:g}: it must be between 0 and 1, so that the rate shrinks at each cut.")
    if every < 1 or every != int(every):
        raise NotYet(f"every is {every:g}: it must be a whole number of steps, 1 or more.")
    run = descend(lambda p: line_loss(p, X, Y), lambda p: line_gradient(p, X, Y), np.zeros(2),
                  step_decay(START_RATE, factor, int(every)), STEPS)
    if run.diverged:
        raise NotYet(f"training diverged at step {run.diverged_at}: the loss passed 100 times its start (descend's"
                     " rule), because the rate stays above the stable limit too long. Cut it sooner, or harder.")
    below = np.flatnonzero(run.losses < TARGET)
    if not below.size:
        raise NotYet(f"no divergence, but the loss after {STEPS} steps is {run.final_loss:.3g}, not below {TARGET}:"
                     " the rate falls too far, or too early, to finish the job. Where should it settle?")
    return (f"below {TARGET} at step {below[0]}: a few steps above the limit cost little, as long as the rate"
            " comes down into the good band before the zigzag grows and then stays there.")


q1 = Exercise(
    "Predict: the limit in other units",
    _check_limit_prediction,
    ("The limit is 2 / k_max. Write the matrix 2·[[mean x², mean x], [mean x, 1]] for 10 * x: by how much does"
     " each entry grow? Then look for a lower and an upper bound on the new k_max.",
     "Lower bound: k_max is the largest curvature over every direction, so it is at least the curvature along a"
     " alone, the new top-left entry (100 × the 0.725 of section 3's H): how many times the old k_max, 2.594, is"
     " that? Upper bound: no entry grows more than 100-fold, and neither can k_max. Which option fits?"),
    'limit_prediction = "c"  # the new top-left entry alone is 28 × the old k_max; nothing grows more than 100-fold',
)
q2 = Exercise(
    "Why centring raises the limit",
    _check_centring,
    ("The stable limit is 2 / k_max, and k_max comes from the matrix 2·[[mean x², mean x], [mean x, 1]]."
     " Which option shrinks its largest entry, 2·mean x², the most?",
     "Go through the options and ask of each: does it change mean x² or mean x, and by how much? (y, the number"
     " of days and the starting point do not appear in the matrix.) Work out mean x² for x near 290 with spread"
     " 10, after each change: mean x² = mean(x)² + variance. When that entry is much larger than the others,"
     " k_max is about 2·mean x², and a diagonal matrix's k_max is its larger entry. The factor by which the limit"
     " rises is the old k_max over the new one."),
    'answer = "b"  # centring: mean x² becomes the variance (~100) and mean x becomes 0\n'
    "limit_rise_b = (290**2 + 10**2) / 10**2  # k_max from about 2·84,200 to 2·100: about 840-fold\n"
    "limit_rise_e = (290**2 + 10**2) / (29**2 + 1**2)  # units of 10 K: mean x² 100 times smaller",
)
q3 = Exercise(
    "Which minimum?",
    _check_which_minimum,
    ("Compute the first step: the slope at w = 2 is 4·2³ − 4·2 + 0.3. Multiply it by the learning rate.",
     "After the first step, which side of the hump (near w = 0.08) are you on? From there the steps are small,"
     " and each one goes downhill into that valley."),
    'my_prediction = "a"  # the first step, 0.1 × 24.3, jumps over the hump into the left valley',
)
q4 = Exercise(
    "Rescue a rate above the limit",
    _check_decay,
    ("Two things must happen: the rate must come below the stable limit, 0.771, before the zigzag has grown"
     " too much (at a constant 0.9 training diverges at step 8), and it must then stay where progress is fast.",
     "Section 6's table says which constant rates are fast here. Choose `every` so that the first cut comes"
     " within a few steps, and `factor` so that 0.9 × factor lands in that band; check where the later cuts"
     " take it."),
    "my_decay = (0.7, 3)  # 0.9 for 3 steps, then 0.63 (fast and stable), then 0.44, ...",
)
