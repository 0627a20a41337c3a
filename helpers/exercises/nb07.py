"""Checked exercises for notebook 07, Overfitting."""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.data import wavy
from helpers.exercises import Exercise, NotYet, as_array, as_number, call, choose, expect_close

# Notebook 07's data and its split, kept here once: the notebook imports them, so its numbers and these checks
# cannot disagree. Each draw is N_POINTS points: the pool (its first TRAIN points train), validation, test.
N_POINTS, NOISE = 300, 0.2
POOL, VALIDATION, TEST = slice(0, 200), slice(200, 250), slice(250, None)
TRAIN = slice(0, 15)
X, Y = wavy(n=N_POINTS, noise=NOISE, seed=0)
NOISE_FLOOR = NOISE**2  # the data's noise variance: the error of the true wave itself, on average


def interpolation_val_error(draw: int = 0) -> float:
    """Validation error of a degree-11 polynomial fitted to the first 12 points of the pool (it hits all 12)."""
    x, y = (X, Y) if draw == 0 else wavy(n=N_POINTS, noise=NOISE, seed=draw)
    fit = np.polynomial.Polynomial.fit(x[:12], y[:12], 11)
    return float(np.mean((fit(x[VALIDATION]) - y[VALIDATION]) ** 2))


def _split_parts(function: Any, n: int, seed: int) -> list[np.ndarray]:
    """Call the learner's split once and return its three parts as flat integer arrays."""
    result = call(function, n, seed, what=f"split({n}, seed={seed})")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise NotYet("split should return three index arrays: (train, validation, test).")
    names = ("train", "validation", "test")
    return [as_array(part, name).astype(int).ravel() for part, name in zip(result, names, strict=True)]


def _check_split(function: Any) -> str:
    seen: list[list[int]] = []
    train_only_in_first_block = True  # every train part inside 0 … 0.6 n − 1: each block shuffled on its own
    for n, seed in ((100, 0), (50, 3), (100, 1)):
        parts = _split_parts(function, n, seed)
        sizes, want = tuple(len(part) for part in parts), (int(0.6 * n), int(0.2 * n), n - int(0.8 * n))
        if sizes != want:
            raise NotYet(f"split({n}, ...) should give parts of {want[0]}, {want[1]} and {want[2]}, not "
                         f"{sizes[0]}, {sizes[1]} and {sizes[2]}.")
        together = np.concatenate(parts)
        if sorted(together) != list(range(n)):
            raise NotYet("every example should land in exactly one part: the parts must not overlap or miss any.")
        if list(together) == list(range(n)):
            raise NotYet("the split keeps the original order; shuffle first, in case the data are sorted.")
        again = np.concatenate(_split_parts(function, n, seed))
        if list(again) != list(together):
            raise NotYet(f"split({n}, seed={seed}) gave a different split when called again with the same seed, so "
                         "nobody can repeat your experiment. Shuffle with a generator made from `seed` inside "
                         "split, such as np.random.default_rng(seed), not with an unseeded np.random.permutation(n).")
        train_only_in_first_block &= bool(parts[0].max() < int(0.6 * n))
        seen.append(list(together))
    if train_only_in_first_block:
        raise NotYet("the training part only ever holds the first 60% of the indices (0 … 59 of 100): each part is "
                     "shuffled only inside its own block, so if the data are sorted the training set still sees "
                     "only one end of them. Shuffle all n indices first, then cut the shuffled order in three.")
    if seen[0] == seen[2]:
        raise NotYet("split(100, seed=0) and split(100, seed=1) give the same order: use `seed` for the shuffle.")
    return "Shuffled (differently for each seed), then cut 60 / 20 / 20, with no example in two parts."


WHY_NOT_SIZE = {
    "a": ("about 0.04 is what the true wave itself scores. The training error is zero, but only because the curve "
          "is forced through 12 noisy points, noise included: what does it do between and beyond them, where the "
          "validation points lie?"),
    "b": ("about 0.4 is ten times the floor, roughly what a straight line scores on these points. A curve with as "
          "many coefficients as points has no freedom left: to hit every noisy point exactly it swings far away "
          "from the wave between them."),
    "c": ("about 4 is a hundred times the floor, yet still too little. Nothing is averaged out when the curve must "
          "pass exactly through every point: between and beyond them it swings many times the wave's height, and "
          "squared errors of such swings run to hundreds or more."),
}


def _check_prediction(answer: Any) -> str:
    choose(answer, "d", WHY_NOT_SIZE, "order_of_magnitude")
    draws = [interpolation_val_error(draw) for draw in range(20)]
    true = draws[0]
    return (f"Far above the floor: on our data it is {true:.0f}, some {true / NOISE_FLOOR:,.0f} times the noise "
            f"floor, while its training error is zero. On 20 draws of the data it ranges from {min(draws):.0f} to "
            f"{max(draws):.1e}: how far the curve swings is luck, that it swings is not. A curve with as many "
            "coefficients as points hits every point, noise included, and swings wildly between them.")


WHY_NOT_REMEDY = {
    "a": ("early stopping keeps the epoch with the lowest validation loss, but the losses are flat, so "
          "every late epoch is as good as any other: stopping earlier cannot lower them."),
    "b": ("weight decay pulls the weights toward zero, which makes the network less flexible still. It "
          "cures overfitting; this network does not overfit."),
    "d": ("dropout switches off units during training, which limits what the network can learn; it "
          "cures overfitting, and this network has too little capacity, not too much."),
}


def _check_remedy(answer: Any) -> str:
    choose(answer, "c", WHY_NOT_REMEDY)
    return ("Training and validation loss are close together and both far above the noise floor: the network "
            "cannot even fit its training points. That is underfitting, and the cure is more capacity: more hidden "
            "units (then watch the validation loss for overfitting, and stop early if it turns up).")


