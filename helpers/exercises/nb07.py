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


def exact_fit_val_errors(draw: int = 0) -> tuple[float, float]:
    """On noiseless points of a draw (every y on the wave): the validation error of a degree-11 polynomial through
    the pool's first 12 points, and of a degree-3 fit to them. q2 asks for the first; the second is its yardstick."""
    x, y = wavy(n=N_POINTS, noise=0.0, seed=draw)
    exact, cubic = (np.polynomial.Polynomial.fit(x[:12], y[:12], degree) for degree in (11, 3))
    return tuple(float(np.mean((fit(x[VALIDATION]) - y[VALIDATION]) ** 2)) for fit in (exact, cubic))


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
    for n, seed in ((100, 0), (50, 3), (100, 1), (100, 2)):
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
        if np.all(np.diff(together) % n == 1):
            raise NotYet("the split only rotates the indices: each is still followed by the next, so sorted data "
                         "stay sorted inside every part. Shuffle them instead, with a generator made from `seed`.")
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
    for first, second, seeds in ((0, 3, "seed=0) and split(100, seed=2"), (2, 3, "seed=1) and split(100, seed=2")):
        if seen[first] == seen[second]:
            raise NotYet(f"split(100, {seeds}) give the same order: use all of `seed` for the shuffle, not only "
                         "part of it (such as seed % 2 or min(seed, 1)).")
    return "Shuffled (differently for each seed), then cut 60 / 20 / 20, with no example in two parts."


WHY_NOT_NOISELESS = {
    "b": ("the noise floor is the noise's variance, and here there is no noise: the true wave itself scores 0 on "
          "these points, so nothing holds a model at 0.04."),
    "c": ("section 2's curves swung because they were forced through points that sit off the wave by the noise. "
          "Here every point lies on the wave: what is there to swing toward?"),
    "d": ("passing through every point is not the harm in itself. Through noisy points it means bending to the "
          "noise; these 12 points lie exactly on a smooth wave."),
}


def _check_noiseless(answer: Any) -> str:
    choose(answer, "a", WHY_NOT_NOISELESS, "noiseless_error")
    errors = np.array([exact_fit_val_errors(draw) for draw in range(20)])
    exact, cubic = errors[0]
    return (f"Nearly exact: on our points the degree-11 curve scores {exact:.0e}, and at most {errors[:, 0].max():.0e} "
            f"on 20 draws, while a degree-3 fit to the same points scores {cubic:.4f} (its shape is too simple). "
            "Overfitting is fitting the noise: with no noise there is nothing to memorise, and the most flexible "
            "model wins. Capacity is only too much for the noise and the number of points it has to fit.")


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
    ("Shuffle first, then cut. The shuffle must depend on `seed`, and the same seed must give the same order.",
     "A generator made from the seed shuffles repeatably: np.random.default_rng(seed).permutation(n) is the "
     "indices 0 … n − 1 in a shuffled order. Cut that one array at two places.",
     "Call the shuffled array `order` and cut it at int(0.6 * n) and int(0.8 * n): three slices of it."),
    "def split(n, seed):\n    order = np.random.default_rng(seed).permutation(n)\n"
    "    return order[: int(0.6 * n)], order[int(0.6 * n) : int(0.8 * n)], order[int(0.8 * n) :]",
)
q2 = Exercise(
    "Predict: the exact fit, without noise",
    _check_noiseless,
    ("Section 2's degree-14 curve passed through all 15 training points and swung wildly between them. What was it "
     "bending to reach: the wave, or the noise around it?",
     "Here every point lies on the wave, so the true wave scores 0: there is no floor. A curve forced through 12 "
     "points of a smooth wave, with nothing pulling it off the wave: how far does it have to stray between them?",
     "Overfitting is fitting the noise. Without noise, passing through every point means passing through the wave "
     "itself at 12 places over one period, and the curve stays on it. Which option is nearly zero?"),
    'noiseless_error = "a"  # nearly exact: without noise there is nothing to memorise',
)
q3 = Exercise(
    "Which remedy first?",
    _check_remedy,
    ("Compare both losses with the noise floor and with each other: is the network memorising, or failing to "
     "learn?",
     "Memorising shows as a training loss well below the floor and well below the validation loss. Both losses "
     "close together and far above the floor is the other problem: underfitting.",
     "Underfitting is cured by more capacity. Which option adds capacity, and which three take it away?"),
    'remedy = "c"  # underfitting: more capacity; the other three are cures for overfitting',
)
q4 = Exercise(
    "Weight decay, many steps",
    _check_shrink,
    ("With a zero gradient only the decay moves the weight. Write one step, w − lr × (0 + decay × w), and "
     "simplify it.",
     "One step multiplies w by a factor. The second step starts from what the first returned: write two steps out "
     "and see what happens to that factor.",
     "After `steps` steps the factor (1 − lr × decay) has been applied `steps` times: raise it to a power."),
    "def shrink(w, lr, decay, steps):\n    return w * (1 - lr * decay) ** steps",
)
q5 = Exercise(
    "Calculate: how big a test set?",
    _check_test_size,
    ("Which parts of the standard error change when you add test points, and which stay about the same?",
     "The standard error is the spread of the squared errors divided by √n, and the spread stays about the same. "
     "To divide the standard error by k, √n must grow k times.",
     "Here k = (the printed standard error) / 0.005, and n must grow by k², starting from the 50 test points."),
    "n_test_needed = 50 * (standard_error / 0.005) ** 2  # about 328: the standard error shrinks like 1/sqrt(n)",
)
