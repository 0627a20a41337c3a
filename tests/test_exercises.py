"""Exercise checkers: right answers pass, wrong ones fail without giving the answer away, nothing crashes."""

import random

import numpy as np
import pytest
import torch

from helpers import exercises
from helpers.exercises import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08
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


MALFORMED = [None, Ellipsis, "0.5", 3 + 4j, [1, 2, 3], np.full(3, np.nan), raises, {"w": 1}]


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
    W, B = nb01.CAFE_W, nb01.CAFE_B
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


@pytest.mark.parametrize("exercise", EVERY_EXERCISE.values(), ids=EVERY_EXERCISE.keys())
@pytest.mark.parametrize("answer", MALFORMED, ids=lambda a: type(a).__name__)
def test_every_checker_answers_malformed_input_with_a_sentence(exercise, answer):
    correct, message = exercise.feedback(answer)
    assert not correct
    assert message.startswith(exercises.NOT_YET) and message.endswith((".", "?"))
    assert "could not judge" not in message  # the checker understood what was wrong


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
    assert out[-2:] == ["This exercise has hint levels 1 to 2: q.hint() gives the next one, q.hint(1) the first."] * 2


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


def test_solutions_shown_to_learners_pass_their_own_checks():
    namespace = {"np": np}
    exec(q2.solution_text, namespace)
    assert q2.feedback(namespace["leaky_relu"])[0]
    for q, name in ((q1, "hand_fit"), (q3, "my_choice"), (q4, "celsius_neuron"), (q5, "my_choice_5"),
                    (q7, "my_choice_7")):
        namespace = {}
        exec(q.solution_text, namespace)
        assert q.feedback(namespace[name])[0]
    namespace = {"np": np}
    exec(q6.solution_text, namespace)
    assert q6.feedback((namespace["W_cafe"], namespace["B_cafe"]))[0]


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
        line_loss = lambda w, b: np.mean((w * inputs + b - y) ** 2)  # noqa: B023, E731
        rises = [line_loss(w0 + 0.01 * np.cos(t), b0 + 0.01 * np.sin(t)) - line_loss(w0, b0)
                 for t in np.linspace(0, np.pi, 3600, endpoint=False)]
        assert np.isclose(max(rises) / min(rises), nb02.steepness_ratio(inputs), rtol=1e-3)


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
    fit = nb03.fit_line
    assert "uphill" in ex.feedback(lambda x, y, lr, epochs: fit(x, y, lr, epochs, -1.0))[1]
    # section 8's squared-error loop copied over, the one slip the exercise is built to catch
    assert "squared error's gradient" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, squared=True))[1]
    assert "twice the gradient" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, 2.0))[1]
    assert "half the gradient" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, 0.5))[1]  # a stray ½
    assert "that is x, not 1" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, a_input=np.ones_like))[1]
    assert "by |x|" in ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, a_input=np.abs))[1]
    assert "returns (b, a)" in ex.feedback(lambda *args: right(*args)[::-1])[1]
    assert "instead of" in ex.feedback(lambda x, y, lr, epochs: right(x, y, lr, epochs + 1))[1]
    summed = ex.feedback(lambda x, y, lr, e: fit(x, y, lr, e, reduce=np.sum))[1]
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


def test_quarter_drop_checker():
    ex = nb03.q2
    curvature = nb03._vending_curvature()
    right = 1.5 / curvature
    # the answer is true: at η = 3/(2C) the real drop is a quarter of the tangent's promise, from w = 0.1 and 0.5
    assert np.allclose([nb03.drop_ratio(right, w) for w in (0.1, 0.5)], 0.25)
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
    from helpers.data import load_vending_machine

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
    across = nb03._steepest_line_curvature()
    assert 1 < 0.5 * across < 2 and "Section 7" in ex.feedback(path[1])[1]
    assert "eigen" not in ex.feedback(path[1])[1] and f"{across:.2f}" not in ex.feedback(path[1])[1]


