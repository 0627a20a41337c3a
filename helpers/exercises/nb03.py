"""Checked exercises for notebook 03, Gradient descent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import CodeType
from typing import Any

import numpy as np

from helpers.data import load_vending_machine, noisy_line, quadratic
from helpers.exercises import Exercise, NotYet, as_array, as_number, call

# q4: from the last rows of section 8's table, predict when the loss passes LOSS_TARGET (training runs on)
LOSS_TARGET, LONG_EPOCHS, EPOCH_TOLERANCE = 1e-8, 100, 3
# q2: one step on the vending machine from the left of the bottom; the rate whose real drop is a quarter of the promise
PREDICT_W, QUARTER_TOLERANCE = 0.1, 0.03
# q3: where w is after two steps of the rate 7e-5 from w = 0.5 (section 5's rule: the distance × (1 − ηC) per step)
BOLDER_RATE, BOLDER_START, BOLDER_STEPS, BOLDER_TOLERANCE = 7e-5, 0.5, 2, 0.003
# Section 8's quadratic training: its start (a, b, c) and rate. Notebook 03 imports both, so its table and q4's
# check (which trains on from the same start) cannot disagree.
QUADRATIC_START, QUADRATIC_LR = (15.0, -2.0, 10.0), 0.1
# q1: names whose use means PyTorch (autograd, an optimizer) did the work the exercise asks for
AUTOGRAD_NAMES = {"torch", "backward", "optim", "autograd", "requires_grad", "requires_grad_"}


def quadratic_gradient(x: np.ndarray, y: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """The reference gradient of the quadratic neuron's MSE with respect to (a, b, c)."""
    error = a * x**2 + b * x + c - y
    return np.array([np.mean(2 * error * x**2), np.mean(2 * error * x), np.mean(2 * error)])


def _long_losses(lr: float = QUADRATIC_LR, epochs: int = LONG_EPOCHS) -> np.ndarray:
    """The loss at epochs 0, 1, ..., `epochs` of section 8's quadratic training (from QUADRATIC_START)."""
    x, y = quadratic()
    params, losses = np.array(QUADRATIC_START), []
    for _ in range(epochs + 1):
        a, b, c = params
        losses.append(np.mean((a * x**2 + b * x + c - y) ** 2))
        params = params - lr * quadratic_gradient(x, y, *params)
    return np.array(losses)


def epochs_to_reach(target: float, lr: float = QUADRATIC_LR, epochs: int = 50) -> int | None:
    """The first epoch at which the brief's quadratic training has a loss below `target`."""
    below = np.flatnonzero(_long_losses(lr, epochs) < target)
    return int(below[0]) if below.size else None


