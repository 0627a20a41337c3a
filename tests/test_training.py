"""Gradient descent helpers: the hand-derived maths against torch autograd, divergence, schedules."""

import numpy as np
import pytest
import torch

from helpers import training
from helpers.data import load_vending_machine, noisy_line, quadratic
from helpers.exercises.nb03 import epochs_to_reach, quadratic_gradient

X, Y = noisy_line()


def autograd(loss_of_tensor, params):
    t = torch.tensor(params, dtype=torch.float64, requires_grad=True)
    loss_of_tensor(t).backward()
    return t.grad.numpy()


@pytest.mark.parametrize("params", [(0.0, 0.0), (3.0, 8.0), (-1.5, 12.0)])
def test_line_gradient_by_hand_equals_autograd(params):
    x, y = torch.tensor(X), torch.tensor(Y)
    expected = autograd(lambda p: torch.mean((p[0] * x + p[1] - y) ** 2), params)
    np.testing.assert_allclose(training.line_gradient(np.array(params), X, Y), expected, rtol=1e-12)
    assert training.line_loss(params, X, Y) == pytest.approx(float(torch.mean((params[0] * x + params[1] - y) ** 2)))


def test_line_curvature_is_the_hessian_from_autograd():
    x, y = torch.tensor(X), torch.tensor(Y)
    hessian = torch.autograd.functional.hessian(
        lambda p: torch.mean((p[0] * x + p[1] - y) ** 2), torch.zeros(2, dtype=torch.float64)
    )
    np.testing.assert_allclose(training.line_curvature(X), hessian.numpy(), rtol=1e-12)


@pytest.mark.parametrize("params", [(15.0, -2.0, 10.0), (10.0, 5.0, 12.0), (0.0, 1.0, -1.0)])
def test_quadratic_gradient_by_hand_equals_autograd(params):
    xq, yq = quadratic()
    x, y = torch.tensor(xq), torch.tensor(yq)
    expected = autograd(lambda p: torch.mean((p[0] * x**2 + p[1] * x + p[2] - y) ** 2), params)
    np.testing.assert_allclose(quadratic_gradient(xq, yq, *params), expected, rtol=1e-10, atol=1e-12)


def test_vending_derivative_three_ways_agree():
    v = load_vending_machine()
    visitors, sold = v.visitors.astype(float), v.bottles_sold.astype(float)

    def loss(w):
        return np.mean((w * visitors - sold) ** 2)

    by_hand = np.mean(2 * (0.5 * visitors - sold) * visitors)
    finite = (loss(0.5 + 1e-4) - loss(0.5 - 1e-4)) / 2e-4
    auto = autograd(lambda w: torch.mean((w[0] * torch.tensor(visitors) - torch.tensor(sold)) ** 2), [0.5])[0]
    assert by_hand == pytest.approx(auto, rel=1e-12) and finite == pytest.approx(auto, rel=1e-8)


def run(lr, steps=100):
    return training.descend(
        lambda p: training.line_loss(p, X, Y), lambda p: training.line_gradient(p, X, Y), np.zeros(2), lr, steps
    )


def test_descend_matches_a_plain_loop_and_reaches_the_least_squares_line():
    result = run(0.5, 300)
    point = np.zeros(2)
    for _ in range(300):
        point = point - 0.5 * training.line_gradient(point, X, Y)
    np.testing.assert_allclose(result.path[-1], point)
    np.testing.assert_allclose(result.path[-1], np.polyfit(X, Y, 1), atol=1e-6)
    assert not result.diverged and len(result.path) == len(result.losses) == 301 and len(result.rates) == 300


def test_divergence_stops_early_and_never_records_a_non_finite_value():
    with np.errstate(all="raise"):
        result = run(5.0, 10_000)
    assert result.diverged and result.diverged_at < 50
    assert np.all(np.isfinite(result.path)) and np.all(np.isfinite(result.losses))
    assert len(result.losses) == result.diverged_at


def test_the_stable_limit_is_two_over_the_largest_curvature():
    limit = 2 / np.linalg.eigvalsh(training.line_curvature(X)).max()
    below, above = run(limit * 0.99, 3000), run(limit * 1.01, 3000)
    assert below.final_loss < below.losses[0] and not below.diverged
    assert above.diverged


def test_schedules():
    decay = training.step_decay(0.8, factor=0.5, every=10)
    assert [decay(s) for s in (0, 9, 10, 25)] == [0.8, 0.8, 0.4, 0.2]
    cycle = training.cyclical(0.1, 0.5, period=4)
    assert [round(cycle(s), 10) for s in range(6)] == [0.1, 0.3, 0.5, 0.3, 0.1, 0.3]
    result = run(decay, 30)
    np.testing.assert_allclose(result.rates, [decay(s) for s in range(30)])