def test_long_run_checker():
    ex = nb03.q4
    assert nb03.epochs_to_reach(1e-8, epochs=100) == 77
    losses = _brief_losses()
    predicted = 50 + 10 * np.log(losses[50] / 1e-8) / np.log(losses[40] / losses[50])  # from the table's rows
    assert abs(predicted - 77) < 1 and ex.feedback(predicted)[0] and ex.feedback(np.int64(77))[0]
    assert ex.feedback(74)[0] and ex.feedback(80)[0]
    assert "too early" in ex.feedback(70)[1] and "too late" in ex.feedback(85)[1]
    # the feedback's reason: the gentlest direction's curvature predicts the factor the table measured
    gentle = nb03._gentlest_quadratic_curvature()
    assert abs((1 - 0.1 * gentle) ** -20 / (losses[40] / losses[50]) - 1) < 0.02  # 13.9 against 14.1
    assert "notebook 04 shows" in ex.feedback(77)[1] and f"{gentle:.2f}" not in ex.feedback(77)[1]
    assert "fixed factor" in ex.feedback(51)[1]  # a straight-line (linear) extrapolation of the loss


def test_limit_prediction_checker():
    ex = nb04.q1
    assert ex.feedback("c")[0] and "at least 28-fold" in ex.feedback("c")[1] and "less than" in ex.feedback("c")[1]
    assert "mostly along b" in ex.feedback("a")[1] and "72.5, already 28 times" in ex.feedback("b")[1]
    assert "get smaller" in ex.feedback("d")[1]
    assert "28.5" not in ex.feedback("c")[1]  # the exact factor is the run cell's


def test_limit_prediction_bounds_hold():  # the reasoning q1 teaches: new top-left entry <= new k_max <= 100 x old
    limit, X = nb04.stable_limit, nb04.X
    factor = limit(X) / limit(10 * X)
    corner = nb04.line_curvature(10 * X)[0, 0] * limit(X) / 2
    assert corner <= factor < 100 and abs(factor - 28.5) < 0.05


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
    x = np.random.default_rng(0).normal(290, 10, 100_000)
    x = (x - x.mean()) / x.std() * 10 + 290  # exactly mean 290, spread 10
    curvature = nb04.line_curvature
    k_max = [np.linalg.eigvalsh(curvature(inputs)).max() for inputs in (x, x - 290, x / 10)]
    want_b, want_e = nb04._kelvin_rises()
    assert np.isclose(k_max[0] / k_max[1], want_b) and np.isclose(k_max[0] / k_max[2], want_e)


def test_which_minimum_checker():
    ex = nb04.q3
    assert ex.feedback("a")[0]
    assert "24.3" in ex.feedback("b")[1] and "coincidence" in ex.feedback("c")[1]
    assert "below 2 / 0.1" in ex.feedback("d")[1]


def test_rescue_decay_checker():
    ex = nb04.q4
    for right in [(0.7, 3), (0.5, 5), [0.9, 1], (np.float64(0.8), np.int64(3))]:
        assert ex.feedback(right)[0], right
    assert "diverged at step 8" in ex.feedback((0.5, 25))[1]
    assert "falls too far" in ex.feedback((0.3, 2))[1]
    assert "between 0 and 1" in ex.feedback((1.5, 3))[1] and "between 0 and 1" in ex.feedback((1.0, 3))[1]
    assert "whole number" in ex.feedback((0.5, 2.5))[1] and "whole number" in ex.feedback((0.5, 0))[1]
    assert "two numbers" in ex.feedback(0.5)[1] and "has 3" in ex.feedback((0.5, 3, 1))[1]


def _vending_namespace():
    """Notebook 03's vending-machine names, for its solutions."""
    from helpers.data import load_vending_machine

    vending = load_vending_machine()
    visitors, sold = vending.visitors, vending.bottles_sold
    return {"visitors": visitors, "sold": sold, "vending_loss": lambda w: np.mean((w * visitors - sold) ** 2),
            "curvature": 2 * np.mean(visitors.astype(float) ** 2),
            "w_one": np.sum(visitors * sold) / np.sum(visitors.astype(float) ** 2)}


def _brief_losses():
    from helpers.data import quadratic

    x, y = quadratic()
    params, losses = np.array([15.0, -2.0, 10.0]), []
    for _ in range(51):
        losses.append(np.mean((params[0] * x**2 + params[1] * x + params[2] - y) ** 2))
        params = params - 0.1 * nb03.quadratic_gradient(x, y, *params)
    return losses


