"""Exercise checkers: right answers pass, wrong ones fail without giving the answer away, nothing crashes."""

import _thread
import itertools
import math
import os
import random
import signal
import threading
import time

import numpy as np
import pytest
import torch

from helpers import exercises
from helpers.data import load_vending_machine, noisy_line, quadratic, ring, wavy
from helpers.exercises import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, running
from helpers.exercises.nb01 import MSE_TARGET, q1, q2, q3, q4, q5, q6, q7

EVERY_EXERCISE = {
    f"{module.__name__.split('.')[-1]}.{name}": getattr(module, name)
    for module in (
        nb01,
        nb02,
        nb03,
        nb04,
        nb05,
        nb06,
        nb07,
        nb08,
    )
    for name in sorted(vars(module))
    if isinstance(getattr(module, name), exercises.Exercise)
}


def raises(*_args):
    raise KeyError("oops")


def test_leaky_relu_checker():
    assert q2.feedback(lambda z: np.where(z > 0, z, 0.1 * z))[0]
    assert q2.feedback(lambda z: torch.nn.functional.leaky_relu(torch.tensor(z), 0.1))[0]
    wrong = [lambda z: np.maximum(0, z), lambda z: np.where(z > 0, z, 0.01 * z), lambda z: 0.1 * z, lambda z: z[:3]]
    for answer in wrong:
        correct, message = q2.feedback(answer)
        assert not correct and message.startswith(exercises.NOT_YET)
    assert "shape (21,)" in q2.feedback(lambda z: z[:3])[1]


def test_leaky_relu_checker_accepts_an_in_place_function_with_a_warning():
    def in_place(z):
        z[z < 0] *= 0.1
        return z

    correct, message = q2.feedback(in_place)
    assert correct and "changed its input" in message
    assert "changed its input" not in q2.feedback(lambda z: np.where(z > 0, z, 0.1 * z))[1]


def test_leaky_relu_checker_tries_a_2d_array():
    assert not q2.feedback(lambda z: np.array([z[0] if z[0] > 0 else 0.1 * z[0]] * len(z)))[0]
    correct, message = q2.feedback(lambda z: np.where(z.ravel() > 0, z.ravel(), 0.1 * z.ravel()))
    assert not correct and "2-D" in message


def test_mystery_neuron_choice_explains_each_wrong_option():
    assert q3.feedback("b")[0]
    for letter, words in {"a": "x = −1", "c": "slope 1", "d": "sigmoid"}.items():
        correct, message = q3.feedback(letter)
        assert not correct and words in message


def test_fahrenheit_to_celsius_checker():
    assert q4.feedback((1 / 1.8, -32 / 1.8))[0]
    assert q4.feedback([0.5556, -17.78])[0]
    assert q4.feedback((0.556, -17.8))[0]
    assert q4.feedback((torch.tensor(1 / 1.8), np.float64(-32 / 1.8)))[0]
    # judged by the outputs at 32 °F and 212 °F (within 0.5 °C): (0.55, -17.8) turns 212 °F into 98.8 °C
    for answer in [(1.8, 32), (1 / 1.8, 32), (0.5, -17.78), (0.6, -17.78), (0.55, -17.8), (0.56, -17.8)]:
        correct, message = q4.feedback(answer)
        assert not correct and "0.55" not in message and "17.7" not in message and "212 °F gives" in message
    assert "98.8 °C" in q4.feedback((0.55, -17.8))[1] and "rounding" in q4.feedback((0.55, -17.8))[1]
    correct, message = q4.feedback((1 / 1.8, -32))  # the common slip: dividing F alone, then subtracting 32
    assert not correct and "weight is right" in message and "the 32 as well" in message


def test_bias_left_out_choice_explains_each_wrong_option():
    assert q5.feedback("b")[0] and q5.feedback(" (B) ")[0]
    assert "not a rule" in q5.feedback("b")[1] and "34" in q5.feedback("b")[1]  # the bias helps on some draws
    for letter, words in {"a": "no such guarantee", "c": "almost never exactly 0"}.items():
        correct, message = q5.feedback(letter)
        assert not correct and words in message


def test_bias_left_out_feedback_numbers_are_recomputed():  # independently: leave-one-out via the hat matrix
    from helpers.data import make_vending_machine

    def left_out(inputs, sold):
        hat = inputs @ np.linalg.pinv(inputs)
        return np.mean(((sold - hat @ sold) / (1 - np.diag(hat))) ** 2)

    changes, biases = [], []
    for seed in range(200):
        days = make_vending_machine(seed)
        without = np.column_stack([days.visitors, days.temperature_c]).astype(float)
        with_bias = np.column_stack([without, np.ones(len(days.visitors))])
        changes.append(left_out(with_bias, days.bottles_sold) - left_out(without, days.bottles_sold))
        biases.append(np.linalg.lstsq(with_bias, days.bottles_sold, rcond=None)[0][2])
    changes, biases = np.array(changes), np.array(biases)
    lowers = changes < 0
    message = q5.feedback("b")[1]
    for number in (f"on {np.sum(changes > 0)} (median change {np.median(changes):+.2f}",
                   f"from {changes.min():+.2f} to {changes.max():+.2f})", f"the other {np.sum(lowers)}:",
                   f"on {np.sum(np.abs(biases[lowers]) >= 2)} of the {np.sum(lowers)} the fitted bias"):
        assert number.replace("-", "−") in message, number


def test_fit_by_hand_checker_uses_the_real_error():
    assert q1.feedback((0.12, 9.0))[0]
    for answer in [(0.5, 0.0), (0.2, 0.0), (0.0, 20.0)]:
        correct, message = q1.feedback(answer)
        assert not correct and f"below {MSE_TARGET:g}" in message


def test_cafe_layer_checker():
    # from the question: bottles = 0.12·visitors + 0.44·temperature (section 6's neuron, no bias), ice creams =
    # 0.05·visitors + 0.8·temperature − 3; input i's weight in output j goes in row i, column j
    W, B = np.array([[0.12, 0.05], [0.44, 0.8]]), np.array([0.0, -3.0])
    assert q6.feedback((W, B))[0]
    assert q6.feedback((W.tolist(), B.reshape(1, 2)))[0]
    for answer, words in [
        ((W.T, B), "transposed"),
        ((W[:, ::-1], B), "swapped"),
        ((W, B[::-1]), "wrong order"),
        ((W, np.zeros(2)), "which of the two neurons"),
        ((W, np.zeros(3)), "one bias per output"),
        ((W.ravel(), B), "one row per input"),
        ((W + 0.1, B), "row i"),
        ((W, B, B), "both parts"),
        ((W, B.reshape(2, 1)), "shape (2,)"),
        ((W, B.reshape(1, 2, 1)), "shape (2,)"),
        ((np.array([[0.12, 0.05], [0.45, 0.8]]), B), "w2 = 0.44"),
    ]:
        correct, message = q6.feedback(answer)
        assert not correct and words in message and "0.05" not in message


def test_origin_line_prediction_explains_each_wrong_pair():
    assert q7.feedback("b")[0]  # above 0.20 on the quiet days; too few bottles there
    for letter, words in {"a": "pull against each other", "c": "starts at 0 bottles", "d": "above 0.20"}.items():
        correct, message = q7.feedback(letter)
        assert not correct and words in message


def test_a_python_if_on_an_array_gets_a_numpy_tip():
    def leaky_relu(z):
        return z if z > 0 else 0.1 * z

    correct, message = q2.feedback(leaky_relu)
    assert not correct and "np.where" in message


def test_unfinished_placeholders_get_a_specific_nudge():
    def unfinished(z): ...

    assert "returned None" in q2.feedback(unfinished)[1]
    assert "still `...`" in q4.feedback(...)[1]
    assert "raised KeyError" in q2.feedback(raises)[1]


def test_a_buggy_checker_still_answers_with_a_sentence():
    def broken_checker(_answer):
        raise RuntimeError("bug in the course")

    correct, message = exercises.Exercise("t", broken_checker, "h", "s").feedback(1)
    assert not correct and "could not judge" in message and "bug in the course" in message


def test_check_hint_and_solution_print(capsys):
    q4.check((1 / 1.8, -32 / 1.8))
    q4.hint()
    q4.solution()
    out = capsys.readouterr().out
    assert out.startswith(exercises.CORRECT) and "Hint 1 of 2:" in out
    assert "celsius_neuron = (1 / 1.8, -32 / 1.8)" in out