def fit_line(x: np.ndarray, y: np.ndarray, lr: float, epochs: int, factor: float = 1.0,
             reduce: Callable[[np.ndarray], float] = np.mean, squared: bool = False,
             a_input: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """Full-batch gradient descent on the line's mean absolute error from (0, 0): the slope of |e| is sign(e).

    `factor`, `reduce`, `squared` (the squared error's gradient 2e instead) and `a_input` (what multiplies
    a's gradient instead of x, e.g. np.abs, or np.ones_like when the x is forgotten) make the usual slips.
    """
    params = np.zeros(2)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            error = params[0] * x + params[1] - y
            outer = 2 * error if squared else np.sign(error)  # d(loss of one example)/de
            x_of_a = x if a_input is None else a_input(x)
            params = params - lr * np.array([reduce(factor * outer * x_of_a), reduce(factor * outer)])
    return params


def _line_cases() -> list[tuple[np.ndarray, np.ndarray, float, int]]:
    """Data the notebook never shows: centred and uncentred inputs, converged and stopped early."""
    rng = np.random.default_rng(7)
    x1 = rng.uniform(-1.0, 2.0, 30)
    x2 = rng.uniform(0.0, 3.0, 25)
    return [
        (x1, -2.0 * x1 + 1.0 + rng.normal(0, 0.2, 30), 0.1, 300),
        (x2, 0.5 * x2 - 4.0 + rng.normal(0, 0.1, 25), 0.05, 12),
    ]


def _code_objects(code: CodeType) -> Iterator[CodeType]:
    """A function's code and the code of everything defined inside it (lambdas, comprehensions)."""
    yield code
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _code_objects(constant)


def _uses_pytorch(function: Any) -> bool:
    """Whether the function names torch, backward or an optimizer (the names it reads, not its comments)."""
    code = getattr(function, "__code__", None)
    if not isinstance(code, CodeType):
        return False
    return any(AUTOGRAD_NAMES & set(part.co_names) for part in _code_objects(code))


def _check_fit_line(function: Any) -> str:
    if callable(function) and _uses_pytorch(function):
        raise NotYet("fit_line uses PyTorch (torch, backward or an optimizer): then autograd finds the gradient"
                     " for you. The exercise is to derive ∂L/∂a and ∂L/∂b yourself and write the update in NumPy.")
    for x, y, lr, epochs in _line_cases():
        what = f"fit_line(x, y, lr={lr}, epochs={epochs})"
        result = call(function, x, y, lr, epochs, what=what)
        if isinstance(result, tuple) and len(result) == 2:
            result = [as_number(value, what) for value in result]
        got = as_array(result, what, shape=(2,))
        want = fit_line(x, y, lr, epochs)
        if np.allclose(got, want, rtol=1e-4, atol=1e-6):
            continue
        if np.allclose(got, fit_line(x, y, lr, epochs, factor=-1.0), rtol=1e-3, atol=1e-6):
            raise NotYet(f"{what} walks uphill: the update subtracts lr × gradient, and the error is ŷ − y.")
        if np.allclose(got, fit_line(x, y, lr, epochs, squared=True), rtol=1e-3, atol=1e-6):
            raise NotYet(f"{what} follows the squared error's gradient (2e). Here the loss of one example is |e|:"
                         " what is the slope of |e| left and right of 0?")
        if np.allclose(got, fit_line(x, y, lr, epochs, factor=2.0), rtol=1e-3, atol=1e-6):
            raise NotYet(f"{what} uses twice the gradient: the slope of |e| is ±1; the factor 2 belonged to e².")
        if np.allclose(got, fit_line(x, y, lr, epochs, factor=0.5), rtol=1e-3, atol=1e-6):
            raise NotYet(f"{what} uses half the gradient: the slope of |e| is ±1, with no ½ in front (a ½ only"
                         " appears when a loss is defined as ½e², and then its slope is e).")
        if np.allclose(got, fit_line(x, y, lr, epochs, a_input=np.ones_like), rtol=1e-3, atol=1e-6):
            raise NotYet(f"{what}: ∂L/∂a is missing a factor. The chain rule multiplies the slope of |e| by de/da,"
                         " how much e = a·x + b − y moves per unit of a: that is x, not 1.")
        if np.allclose(got, fit_line(x, y, lr, epochs, a_input=np.abs), rtol=1e-3, atol=1e-6):
            raise NotYet(f"{what} multiplies ∂L/∂a by |x|. de/da is x itself, sign included: where x < 0, raising a"
                         " lowers e.")
        if np.allclose(got, want[::-1], rtol=1e-4, atol=1e-6):
            raise NotYet(f"{what} returns (b, a); return np.array([a, b]).")
        for off in (-1, 1):
            if epochs + off >= 0 and np.allclose(got, fit_line(x, y, lr, epochs + off), rtol=1e-4, atol=1e-6):
                raise NotYet(f"{what} takes {epochs + off} steps instead of {epochs}: one step per epoch.")
        if np.allclose(got, fit_line(x, y, lr, epochs, reduce=np.sum), rtol=1e-3, atol=1e-6):
            raise NotYet(f"{what} adds the examples' gradients; the loss is a mean, so take the mean.")
        raise NotYet(f"{what} is not right yet. Check both partial derivatives (q1.hint() helps), and that both"
                     " are computed from the same a and b before either is updated.")
    return ("Your loop matches on two data sets, one stopped early: you derived the gradient of a loss that no"
            " section wrote out, with one new local derivative (the slope of |e| is sign(e)), and wrote gradient"
            " descent from scratch.")


def _vending_curvature() -> float:
    """The vending machine's curvature C = d²L/dw² = 2·mean(x²), the same at every w."""
    return float(2 * np.mean(load_vending_machine().visitors.astype(float) ** 2))


def _slope_at(w: float) -> float:
    """The vending machine's dL/dw at w."""
    data = load_vending_machine()
    x, y = data.visitors.astype(float), data.bottles_sold.astype(float)
    return float(np.mean(2 * (w * x - y) * x))


def drop_ratio(rate: float, w: float = PREDICT_W) -> float:
    """One step of `rate` from `w` on the vending machine: the real drop of the loss over the tangent's ηg²."""
    data = load_vending_machine()
    x, y = data.visitors.astype(float), data.bottles_sold.astype(float)
    slope = _slope_at(w)
    real = np.mean((w * x - y) ** 2) - np.mean(((w - rate * slope) * x - y) ** 2)
    return float(real / (rate * slope**2))


# Rates learners reach for "a quarter of the promise" by a known slip, as multiples of 1/C, with what went wrong.
QUARTER_SLIPS = {
    1.0: "that is 1/C, where the real drop is exactly half the promise, not a quarter: a quarter needs a longer"
         " step, which the bending punishes more.",
    2.0: "that is 2/C, where the real drop is zero: the bending eats the whole promised drop, and the step lands"
         " as high as it started. A quarter of the promise needs a smaller rate.",
    0.5: "that is 1/(2C): at that rate the real drop is ¾ of the promise, not ¼. You want the real drop to be a"
         " quarter of the promise, so the bending must eat three quarters of it.",
    0.75: "that is 3/(4C): at that rate the real drop is 0.62 of the promise. Did you drop the ½ in front of the"
          " bending term, ½Cη²g²?",
}


def _check_quarter_drop(answer: Any) -> str:
    rate = as_number(answer, "my_rate")
    curvature = _vending_curvature()
    right = 1.5 / curvature  # real / promised = 1 − ½·C·η = ¼
    if rate <= 0:
        raise NotYet(f"{rate:g} is not a step against the slope: the rate η is a positive number.")
    if abs(rate / right - 1) <= QUARTER_TOLERANCE:
        return (f"η = 3/(2C) = {right:.3g}: the real drop is ηg² − ½Cη²g², so real / promised = 1 − ½Cη, and g"
                " cancels: the fraction does not depend on where you start (run the next cell: w = 0.1 and w = 0.5"
                " give the same). The same formula gives every fraction: ½ at η = 1/C, the rate that lands on the"
                " bottom in one step (section 4: at the bottom the loss has fallen by g²/(2C), while the tangent"
                " promised g²/C, twice that), and nothing at all at 2/C.")
    fraction = 1 - 0.5 * curvature * rate
    if abs(rate / right - 1) <= 0.1:
        raise NotYet(f"close, but not yet a quarter: at η = {rate:.3g} the real drop is {fraction:.2f} of the"
                     " promise. Solve 1 − ½Cη = ¼ exactly, with C = `curvature` of section 4.")
    for multiple, slip in QUARTER_SLIPS.items():  # rates a learner reaches by a known slip, as multiples of 1/C
        if abs(rate * curvature - multiple) <= 0.05:
            raise NotYet(slip)
    if abs(rate / curvature - 1) <= 0.05:
        raise NotYet("that is the curvature C itself, in bottles² per (bottle/visitor)²; the rate is a tiny number"
                     " that involves C.")
    if abs(rate - 0.25) <= 0.01:
        raise NotYet("¼ is the fraction the question asks for, not the rate: which η makes real / promised = ¼?")
    if fraction < 0:
        raise NotYet(f"at η = {rate:.3g} the step overshoots so far that the loss rises (beyond 2/C, section 4). Write"
                     " the real drop with section 4's exact formula and divide it by the promise ηg².")
    raise NotYet(f"at η = {rate:.3g} the real drop is {fraction:.2f} of the promise, not ¼. Write the real drop with"
                 " section 4's exact formula and divide it by the promise ηg² (q2.hint() helps).")


def _vending_bottom() -> float:
    """The vending machine's best weight w* (section 4's `w_one`)."""
    data = load_vending_machine()
    x, y = data.visitors.astype(float), data.bottles_sold.astype(float)
    return float(np.sum(x * y) / np.sum(x * x))


def bolder_w(steps: int = BOLDER_STEPS, factor: float | None = None) -> float:
    """w after `steps` steps of rate BOLDER_RATE from w = 0.5: each step multiplies w − w* by `factor` (1 − ηC)."""
    bottom = _vending_bottom()
    if factor is None:
        factor = 1 - BOLDER_RATE * _vending_curvature()
    return float(bottom + factor**steps * (BOLDER_START - bottom))


def _check_bolder_rate(answer: Any) -> str:
    guess = as_number(answer, "my_w")
    factor = 1 - BOLDER_RATE * _vending_curvature()
    right, bottom = bolder_w(), _vending_bottom()
    if abs(guess - right) <= BOLDER_TOLERANCE:
        return (f"w = {right:.4f}. Each step multiplies the distance to the bottom by 1 − ηC ≈ −{abs(factor):.2f}: the"
                f" minus sign puts w on the other side of the bottom, the size {abs(factor):.2f} < 1 brings it"
                f" closer. After one step w = {bolder_w(1):.4f}, left of the bottom ({bottom:.4f}); after two it is"
                f" back on the right, at {factor**2:.2f} of the starting distance. Run the next cell: a zigzag that"
                " converges. Above 2/C the factor would be below −1 and each landing further away: it diverges"
                " (notebook 04). Section 7's walk began the same way: its first step crossed the valley's floor,"
                " the next came back, and the zigzag died out fast (notebook 04 measures the"
                " curvature across that valley).")
    if abs(guess - bottom) <= 0.002:
        raise NotYet(f"{guess:g} is (nearly) the bottom, where section 5's rate 4e-5 got in two steps. 7e-5 is a"
                     " longer step than 1/C, the rate that lands on the bottom: what is 1 − ηC now?")
    if abs(guess - bolder_w(1)) <= BOLDER_TOLERANCE:
        raise NotYet(f"{guess:g} is where the first step lands. The question asks for w after two steps.")
    if abs(guess - bolder_w(3)) <= BOLDER_TOLERANCE:
        raise NotYet(f"{guess:g} is where the third step lands. The question asks for w after two steps.")
    if abs(guess - bolder_w(1, abs(factor))) <= BOLDER_TOLERANCE:
        raise NotYet(f"{guess:g} uses the size of 1 − ηC but not its sign, for one step. The factor is negative:"
                     " where does one step put w? And the question asks for two steps.")
    if abs(guess - factor**2 * BOLDER_START) <= BOLDER_TOLERANCE:
        raise NotYet(f"{guess:g} is 0.5 × (1 − ηC)²: the rule multiplies the distance to the bottom, w − w*, not w"
                     " itself. Start from the distance 0.5 − w_one, then add w_one back.")
    if abs(guess - bolder_w(2, 1 + BOLDER_RATE * _vending_curvature())) <= 0.05:
        raise NotYet(f"{guess:g} uses 1 + ηC: the step goes against the slope, so the factor is 1 − ηC.")
    if abs(guess - bottom) > BOLDER_START - bottom:
        raise NotYet(f"{guess:g} is further from the bottom than the start: that would mean it diverges, which"
                     " needs 1 − ηC below −1. Work out 1 − ηC for η = 7e-5 with C = `curvature`.")
    raise NotYet(f"{guess:g} is not it yet. Two steps multiply the distance to the bottom, 0.5 − w_one, by"
                 " (1 − ηC) twice; w is then w_one plus that distance (q3.hint() helps).")


def _steepest_line_curvature() -> float:
    """The curvature across the valley of section 6's line loss (its steepest direction)."""
    x, _ = noisy_line(n=50, a=3.0, b=8.0, noise=0.3, seed=0)
    return float(np.linalg.eigvalsh(2 * np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])).max())


