"""Checked exercises for notebook 06, SGD and mini-batches."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from helpers.data import noisy_line
from helpers.exercises import Exercise, NotYet, as_array, as_number, call, choose
from helpers.training import line_gradient

SEEDS = range(5)


@cache
def _big_line() -> tuple[np.ndarray, np.ndarray]:
    return noisy_line(n=100_000, seed=1)


def batch_spread(size: int, seed: int, count: int = 200) -> float:
    """The spread (standard deviation) of dL/da at a = b = 0 over `count` random mini-batches of `size`
    examples of the 100,000-point line, as notebook 06 section 1 measures it."""
    x, y = _big_line()
    rng = np.random.default_rng(seed)
    picks = [rng.choice(len(x), size, replace=False) for _ in range(count)]
    return float(np.std([line_gradient((0.0, 0.0), x[i], y[i])[0] for i in picks]))


@cache
def measured_spread(size: int) -> float:
    """`batch_spread` averaged over five seeds."""
    return float(np.mean([batch_spread(size, seed) for seed in SEEDS]))


def _check_updates(answer: Any) -> str:
    epochs = as_number(answer, "epochs_needed")
    if epochs == 15:
        raise NotYet("15 epochs counts ten batches per epoch: the last, smaller batch of 50 examples is an "
                     "update too.")
    if epochs == 13:
        raise NotYet("13 epochs give 13 × 11 = 143 updates, not yet 150: round up.")
    if np.isclose(epochs, 1.5):
        raise NotYet("that divides 150 updates by 100 examples: an epoch is not one update but one per batch.")
    if epochs != round(epochs):
        raise NotYet("training runs whole epochs here: round up to the first whole number that reaches 150.")
    if epochs != 14:
        raise NotYet("count the updates of one epoch first (the last batch is smaller, but it is one update), "
                     "then find how many epochs it takes to reach 150.")
    return ("11 updates per epoch (ten batches of 100 and one of 50): 13 epochs give 143, 14 give 154, "
            "so 14 epochs.")


TARGET_SPREAD = 0.1  # exercise 2: the spread of dL/da a batch must get below


def exact_spread(size: float) -> float:
    """The spread of dL/da at a = b = 0 over all mini-batches of `size` of the 100,000-point line, from the
    examples' own gradients (−2·x·y there): σ/√B, times the small correction for drawing without replacement.
    Exact, so the check needs no thousands of big batches."""
    x, y = _big_line()
    sigma, n = float(np.std(-2 * x * y)), len(x)
    return sigma / np.sqrt(size) * np.sqrt((n - size) / (n - 1))


def smallest_batch_below(spread: float) -> int:
    """The smallest batch size whose `exact_spread` is below `spread`."""
    x, y = _big_line()
    variance, n = float(np.var(-2 * x * y)), len(x)
    return int(np.floor(variance * n / (spread**2 * (n - 1) + variance))) + 1  # σ²(n − B)/(B(n − 1)) < spread²


def _check_prediction(answer: Any) -> str:
    size = as_number(answer, "my_batch_size")
    need, spread_25 = smallest_batch_below(TARGET_SPREAD), measured_spread(25)
    linear = 25 * spread_25 / TARGET_SPREAD
    if not 1 <= size <= len(_big_line()[0]):
        raise NotYet(f"a batch holds from 1 to {len(_big_line()[0]):,} examples (the whole line), but "
                     f"my_batch_size is {size:g}.")
    if abs(size / linear - 1) < 0.15:
        raise NotYet(f"at {size:,.0f} examples the spread is still {exact_spread(size):.2f}: that grows the batch "
                     "by the factor the spread must shrink, but the spread shrinks like 1/√B, not 1/B.")
    if not 0.85 * need <= size <= 1.15 * need:
        direction = "above" if size < need else "below"
        raise NotYet(f"at {size:,.0f} examples the spread is {exact_spread(size):.3f}, well {direction} 0.1. "
                     "By how much must the spread shrink from batches of 25, and what batch growth does that take?")
    shrink = spread_25 / TARGET_SPREAD
    return (f"The smallest batch with a spread below 0.1 is {need:,}; yours, {size:,.0f}, has "
            f"{exact_spread(size):.3f}: close enough, since it starts from spread_25, itself measured with some noise "
            "(any answer within 15% of the smallest counts). To divide the "
            f"spread by {shrink:.0f}, the batch must grow {shrink:.0f}² times: the spread shrinks like 1/√B.")


WHY_NOT_SORTED = {
    "a": "coverage is fine, and the epoch's gradients would add up to the full one if they were "
         "all taken at the same point. But they are applied one after another: each step moves the model "
         "before the next batch's gradient is taken, so the order of the batches matters.",
    "c": "it is the other way round. Once the model fits the zeros, a batch of ones does not fit it at all, "
         "so its gradient is large and the steps pull the model toward the ones: the latest digits win, not "
         "the first.",
    "d": "the size of the gradients is not the problem (a smaller rate would not cure it); their direction "
         "is. A batch of one digit is a biased sample of all the data, so its gradient points toward fitting "
         "that digit, away from the full gradient.",
}


def _check_sorted(answer: Any) -> str:
    choose(answer, "b", WHY_NOT_SORTED)
    return ("Each batch is a biased sample (one digit), so each step pulls the model toward that digit and "
            "the next batches undo it; the epoch ends biased toward the last digits. Shuffling makes every "
            "batch a fair sample of all the data.")


def _batches_of(result: Any, n: int, batch: int, updates: int, what: str) -> list[np.ndarray]:
    """The learner's batches, checked for count, type and sizes."""
    if isinstance(result, np.ndarray) and result.ndim == 2:
        result = list(result)  # one row per batch is fine
    if not isinstance(result, (list, tuple)) or not result:
        raise NotYet(f"{what} should return a list of index arrays, but it returned {type(result).__name__}.")
    if isinstance(result[0], (list, tuple)) and result[0] and np.ndim(result[0][0]) == 1:
        raise NotYet(f"{what} returned a list of lists (one per epoch?): flatten the epochs into one list of "
                     "batches, one batch per update.")
    parts = [as_array(part, "each batch").ravel() for part in result]
    if len(parts) != updates:
        raise NotYet(f"{what} returned {len(parts)} batches, but {updates} updates need {updates} batches.")
    sizes = sorted({len(part) for part in parts})
    if sizes != [batch]:
        raise NotYet(f"{what}: the batches have sizes {sizes}, but every batch should hold {batch} examples: "
                     "drop the smaller last batch of each epoch.")
    for part in parts:
        if not np.all(np.isin(part, np.arange(n))):
            raise NotYet(f"{what}: a batch holds {part.tolist()}, but the indices should run from 0 to {n - 1}.")
    return [part.astype(int) for part in parts]


