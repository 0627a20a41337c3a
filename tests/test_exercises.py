"""Exercise checkers: right answers pass, wrong ones fail without giving the answer away, nothing crashes."""

import numpy as np
import pytest
import torch

from helpers import (
    digits_exercises,
    exercises,
    gradient_exercises,
    learning_rate_exercises,
    loss_exercises,
    multilayer_exercises,
    neuron_exercises,
    overfitting_exercises,
    sgd_exercises,
)
from helpers.neuron_exercises import MSE_TARGET, q1, q2, q3, q4

EVERY_EXERCISE = {
    f"{module.__name__.split('.')[-1]}.{name}": getattr(module, name)
    for module in (
        neuron_exercises,
        loss_exercises,
        gradient_exercises,
        learning_rate_exercises,
        multilayer_exercises,
        sgd_exercises,
        overfitting_exercises,
        digits_exercises,
    )
    for name in sorted(vars(module))
    if isinstance(getattr(module, name), exercises.Exercise)
}


def raises(*_args):
    raise KeyError("oops")


MALFORMED = [None, Ellipsis, "0.5", 3 + 4j, [1, 2, 3], np.full(3, np.nan), raises, {"w": 1}]


def test_leaky_relu_checker():
    assert q1.feedback(lambda z: np.where(z > 0, z, 0.1 * z))[0]
    assert q1.feedback(lambda z: torch.nn.functional.leaky_relu(torch.tensor(z), 0.1))[0]
    wrong = [lambda z: np.maximum(0, z), lambda z: np.where(z > 0, z, 0.01 * z), lambda z: 0.1 * z, lambda z: z[:3]]
    for answer in wrong:
        correct, message = q1.feedback(answer)
        assert not correct and message.startswith(exercises.NOT_YET)
    assert "shape (21,)" in q1.feedback(lambda z: z[:3])[1]


def test_fahrenheit_to_celsius_checker():
    assert q2.feedback((1 / 1.8, -32 / 1.8))[0]
    assert q2.feedback([0.5556, -17.78])[0]
    assert q2.feedback((0.56, -17.8))[0]
    assert q2.feedback((torch.tensor(1 / 1.8), np.float64(-32 / 1.8)))[0]
    for answer in [(1.8, 32), (1 / 1.8, 32), (0.5, -17.78), (0.6, -17.78)]:
        correct, message = q2.feedback(answer)
        assert not correct and "0.55" not in message and "17.7" not in message


def test_fit_by_hand_checker_uses_the_real_error():
    assert q3.feedback((0.12, 9.0))[0]
    for answer in [(0.5, 0.0), (0.2, 0.0), (0.0, 20.0)]:
        correct, message = q3.feedback(answer)
        assert not correct and f"below {MSE_TARGET:g}" in message


def test_layer_shape_checker():
    assert q4.feedback(((4, 3), (3,)))[0]
    assert q4.feedback(([4, 3], (1, 3)))[0]
    for answer in [((3, 4), (3,)), ((4, 3), (4,)), ((4, 3, 1), (3,))]:
        correct, message = q4.feedback(answer)
        assert not correct and "(4, 3)" not in message
    assert "W_shape is still `...`" in q4.feedback((Ellipsis, Ellipsis))[1]
    assert "tuple of whole numbers" in q4.feedback(("4x3", (3,)))[1]
    assert "needs a comma, (3,)" in q4.feedback(((4, 3), 3))[1]


def test_a_python_if_on_an_array_gets_a_numpy_tip():
    def leaky_relu(z):
        return z if z > 0 else 0.1 * z

    correct, message = q1.feedback(leaky_relu)
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

    assert "returned None" in q1.feedback(unfinished)[1]
    assert "still `...`" in q2.feedback(...)[1]
    assert "raised KeyError" in q1.feedback(raises)[1]


def test_a_buggy_checker_still_answers_with_a_sentence():
    def broken_checker(_answer):
        raise RuntimeError("bug in the course")

    correct, message = exercises.Exercise("t", broken_checker, "h", "s").feedback(1)
    assert not correct and "could not judge" in message and "bug in the course" in message


def test_check_hint_and_solution_print(capsys):
    q2.check((1 / 1.8, -32 / 1.8))
    q2.hint()
    q2.solution()
    out = capsys.readouterr().out
    assert out.startswith(exercises.CORRECT) and "Hint:" in out and "answer = (1 / 1.8, -32 / 1.8)" in out


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