def test_hints_come_in_levels_then_the_solution(capsys):
    exercise = exercises.Exercise("levels", lambda answer: "", ("a nudge", "the method"), "answer = 1")
    exercise.hint()
    exercise.hint()
    exercise.hint()  # past the last level it stays there; the next level is the solution
    exercise.hint(1)
    exercise.hint(3)
    exercise.hint("two")
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith("💡")] == [
        "💡 Hint 1 of 2: a nudge", "💡 Hint 2 of 2: the method", "💡 Hint 2 of 2: the method", "💡 Hint 1 of 2: a nudge"
    ]
    assert "(the next level is .solution())" in out[3]
    assert out[-2:] == [f"hint({level!r}) is not a hint level: this exercise has levels 1 to 2; q.hint() gives the next"
                        " one, q.hint(1) the first." for level in (3, "two")]


def test_a_multiple_choice_answer_gets_the_reason_its_option_is_wrong():
    def judge(answer):
        exercises.choose(answer, "b", {"a": "too big.", "c": "too small."})
        return "Right."

    exercise = exercises.Exercise("choice", judge, ("a nudge", "the method"), 'answer = "b"')
    assert exercise.feedback(" (B) ") == (True, "✅ Correct! Right.")
    assert exercise.feedback("a")[1] == "❌ Not yet: (a) is not it: too big."
    for wrong in ("d", "ab", "", 2, ["b"]):
        assert 'one of the letters "a", "b", "c" (in quotes)' in exercise.feedback(wrong)[1]
    assert exercise.feedback(...)[1].endswith('answer is still `...`: set it to one letter in quotes, such as "a".')


# Every notebook was reworked (05-08 for issue 13, 01-04 for issue 12): at least four exercises each, every one
# with hints in levels.
REWORKED = {
    "nb01",
    "nb02",
    "nb03",
    "nb04",
    "nb05",
    "nb06",
    "nb07",
    "nb08",
}


@pytest.mark.parametrize("module", sorted(REWORKED))
def test_reworked_notebooks_have_four_exercises_with_hints_in_levels(module):
    found = {name: q for name, q in EVERY_EXERCISE.items() if name.startswith(f"{module}.")}
    assert len(found) >= 4, f"{module} has {len(found)} exercises, expected at least four"
    flat = [name for name, q in found.items() if len(q.hints) < 2]
    assert not flat, f"these exercises have a single hint, expected a nudge and then the method: {flat}"


@pytest.mark.parametrize(
    "convert, value, words",
    [
        (exercises.as_number, "1", "should be a number"),
        (exercises.as_number, np.ones(2), "should be one number"),
        (exercises.as_number, float("inf"), "finite"),
        (exercises.as_array, "abc", "a string"),
        (exercises.as_array, [[1], [2, 3]], "array of numbers"),
        (exercises.as_pair, 5, "two numbers"),
    ],
)
def test_converters_say_what_they_expected(convert, value, words):
    with pytest.raises(exercises.NotYet, match=words):
        convert(value, "x")


def test_valley_floor_checker():
    ex = nb02.q1
    assert ex.feedback(lambda x, y, a: np.mean(y - a * x))[0]
    assert ex.feedback(lambda x, y, a: np.mean(y) - a * np.mean(x))[0]
    assert ex.feedback(lambda x, y, a: np.linalg.lstsq(np.ones((len(x), 1)), y - a * x, rcond=None)[0][0])[0]
    assert ex.feedback(lambda x, y, a: [np.mean(y - a * x)])[0]  # one number in a list is still one number
    assert "should be a number" in ex.feedback(lambda x, y, a: [np.mean(y - a * x)] * 2)[1]
    assert "whatever a is" in ex.feedback(lambda x, y, a: np.mean(y))[1]
    assert "not just a" in ex.feedback(lambda x, y, a: np.mean(y) - a)[1]
    global_data = lambda x, y, a: np.mean(nb02.Y - a * nb02.X)  # noqa: E731
    assert "notebook's 50 points" in ex.feedback(global_data)[1]
    assert "parabola" in ex.feedback(lambda x, y, a: np.mean(y - a * x) + 0.5)[1]
    assert not ex.feedback(lambda x, y, a: np.median(y - a * x))[0]
    grid_search = lambda x, y, a: np.round(np.mean(y - a * x), 3)  # noqa: E731  a search in steps of 0.001
    correct, message = ex.feedback(grid_search)
    assert not correct and "grid" in message and "formula" in message
    coarse = ex.feedback(lambda x, y, a: np.round(np.mean(y - a * x), 1))[1]
    shown = [word.rstrip(";,") for word in coarse.split() if word[0].isdigit() and "." in word]
    assert len(set(shown[-2:])) == 2, coarse  # the two losses it compares are printed with enough digits to differ


def test_visitors_in_hundreds_choice_explains_each_wrong_option():
    ex = nb02.q2
    assert ex.feedback("b")[0] and ex.feedback(" (B) ")[0]
    for wrong, words in (("a", "numbers near 1"), ("c", "not their offset"), ("d", "a hundred times larger")):
        correct, message = ex.feedback(wrong)
        assert not correct and words in message


def test_outlier_rise_prediction_checker():
    ex = nb02.q3
    assert ex.feedback(0.4)[0] and ex.feedback(20 / 49)[0] and ex.feedback(np.float64(0.4))[0]
    assert ex.feedback([0.4])[0]  # one number in a list is still one number
    for wrong, words in ((0, "does move"), (20, "does not jump"), (8, "adds to the loss"), (-0.4, "up, not down"),
                         (1.0, "Exercise 1"), ("0.4", "without quotes")):
        correct, message = ex.feedback(wrong)
        assert not correct and words in message
    y_typo = nb02.Y.copy()
    y_typo[10] += 20
    x = nb02.X
    (a0, b0), (a1, b1) = np.polyfit(x, nb02.Y, 1), np.polyfit(x, y_typo, 1)
    assert np.isclose((a1 - a0) * x.mean() + b1 - b0, 0.4)  # the notebook's experiment agrees with the answer


def test_ratio_four_design_checker():
    ex = nb02.q4
    x = nb02.X
    standardised = (x - x.mean()) / x.std()
    for right in (np.repeat([-0.5, 0.5], 25), standardised / 2, list(-standardised / 2),
                  np.linspace(-1, 1, 50) / 0.589 / 2):
        assert ex.feedback(right)[0], right
    for wrong, words in ((x, "not centred"), (x - x.mean(), "spread them out"), (standardised, "round bowl"),
                         (2 * standardised, "w is the steep direction"), (standardised / 2 + 1, "not centred"),
                         (np.ones(50), "the same number"), (np.repeat([-1.0, 1.0], 5), "shape (10,)"),
                         (np.zeros((5, 10)), "shape (5, 10)"), ("1, -1", "the text"), ([np.nan] * 50, "NaN"),
                         (None, "None"), (standardised / 1.5, "shrink them")):
        correct, message = ex.feedback(wrong)
        assert not correct and words in message, (wrong, message)
    assert "11.8" in ex.feedback(x - x.mean())[1]  # says how far off
    assert "my_inputs is still" in ex.feedback()[1]


def test_steepness_ratio_matches_the_notebooks_measurement():
    x, y = nb02.X, nb02.Y
    for inputs in (x, x - x.mean(), (x - x.mean()) / x.std(), nb02.VISITORS / 100):
        w0, b0 = np.polyfit(inputs, y, 1)
        angles = np.linspace(0, np.pi, 3600, endpoint=False)  # a step of 0.01 in every direction of the map
        w, b = w0 + 0.01 * np.cos(angles)[:, None], b0 + 0.01 * np.sin(angles)[:, None]
        rises = np.mean((w * inputs + b - y) ** 2, axis=1) - np.mean((w0 * inputs + b0 - y) ** 2)
        assert np.isclose(rises.max() / rises.min(), nb02.steepness_ratio(inputs), rtol=1e-3)