def _check_batches(function: Any) -> str:
    for n, batch, updates in [(23, 5, 10), (10, 10, 3), (7, 3, 5), (40, 6, 14)]:
        what = f"make_batches({n}, {batch}, {updates}, seed=0)"
        parts = _batches_of(call(function, n, batch, updates, 0, what=what), n, batch, updates, what)
        per_epoch = n // batch  # full batches in one epoch
        epochs = [np.concatenate(parts[e:e + per_epoch]) for e in range(0, updates, per_epoch)]
        for number, order in enumerate(epochs, start=1):
            if len(set(order.tolist())) != len(order):
                raise NotYet(f"{what}: epoch {number} uses an example twice. An epoch gives only {per_epoch} "
                             f"full batches of {batch} from {n} examples; then a new epoch starts with a new "
                             "shuffle.")
            steps = np.diff(order) % n  # only full epochs of 10 or more: a short random order can look regular
            # A batch of all n examples has no order that matters (one update on all of them): nothing to shuffle.
            if batch < n and len(order) == per_epoch * batch >= 10 and np.all(steps == steps[0]):
                raise NotYet(f"{what}: epoch {number} takes the examples in a fixed pattern "
                             f"({order[:4].tolist()}, ...), not shuffled: draw a random permutation.")
        full = [order for order in epochs if len(order) == per_epoch * batch]
        if batch < n and len(full) > 1 and all(np.array_equal(order, full[0]) for order in full[1:]):
            raise NotYet(f"{what}: every epoch has the same order. Make the generator once, before the epoch "
                         "loop, and draw a new permutation from it at the start of each epoch.")
        again = _batches_of(call(function, n, batch, updates, 0, what=what), n, batch, updates, what)
        if not all(np.array_equal(a, b) for a, b in zip(again, parts, strict=True)):
            raise NotYet(f"{what}: the same seed should give the same batches; make the generator from the seed.")
    one = _batches_of(call(function, 40, 6, 14, 1), 40, 6, 14, "make_batches(40, 6, 14, seed=1)")
    zero = _batches_of(call(function, 40, 6, 14, 0), 40, 6, 14, "make_batches(40, 6, 14, seed=0)")
    if all(np.array_equal(a, b) for a, b in zip(one, zero, strict=True)):
        raise NotYet("seeds 0 and 1 give the same batches: use the seed to make the generator.")
    return ("Every batch is full, no example repeats within an epoch, each epoch has a new order, and the seed "
            "makes it repeatable. PyTorch's `DataLoader(..., drop_last=True)` does the same.")


