"""Exercise checkers: right answers pass, wrong ones fail without giving the answer away, nothing crashes."""

import numpy as np
import pytest
import torch

from helpers import exercises
from helpers.neuron_exercises import MSE_TARGET, q1, q2, q3, q4


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


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4], ids=["q1", "q2", "q3", "q4"])
@pytest.mark.parametrize("answer", MALFORMED, ids=lambda a: type(a).__name__)
def test_every_checker_answers_malformed_input_with_a_sentence(exercise, answer):
    correct, message = exercise.feedback(answer)
    assert not correct
    assert message.startswith(exercises.NOT_YET) and message.endswith((".", "?"))
    assert "could not judge" not in message  # the checker understood what was wrong


def test_unfinished_placeholders_get_a_specific_nudge():
    def unfinished(z):
        ...

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


def test_solutions_shown_to_learners_pass_their_own_checks():
    namespace = {"np": np}
    exec(q1.solution_text, namespace)
    assert q1.feedback(namespace["leaky_relu"])[0]
    for q in (q2, q3):
        namespace = {}
        exec(q.solution_text.split("\n", 1)[1], namespace)
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