def _gentlest_quadratic_curvature() -> float:
    """The curvature along the gentlest direction of section 8's quadratic loss."""
    x, _ = quadratic()
    inputs = np.stack([x**2, x, np.ones_like(x)])  # what multiplies a, b and c
    return float(np.linalg.eigvalsh(2 * inputs @ inputs.T / len(x)).min())


def _check_long_run(answer: Any) -> str:
    guess = as_number(answer, "my_epoch")
    right = epochs_to_reach(LOSS_TARGET, epochs=LONG_EPOCHS)
    if abs(guess - right) <= EPOCH_TOLERANCE:
        losses = _long_losses()
        factor, ratio = losses[50] / LOSS_TARGET, losses[40] / losses[50]
        return (f"the loss first falls below {LOSS_TARGET:g} at epoch {right} (run the next cell). Each ten epochs"
                f" divide it by about the same factor, so two rows of the table predict the whole tail: a factor"
                f" of {factor:.0f} more takes 10·log({factor:.0f}) / log({ratio:.0f}) ≈"
                f" {10 * np.log(factor) / np.log(ratio):.0f} epochs after epoch 50. Why the factor holds: the loss"
                " falls along three directions at once, each by its own factor per step, as the one weight did in"
                " section 5; the steeper directions are gone early, and the gentlest one, left alone, keeps its"
                " factor from then on (notebook 04 shows how to find such directions and their curvatures).")
    if guess <= 52:
        raise NotYet(f"{guess:g} is far too early. The loss does not fall by a fixed amount per epoch (then it"
                     " would soon be negative) but by a fixed factor: about 14 every ten epochs.")
    if guess < right:
        raise NotYet(f"{guess:g} is too early: from 1.11e-05 down to {LOSS_TARGET:g} is a factor of about 1100."
                     " How many factors of 14 (ten epochs each) does that take?")
    raise NotYet(f"{guess:g} is too late: from 1.11e-05 down to {LOSS_TARGET:g} is a factor of about 1100, and"
                 " each ten epochs divide the loss by about 14. How many factors of 14 make 1100?")