def test_the_brief_quadratic_training_numbers():
    assert epochs_to_reach(0.01) == 25
    assert epochs_to_reach(1e-12) is None



def counted(record):
    """A function that records each call it really computes, returning a new object every time."""

    def compute(values, lr=0.1, *, schedule=None):
        record.append((values, lr, schedule))
        return {"result": object()}

    return compute


def test_remembered_gives_the_kept_result_for_the_same_arguments_and_computes_again_for_new_ones():
    record = []
    compute = training.remembered(counted(record))
    first = compute(np.array([1.0, 2.0]))
    assert compute(np.array([1.0, 2.0])) is first and compute(values=np.array([1.0, 2.0]), lr=0.1) is first
    assert len(record) == 1
    changed = [compute(np.array([1.0, 2.5])), compute(np.array([1.0, 2.0]), lr=0.2), compute(np.array([1, 2])),
               compute(np.array([[1.0, 2.0]])), compute((1.0, 2.0)), compute([1.0, 2.0]),
               compute(np.zeros(2)), compute(np.zeros(2, dtype=np.int64))]  # the last two: the same bytes
    assert len(record) == 1 + len(changed) and all(result is not first for result in changed)
    assert len({id(result) for result in changed}) == len(changed)


def test_remembered_compares_numbers_by_type_and_value():
    record = []
    compute = training.remembered(counted(record))
    for value in (1, 1.0, True, 0.0, -0.0, np.float32(1.0), 2**70):
        compute(value)
    assert len(record) == 7
    nan = compute(float("nan"))
    assert compute(float("nan")) is nan and len(record) == 8


def test_remembered_sees_a_changed_array_as_a_new_argument():
    record = []
    compute = training.remembered(counted(record))
    values = np.zeros(3)
    first = compute(values)
    values[1] = 5.0  # the same array object, changed in place after the first call
    assert compute(values) is not first and len(record) == 2


def test_remembered_compares_tensors_by_value():
    record = []
    compute = training.remembered(counted(record))
    weights = torch.zeros(3)
    first = compute(weights)
    assert compute(torch.zeros(3)) is first and compute(torch.zeros(3, requires_grad=True)) is first
    weights[0] = 1.0
    assert compute(weights) is not first and compute(torch.zeros(3, dtype=torch.float64)) is not first
    assert len(record) == 3


def test_remembered_compares_functions_by_what_they_compute():
    record = []
    compute = training.remembered(counted(record))
    first = compute(0, schedule=training.step_decay(0.5))
    assert compute(0, schedule=training.step_decay(0.5)) is first  # a new function object, the same schedule
    assert compute(0, schedule=training.step_decay(0.6)) is not first
    assert compute(0, schedule=training.step_decay(0.5, every=10)) is not first
    assert compute(0, schedule=training.cyclical(0.1, 0.5)) is not first
    assert len(record) == 4


def test_remembered_keeps_results_per_definition_and_answers_unusable_arguments_with_a_sentence():
    record = []
    first = training.remembered(counted(record))(1.0)
    assert training.remembered(counted(record))(1.0) is not first and len(record) == 2
    with pytest.raises(TypeError, match="cannot compare an argument of type set"):
        training.remembered(counted(record))({1, 2})


def test_remembered_training_run_prints_the_same_as_a_fresh_run():
    descend = training.remembered(training.descend)

    def loss(p):
        return training.line_loss(p, X, Y)

    def gradient(p):
        return training.line_gradient(p, X, Y)

    kept = descend(loss, gradient, np.zeros(2), 0.5, 50)
    again = descend(loss, gradient, np.zeros(2), 0.5, 50)
    fresh = training.descend(loss, gradient, np.zeros(2), 0.5, 50)
    assert again is kept
    np.testing.assert_array_equal(kept.path, fresh.path)
    assert descend(loss, gradient, np.zeros(2), 0.4, 50).final_loss != kept.final_loss


def test_remembered_sees_a_changed_global_the_experiment_reads():
    """A learner changes the data in one cell and runs the remembered experiment again: a new result."""
    namespace = {"np": np, "data": np.arange(3.0)}
    exec("def total(scale):\n    return scale * np.sum(data)", namespace)  # a notebook cell's function
    total = training.remembered(namespace["total"])
    assert total(2) == 6.0
    namespace["data"] = np.arange(4.0)
    assert total(2) == 12.0
    namespace["data"] = np.arange(3.0)
    assert total(2) == 6.0
