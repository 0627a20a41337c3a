"""Checked exercises for notebook 02, Loss surfaces."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import load_vending_machine, noisy_line
from helpers.exercises import Exercise, NotYet, as_array, as_number, call, choose, expect_close

X, Y = noisy_line()
VISITORS = load_vending_machine().visitors.astype(float)


def steepness_ratio(inputs: np.ndarray) -> float:
    """How many times faster the mean squared error of a line w*x + b rises in its steepest direction than in
    its gentlest (the ratio of the curvatures): the same for any targets, it depends on the inputs only."""
    inputs = np.asarray(inputs, dtype=float)
    curvature = 2 * np.array([[np.mean(inputs**2), np.mean(inputs)], [np.mean(inputs), 1.0]])
    gentle, steep = np.linalg.eigvalsh(curvature)
    return float(steep / gentle)


# q1: the valley floor: for a fixed slope a, the best intercept b
def valley_floor(x: np.ndarray, y: np.ndarray, a: float) -> float:
    """The intercept b with the lowest mean squared error for the slope a: the mean error is then zero."""
    return float(np.mean(np.asarray(y) - a * np.asarray(x)))


def _check_valley_floor(function: Any) -> str:
    rng = np.random.default_rng(7)
    cases = []
    for n, a in ((12, 0.0), (30, 2.5), (7, -1.5)):
        x = rng.uniform(1, 4, n)
        cases.append((x, 5 - 2 * x + rng.normal(0, 0.5, n), a))
    for x, y, a in cases:
        what = f"valley_floor(x, y, a={a:g}) on {len(x)} points you have not seen"
        got = call(function, x, y, a, what=what)
        if isinstance(got, (list, tuple)) and len(got) == 1:
            got = got[0]  # one number in a list is still one number
        got = as_number(got, what)
        want = valley_floor(x, y, a)
        if np.isclose(got, valley_floor(X, Y, a), atol=1e-6) and not np.isclose(got, want, atol=1e-6):
            raise NotYet(f"{what} gives the answer for the notebook's 50 points: use the x and y it is given.")
        if a != 0 and np.isclose(got, np.mean(y), atol=1e-6):
            raise NotYet(f"{what} returned the mean of y, whatever a is; the best b depends on the slope a.")
        if a != 0 and np.isclose(got, np.mean(y) - a, atol=1e-6):
            raise NotYet(f"{what}: the line's height a·x changes from point to point; subtract a·x for every point"
                         " before averaging, not just a.")
        if abs(got - want) > 0.01:
            lower = np.mean((a * x + want - y) ** 2)
            raise NotYet(f"{what} returned b = {got:.4g}, where the loss is {np.mean((a * x + got - y) ** 2):.6g};"
                         f" another b gives a lower loss, {lower:.6g}. For a fixed a, the loss is a parabola"
                         " in b: where is its lowest point?")
        if not np.isclose(got, want, rtol=1e-6, atol=1e-6):
            raise NotYet(f"{what} returned b = {got:.6g}, within {abs(got - want):.1g} of the best b but not on it,"
                         " as a search over a grid of b values would: close, not exact. The lowest point of the"
                         " parabola has a formula; q1.hint() shows how to find it.")
        expect_close(got, want, what, rtol=1e-6, atol=1e-6)
    return ("the best b makes the errors average zero, b = mean(y − a·x) = mean(y) − a·mean(x): a straight floor"
            " of slope −mean(x) in the (a, b) plane. With centred inputs, mean(x) = 0, the floor is level: b no"
            " longer depends on a, which is why centring removes the tilt.")


# q2: predict, then run: the steepness ratio of the visitors counted in hundreds, as an order of magnitude
def _check_hundreds(answer: Any) -> str:
    choose(answer, "b", {
        "a": "numbers near 1 are not enough for a bowl. The standardised visitors were also centred, with mean 0;"
             " the visitors in hundreds (0.4 to 1.6) all lie on one side of zero, so raising w still raises every"
             " prediction by about the same amount, and lowering b still undoes most of it. w and b still trade:"
             " the map is a valley, not a bowl.",
        "c": "dividing by 100 changes the size of the inputs, not their offset from zero. Centring took away the"
             " trade between w and b (the cross curvature 2·mean(x) became 0); in hundreds the inputs are all"
             " still on one side of zero, so the cross curvature is not 0, and the map is not the centred one.",
        "d": "the lines are the same, but w is now a hundred times larger for the same line, so on a map with"
             " one unit of w as long as one unit of b (the map gradient descent walks, which the steepness ratio"
             " measures) the landscape changes. Section 5's centred and standardised inputs also wrote the"
             " same lines, yet their ratios were 1,201 and 1.",
    }, "my_prediction")
    hundreds = VISITORS / 100
    return (f"the steepness ratio falls from about 116,000 to {steepness_ratio(hundreds):.1f}. The curvature along"
            f" w, 2·mean(x²), falls to {2 * np.mean(hundreds**2):.2f}, about the 2 along b, but the cross curvature"
            f" 2·mean(x) is {2 * np.mean(hundreds):.2f}, nearly as large: w and b still trade, and along the valley"
            " floor the loss rises far more gently than along either axis. In equal units the raw valley ran almost"
            " exactly along the b axis; in hundreds it runs diagonally. Dividing by 100 changes the size of the"
            " inputs, not their offset: every input is still to one side of zero. Centring is what removes the"
            " trade, and the tilt.")


# q3: predict a number: how far one wrong point lifts the squared-error line at the middle of the data
TYPO = 20.0


def _check_rise(answer: Any) -> str:
    if isinstance(answer, str):
        raise NotYet(f"my_rise is the text {answer!r}: write the number without quotes, such as my_rise = 1.5.")
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        answer = answer[0]  # one number in a list is still one number
    rise = as_number(answer, "my_rise")
    want = TYPO / len(Y)
    if np.isclose(rise, want, atol=0.04):
        return (f"the rise is exactly {TYPO:g}/{len(Y)} = {want:g}. By exercise 1, for any slope the best b makes"
                " a·mean(x) + b = mean(y): the best squared-error line passes through the point of averages"
                " (x̄, ȳ), so its height at x̄ rises exactly as much as the mean of y, whatever its slope does. The"
                " absolute-error line hardly moves (the cell below measures both): squared, the error of 20 weighs"
                " 400, as much as 400 errors of 1; in absolute value it weighs 20. The mean squared error pays for"
                " its smooth bowl with this pull towards a single wrong point.")
    if rise < 0:
        raise NotYet("the wrong point is too high, so the best line moves towards it: up, not down.")
    if np.isclose(rise, 0, atol=0.04):
        raise NotYet("one point among 50 does move the squared-error line: every error counts in the mean. By how"
                     " much does one value 20 too high change the mean of y?")
    if np.isclose(rise, TYPO, rtol=0.1):
        raise NotYet("the line does not jump to the wrong point: it balances all 50 errors. Exercise 1 found where"
                     " the best line's height at x̄ comes from; how much of the 20 reaches it?")
    if np.isclose(rise, TYPO**2 / len(Y), rtol=0.1):
        raise NotYet(f"{TYPO**2 / len(Y):g} = 20²/50 is how much the wrong point adds to the loss of the old line,"
                     " not how far the best line moves. The question asks for the line's height at x̄.")
    raise NotYet("Exercise 1: for any slope a, the best b is mean(y) − a·mean(x). What is the best line's"
                 " height at x = mean(x), then, and how much does it change when one y of 50 rises by 20?")


# q4: design: inputs of the learner's own choosing whose line has a valley of ratio 4, steepest along b
N_INPUTS = 50
TARGET_RATIO, RATIO_TOLERANCE = 4.0, 0.4  # accepted: a steepness ratio from 3.6 to 4.4


def steepest_direction(inputs: np.ndarray) -> float:
    """The angle (degrees, 0 to 90) between the w axis and the direction in which the loss rises fastest."""
    inputs = np.asarray(inputs, dtype=float)
    curvature = 2 * np.array([[np.mean(inputs**2), np.mean(inputs)], [np.mean(inputs), 1.0]])
    steep = np.linalg.eigh(curvature)[1][:, 1]
    return float(np.degrees(np.arctan2(abs(steep[1]), abs(steep[0]))))


def _check_ratio_four(answer: Any) -> str:
    if isinstance(answer, str):
        raise NotYet(f"my_inputs is the text {answer!r}: it should be {N_INPUTS} numbers, such as an np.array.")
    inputs = as_array(answer, "my_inputs")
    if inputs.ndim != 1 or len(inputs) != N_INPUTS:
        raise NotYet(f"my_inputs should be {N_INPUTS} numbers in a row (shape ({N_INPUTS},)), but it has shape"
                     f" {inputs.shape}.")
    mean, mean_square = float(np.mean(inputs)), float(np.mean(inputs**2))
    mean = 0.0 if abs(mean) < 1e-9 * max(1.0, np.sqrt(mean_square)) else mean  # no -1e-16 from rounding
    if np.isclose(np.var(inputs), 0, atol=1e-12 * max(1.0, mean_square)):
        raise NotYet("all your inputs are the same number: then w·x and b lift every prediction alike, w and b do"
                     " the same job, and along the valley floor the loss does not rise at all. Spread them out.")
    ratio, angle = steepness_ratio(inputs), steepest_direction(inputs)
    measured = (f"mean(inputs) = {mean:.3g} and mean(inputs²) = {mean_square:.3g}, so the curvatures are"
                f" {2 * mean_square:.3g} along w, 2 along b and {2 * mean:.3g} across; steepness ratio {ratio:.3g}")
    if ratio > 1.05:
        measured += f", steepest {angle:.0f}° from the w axis"
    close = abs(ratio - TARGET_RATIO) <= RATIO_TOLERANCE
    if close and angle > 45:
        return (f"{measured}. The valley is {ratio:.2f} times steeper across than along, and b is the steep"
                " direction: the curvature along w must be 2/4 = 0.5, so mean(inputs²) = 0.25, with no cross"
                " curvature (mean 0) to tilt it. Inputs with a standard deviation of 0.5 do it, such as the"
                " standardised visitors halved: shrinking the inputs makes w gentle, growing them makes it steep.")
    if close:
        raise NotYet(f"{measured}: the ratio is right, but w is the steep direction, not b. The curvature along w"
                     " is too large: it should be a quarter of the 2 along b, not four times it.")
    if ratio < 1.1:
        fix = ("that is a round bowl, like the standardised visitors': every direction equally steep. Make b the"
               " steeper direction, four times steeper than w")
    elif abs(mean) > 0.1 * np.sqrt(mean_square):
        fix = ("they are not centred on 0, so w and b trade and the valley is tilted: make their mean 0 first"
               " (subtract it), then only the curvature along w is left to set")
    elif mean_square > 0.25:
        fix = "they are centred, but their squares average more than they should: shrink them"
    else:
        fix = "they are centred, but their squares average less than they should: spread them out"
    raise NotYet(f"{measured}; the task asks for a ratio of about {TARGET_RATIO:g} (from"
                 f" {TARGET_RATIO - RATIO_TOLERANCE:g} to {TARGET_RATIO + RATIO_TOLERANCE:g}) with b the steep"
                 f" direction: {fix}.")


q1 = Exercise(
    "The valley floor",
    _check_valley_floor,
    ("Fix the slope a. The loss is then a function of b alone, the mean of (a·xᵢ + b − yᵢ)²: a parabola in b."
     " Where is its lowest point?",
     "Section 5 expanded the square: moving b by k adds 2k·mean(a·x + b − y) + k² to the loss. At the lowest"
     " b no small k may lower it, so the term with a single k must vanish: set mean(a·x + b − y) to zero and"
     " solve for b, using the x and y the function is given."),
    "def valley_floor(x, y, a):\n    return np.mean(y - a * x)",
)
q2 = Exercise(
    "Visitors in hundreds",
    _check_hundreds,
    ("What is b in the line w·visitors + b, and where is it read on the data figure of section 5?",
     "Compute section 5's three curvatures for the inputs in hundreds: 2·mean(x²) along w, 2 along b and the"
     " cross curvature 2·mean(x). Are the first two far apart or close? Is the cross curvature 0, as after"
     " centring, or about as large as the others, so that w and b trade?"),
    'my_prediction = "b"  # a few tens: w and b curve alike now, but the inputs, all on one side of 0, still trade',
)
q3 = Exercise(
    "One wrong data point",
    _check_rise,
    ("Exercise 1 found the best b for any slope a. Write the best line's height at x = mean(x) with it.",
     "With b = mean(y) − a·mean(x), the height at mean(x) is a·mean(x) + b = mean(y), whatever a is. How much"
     " does mean(y) change when one of the 50 values of y rises by 20?"),
    "my_rise = 20 / 50  # the best line passes through (mean(x), mean(y)), and mean(y) rises by 20/50",
)
q4 = Exercise(
    "Design a valley of ratio 4",
    _check_ratio_four,
    ("Which of section 5's three curvatures (along w, along b, across) should vanish so that the steepest"
     " direction is exactly b, and how must the other two compare?",
     "The cross curvature 2·mean(x) must be 0: mean 0. Along b the curvature is 2; for a ratio of 4 with b the"
     " steeper, the curvature along w, 2·mean(x²), must be 2/4. What mean of the squares is that, and what size"
     " must numbers in ± pairs have to give it?",
     "Or start from any 50 numbers you like: subtract their mean and divide by their standard deviation (now"
     " mean(x²) = 1, as for section 5's standardised visitors), then scale them to the mean of the squares you"
     " found."),
    "my_inputs = np.repeat([-0.5, 0.5], 25)  # mean 0, mean of the squares 0.25: curvature 0.5 along w, 2 along b",
)