@pytest.mark.parametrize(
    "exercise, answer_of",
    [
        (nb02.q1, lambda ns: ns["valley_floor"]),
        (nb02.q2, lambda ns: ns["my_prediction"]),
        (nb02.q3, lambda ns: ns["my_rise"]),
        (nb02.q4, lambda ns: ns["my_inputs"]),
        (nb03.q1, lambda ns: ns["fit_line"]),
        (nb03.q2, lambda ns: ns["my_rate"]),
        (nb03.q3, lambda ns: ns["my_w"]),
        (nb03.q4, lambda ns: ns["my_epoch"]),
        (nb04.q1, lambda ns: ns["limit_prediction"]),
        (nb04.q2, lambda ns: (ns["answer"], ns["limit_rise_b"], ns["limit_rise_e"])),
        (nb04.q3, lambda ns: ns["my_prediction"]),
        (nb04.q4, lambda ns: ns["my_decay"]),
        (nb05.q1, lambda ns: ns["my_gradient"]),
        (nb05.q2, lambda ns: ns["backward"]),
        (nb05.q3, lambda ns: ns["my_prediction"]),
        (nb05.q4, lambda ns: (ns["xor_W1"], ns["xor_b1"], ns["xor_W2"], ns["xor_b2"])),
        (nb05.q5, lambda ns: ns["count_parameters"]),
        (nb06.q1, lambda ns: ns["epochs_needed"]),
        (nb06.q2, lambda ns: ns["my_prediction"]),
        (nb06.q3, lambda ns: ns["answer"]),
        (nb06.q4, lambda ns: ns["make_batches"]),
        (nb07.q1, lambda ns: ns["split"]),
        (nb07.q2, lambda ns: ns["order_of_magnitude"]),
        (nb07.q3, lambda ns: ns["remedy"]),
        (nb07.q4, lambda ns: ns["shrink"]),
        (nb07.q5, lambda ns: ns["n_test_needed"]),
        (nb08.q1, lambda ns: ns["my_prediction"]),
        (nb08.q2, lambda ns: ns["answer"]),
        (nb08.q3, lambda ns: ns["protocol"]),
        (nb08.q4, lambda ns: ns["answer"]),
        (nb08.q5, lambda ns: ns["top_confusion"]),
    ],
    ids=lambda v: getattr(v, "title", ""),
)
def test_every_shown_solution_passes_its_own_check(exercise, answer_of):
    from helpers import training

    x, y = nb02.X, nb02.Y
    from torch import nn

    from helpers import networks
    from helpers.data import load_digits, split_indices

    digit_images, digit_labels = load_digits()
    digits_x = digit_images.reshape(len(digit_images), 64) / 16
    train, val, _ = split_indices(len(digits_x), seed=0)
    namespace = {
        "np": np,
        "training": training,
        "x": x,
        "y": y,
        "losses": _brief_losses(),
        "loss": lambda a, b: np.mean((a * x + b - y) ** 2),
        "nn": nn,
        "networks": networks,
        "X": digits_x,
        "labels": digit_labels,
        "train": train,
        "val": val,
        "spread_25": nb06.measured_spread(25),
        "standard_error": nb07.test_standard_error(),
        **_vending_namespace(),  # notebook 03's q2 and q3
    }
    exec(exercise.solution_text, namespace)
    assert exercise.feedback(answer_of(namespace))[0]