q1 = Exercise(
    "How many epochs?",
    _check_updates,
    ("One update per batch. How many batches does one epoch of 1,050 examples in batches of 100 have?",
     "An epoch has ⌈n / B⌉ batches (ten full ones and a last one with the remaining 50), so 11 updates; "
     "divide 150 by that and round up."),
    "epochs_needed = -(-150 // -(-1050 // 100))  # 11 updates per epoch; 13 epochs give 143, 14 give 154",
)
q2 = Exercise(
    "Predict the batch that is quiet enough",
    _check_prediction,
    ("Section 1 found how the spread changes when the batch grows tenfold. How many times must the spread "
     "of batches of 25 shrink to get below 0.1?",
     "The spread shrinks like 1/√B: to divide it by k, the batch must grow k² times. Here k = spread_25 / 0.1."),
    "my_batch_size = 25 * (spread_25 / 0.1) ** 2  # the spread must shrink spread_25 / 0.1 times: k² times the batch",
)
q3 = Exercise(
    "Why shuffle?",
    _check_sorted,
    ("Picture the first few batches of the sorted file: what is in each one, and where does each step pull?",
     "A step follows its batch's gradient. If a batch holds only zeros, the step makes the model predict "
     "zero more; the last batches of the epoch (nines) have the last word."),
    'answer = "b"',
)
q4 = Exercise(
    "Full batches for a number of updates",
    _check_batches,
    ("How many full batches does one epoch of n examples give? When they run out, the next epoch starts, "
     "with a new shuffle, and it may stop halfway through.",
     "Make one generator from the seed and an empty list. Repeat epochs while the list is short: each draws "
     "a new permutation, cuts only its n // batch_size full slices (the leftover is dropped), and appends "
     "them one by one, stopping as soon as the list holds `updates` batches."),
    "def make_batches(n, batch_size, updates, seed):\n"
    "    rng = np.random.default_rng(seed)  # once: each epoch draws a new order from it\n"
    "    batches = []\n"
    "    while len(batches) < updates:  # one more epoch\n"
    "        order = rng.permutation(n)\n"
    "        for start in range(0, n - batch_size + 1, batch_size):  # full batches only\n"
    "            if len(batches) < updates:\n"
    "                batches.append(order[start:start + batch_size])\n"
    "    return batches",
)