def absolute_error_loop(x, y, lr, epochs, slope_of_error=np.sign, times_x=lambda x: x, average=np.mean, scale=1.0):
    """A learner's loop for 03's q1, written apart from the checker's reference, with the usual slips as options:
    a wrong slope of |e| (2e, from e²), a wrong factor for ∂e/∂a (1 or |x| instead of x), a sum, a stray factor."""
    a = b = 0.0
    with np.errstate(over="ignore", invalid="ignore"):  # some slips blow up
        for _ in range(epochs):
            outer = scale * slope_of_error(a * x + b - y)
            a, b = a - lr * average(outer * times_x(x)), b - lr * average(outer)
    return np.array([a, b])


def test_fit_line_checker_runs_the_learners_loop_on_unseen_data():
    ex = nb03.q1

    def right(x, y, lr, epochs):  # gradient descent on the mean absolute error: d|e|/de = sign(e)
        a = b = 0.0
        for _ in range(epochs):
            slope = np.sign(a * x + b - y)
            a, b = a - lr * np.mean(slope * x), b - lr * np.mean(slope)
        return np.array([a, b])

    assert ex.feedback(right)[0]
    assert ex.feedback(lambda *args: tuple(right(*args)))[0]

    def with_where(x, y, lr, epochs):  # another way to write the sign, and the error the other way round
        a = b = 0.0
        for _ in range(epochs):
            slope = -np.where(y - (a * x + b) > 0, 1.0, -1.0)
            a, b = a - lr * np.mean(slope * x), b - lr * np.mean(slope)
        return np.array([a, b])

    assert ex.feedback(with_where)[0]

    def with_sgd(x, y, lr, epochs):  # notebook 03's torch.optim.SGD cell wrapped in a function: no derivation
        a, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.SGD([a, b], lr=lr)
        x_t, y_t = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
        for _ in range(epochs):
            optimizer.zero_grad()
            torch.mean(torch.abs(a * x_t + b - y_t)).backward()
            optimizer.step()
        return np.array([a.item(), b.item()])

    correct, message = ex.feedback(with_sgd)
    assert not correct and "uses PyTorch" in message
    assert "uses PyTorch" in ex.feedback(lambda x, y, lr, epochs: torch.tensor(right(x, y, lr, epochs)))[1]
    assert [len(ex.hints), ex.hints[0].count("∂"), ex.hints[0].count("sign")] == [3, 0, 0]  # level 2 tells
    fit = absolute_error_loop
    assert ex.feedback(fit)[0]  # the slips below differ from it in one place each
    assert "uphill" in ex.feedback(lambda x, y, lr, epochs: fit(x, y, lr, epochs, scale=-1.0))[1]
    # section 8's squared-error loop copied over, the one slip the exercise is built to catch
    assert "squared error's gradient" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, lambda e: 2 * e))[1]
    assert "twice the gradient" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, scale=2.0))[1]
    assert "half the gradient" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, scale=0.5))[1]  # a stray ½
    assert "that is x, not 1" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, times_x=np.ones_like))[1]
    assert "by |x|" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, times_x=np.abs))[1]
    assert "returns (b, a)" in ex.feedback(lambda *args: right(*args)[::-1])[1]
    assert "instead of" in ex.feedback(lambda x, y, lr, epochs: right(x, y, lr, epochs + 1))[1]
    summed = ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, average=np.sum))[1]
    assert "take the mean" in summed or "NaN" in summed
    assert "shape (2,)" in ex.feedback(lambda *args: np.append(right(*args), 0))[1]

    def sequential(x, y, lr, epochs):  # updates a, then uses the new a for b's gradient
        a = b = 0.0
        for _ in range(epochs):
            a = a - lr * np.mean(np.sign(a * x + b - y) * x)
            b = b - lr * np.mean(np.sign(a * x + b - y))
        return np.array([a, b])

    correct, message = ex.feedback(sequential)
    assert not correct and "before either is updated" in message


def vending_slope_and_curvature(w: float) -> tuple[float, float]:
    """dL/dw and d²L/dw² of the vending machine's loss at w, by torch autograd (the checker's are by hand)."""
    data = load_vending_machine()
    x, y = (torch.tensor(v, dtype=torch.float64) for v in (data.visitors, data.bottles_sold))
    weight = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    (slope,) = torch.autograd.grad(torch.mean((weight * x - y) ** 2), weight, create_graph=True)
    (curvature,) = torch.autograd.grad(slope, weight)
    return slope.item(), curvature.item()


def test_quarter_drop_checker():
    ex = nb03.q2
    slope, curvature = vending_slope_and_curvature(0.1)
    # the rate whose real drop is a quarter of the tangent's promise ηg², by trying 1,000 rates from w = 0.1
    data = load_vending_machine()
    x, y = data.visitors.astype(float), data.bottles_sold.astype(float)
    rates = np.linspace(1e-7, 1e-4, 1000)
    landed = np.mean((np.outer(0.1 - rates * slope, x) - y) ** 2, axis=1)
    right = rates[np.argmin(np.abs((np.mean((0.1 * x - y) ** 2) - landed) / (rates * slope**2) - 0.25))]
    assert np.isclose(right, 1.5 / curvature, rtol=0.005)  # the formula 3/(2C) agrees with the search
    assert np.allclose([nb03.drop_ratio(right, w) for w in (0.1, 0.5)], 0.25, atol=0.002)  # from any start
    assert np.allclose([nb03.drop_ratio(1 / curvature, w) for w in (0.1, 0.5)], 0.5)
    assert ex.feedback(right)[0] and ex.feedback(6.35e-5)[0] and ex.feedback(6.4e-5)[0]
    assert ex.feedback(np.array([6.35e-5]))[0] and ex.feedback(torch.tensor(6.35e-5))[0]
    assert "close" in ex.feedback(6e-5)[1]  # 0.29 of the promise
    assert "exactly half" in ex.feedback(1 / curvature)[1] and "exactly half" in ex.feedback(4.24e-5)[1]
    assert "2/C" in ex.feedback(2 * right / 1.5)[1]
    assert "¾ of the promise" in ex.feedback(0.5 / curvature)[1]
    assert "½ in front" in ex.feedback(0.75 / curvature)[1]
    assert "curvature C itself" in ex.feedback(curvature)[1]
    assert "fraction" in ex.feedback(0.25)[1]
    assert "positive" in ex.feedback(-right)[1]
    assert "0.88 of the promise" in ex.feedback(1e-5)[1]
    assert "0.53 of the promise" in ex.feedback(4e-5)[1]
    assert "loss rises" in ex.feedback(1e-3)[1]


def test_bolder_rate_checker():
    ex = nb03.q3
    # the answer is true: ten real steps of 7e-5 from w = 0.5 land on alternate sides of the bottom, closer each time,
    # and the second lands where section 5's rule says, w* + (1 − ηC)²·(0.5 − w*)
    data = load_vending_machine()
    x, y = data.visitors.astype(float), data.bottles_sold.astype(float)
    best, w, path = np.sum(x * y) / np.sum(x * x), 0.5, []
    for _ in range(10):
        w = w - 7e-5 * np.mean(2 * (w * x - y) * x)
        path.append(w)
    distances = [v - best for v in path]
    assert all(d1 * d2 < 0 and abs(d2) < abs(d1) for d1, d2 in zip(distances, distances[1:], strict=False))
    assert np.isclose(path[1], nb03.bolder_w()) and abs(path[1] - 0.3283) < 1e-4
    assert ex.feedback(path[1])[0] and ex.feedback(0.327)[0] and ex.feedback(np.array([0.33]))[0]
    assert ex.feedback(torch.tensor(0.3283))[0]
    assert "the bottom" in ex.feedback(0.2012)[1] and "the bottom" in ex.feedback(0.2021)[1]  # 1/C, or 4e-5 twice
    assert "first step" in ex.feedback(path[0])[1] and "third step" in ex.feedback(path[2])[1]
    assert "not its sign" in ex.feedback(best + 0.652 * (0.5 - best))[1]
    assert "not w itself" in ex.feedback(0.5 * 0.652**2)[1]
    assert "1 + ηC" in ex.feedback(best + 2.652**2 * (0.5 - best))[1]
    assert "diverges" in ex.feedback(0.6)[1] and "diverges" in ex.feedback(-0.2)[1]
    assert "should be a number" in ex.feedback("b")[1]
    # the feedback's pointer back to section 7: lr = 0.5 overshoots across the line's valley, and the zigzag shrinks
    across = larger_root(line_hessian_by_autograd(noisy_line()[0]))
    assert np.isclose(nb03._steepest_line_curvature(), across) and 1 < 0.5 * across < 2
    assert "Section 7" in ex.feedback(path[1])[1]
    assert "eigen" not in ex.feedback(path[1])[1] and f"{across:.2f}" not in ex.feedback(path[1])[1]


