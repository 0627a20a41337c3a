"""Exercise checkers: right answers pass, wrong ones fail without giving the answer away, nothing crashes."""

import random

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
        (multilayer_exercises.q1, lambda ns: ns["my_gradient"]),
        (multilayer_exercises.q2, lambda ns: ns["backward"]),
        (multilayer_exercises.q3, lambda ns: ns["my_prediction"]),
        (multilayer_exercises.q4, lambda ns: (ns["xor_W1"], ns["xor_b1"], ns["xor_W2"], ns["xor_b2"])),
        (multilayer_exercises.q5, lambda ns: ns["count_parameters"]),
        (sgd_exercises.q1, lambda ns: ns["epochs_needed"]),
        (sgd_exercises.q2, lambda ns: ns["my_prediction"]),
        (sgd_exercises.q3, lambda ns: ns["answer"]),
        (sgd_exercises.q4, lambda ns: ns["make_batches"]),
        (overfitting_exercises.q1, lambda ns: ns["split"]),
        (overfitting_exercises.q2, lambda ns: ns["order_of_magnitude"]),
        (overfitting_exercises.q3, lambda ns: ns["remedy"]),
        (overfitting_exercises.q4, lambda ns: ns["shrink"]),
        (overfitting_exercises.q5, lambda ns: ns["n_test_needed"]),
        (digits_exercises.q1, lambda ns: ns["my_prediction"]),
        (digits_exercises.q2, lambda ns: ns["answer"]),
        (digits_exercises.q3, lambda ns: ns["protocol"]),
        (digits_exercises.q4, lambda ns: ns["answer"]),
        (digits_exercises.q5, lambda ns: ns["top_confusion"]),
    ],
    ids=lambda v: getattr(v, "title", ""),
)
def test_every_shown_solution_passes_its_own_check(exercise, answer_of):
    from helpers import training

    x, y = loss_exercises.X, loss_exercises.Y
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
        "spread_25": sgd_exercises.measured_spread(25),
        "standard_error": overfitting_exercises.test_standard_error(),
    }
    exec(exercise.solution_text, namespace)
    assert exercise.feedback(answer_of(namespace))[0]


def test_multilayer_checkers():
    from helpers.multilayer_exercises import backward, backward_without_gate, count_parameters, paths_gradient

    q = multilayer_exercises
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
    q = sgd_exercises
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
        assert sgd_exercises.q4.feedback(function)[0], sgd_exercises.q4.feedback(function)[1]


def test_overfitting_checkers():
    q = overfitting_exercises
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
    q = digits_exercises

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