def _check_shrink(function: Any) -> str:
    rng = np.random.default_rng(7)
    for lr, decay, steps in ((0.1, 0.5, 20), (0.02, 3.0, 7), (0.2, 0.0, 5), (0.05, 1.0, 1)):
        w = rng.normal(size=4)
        what = f"shrink(w, lr={lr}, decay={decay}, steps={steps})"
        got = as_array(call(function, w.copy(), lr, decay, steps, what=what), what, shape=w.shape)
        if decay and steps > 1 and np.allclose(got, w * (1 - lr * decay * steps)):
            raise NotYet("each step shrinks the weight it is given, which is already smaller than before: the "
                         "factor multiplies, it does not add up.")
        if decay and np.allclose(got, w * (1 - decay) ** steps):
            raise NotYet("the pull toward zero is part of the step, so it is scaled by the learning rate too.")
        if decay and np.allclose(got, w * (1 - lr * decay) ** (steps - 1)):
            raise NotYet(f"one step short: {what} applies the shrink factor {steps} times, once per step.")
        if decay and np.allclose(got, w * (1 - lr * decay) ** (steps + 1)):
            raise NotYet(f"one step too many: {what} applies the shrink factor {steps} times, once per step.")
        if decay and np.allclose(got, w * (1 + lr * decay) ** steps):
            raise NotYet("the weights grow: the decay term should shrink w, so subtract it.")
        expect_close(got, w * (1 - lr * decay) ** steps, what)
    kept = (1 - 0.02 * 0.3) ** 300
    return ("Every step multiplies the weight by (1 − lr × decay), so after k steps by (1 − lr × decay)^k. With "
            f"this notebook's lr=0.02 and weight_decay=0.3, 300 epochs leave {kept:.0%} of a weight the data do "
            "not push on, whatever its size: decay removes the same fraction of every weight, so the largest "
            "lose the most.")


def test_standard_error() -> float:
    """The standard error of the degree-3 polynomial's test error in notebook 07 (50 test points)."""
    fit = np.polynomial.Polynomial.fit(X[TRAIN], Y[TRAIN], 3)
    squared = (fit(X[TEST]) - Y[TEST]) ** 2
    return float(squared.std(ddof=1) / np.sqrt(len(squared)))


def _check_test_size(answer: Any) -> str:
    n = as_number(answer, "n_test_needed")
    want = 50 * (test_standard_error() / 0.005) ** 2
    if 0.85 * want <= n <= 1.15 * want:
        return (f"About {want:.0f}: the standard error shrinks like 1/√n, so 2.6 times smaller needs about "
                "2.6² ≈ 7 times more points. Precision is expensive.")
    if 0.75 * np.sqrt(50 * want) <= n <= 1.33 * np.sqrt(50 * want):
        raise NotYet("that would be right if the standard error shrank like 1/n. It shrinks like 1/√n: "
                     "to divide it by k you need k² times the points.")
    if n < 50:
        raise NotYet("fewer points than now give a larger standard error, not a smaller one.")
    if 0.6 * want <= n <= 1.6 * want:
        raise NotYet("close: now do the arithmetic with the printed standard error, not a rounded guess.")
    raise NotYet("the standard error is (spread of the squared errors) / √n; only n changes.")


q1 = Exercise(
    "Train, validation, test",
    _check_split,
    ("Shuffle the indices 0 … n − 1 with a generator seeded by `seed`, then cut the shuffled order in three.",
     "order = np.random.default_rng(seed).permutation(n); cut at int(0.6 * n) and int(0.8 * n)."),
    "def split(n, seed):\n    order = np.random.default_rng(seed).permutation(n)\n"
    "    return order[: int(0.6 * n)], order[int(0.6 * n) : int(0.8 * n)], order[int(0.8 * n) :]",
)
q2 = Exercise(
    "Predict: degree 11 on 12 points, on new points",
    _check_prediction,
    ("Its training error is zero: 12 coefficients pass the curve through all 12 points. What must the curve do "
     "between and beyond them, where the validation points lie, to hit every noisy point?",
     "Bracket it with the explorer: degree 9 on 10 points, and degree 14 on 15 points, also pass through every "
     "point. Read their validation errors: 12 points lie between the two. Which option is in that range?"),
    'order_of_magnitude = "d"  # far above the floor: the exact fit swings wildly between its points',
)
q3 = Exercise(
    "Which remedy first?",
    _check_remedy,
    ("Compare both losses with the noise floor and with each other: is the network memorising, or failing to "
     "learn?",
     "Both losses close together and far above the floor is underfitting. Which option adds capacity, and "
     "which ones take it away?"),
    'remedy = "c"  # underfitting: more capacity; the other three are cures for overfitting',
)
q4 = Exercise(
    "Weight decay, many steps",
    _check_shrink,
    ("With a zero gradient, one step is w − lr × decay × w = (1 − lr × decay) × w. What does the second step "
     "start from?",
     "Each step multiplies by the same factor, so after `steps` steps: w × (1 − lr × decay) ** steps."),
    "def shrink(w, lr, decay, steps):\n    return w * (1 - lr * decay) ** steps",
)
q5 = Exercise(
    "Calculate: how big a test set?",
    _check_test_size,
    ("The standard error is the spread of the squared errors divided by √n. Which part changes with n?",
     "To make √n larger by a factor k = (standard error now) / 0.005, n must grow by k²: "
     "n = 50 × (standard error / 0.005)²."),
    "n_test_needed = 50 * (standard_error / 0.005) ** 2  # about 330: the standard error shrinks like 1/sqrt(n)",
)