def test_long_run_checker():
    ex = nb03.q4
    losses = _brief_losses(epochs=100)
    first_below = next(epoch for epoch, loss in enumerate(losses) if loss < 1e-8)
    assert first_below == 77 == nb03.epochs_to_reach(1e-8, epochs=100)
    predicted = 50 + 10 * np.log(losses[50] / 1e-8) / np.log(losses[40] / losses[50])  # from the table's rows
    assert abs(predicted - 77) < 1 and ex.feedback(predicted)[0] and ex.feedback(np.int64(77))[0]
    assert ex.feedback(74)[0] and ex.feedback(80)[0]
    assert "too early" in ex.feedback(70)[1] and "too late" in ex.feedback(85)[1]
    # the feedback's reason: the gentlest direction's curvature predicts the factor the table measured
    x, y = (torch.tensor(v, dtype=torch.float64) for v in quadratic())
    hessian = torch.autograd.functional.hessian(
        lambda p: torch.mean((p[0] * x**2 + p[1] * x + p[2] - y) ** 2), torch.zeros(3, dtype=torch.float64))
    gentle = np.linalg.eigvalsh(hessian.numpy()).min()
    assert np.isclose(nb03._gentlest_quadratic_curvature(), gentle)
    assert abs((1 - 0.1 * gentle) ** -20 / (losses[40] / losses[50]) - 1) < 0.02  # 13.9 against 14.1
    assert "notebook 04 shows" in ex.feedback(77)[1] and f"{gentle:.2f}" not in ex.feedback(77)[1]
    assert "fixed factor" in ex.feedback(51)[1]  # a straight-line (linear) extrapolation of the loss


def test_limit_prediction_checker():
    ex = nb04.q1
    assert ex.feedback("c")[0] and "at least 28-fold" in ex.feedback("c")[1] and "less than" in ex.feedback("c")[1]
    assert "mostly along b" in ex.feedback("a")[1] and "72.5, already 28 times" in ex.feedback("b")[1]
    assert "get smaller" in ex.feedback("d")[1]
    assert "28.5" not in ex.feedback("c")[1]  # the exact factor is the run cell's


def line_hessian_by_autograd(x: np.ndarray) -> np.ndarray:
    """The matrix of second derivatives of a line's mean squared error over (a, b), by torch autograd."""
    inputs = torch.tensor(x, dtype=torch.float64)

    def loss(params):
        return torch.mean((params[0] * inputs + params[1] - 1.0) ** 2)  # the targets do not matter: any will do

    return torch.autograd.functional.hessian(loss, torch.zeros(2, dtype=torch.float64)).numpy()


def larger_root(matrix: np.ndarray) -> float:
    """The larger eigenvalue of a symmetric 2 × 2 matrix [[p, q], [q, r]] by hand: the larger root of
    λ² − (p + r)λ + (pr − q²) = 0, that is (p + r)/2 + √(((p − r)/2)² + q²)."""
    (p, q), (_, r) = matrix
    return float((p + r) / 2 + np.hypot((p - r) / 2, q))


def descent_settles(x: np.ndarray, rate: float, steps: int = 300) -> bool:
    """Whether plain gradient descent on a line's mean squared error (targets 0, minimum at a = b = 0) ends
    nearer the minimum than its start (1, 1): the stable limit found by trying rates, with no curvature."""
    a = b = 1.0
    with np.errstate(over="ignore", invalid="ignore"):  # above the limit the steps grow without bound
        for _ in range(steps):
            error = a * x + b
            a, b = a - rate * np.mean(2 * error * x), b - rate * np.mean(2 * error)
    return bool(np.hypot(a, b) < 1)


def test_limit_prediction_bounds_hold():  # the reasoning q1 teaches: new top-left entry <= new k_max <= 100 x old
    x = nb04.X
    for inputs in (x, 10 * x):  # the checker's limit is where descent stops settling: 1% either side decides
        limit = nb04.stable_limit(inputs)
        assert descent_settles(inputs, 0.99 * limit) and not descent_settles(inputs, 1.01 * limit)
    old, new = line_hessian_by_autograd(x), line_hessian_by_autograd(10 * x)
    factor = larger_root(new) / larger_root(old)  # the limit is 2 / k_max, so it shrinks by k_max's growth
    corner = new[0, 0] / larger_root(old)  # the new top-left entry over the old k_max: a lower bound on factor
    assert corner <= factor < 100 and np.isclose(nb04.stable_limit(x) / nb04.stable_limit(10 * x), factor)
    assert f"{new[0, 0]:.1f}, already {corner:.0f} times the old largest curvature {larger_root(old):.3f}" in (
        nb04.q1.feedback("b")[1])
    assert f"at least {corner:.0f}-fold" in nb04.q1.feedback("c")[1]


def test_centring_choice_checker():
    ex = nb04.q2
    assert ex.feedback(("b", 842, 100))[0] and ex.feedback((" (B) ", 700, 120))[0] and ex.feedback(["b", 841, 99.9])[0]
    assert "842-fold" in ex.feedback(("b", 842, 100))[1] and "99.9-fold" in ex.feedback(("b", 842, 100))[1]
    assert "removes the offset" in ex.feedback(("e", 842, 100))[1] and "100" not in ex.feedback(("e", 842, 100))[1]
    assert "no y at all" in ex.feedback(("a", 842, 100))[1]
    assert "same matrix" in ex.feedback(("c", 842, 100))[1]
    assert "same everywhere" in ex.feedback(("d", 842, 100))[1]
    assert "limit_rise_b = 100 is not close" in ex.feedback(("b", 100, 842))[1]  # the two factors swapped
    assert "limit_rise_e = 842 is not close" in ex.feedback(("b", 842, 842))[1]
    assert "below 1" in ex.feedback(("b", 1 / 842, 100))[1]  # the ratio upside down
    assert "pass three things" in ex.feedback("b")[1] and "pass three things" in ex.feedback(...)[1]
    assert "still `...`" in ex.feedback((..., ..., ...))[1]
    assert "limit_rise_e is still" in ex.feedback(("b", 842, ...))[1]
    assert "without quotes" in ex.feedback(("b", "842", 100))[1]  # a number written as text


def test_centring_factors_match_a_data_set_like_the_question():  # x near 290 K, spread 10; in units of 10 K
    x = np.random.default_rng(0).normal(290, 10, 1000)
    x = (x - x.mean()) / x.std() * 10 + 290  # exactly mean 290, spread 10
    k_max = [larger_root(line_hessian_by_autograd(inputs)) for inputs in (x, x - 290, x / 10)]
    want_b, want_e = nb04._kelvin_rises()
    assert np.isclose(k_max[0] / k_max[1], want_b) and np.isclose(k_max[0] / k_max[2], want_e)


def test_which_minimum_checker():
    ex = nb04.q3
    assert ex.feedback("a")[0]
    assert "24.3" in ex.feedback("b")[1] and "coincidence" in ex.feedback("c")[1]
    assert "below 2 / 0.1" in ex.feedback("d")[1]