# Notebooks 05-08 were reworked for issue 13: at least four exercises each, every one with hints in levels.
REWORKED = {"multilayer_exercises", "sgd_exercises", "overfitting_exercises", "digits_exercises"}


@pytest.mark.parametrize("module", sorted(REWORKED))
def test_reworked_notebooks_have_four_exercises_with_hints_in_levels(module):
    found = {name: q for name, q in EVERY_EXERCISE.items() if name.startswith(f"{module}.")}
    assert len(found) >= 4, f"{module} has {len(found)} exercises, expected at least four"
    flat = [name for name, q in found.items() if len(q.hints) < 2]
    assert not flat, f"these exercises have a single hint, expected a nudge and then the method: {flat}"


def test_solutions_shown_to_learners_pass_their_own_checks():
    namespace = {"np": np}
    exec(q1.solution_text, namespace)
    assert q1.feedback(namespace["leaky_relu"])[0]
    for q in (q2, q3):
        namespace = {}
        exec(q.solution_text, namespace)
        assert q.feedback(namespace["answer"])[0]
    namespace = {}
    exec(q4.solution_text, namespace)
    assert q4.feedback((namespace["W_shape"], namespace["B_shape"]))[0]


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


def test_mse_checker():
    ex = loss_exercises.q1
    assert ex.feedback(lambda t, p: np.mean((p - t) ** 2))[0]
    assert ex.feedback(lambda t, p: torch.nn.functional.mse_loss(torch.tensor(p), torch.tensor(t)))[0]
    assert "absolute" in ex.feedback(lambda t, p: np.mean(np.abs(p - t)))[1]
    assert "mean instead" in ex.feedback(lambda t, p: np.sum((p - t) ** 2))[1]
    assert not ex.feedback(lambda t, p: np.mean(p - t) ** 2)[0]


def test_diagonal_checker():
    ex = loss_exercises.q2
    ds = np.linspace(0, 12, 1201)
    best = ds[np.argmin([np.mean((d * loss_exercises.X + d - loss_exercises.Y) ** 2) for d in ds])]
    assert ex.feedback(best)[0] and ex.feedback(np.float64(best))[0]
    for wrong in (6.0, 3.0, 8.0):
        correct, message = ex.feedback(wrong)
        assert not correct and f"{best:.2f}" not in message


def test_valley_bottom_checker():
    ex = loss_exercises.q3
    assert ex.feedback(tuple(np.polyfit(loss_exercises.X, loss_exercises.Y, 1)))[0]
    assert ex.feedback((3.1, 7.95))[0]
    for wrong in ((2.5, 8.5), (6.2, 6.2), (0, 0)):
        assert not ex.feedback(wrong)[0]


def test_line_gradient_checker():
    ex = gradient_exercises.q1
    from helpers.training import line_gradient

    def right(x, y, a, b):
        return line_gradient(np.array([a, b]), x, y)

    assert ex.feedback(right)[0]
    assert ex.feedback(lambda x, y, a, b: list(right(x, y, a, b)))[0]
    assert "half the right size" in ex.feedback(lambda *args: right(*args) / 2)[1]
    assert "wrong way" in ex.feedback(lambda *args: -right(*args))[1]
    assert "take the mean" in ex.feedback(lambda x, *args: right(x, *args) * len(x))[1]
    assert not ex.feedback(lambda *args: right(*args)[::-1])[0]
    assert "shape (2,)" in ex.feedback(lambda *args: np.append(right(*args), 0))[1]


def test_slope_checker():
    ex = gradient_exercises.q2
    assert ex.feedback(lambda f, t, h: (f(t + h) - f(t - h)) / (2 * h))[0]
    assert "one-sided" in ex.feedback(lambda f, t, h: (f(t + h) - f(t)) / h)[1]
    assert not ex.feedback(lambda f, t, h: (f(t + h) - f(t - h)) / h)[0]


def test_step_checker():
    ex = gradient_exercises.q3
    assert ex.feedback(lambda p, g, lr: p - lr * g)[0]
    assert "uphill" in ex.feedback(lambda p, g, lr: p + lr * g)[1]
    assert not ex.feedback(lambda p, g, lr: p - g)[0]


