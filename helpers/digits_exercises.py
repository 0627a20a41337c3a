"""Checked exercises for notebook 08, the digits capstone.

q1 predict-then-run (the spread of an accuracy measured on few images), q2 explain (is a 1-point gap on
360 images evidence?), q3 design (which set answers which question), q4 design (a test for a new writer),
q5 a function checked on matrices not shown (the most common confusion).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from helpers.exercises import Exercise, NotYet, as_number, call

P, N = 0.96, 90  # q1: an accuracy of 96% measured on 90 images
SETS = ("training", "validation", "test")
PROTOCOL = {
    "the number of hidden units": "validation",
    "whether the training loss falls at all (a bug check)": "training",
    "which digits to collect more examples of": "validation",
    "the accuracy written in the final report": "test",
}


def _choice(answer: Any, options: str) -> str:
    if answer is Ellipsis or answer is None:
        still = "`...`" if answer is Ellipsis else "None"
        raise NotYet(f"answer is still {still}: set it to one letter, such as \"a\".")
    if not isinstance(answer, str) or answer.strip().lower() not in options:
        letters = ", ".join(repr(o) for o in options)
        raise NotYet(f"answer should be one of the letters {letters}, but it is {answer!r}.")
    return answer.strip().lower()


def _check_spread(answer: Any) -> str:
    guess = as_number(answer, "my_prediction")
    truth = math.sqrt(P * (1 - P) / N)
    if guess > 1:
        raise NotYet("give the spread as a fraction of 1 (0.05 means 5 points), not in percent.")
    if math.isclose(guess, P * (1 - P) / N, rel_tol=0.2):
        raise NotYet("that is the variance p(1 − p)/n; the spread (standard deviation) is its square root.")
    if math.isclose(guess, math.sqrt(P * (1 - P) / 360), rel_tol=0.05):
        raise NotYet("that is the spread on 360 images; with a quarter as many images the spread is larger.")
    if math.isclose(guess, 1 / N, rel_tol=0.2):
        raise NotYet("1/n is what one image is worth. Chance moves the count by several images, not one:"
                     " use sqrt(p(1 − p)/n).")
    if not math.isclose(guess, truth, rel_tol=0.2):
        raise NotYet(f"{guess:.3g} is not within 20% of the spread. Put p = {P} and n = {N} in sqrt(p(1 − p)/n).")
    return (f"sqrt({P} × {1 - P:.2f} / {N}) ≈ {truth:.3f}, about {truth * 100:.0f} points. Now run the next cell and"
            " see chance do it.")


def _check_gap(answer: Any) -> str:
    letter = _choice(answer, "abcd")
    wrong = {
        "a": "the validation images were not trained on, but they are still a random sample of 360: a different"
        " sample would give both models different scores.",
        "c": "one image is worth 0.3 points, but chance moves a count by several images at once: the standard"
        " error on 360 images is about 1 point.",
        "d": "the test set must not choose between models (that would make it one more validation set); and one"
        " test set has the same 1-point uncertainty.",
    }
    if letter in wrong:
        raise NotYet(f"({letter}) is not it: {wrong[letter]}")
    return ("Each score has a standard error near 1 point, so a 1-point gap is within chance. Repeat over several"
            " splits and initialisations and look at the paired differences, as section 6 does.")


def _check_protocol(answer: Any) -> str:
    if answer is Ellipsis or answer is None:
        raise NotYet("protocol is still `...`: fill in the dictionary with \"training\", \"validation\" or \"test\".")
    if not isinstance(answer, dict):
        raise NotYet(f"protocol should be a dictionary like the one in the cell, but it is a {type(answer).__name__}.")
    missing = [key for key in PROTOCOL if key not in answer]
    if missing:
        raise NotYet(f"protocol has no entry for {missing[0]!r}; keep the four keys of the cell.")
    for key, want in PROTOCOL.items():
        got = answer[key]
        if got is Ellipsis:
            raise NotYet(f"the entry for {key!r} is still `...`.")
        if not isinstance(got, str) or got.strip().lower() not in SETS:
            raise NotYet(f"the entry for {key!r} should be \"training\", \"validation\" or \"test\", not {got!r}.")
        got = got.strip().lower()
        if got == want:
            continue
        if got == "test":
            raise NotYet(f"{key!r} is a decision: made on the test set, the test score is no longer an honest"
                         " estimate for new images.")
        if want == "test":
            raise NotYet(f"{key!r}: the number you report must come from images no decision has touched.")
        if want == "training":
            raise NotYet(f"{key!r}: a bug check needs no held-out images; if the loss on the images the network"
                         " trains on does not fall, it is not learning at all.")
        raise NotYet(f"{key!r}: the training set flatters the network (it has seen those images); decide on"
                     " images it has not seen.")
    return "Decisions on validation, a bug check on training, one honest number from the test set."


def _check_writers(answer: Any) -> str:
    letter = _choice(answer, "abcd")
    wrong = {
        "a": "a random split by image puts every writer's images in training and in test, so the test measures"
        " handwriting the network has already seen.",
        "b": "a bigger test set shrinks the standard error, but its writers are still in the training set.",
        "d": "more epochs change the network, not what the test measures.",
    }
    if letter in wrong:
        raise NotYet(f"({letter}) is not it: {wrong[letter]}")
    return ("Hold out whole writers: the test then measures handwriting the network has never seen, which is the"
            " question. (The UCI data did exactly this: 30 writers for training, 13 others for the test.)")


def _check_top_confusion(function: Any) -> str:
    rng = np.random.default_rng(8)
    cases = []
    for size, (true, guess) in ((4, (1, 3)), (10, (7, 2)), (10, (4, 9))):
        matrix = np.diag(rng.integers(25, 40, size)).astype(int)
        for _ in range(6):  # a few smaller mistakes elsewhere
            r, c = rng.integers(0, size, 2)
            if r != c:
                matrix[r, c] = rng.integers(1, 3)
        matrix[true, guess] = 5
        matrix[guess, true] = 3  # the reverse mistake, less often
        cases.append((matrix, (true, guess)))
    for matrix, want in cases:
        got = call(function, matrix.copy(), what="top_confusion(matrix)")
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise NotYet(f"top_confusion should return a pair (true digit, predicted digit), but it returned {got!r}.")
        try:
            pair = tuple(int(np.asarray(v).ravel()[0]) for v in got)
        except (TypeError, ValueError, IndexError):
            raise NotYet(f"top_confusion should return two whole numbers, but it returned {got!r}.") from None
        if pair[0] == pair[1]:
            raise NotYet(f"{pair} is on the diagonal: those are right answers. Look only off the diagonal.")
        if pair == want[::-1]:
            raise NotYet("rows are the true digits and columns the predictions: your pair is the wrong way round.")
        if pair != want:
            raise NotYet(f"on a {len(matrix)} × {len(matrix)} test matrix, {pair} is not its most frequent mistake.")
    return "The largest count off the diagonal is the most common mistake (checked on three matrices)."


q1 = Exercise(
    "Predict the spread of an accuracy",
    _check_spread,
    ("Each image is right or wrong like a biased coin; the accuracy is the mean of n such coins.",
     "The standard deviation of a mean of n coins that land 'right' with probability p is sqrt(p(1 − p)/n)."
     " Here p = 0.96 and n = 90; give a fraction such as 0.05."),
    f"my_prediction = np.sqrt({P} * (1 - {P}) / {N})",
)
q2 = Exercise(
    "Is a 1-point gap evidence?",
    _check_gap,
    ("How much would either score move if you drew another 360 validation images?",
     "On n = 360 images an accuracy near 0.96 has a standard error sqrt(0.96 × 0.04 / 360) ≈ 0.01, one point."
     " Compare the gap with that."),
    'answer = "b"',
)
q3 = Exercise(
    "Which set answers which question",
    _check_protocol,
    ("A decision may only use images whose score you will not report afterwards.",
     "Choices about the model (its size, what data to collect) go to validation; the reported number to the"
     " test set, once; a check that learning works at all only needs the training loss."),
    "protocol = {\n"
    + "".join(f'    "{key}": "{value}",\n' for key, value in PROTOCOL.items())
    + "}",
)
q4 = Exercise(
    "A test for a new writer",
    _check_writers,
    ("What do the test images share with the training images in this notebook's split?",
     "To measure something new to the network, the test must contain nothing of it in training: here, no"
     " image of a test writer."),
    'answer = "c"',
)
q5 = Exercise(
    "The most common mistake",
    _check_top_confusion,
    ("Right answers lie on the diagonal; mistakes everywhere else. Find the largest count off the diagonal.",
     "Copy the matrix (np.array(matrix)), set its diagonal to zero with np.fill_diagonal, then find the row and"
     " column of its largest entry: np.unravel_index(np.argmax(m), m.shape)."),
    "def top_confusion(matrix):\n    m = np.array(matrix)\n    np.fill_diagonal(m, 0)\n"
    "    row, col = np.unravel_index(np.argmax(m), m.shape)\n    return int(row), int(col)",
)