def decayed_losses(factor: float, every: int, steps: int = nb04.STEPS) -> list[float]:
    """04's q4 run by hand: gradient descent on its line from (0, 0), the rate START_RATE × factor^⌊step/every⌋."""
    x, y, a, b = nb04.X, nb04.Y, 0.0, 0.0
    losses = [np.mean((a * x + b - y) ** 2)]
    for step in range(steps):
        rate, error = nb04.START_RATE * factor ** (step // every), a * x + b - y
        a, b = a - rate * np.mean(2 * error * x), b - rate * np.mean(2 * error)
        losses.append(np.mean((a * x + b - y) ** 2))
    return losses


def test_rescue_decay_checker():
    ex = nb04.q4
    for right in [(0.7, 3), (0.5, 5), [0.9, 1], (np.float64(0.8), np.int64(3))]:
        assert min(decayed_losses(*right)) < nb04.TARGET and ex.feedback(right)[0], right
    constant = decayed_losses(1.0, 1)  # 0.9 all along: the loss passes 100 times its start (descend's rule)
    assert f"diverged at step {next(k for k, v in enumerate(constant) if v > 100 * constant[0])}" in (
        ex.feedback((0.5, 25))[1])
    assert min(decayed_losses(0.3, 2)) > nb04.TARGET and "falls too far" in ex.feedback((0.3, 2))[1]
    assert "between 0 and 1" in ex.feedback((1.5, 3))[1] and "between 0 and 1" in ex.feedback((1.0, 3))[1]
    assert "whole number" in ex.feedback((0.5, 2.5))[1] and "whole number" in ex.feedback((0.5, 0))[1]
    assert "two numbers" in ex.feedback(0.5)[1] and "has 3" in ex.feedback((0.5, 3, 1))[1]


def _vending_namespace():
    """Notebook 03's vending-machine names, for its solutions."""
    vending = load_vending_machine()
    visitors, sold = vending.visitors, vending.bottles_sold
    return {"visitors": visitors, "sold": sold, "vending_loss": lambda w: np.mean((w * visitors - sold) ** 2),
            "curvature": 2 * np.mean(visitors.astype(float) ** 2),
            "w_one": np.sum(visitors * sold) / np.sum(visitors.astype(float) ** 2)}


def _brief_losses(epochs: int = 50) -> list[float]:
    """Section 8's quadratic training from its start, each epoch's loss; the gradient by torch autograd (the
    checker's is by hand)."""
    x, y = (torch.tensor(v, dtype=torch.float64) for v in quadratic())
    params = torch.tensor(nb03.QUADRATIC_START, dtype=torch.float64, requires_grad=True)
    losses = []
    for _ in range(epochs + 1):
        loss = torch.mean((params[0] * x**2 + params[1] * x + params[2] - y) ** 2)
        losses.append(loss.item())
        (gradient,) = torch.autograd.grad(loss, params)
        params = (params - nb03.QUADRATIC_LR * gradient).detach().requires_grad_()
    return losses


def backward_example_by_example(Hs: list, Zs: list, Ws: list, dZ: np.ndarray, gate: bool = True) -> tuple:
    """05's q2 by another route than its solution: the chain rule on one example's vectors at a time (outer
    products), the examples' gradients added at the end. gate=False forgets the ReLU's gate, a learner's slip."""
    dWs, dBs = [np.zeros_like(W) for W in Ws], [np.zeros(W.shape[1]) for W in Ws]
    for example, d in enumerate(dZ):
        for layer in reversed(range(len(Ws))):
            dWs[layer] += np.outer(Hs[layer][example], d)
            dBs[layer] += d
            if layer > 0:
                d = Ws[layer] @ d * ((Zs[layer - 1][example] > 0) if gate else 1)
    return dWs, dBs


def lowest_cross_entropy_neuron_accuracy() -> float:
    """The accuracy on section 4's ring of one neuron at its lowest cross-entropy, found by Newton's method on its
    three parameters (no network, no gradient descent): what ten linear layers, one neuron in disguise, can reach."""
    points, labels = ring(n=400, noise=0.1, seed=0)
    inputs, params = np.column_stack([points, np.ones(len(points))]), np.zeros(3)
    for _ in range(20):
        p = 1 / (1 + np.exp(-inputs @ params))
        gradient, hessian = inputs.T @ (p - labels), (inputs * (p * (1 - p))[:, None]).T @ inputs
        params -= np.linalg.solve(hessian, gradient)
    assert np.linalg.norm(gradient) < 1e-9  # converged: the lowest point of a convex loss
    return float(np.mean((inputs @ params > 0) == (labels == 1)))


def test_multilayer_checkers():
    q = nb05
    # q1 by hand: z = a·2 + c = (1.5, 0.5, −1), so unit 3 is off and h = (1.5, 0.5, 0); the output's logit is
    # 1.2·1.5 − 2·0.5 − 0.2 = 0.6, p = σ(0.6) and dL/dlogit = p − 1. Paths through units 1 and 2 carry
    # v·a = 1.2·0.5 = 0.6 and (−2)·(−0.25) = 0.5; unit 3's (1.5·1 = 1.5) is cut by its ReLU.
    dz = 1 / (1 + math.exp(-0.6)) - 1
    right = dz * (0.6 + 0.5)
    assert abs(right - (-0.3898)) < 1e-3 and np.isclose(q.paths_gradient(), right)  # and autograd agrees
    assert q.q1.feedback(right)[0] and q.q1.feedback(round(right, 2))[0]
    assert "sign" in q.q1.feedback(-right)[1]
    assert "one path" in q.q1.feedback(dz * 0.6)[1] and "one path" in q.q1.feedback(dz * 0.5)[1]
    assert "unit 3 is off" in q.q1.feedback(dz * 2.6)[1]
    assert "dL/dz of the output" in q.q1.feedback(dz)[1]
    assert not q.q1.feedback(0.0)[0]
    backward = backward_example_by_example
    assert q.q2.feedback(backward)[0]
    assert "reverse order" in q.q2.feedback(lambda H, Z, W, d: tuple(g[::-1] for g in backward(H, Z, W, d)))[1]
    ungated = lambda H, Z, W, d: backward(H, Z, W, d, gate=False)  # noqa: E731
    transposed = lambda H, Z, W, d: ([g.T for g in backward(H, Z, W, d)[0]], backward(H, Z, W, d)[1])  # noqa: E731
    assert "every ReLU" in q.q2.feedback(ungated)[1]
    assert "shape" in q.q2.feedback(transposed)[1]
    assert "two lists" in q.q2.feedback(lambda H, Z, W, d: backward(H, Z, W, d)[0])[1]
    assert "0 weight" in q.q2.feedback(lambda H, Z, W, d: ([], []))[1]
    neuron = lowest_cross_entropy_neuron_accuracy()
    assert 0.5 <= neuron <= 0.56  # the one neuron shrugs (section 4), far below the best line's 73%
    assert abs(q.deep_linear_accuracy() - neuron) < 0.02  # and ten linear layers, one neuron in disguise, do too
    assert q.q3.feedback(0.53)[0] and q.q3.feedback(neuron)[0]
    assert "three quarters" in q.q3.feedback(0.73)[1]  # the best line: but cross-entropy training shrugs
    assert "one neuron" in q.q3.feedback(1.0)[1] and "one neuron" in q.q3.feedback(0.95)[1]
    assert "fraction" in q.q3.feedback(53)[1] and "between 0 and 1" in q.q3.feedback(-0.2)[1]
    assert "lower than" in q.q3.feedback(0.2)[1] and not q.q3.feedback("b")[0]
    solved = (np.array([[1.0, -1.0], [-1.0, 1.0]]), np.zeros(2), np.ones(2), -1.0)
    assert q.q4.feedback(solved)[0] and q.q4.feedback([s.tolist() if hasattr(s, "tolist") else s for s in solved])[0]
    assert "corners (-1, 1), (1, -1)" in q.q4.feedback((np.eye(2), np.zeros(2), np.ones(2), -5.0))[1]  # all class 0
    assert "noisy XOR" in q.q4.feedback((solved[0], solved[1], solved[2], -1.9))[1]  # boundary hugs the corners
    assert "shape (2, 2)" in q.q4.feedback((np.ones(2), np.zeros(2), np.ones(2), -1.0))[1]
    assert "shape (2,)" in q.q4.feedback((solved[0], 0.0, solved[2], -1.0))[1]  # a scalar bias: name the shape
    assert "four parts" in q.q4.feedback(2)[1] and "still `...`" in q.q4.feedback((..., ..., ..., ...))[1]
    def count_by_torch(sizes):  # a right answer with no formula: build the layers and count what they hold
        return sum(p.numel() for a, b in zip(sizes[:-1], sizes[1:], strict=True) for p in torch.nn.Linear(a, b)
                   .parameters())

    assert count_by_torch([2, 8, 1]) == 2 * 8 + 8 + 8 * 1 + 1  # by hand: 33
    assert q.q5.feedback(count_by_torch)[0] and q.count_parameters([64, 32, 10]) == count_by_torch([64, 32, 10])
    assert "not the biases" in q.q5.feedback(lambda s: sum(a * b for a, b in zip(s[:-1], s[1:], strict=True)))[1]
    assert "any number of layers" in q.q5.feedback(lambda s: s[0] * s[1] + s[1] + s[1] * s[2] + s[2])[1]


def full_batches(n, b, updates, seed, shuffle=None):
    """A correct make_batches (06, exercise 4): full batches of a new order every epoch, `updates` in all."""
    shuffle = shuffle or np.random.default_rng(seed).permutation
    batches = []
    while len(batches) < updates:
        order = shuffle(n)
        batches += [order[i:i + b] for i in range(0, n - b + 1, b)]
    return batches[:updates]


def test_sgd_checkers():
    q = nb06
    right = full_batches

    def same_every_epoch(n, b, updates, seed):
        order = np.random.default_rng(seed).permutation(n)
        return [order[i:i + b] for _ in range(updates) for i in range(0, n - b + 1, b)][:updates]

    assert q.q1.feedback(14)[0] and q.q1.feedback(14.0)[0]
    assert "the last, smaller batch" in q.q1.feedback(15)[1] and "round up" in q.q1.feedback(13)[1]
    assert "whole epochs" in q.q1.feedback(13.6)[1] and "100 examples" in q.q1.feedback(1.5)[1]
    assert not q.q1.feedback(11)[0]
    # q2's spreads from sampling theory instead of drawing batches: the mean of B of the N examples' gradients
    # dL/da = −2·x·y (at a = b = 0), drawn without replacement, has spread σ/√B · √((N − B)/(N − 1))
    x, y = q._big_line()
    gradients = -2 * x * y
    for size in (25, 400):
        theory = gradients.std() / np.sqrt(size) * np.sqrt((len(x) - size) / (len(x) - 1))
        assert abs(q.measured_spread(size) / theory - 1) < 0.1  # 1,000 batches measure a spread to a few %
    variance, n = gradients.var(), len(x)
    need = next(size for size in range(3000, 5000) if variance * (n - size) / (size * (n - 1)) < 0.1**2)
    assert q.smallest_batch_below(0.1) == need and q.q2.feedback(need)[0]
    spread_25 = q.measured_spread(25)  # the notebook's measured number, from which the learner predicts
    assert q.q2.feedback(25 * (spread_25 / 0.1) ** 2)[0] and q.q2.feedback(need * 1.1)[0]
    assert "not 1/B" in q.q2.feedback(25 * spread_25 / 0.1)[1] and "above 0.1" in q.q2.feedback(need / 2)[1]
    assert "below 0.1" in q.q2.feedback(need * 2)[1] and "still `...`" in q.q2.feedback(...)[1]
    assert "from 1 to 100,000" in q.q2.feedback(200_000)[1] and "from 1 to" in q.q2.feedback(0)[1]
    assert q.q3.feedback("b")[0] and q.q3.feedback(" B ")[0]
    assert "latest digits win" in q.q3.feedback("c")[1] and "direction" in q.q3.feedback("d")[1]
    assert "coverage" in q.q3.feedback("a")[1] and "one of the letters" in q.q3.feedback("e")[1]
    assert q.q4.feedback(right)[0]
    assert q.q4.feedback(lambda n, b, u, seed: np.array(right(n, b, u, seed)))[0]  # a 2-D array is fine too
    assert q.q4.feedback(lambda n, b, u, seed: [np.sort(p) for p in right(n, b, u, seed)])[0]  # order in a batch
    assert "same order" in q.q4.feedback(same_every_epoch)[1]
    assert "fixed pattern" in q.q4.feedback(lambda n, b, u, seed: [
        np.arange(k * b, k * b + b) % n for k in range(u)])[1]  # sequential: no shuffle
    assert "fixed pattern" in q.q4.feedback(lambda n, b, u, seed: [  # a seeded roll is not a shuffle
        np.roll(np.arange(n), seed + 3)[i:i + b] for _ in range(u) for i in range(0, n - b + 1, b)][:u])[1]
    assert "sizes" in q.q4.feedback(lambda n, b, u, seed: [  # keeps the smaller last batch
        p for _ in range(u) for p in np.array_split(np.random.default_rng(seed).permutation(n), range(b, n, b))][:u])[1]
    assert "flatten the epochs" in q.q4.feedback(lambda n, b, u, seed: [right(n, b, u, seed)])[1]
    assert "need" in q.q4.feedback(lambda n, b, u, seed: right(n, b, u + 1, seed))[1]
    assert "twice" in q.q4.feedback(lambda n, b, u, seed: [  # slices across the epoch boundary
        p for p in np.array_split(np.concatenate([np.random.default_rng(seed + k).permutation(n) for k in range(u)]),
                                  range(b, u * n, b))][:u])[1]
    unseeded = np.random.default_rng()
    assert "same seed" in q.q4.feedback(lambda n, b, u, seed: right(n, b, u, unseeded.integers(1000)))[1]
    assert "seeds 0 and 1" in q.q4.feedback(lambda n, b, u, seed: right(n, b, u, 0))[1]
    assert "raised TypeError" in q.q4.feedback(lambda n, b, seed: right(n, b, 1, seed))[1]


@pytest.mark.parametrize("offset", range(0, 200, 4))
def test_sgd_batches_accepts_any_correct_shuffle(offset):
    """A correct make_batches passes whatever its random numbers: Python's random and numpy, many seeds."""

    def python_shuffle(n, b, updates, seed):
        rng = random.Random(seed + offset)  # one generator: a new order every epoch
        return full_batches(n, b, updates, seed, shuffle=lambda n: rng.sample(range(n), n))

    def numpy_permutation(n, b, updates, seed):
        return full_batches(n, b, updates, seed, shuffle=np.random.default_rng(seed + offset).permutation)

    for function in (python_shuffle, numpy_permutation):
        assert nb06.q4.feedback(function)[0], nb06.q4.feedback(function)[1]


def split_by_hand(n: int, seed: int) -> tuple[list[int], list[int], list[int]]:
    """A right answer to 07's q1 by another route than its solution: Python's own shuffle, cut at 3/5 and 4/5 of
    n in integer arithmetic (60, 20, 20 of 100; 30, 10, 10 of 50)."""
    order = random.Random(seed).sample(range(n), n)
    return order[: 3 * n // 5], order[3 * n // 5 : 4 * n // 5], order[4 * n // 5 :]


def shuffled_in_blocks(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A wrong answer to 07's q1: the first 60% of the indices train, the next 20% validate, the last 20% test,
    each shuffled only inside its own block."""
    rng = np.random.default_rng(seed)
    return tuple(rng.permutation(block) for block in np.split(np.arange(n), [3 * n // 5, 4 * n // 5]))


def split_with_numpy(n: int, seed: int) -> list[np.ndarray]:
    """A right answer to 07's q1 with np.split of a seeded permutation."""
    return np.split(np.random.default_rng(seed).permutation(n), [3 * n // 5, 4 * n // 5])


def split_with_torch(n: int, seed: int) -> tuple[torch.Tensor, ...]:
    """A right answer to 07's q1 with torch.randperm and a seeded generator, cut by torch.split."""
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    return torch.split(order, [3 * n // 5, n // 5, n - 4 * n // 5])


def through_every_point(xs: np.ndarray, ys: np.ndarray):
    """The polynomial of degree len(xs) − 1 through every point, in Lagrange's barycentric form: no least
    squares, no Polynomial.fit (the checker's route)."""
    weights = np.array([1 / np.prod(xi - np.delete(xs, i)) for i, xi in enumerate(xs)])

    def at(t: np.ndarray) -> np.ndarray:
        gaps = np.subtract.outer(t, xs)
        return (weights * ys / gaps).sum(axis=1) / (weights / gaps).sum(axis=1)

    return at


def shrink_by_torch(w: np.ndarray, lr: float, decay: float, steps: int) -> np.ndarray:
    """A right answer to 07's q4 with no formula: torch's SGD with weight_decay, on a loss that ignores w."""
    weight = torch.tensor(w, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=lr, weight_decay=decay)
    for _ in range(steps):
        optimizer.zero_grad()
        (0 * weight).sum().backward()  # a zero gradient: only the decay moves the weight
        optimizer.step()
    return weight.detach().numpy()


def test_overfitting_checkers():
    q = nb07
    assert q.q1.feedback(split_by_hand)[0]
    assert "original order" in q.q1.feedback(lambda n, seed: np.split(np.arange(n), [3 * n // 5, 4 * n // 5]))[1]
    assert "60, 20 and 20" in q.q1.feedback(lambda n, seed: np.split(np.arange(n), [50, 80]))[1]
    rotated = q.q1.feedback(lambda n, seed: np.split(np.roll(np.arange(n), seed + 1), [3 * n // 5, 4 * n // 5]))
    assert not rotated[0] and "only rotates" in rotated[1]
    fixed_cut = q.q1.feedback(lambda n, seed: np.split(np.random.default_rng(seed).permutation(n), [60, 80]))
    assert "30, 10 and 10" in fixed_cut[1]
    assert "use `seed`" in q.q1.feedback(lambda n, seed: split_by_hand(n, 0))[1]
    assert "seed=2" in q.q1.feedback(lambda n, seed: split_by_hand(n, seed % 2))[1]
    assert "seed=1) and split(100, seed=2" in q.q1.feedback(lambda n, seed: split_by_hand(n, min(seed, 1)))[1]

    def seed_ignored(n, seed):  # a new split on every call, so nobody can repeat the experiment
        return np.split(np.random.permutation(n), [3 * n // 5, 4 * n // 5])  # noqa: NPY002 (the mistake under test)

    unseeded = q.q1.feedback(seed_ignored)
    assert not unseeded[0] and "called again with the same seed" in unseeded[1]
    block_shuffled = q.q1.feedback(shuffled_in_blocks)
    assert not block_shuffled[0] and "only ever holds the first 60%" in block_shuffled[1]
    for right in (split_with_numpy, split_with_torch, split_by_hand):  # arrays, tensors, lists
        assert q.q1.feedback(right)[0], q.q1.feedback(right)[1]
    # q2: degree 11 through the pool's first 12 points, judged on the 50 validation points, 20 draws: with the
    # notebook's noise it swings far off (the wrong (d)); through noiseless points it is nearly exact (the right (a))
    for draw in range(20):
        noisy_x, noisy_y = wavy(n=q.N_POINTS, noise=q.NOISE, seed=draw)
        noisy = through_every_point(noisy_x[:12], noisy_y[:12])
        assert np.mean((noisy(noisy_x[q.VALIDATION]) - noisy_y[q.VALIDATION]) ** 2) > 100
        x, y = wavy(n=q.N_POINTS, noise=0.0, seed=draw)
        exact = np.mean((through_every_point(x[:12], y[:12])(x[q.VALIDATION]) - y[q.VALIDATION]) ** 2)
        cubic = np.vander(x[q.VALIDATION], 4) @ np.linalg.lstsq(np.vander(x[:12], 4), y[:12], rcond=None)[0]
        cubic = np.mean((cubic - y[q.VALIDATION]) ** 2)
        assert exact < 1e-6 < 0.001 < cubic  # (a), below 0.001, is right on every draw, and degree 3 is not
        checker_exact, checker_cubic = q.exact_fit_val_errors(draw)
        assert checker_exact < 1e-6 and np.isclose(checker_cubic, cubic, rtol=1e-6)
        if draw == 0:
            first_cubic = cubic
    message = q.q2.feedback("a")[1]
    assert q.q2.feedback("a")[0] and q.q2.feedback(" (A) ")[0] and f"scores {first_cubic:.4f}" in message
    for wrong in "bcd":  # the noise floor, smaller swings, the same swings as with noise
        correct, message = q.q2.feedback(wrong)
        assert not correct and f"({wrong}) is not it" in message
    assert "no noise" in q.q2.feedback("b")[1] and "one of the letters" in q.q2.feedback(0.001)[1]
    assert "one letter in quotes" in q.q2.feedback(...)[1] and "one of the letters" in q.q2.feedback("e")[1]
    assert q.q3.feedback("c")[0] and q.q3.feedback(" (C) ")[0]
    for wrong in "abd":
        correct, message = q.q3.feedback(wrong)
        assert not correct and f"({wrong}) is not it" in message
    assert "one of the letters" in q.q3.feedback("e")[1] and "one of the letters" in q.q3.feedback(3)[1]
    assert q.q4.feedback(shrink_by_torch)[0]
    assert "does not add up" in q.q4.feedback(lambda w, lr, d, k: w * (1 - lr * d * k))[1]
    assert "scaled by the learning rate" in q.q4.feedback(lambda w, lr, d, k: w * (1 - d) ** k)[1]
    assert "weights grow" in q.q4.feedback(lambda w, lr, d, k: w * (1 + lr * d) ** k)[1]
    assert not q.q4.feedback(lambda w, lr, d, k: shrink_by_torch(w, lr, d, min(k, 1)))[0]  # one step only
    assert "one step short" in q.q4.feedback(lambda w, lr, d, k: shrink_by_torch(w, lr, d, k - 1))[1]
    assert "one step too many" in q.q4.feedback(lambda w, lr, d, k: shrink_by_torch(w, lr, d, k + 1))[1]
    assert "shape" in q.q4.feedback(lambda w, lr, d, k: w[:2])[1]
    assert "raised" in q.q4.feedback(lambda w, lr: w)[1]
    # q5: the degree-3 line's test error by least squares on its own powers of x (not Polynomial.fit), then the
    # smallest test set whose standard error, shrinking like 1/√n from the 50 points' one, is 0.005, by counting
    powers = np.vander(q.X[q.TRAIN], 4)
    coefficients = np.linalg.lstsq(powers, q.Y[q.TRAIN], rcond=None)[0]
    squared = (np.vander(q.X[q.TEST], 4) @ coefficients - q.Y[q.TEST]) ** 2
    error = squared.std(ddof=1) / np.sqrt(len(squared))
    assert np.isclose(q.test_standard_error(), error, rtol=1e-6)
    needed = next(n for n in itertools.count(len(squared)) if error * np.sqrt(len(squared) / n) <= 0.005)
    assert 300 < needed < 360  # about 330: (0.0128 / 0.005)² ≈ 6.6 times the 50 points
    assert q.q5.feedback(needed)[0] and q.q5.feedback(round(needed, -1))[0]
    assert "1/√n" in q.q5.feedback(50 * error / 0.005)[1]  # forgot the square: 2.6 times the points, not 6.6
    assert "fewer points" in q.q5.feedback(20)[1] and not q.q5.feedback(5000)[0]
    assert not q.q5.feedback(0.75 * needed)[0] and not q.q5.feedback(1.35 * needed)[0]


def test_overfitting_hints_go_nudge_method_nearly_the_answer():
    """Each of 07's hints is one level: three of them, and none but the solution holds the solution's code."""
    for name, exercise in vars(nb07).items():
        if isinstance(exercise, exercises.Exercise):
            assert len(exercise.hints) == 3, f"nb07.{name} has {len(exercise.hints)} hint levels, expected 3"
            answer = exercise.solution_text.split("\n")[-1].split("#")[0].split("return")[-1].split("=", 1)[-1]
            leaks = [level for level, hint in enumerate(exercise.hints, 1) if answer.strip() in hint]
            assert not leaks, f"nb07.{name}'s hint level {leaks} gives the solution's {answer.strip()!r}"


def top_mistakes(matrices) -> list[tuple[int, int]]:
    """Every (true, predicted) pair off the diagonal with the largest count summed over the matrices, found by
    visiting each pair and adding its counts one matrix at a time (no argmax, no masking of the diagonal)."""
    size = len(matrices[0])
    totals = {(i, j): sum(int(m[i][j]) for m in matrices) for i in range(size) for j in range(size) if i != j}
    return [pair for pair, count in totals.items() if count == max(totals.values())]


def score_spread_by_enumeration(p: float, n: int) -> tuple[float, float]:
    """The standard deviation of one score (the fraction right of n independent images, each right with
    probability p) and of the gap between two such scores, from their exact distributions: every count's
    binomial probability, and the gap's distribution as the convolution of the two (no variance formula)."""
    counts = np.arange(n + 1)
    pmf = np.array([math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in counts])
    one = np.sqrt(pmf @ (counts / n - pmf @ counts / n) ** 2)
    gap_pmf = np.convolve(pmf, pmf[::-1])  # the count differences −n … n
    gaps = np.arange(-n, n + 1) / n
    return float(one), float(np.sqrt(gap_pmf @ (gaps - gap_pmf @ gaps) ** 2))


def test_summed_confusion_cases_have_one_top_mistake():  # so every right method gives the checker's answer
    for matrices, want in nb08._summed_cases():
        assert top_mistakes(matrices) == [want]


def test_digits_checkers():
    q = nb08

    def good(m):
        (pair,) = top_mistakes([m])
        return pair

    one, gap = score_spread_by_enumeration(0.98, 400)
    assert q.q1.feedback(gap)[0] and q.q1.feedback(0.01)[0] and not q.q1.feedback(0.05)[0]
    assert "wobble of one score" in q.q1.feedback(one)[1]
    assert "variances add" in q.q1.feedback(2 * one)[1]
    assert "square root" in q.q1.feedback(gap**2)[1]
    assert "percent" in q.q1.feedback(1.0 * 1.4)[1] and "positive" in q.q1.feedback(-0.01)[1]
    assert q.q2.feedback("b")[0] and q.q2.feedback(" B ")[0]
    assert "random sample" in q.q2.feedback("a")[1] and "same 360 images" in q.q2.feedback("c")[1]
    assert "validation set" in q.q2.feedback("d")[1] and "one of the letters" in q.q2.feedback("e")[1]
    right = dict(q.PROTOCOL)
    assert q.q3.feedback(right)[0]
    threshold = "the confidence below which a digit is sent to a person to check"
    assert "honest estimate" in q.q3.feedback({**right, threshold: "test"})[1]
    assert "more confident" in q.q3.feedback({**right, threshold: "training"})[1]
    assert "images no decision" in q.q3.feedback({**right, "the accuracy written in the final report": "validation"})[1]
    assert "flatters" in q.q3.feedback({**right, "which digits to collect more examples of": "training"})[1]
    assert "no entry" in q.q3.feedback({})[1] and "not 'val'" in q.q3.feedback(dict.fromkeys(right, "val"))[1]
    assert q.q2.feedback("b")[0] and "disagree" in q.q2.feedback("b")[1]  # the paired view
    assert q.q4.feedback("c")[0] and "that one person" in q.q4.feedback("a")[1]
    assert "independent coins" in q.q4.feedback("b")[1] and "independent images" in q.q4.feedback("d")[1]

    def summed(ms):
        return top_mistakes(ms)[0]

    def symmetrised(ms):  # each mistake counted together with its reverse: the matrices and their transposes
        return top_mistakes(ms + [m.T for m in ms])[0]

    assert q.q5.feedback(summed)[0]
    assert "wrong way round" in q.q5.feedback(lambda ms: summed(ms)[::-1])[1]
    assert "its reverse" in q.q5.feedback(symmetrised)[1]
    assert "first matrix alone" in q.q5.feedback(lambda ms: good(ms[0]))[1]
    assert "on the diagonal" in q.q5.feedback(lambda ms: np.unravel_index(np.argmax(np.sum(ms, axis=0)), (10, 10)))[1]
    assert "most frequent" in q.q5.feedback(lambda ms: (0, 1))[1]
    assert "could not judge" not in q.q5.feedback(lambda ms: np.where(ms[0] == ms[0].max()))[1]

    def in_most_matrices(ms):  # counts the matrices a pair appears in, not how often
        return top_mistakes([m > 0 for m in ms])[0]

    def worst_row_then_largest(ms):  # the most-misread true digit, then its largest mistake
        total = np.sum(ms, axis=0) - np.diag(np.diag(np.sum(ms, axis=0)))
        row = np.argmax(total.sum(axis=1))
        return row, np.argmax(total[row])

    def worst_column_then_largest(ms):
        total = np.sum(ms, axis=0) - np.diag(np.diag(np.sum(ms, axis=0)))
        col = np.argmax(total.sum(axis=0))
        return np.argmax(total[:, col]), col

    def ten_by_ten(ms):  # right, and assumes digits: 10 × 10 matrices
        total = np.zeros((10, 10), dtype=int)
        for m in ms:
            total += m
        np.fill_diagonal(total, 0)
        return np.unravel_index(np.argmax(total), total.shape)

    assert "count the matrices" in q.q5.feedback(in_most_matrices)[1]
    assert "most-misread" in q.q5.feedback(worst_row_then_largest)[1]
    assert "column" in q.q5.feedback(worst_column_then_largest)[1]
    assert not q.q5.feedback(worst_column_then_largest)[0] and q.q5.feedback(ten_by_ten)[0]

    def in_place(ms):  # wipes the diagonals of the matrices it is given: the checker must pass copies
        for m in ms:
            np.fill_diagonal(m, 0)
        return summed(ms)

    changed = q.q5.feedback(in_place)
    assert not changed[0] and "changed the matrices it was given" in changed[1]
    emptied = q.q5.feedback(lambda ms: summed([ms.pop() for _ in range(len(ms))]))  # empties the list it is given
    assert not emptied[0] and "work on a copy" in emptied[1]
    assert q.q5.feedback(summed)[0]  # the checker's own matrices were not harmed by in_place
    assert "the last matrix alone" in q.q5.feedback(lambda ms: good(ms[-1]))[1]


def _leaky_relu(z):
    return np.where(z > 0, z, 0.1 * z)


def test_a_checker_judges_a_copy_of_the_learners_model():  # as 08's old q2 did: model.double(), then .eval()
    def judge(model):
        model.double().eval()  # both change a module in place
        return "judged."

    model = torch.nn.Linear(2, 1).train()
    assert exercises.Exercise("model", judge, ("a", "b"), "s").feedback(model)[0]
    assert model.training and model.weight.dtype == torch.float32


def test_the_learners_code_gets_one_time_limit_per_check_not_one_per_call(monkeypatch):
    monkeypatch.setattr(exercises, "TIME_LIMIT", 0.25)
    right = {}
    exec(nb06.q4.solution_text, {"np": np}, right)
    calls = []

    def slow_make_batches(*args):  # 0.05 s a call, well inside the limit; the check calls it ten times
        calls.append(args)
        time.sleep(0.05)
        return right["make_batches"](*args)

    correct, message = nb06.q4.feedback(slow_make_batches)
    assert not correct and "was still running when the check's 0.25 seconds were up" in message
    assert len(calls) < 10


UNIX = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="Windows has no SIGALRM")
ALARMS = [pytest.param(True, id="setitimer", marks=UNIX), pytest.param(False, id="timer thread (Windows)")]


@pytest.fixture
def kernel_sigint():
    """SIGINT handled as in a kernel running a cell (KeyboardInterrupt). The test process's own handler may be
    another: the browser tests' asyncio loop, in the same worker, leaves one that does not raise."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _loops_forever(_z):
    while True:
        pass


@pytest.mark.parametrize("signals", ALARMS)
def test_a_real_interrupt_during_a_check_still_interrupts(signals, monkeypatch, kernel_sigint):
    monkeypatch.setattr(running, "USE_SIGNALS", signals)

    def interrupted(z):  # the learner presses stop while their function runs
        if signals:
            os.kill(os.getpid(), signal.SIGINT)
        else:
            _thread.interrupt_main()  # what ipykernel's stop button does on Windows
        for _ in range(10_000_000):
            pass
        return _leaky_relu(z)

    with pytest.raises(KeyboardInterrupt):
        q2.feedback(interrupted)


@UNIX
@pytest.mark.parametrize("signals", ALARMS)
def test_no_alarm_is_left_to_ring_after_a_check(signals, monkeypatch, kernel_sigint):
    monkeypatch.setattr(running, "USE_SIGNALS", signals)
    monkeypatch.setattr(exercises, "TIME_LIMIT", 0.3)

    def someone_elses_alarm(*_args):  # a handler and a timer that were there before: the check puts them back
        raise AssertionError("rang too early")

    before = signal.signal(signal.SIGALRM, someone_elses_alarm)
    signal.setitimer(signal.ITIMER_REAL, 30.0)
    started = time.monotonic()
    try:
        assert not q2.feedback(_loops_forever)[0]  # stopped
        assert q2.feedback(lambda z: time.sleep(0.1) or _leaky_relu(z))[0]  # called twice: 0.2 s in all, inside
        time.sleep(0.4)  # past the limit: nothing may interrupt the learner's next cell
        assert signal.getsignal(signal.SIGALRM) is someone_elses_alarm
        # the other alarm still runs on its own clock (however slow this machine): 30 s from its start, give or take
        assert abs(signal.getitimer(signal.ITIMER_REAL)[0] - (30 - (time.monotonic() - started))) < 0.1
        assert not [thread for thread in threading.enumerate() if isinstance(thread, threading.Timer)]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