def test_multilayer_checkers():
    from helpers.exercises.nb05 import backward, backward_without_gate, count_parameters, paths_gradient

    q = nb05
    right = paths_gradient()
    assert abs(right - (-0.3898)) < 1e-3
    assert q.q1.feedback(right)[0] and q.q1.feedback(round(right, 2))[0]
    assert "sign" in q.q1.feedback(-right)[1]
    dz = right / 1.1  # p - y; the paths through units 1 and 2 carry v·a = 0.6 and 0.5, unit 3 (off) 1.5
    assert "one path" in q.q1.feedback(dz * 0.6)[1] and "one path" in q.q1.feedback(dz * 0.5)[1]
    assert "unit 3 is off" in q.q1.feedback(dz * 2.6)[1]
    assert "dL/dz of the output" in q.q1.feedback(dz)[1]
    assert not q.q1.feedback(0.0)[0]
    assert q.q2.feedback(backward)[0]
    assert "reverse order" in q.q2.feedback(lambda H, Z, W, d: tuple(g[::-1] for g in backward(H, Z, W, d)))[1]
    ungated = lambda H, Z, W, d: (backward_without_gate(H, Z, W, d), backward(H, Z, W, d)[1])  # noqa: E731
    transposed = lambda H, Z, W, d: ([g.T for g in backward(H, Z, W, d)[0]], backward(H, Z, W, d)[1])  # noqa: E731
    assert "every ReLU" in q.q2.feedback(ungated)[1]
    assert "shape" in q.q2.feedback(transposed)[1]
    assert "two lists" in q.q2.feedback(lambda H, Z, W, d: backward(H, Z, W, d)[0])[1]
    assert "0 weight" in q.q2.feedback(lambda H, Z, W, d: ([], []))[1]
    shrug = q.deep_linear_accuracy()
    assert 0.5 <= shrug <= 0.56  # the collapsed neuron shrugs (section 4), far below the best line's 73%
    assert q.q3.feedback(0.53)[0] and q.q3.feedback(shrug)[0]
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
    assert q.q5.feedback(count_parameters)[0]
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
    spread_25 = q.measured_spread(25)
    assert q.q2.feedback(spread_25 / 4)[0] and q.q2.feedback(q.measured_spread(400))[0]
    assert "not 1/B" in q.q2.feedback(spread_25 / 16)[1] and "bigger batch" in q.q2.feedback(spread_25)[1]
    assert "too large" in q.q2.feedback(spread_25 / 2)[1] and "still `...`" in q.q2.feedback(...)[1]
    assert q.q3.feedback("b")[0] and q.q3.feedback(" B ")[0]
    assert "latest digits win" in q.q3.feedback("c")[1] and "direction" in q.q3.feedback("d")[1]
    assert "coverage" in q.q3.feedback("a")[1] and "one of the letters" in q.q3.feedback("e")[1]
    assert q.q4.feedback(right)[0]
    assert q.q4.feedback(lambda n, b, u, seed: np.array(right(n, b, u, seed)))[0]  # a 2-D array is fine too
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


def test_overfitting_checkers():
    q = nb07
    def cut(order, n):
        return np.split(order, [int(0.6 * n), int(0.8 * n)])

    assert q.q1.feedback(lambda n, seed: cut(np.random.default_rng(seed).permutation(n), n))[0]
    assert "original order" in q.q1.feedback(lambda n, seed: cut(np.arange(n), n))[1]
    assert "60, 20 and 20" in q.q1.feedback(lambda n, seed: np.split(np.arange(n), [50, 80]))[1]
    fixed_cut = q.q1.feedback(lambda n, seed: np.split(np.random.default_rng(seed).permutation(n), [60, 80]))
    assert "30, 10 and 10" in fixed_cut[1]
    assert "use `seed`" in q.q1.feedback(lambda n, seed: cut(np.random.default_rng(0).permutation(n), n))[1]
    true = q.interpolation_val_error()
    assert 1000 < true < 5000  # degree 11 through 12 points, judged on the 50 validation points
    assert min(q.interpolation_val_error(draw) for draw in range(20)) > 100  # so (d) is right on every draw
    assert q.q2.feedback("d")[0] and q.q2.feedback(" (D) ")[0] and str(round(true)) in q.q2.feedback("d")[1]
    for wrong in "abc":  # the noise floor, ten times it, a hundred times it: all far too low
        correct, message = q.q2.feedback(wrong)
        assert not correct and f"({wrong}) is not it" in message
    assert "true wave itself" in q.q2.feedback("a")[1] and "one of the letters" in q.q2.feedback(2209)[1]
    assert "one letter in quotes" in q.q2.feedback(...)[1] and "one of the letters" in q.q2.feedback("e")[1]
    assert q.q3.feedback("c")[0] and q.q3.feedback(" (C) ")[0]
    for wrong in "abd":
        correct, message = q.q3.feedback(wrong)
        assert not correct and f"({wrong}) is not it" in message
    assert "one of the letters" in q.q3.feedback("e")[1] and "one of the letters" in q.q3.feedback(3)[1]
    assert q.q4.feedback(lambda w, lr, d, k: w * (1 - lr * d) ** k)[0]
    assert "does not add up" in q.q4.feedback(lambda w, lr, d, k: w * (1 - lr * d * k))[1]
    assert "scaled by the learning rate" in q.q4.feedback(lambda w, lr, d, k: w * (1 - d) ** k)[1]
    assert "weights grow" in q.q4.feedback(lambda w, lr, d, k: w * (1 + lr * d) ** k)[1]
    assert not q.q4.feedback(lambda w, lr, d, k: w * (1 - lr * d))[0]  # one step only
    assert "one step short" in q.q4.feedback(lambda w, lr, d, k: w * (1 - lr * d) ** (k - 1))[1]
    assert "one step too many" in q.q4.feedback(lambda w, lr, d, k: w * (1 - lr * d) ** (k + 1))[1]
    assert "shape" in q.q4.feedback(lambda w, lr, d, k: w[:2])[1]
    assert "raised" in q.q4.feedback(lambda w, lr: w)[1]
    want = 50 * (q.test_standard_error() / 0.005) ** 2
    assert q.q5.feedback(want)[0] and q.q5.feedback(round(want, -1))[0]
    assert "1/√n" in q.q5.feedback(50 * q.test_standard_error() / 0.005)[1]  # forgot the square
    assert "fewer points" in q.q5.feedback(20)[1] and not q.q5.feedback(5000)[0]
    assert not q.q5.feedback(250)[0] and not q.q5.feedback(440)[0]  # 50 × (0.013 / 0.005)² is about 330