q1 = Exercise(
    "Train a line on the absolute error",
    _check_fit_line,
    (
        "Section 3's chain rule with one link changed: the error e = a·x + b − y is as before (what multiplies a"
        " in it? what multiplies b?), but the outer step is |e| instead of e². Sketch |e| against e: what is its"
        " slope right of 0? Left of 0?",
        "d|e|/de = +1 where e > 0 and −1 where e < 0, which is np.sign(e); de/da = x and de/db = 1. So"
        " ∂L/∂a = mean(sign(e)·x) and ∂L/∂b = mean(sign(e)).",
        "Start with a = b = 0.0; repeat `epochs` times: compute the error with the current a and b, both"
        " gradients from that error, then a = a − lr·∂L/∂a and b = b − lr·∂L/∂b; finally return"
        " np.array([a, b]).",
    ),
    "def fit_line(x, y, lr, epochs):\n    a, b = 0.0, 0.0\n    for _ in range(epochs):\n"
    "        error = a * x + b - y\n        slope = np.sign(error)  # d|e|/de: +1 right of 0, -1 left of it\n"
    "        grad_a, grad_b = np.mean(slope * x), np.mean(slope)\n"
    "        a, b = a - lr * grad_a, b - lr * grad_b\n    return np.array([a, b])",
)
q2 = Exercise(
    "A quarter of the promise",
    _check_quarter_drop,
    (
        "The tangent promises a drop of ηg². Section 4's exact formula says what the step really takes off the"
        " loss. Write the real drop, divide it by the promise, and look at what is left.",
        "Real drop = L(w) − L(w − ηg) = ηg² − ½Cη²g², so real / promised = 1 − ½Cη: g cancels, so the start"
        " does not matter. Set 1 − ½Cη = ¼ and solve for η, with C = `curvature` (section 4).",
    ),
    "my_rate = 3 / (2 * curvature)  # real / promised = 1 − ½·C·η, which is ¼ when η = 3/(2C)",
)
q3 = Exercise(
    "A bolder rate",
    _check_bolder_rate,
    (
        "Section 5's rule: each step multiplies the distance to the bottom, w − w*, by 1 − ηC (C = `curvature`,"
        " w* = `w_one`). Work out that factor for η = 7e-5: is it positive or negative? Bigger or smaller than 1"
        " in size?",
        "The distance starts at 0.5 − w_one. Two steps multiply it by (1 − ηC) twice, so after two steps it is"
        " (1 − ηC)² × (0.5 − w_one), and w = w_one + that distance.",
    ),
    "my_w = w_one + (1 - 7e-5 * curvature) ** 2 * (0.5 - w_one)  # two steps, each × (1 − ηC) ≈ −0.65",
)
q4 = Exercise(
    "Predict the long run",
    _check_long_run,
    (
        "Late in training the loss falls by about the same factor every ten epochs. How many times must"
        " 1.11e-05 be divided to reach 1e-8?",
        "From 1.11e-05 to 1e-8 is a factor of about 1100. Ten epochs divide the loss by r = losses[40] /"
        " losses[50] ≈ 14, so k lots of ten epochs divide it by r^k: solve r^k = 1100, k = log(1100) / log(r),"
        " and add 10·k to 50.",
    ),
    "ratio = losses[40] / losses[50]  # the factor of the last ten epochs\n"
    "my_epoch = 50 + 10 * np.log(losses[50] / 1e-8) / np.log(ratio)",
)