def test_epochs_checker():
    ex = gradient_exercises.q4
    assert ex.feedback(25)[0] and ex.feedback(np.int64(25))[0]
    assert "too many" in ex.feedback(26)[1] and "too few" in ex.feedback(10)[1]


def test_fast_learning_rate_checker():
    ex = learning_rate_exercises.q1
    assert ex.feedback(0.6)[0]
    assert "diverges" in ex.feedback(0.9)[1]
    assert "not below" in ex.feedback(0.05)[1]
    assert "positive" in ex.feedback(-0.5)[1]


def test_stable_limit_checker():
    ex = learning_rate_exercises.q2
    from helpers.training import line_curvature

    def limit(x):
        return 2 / np.linalg.eigvalsh(line_curvature(x)).max()

    assert ex.feedback(limit(10 * learning_rate_exercises.X))[0]
    assert "original x" in ex.feedback(limit(learning_rate_exercises.X))[1]
    for wrong in (2.0, 0.0771, limit(learning_rate_exercises.X) / 10):
        assert not ex.feedback(wrong)[0]


def test_step_decay_checker():
    ex = learning_rate_exercises.q3
    assert ex.feedback(lambda step: 0.7 * 0.5 ** (step // 25))[0]
    assert "step // 25" in ex.feedback(lambda step: 0.7 * 0.5 ** (step / 25))[1]
    assert not ex.feedback(lambda step: 0.7)[0]
    assert "schedule(0) raised" in ex.feedback(lambda: 0.7)[1]


def _brief_losses():
    from helpers.data import quadratic

    x, y = quadratic()
    params, losses = np.array([15.0, -2.0, 10.0]), []
    for _ in range(51):
        losses.append(np.mean((params[0] * x**2 + params[1] * x + params[2] - y) ** 2))
        params = params - 0.1 * gradient_exercises.quadratic_gradient(x, y, *params)
    return losses


@pytest.mark.parametrize(
    "exercise, answer_of",
    [
        (loss_exercises.q1, lambda ns: ns["mse"]),
        (loss_exercises.q2, lambda ns: ns["my_best_d"]),
        (loss_exercises.q3, lambda ns: ns["answer"]),
        (gradient_exercises.q1, lambda ns: ns["line_gradient"]),
        (gradient_exercises.q2, lambda ns: ns["slope"]),
        (gradient_exercises.q3, lambda ns: ns["step"]),
        (gradient_exercises.q4, lambda ns: ns["epochs_needed"]),
        (learning_rate_exercises.q1, lambda ns: ns["lr"]),
        (learning_rate_exercises.q2, lambda ns: ns["my_limit"]),
        (learning_rate_exercises.q3, lambda ns: ns["schedule"]),
        (multilayer_exercises.q1, lambda ns: ns["collapse"]),
        (multilayer_exercises.q2, lambda ns: ns["relu_backward"]),
        (multilayer_exercises.q3, lambda ns: ns["count_parameters"]),
        (sgd_exercises.q1, lambda ns: ns["updates_per_epoch"]),
        (sgd_exercises.q2, lambda ns: ns["make_batches"]),
        (sgd_exercises.q3, lambda ns: ns["factor"]),
        (overfitting_exercises.q1, lambda ns: ns["split"]),
        (overfitting_exercises.q2, lambda ns: ns["best_degree"]),
        (overfitting_exercises.q3, lambda ns: ns["best_epoch"]),
        (digits_exercises.q1, lambda ns: ns["flatten"]),
        (digits_exercises.q2, lambda ns: ns["my_model"]),
        (digits_exercises.q3, lambda ns: ns["top_confusion"]),
    ],
    ids=lambda v: getattr(v, "title", ""),
)
def test_every_shown_solution_passes_its_own_check(exercise, answer_of):
    from helpers import training

    x, y = loss_exercises.X, loss_exercises.Y
    from torch import nn

    from helpers import networks
    from helpers.data import split_indices

    digits_x, digit_labels = digits_exercises.digit_vectors()
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
        "val_errors": overfitting_exercises.validation_errors(),
    }
    exec(exercise.solution_text, namespace)
    assert exercise.feedback(answer_of(namespace))[0]


def test_multilayer_checkers():
    from helpers.multilayer_exercises import collapse, count_parameters, relu_backward

    q = multilayer_exercises
    assert q.q1.feedback(collapse)[0]
    assert "transposed" in q.q1.feedback(lambda a, b, c, d: ((a @ c).T, b @ c + d))[1]
    assert "missing B2" in q.q1.feedback(lambda a, b, c, d: (a @ c, b @ c))[1]
    assert "could not judge" not in q.q1.feedback(lambda a, b, c, d: (a @ c, b))[1]
    assert q.q2.feedback(relu_backward)[0]
    assert "multiply the incoming" in q.q2.feedback(lambda dH, Z: (Z > 0).astype(float))[1]
    assert "applies ReLU to dH" in q.q2.feedback(lambda dH, Z: np.maximum(dH, 0))[1]
    assert q.q3.feedback(count_parameters)[0]
    assert "not the biases" in q.q3.feedback(lambda s: sum(a * b for a, b in zip(s[:-1], s[1:], strict=True)))[1]
    assert "any number of layers" in q.q3.feedback(lambda s: s[0] * s[1] + s[1] + s[1] * s[2] + s[2])[1]


def test_sgd_checkers():
    q = sgd_exercises

    def right(n, b, seed):
        return np.array_split(np.random.default_rng(seed).permutation(n), range(b, n, b))

    assert q.q1.feedback(lambda n, b: -(-n // b))[0]
    assert "drops the last" in q.q1.feedback(lambda n, b: n // b)[1]
    assert q.q2.feedback(right)[0]
    assert "original order" in q.q2.feedback(lambda n, b, seed: [np.arange(n)[i : i + b] for i in range(0, n, b)])[1]
    assert "sizes [3, 3, 3, 1]" in q.q2.feedback(lambda n, b, seed: [np.arange(n)[:9]])[1]
    assert "same seed" in q.q2.feedback(lambda n, b, seed: np.array_split(np.random.permutation(n), range(b, n, b)))[1]  # noqa: NPY002 (an unseeded learner answer)
    assert q.q3.feedback(4)[0] and "√2" in q.q3.feedback(2)[1] and not q.q3.feedback(10)[0]


def test_overfitting_checkers():
    q = overfitting_exercises
    assert q.q1.feedback(lambda n, seed: np.split(np.random.default_rng(seed).permutation(n), [60, 80]))[0]
    assert "original order" in q.q1.feedback(lambda n, seed: np.split(np.arange(n), [60, 80]))[1]
    assert "60, 20 and 20" in q.q1.feedback(lambda n, seed: np.split(np.arange(n), [50, 80]))[1]
    best = int(np.argmin(q.validation_errors()))
    assert q.q2.feedback(best)[0] and q.q2.feedback(float(best))[0]
    assert "another degree has less" in q.q2.feedback(12)[1] and "whole number" in q.q2.feedback(3.5)[1]
    assert q.q3.feedback(lambda v: int(np.argmin(v)) + 1)[0]
    assert "counts from 0" in q.q3.feedback(lambda v: int(np.argmin(v)))[1]


def test_digits_checkers():
    q = digits_exercises

    def good(m):
        return np.unravel_index(np.argmax(m - np.diag(np.diag(m))), m.shape)

    assert q.q1.feedback(lambda images: images.reshape(len(images), 64))[0]
    assert "row by row" in q.q1.feedback(lambda images: images.transpose(0, 2, 1).reshape(len(images), 64))[1]
    assert "divides by 16" in q.q1.feedback(lambda images: images.reshape(len(images), 64) / 16)[1]
    assert "10 outputs" in q.q2.feedback(torch.nn.Linear(64, 3))[1]
    assert "cannot take a batch" in q.q2.feedback(torch.nn.Linear(10, 10))[1]
    assert "beat 97%" in q.q2.feedback(torch.nn.Linear(64, 10))[1]
    assert "nn.Module" in q.q2.feedback("model")[1]
    assert q.q3.feedback(good)[0]
    assert "swap the pair" in q.q3.feedback(lambda m: good(m)[::-1])[1]
    assert "on the diagonal" in q.q3.feedback(lambda m: np.unravel_index(np.argmax(m), m.shape))[1]
    assert "could not judge" not in q.q3.feedback(lambda m: np.where(m == m.max()))[1]