def test_digits_checkers():
    q = nb08

    def good(m):
        return np.unravel_index(np.argmax(m - np.diag(np.diag(m))), m.shape)

    one = np.sqrt(0.98 * 0.02 / 400)  # the standard error of one score
    assert q.q1.feedback(np.sqrt(2) * one)[0] and q.q1.feedback(0.01)[0] and not q.q1.feedback(0.05)[0]
    assert "wobble of one score" in q.q1.feedback(one)[1]
    assert "variances add" in q.q1.feedback(2 * one)[1]
    assert "square root" in q.q1.feedback(2 * 0.98 * 0.02 / 400)[1]
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
        return good(np.sum(ms, axis=0))

    def symmetrised(ms):
        total = np.sum(ms, axis=0)
        return good(total + total.T)

    assert q.q5.feedback(summed)[0]
    assert "wrong way round" in q.q5.feedback(lambda ms: summed(ms)[::-1])[1]
    assert "its reverse" in q.q5.feedback(symmetrised)[1]
    assert "first matrix alone" in q.q5.feedback(lambda ms: good(ms[0]))[1]
    assert "on the diagonal" in q.q5.feedback(lambda ms: np.unravel_index(np.argmax(np.sum(ms, axis=0)), (10, 10)))[1]
    assert "most frequent" in q.q5.feedback(lambda ms: (0, 1))[1]
    assert "could not judge" not in q.q5.feedback(lambda ms: np.where(ms[0] == ms[0].max()))[1]

    def in_most_matrices(ms):  # counts the matrices a pair appears in, not how often
        return good(np.sum([m > 0 for m in ms], axis=0))

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
        return good(total)

    assert "count the matrices" in q.q5.feedback(in_most_matrices)[1]
    assert "most-misread" in q.q5.feedback(worst_row_then_largest)[1]
    assert "column" in q.q5.feedback(worst_column_then_largest)[1]
    assert not q.q5.feedback(worst_column_then_largest)[0] and q.q5.feedback(ten_by_ten)[0]

    def in_place(ms):  # wipes the diagonals of the matrices it is given: the checker must pass copies
        for m in ms:
            np.fill_diagonal(m, 0)
        return good(np.sum(ms, axis=0))

    changed = q.q5.feedback(in_place)
    assert not changed[0] and "changed the matrices it was given" in changed[1]
    emptied = q.q5.feedback(lambda ms: summed([ms.pop() for _ in range(len(ms))]))  # empties the list it is given
    assert not emptied[0] and "work on a copy" in emptied[1]
    assert q.q5.feedback(summed)[0]  # the checker's own matrices were not harmed by in_place
    assert "the last matrix alone" in q.q5.feedback(lambda ms: good(ms[-1]))[1]
