"""Checked exercises for notebook 08, the digits capstone.

q1 predict-then-run (the gap between one network's scores on two independent test sets), q2 explain (is a
1-point gap on the same 360 images evidence? a paired question), q3 design (which set answers which
question), q4 design (how many writers to hold out, and why the image count overstates the precision), q5
a function checked on 10 × 10 matrices not shown (the most common confusion summed over seeds).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from helpers.exercises import Exercise, NotYet, as_number, call_keeping_inputs, choose

P, N = 0.98, 400  # q1: an accuracy of 98% measured on two test sets of 400 images each
SETS = ("training", "validation", "test")
PROTOCOL = {
    "the confidence below which a digit is sent to a person to check": "validation",
    "whether the training loss falls at all (a bug check)": "training",
    "which digits to collect more examples of": "validation",
    "the accuracy written in the final report": "test",
}


def _check_spread(answer: Any) -> str:
    guess = as_number(answer, "my_prediction")
    one = math.sqrt(P * (1 - P) / N)  # the standard error of one score
    truth = math.sqrt(2) * one  # the gap between two independent scores
    if guess >= 0.2:
        raise NotYet("give the spread as a fraction of 1 (0.01 means 1 point), not in percent.")
    if guess <= 0:
        raise NotYet("a spread (standard deviation) is positive: chance moves the two scores apart.")
    if any(math.isclose(guess, v, rel_tol=0.2) for v in (P * (1 - P) / N, 2 * P * (1 - P) / N)):
        raise NotYet("that is a variance; the spread (standard deviation) is its square root.")
    if math.isclose(guess, one, rel_tol=0.1):
        raise NotYet("that is the wobble of one score. The gap between two independent scores carries the wobbles"
                     " of both.")
    if math.isclose(guess, 2 * one, rel_tol=0.1):
        raise NotYet("two wobbles, but they do not simply add up: they point the same way only sometimes. For"
                     " independent quantities the variances add, not the standard deviations.")
    if not math.isclose(guess, truth, rel_tol=0.15):
        raise NotYet(f"{guess:.3g} is not within 15% of the spread of the gap. Start from one score's standard"
                     f" error with p = {P} and n = {N}.")
    return (f"Each score wobbles by sqrt({P} × {1 - P:.2f} / {N}) ≈ {one:.4f}; the variances of the two add, so"
            f" the gap wobbles by sqrt(2) × {one:.4f} ≈ {truth:.4f}, about {truth * 100:.0f} point. Now run the"
            " next cell and see chance do it.")


def _check_gap(answer: Any) -> str:
    wrong = {
        "a": "the validation images were not trained on, but they are still a random sample of 360, and this is"
        " one split and one initialisation: another draw could shrink the gap or flip it.",
        "c": "that treats the two scores as if each came from its own sample of images, the blurry comparison"
        " that section 7 sets aside. Both networks were scored on the same 360 images, so the luck of which"
        " images are in the set is shared and cancels in the difference (the paired argument before the gains"
        " per seed). A gap of a point can be real: section 7's gain was, because it held on every seed.",
        "d": "the test set must not choose between models (that would make it one more validation set); choices"
        " are made on the validation set, with enough repeats to trust them.",
    }
    choose(answer, "b", wrong)
    return ("On the same images only those where the two networks disagree decide: a gap of 4 could be 4 against"
            " 0 or 20 against 16, and only the first would be convincing. And one split is one draw: repeat over"
            " several splits and initialisations and compare per seed, as section 7 does. Each score's own"
            " standard error (about 1 point) is the wrong yardstick: the two share their images.")


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
        if want == "validation" and key.startswith("the confidence"):
            raise NotYet(f"{key!r}: on its training images the network is more confident than on new ones (it has"
                         " seen them), so a threshold set there would send too few new digits to a person.")
        if want == "training":
            raise NotYet(f"{key!r}: a bug check needs no held-out images; if the loss on the images the network"
                         " trains on does not fall, it is not learning at all.")
        raise NotYet(f"{key!r}: the training set flatters the network (it has seen those images); decide on"
                     " images it has not seen.")
    return "Decisions on validation, a bug check on training, one honest number from the test set."


def _check_writers(answer: Any) -> str:
    wrong = {
        "a": "one writer's score says how well the network reads that one person. Writers differ: a new writer"
        " may be much easier or harder, and a single held-out writer cannot show by how much.",
        "b": "many images, but from only 6 people, and training loses almost half its writers. The images of one"
        " writer are right or wrong together (an unusual hand trips the network on many of them), so they are"
        " not independent coins, and sqrt(p(1 − p)/n) is too optimistic.",
        "d": "the formula assumes independent images. If the network struggles with a hand, it misses many of that"
        " writer's digits at once: with few writers, the writers, not the images, set the uncertainty.",
    }
    choose(answer, "c", wrong)
    return ("Hold out writers in turns (cross-validation by writer): every writer is tested once by a network that"
            " never saw their hand, and the spread of the per-writer scores shows how much writers differ. With"
            " only 13 writers that spread, not the image count, limits how precise a claim about a new writer"
            " can be.")


def _summed_cases() -> list[tuple[list[np.ndarray], tuple[int, int]]]:
    """Lists of 10 × 10 confusion matrices whose summed top mistake differs from the tempting shortcuts."""
    rng = np.random.default_rng(8)

    def blank(count: int) -> list[np.ndarray]:
        return [np.diag(rng.integers(25, 40, 10)).astype(int) for _ in range(count)]

    first = blank(4)  # (7, 2) is the top in total; matrix 0 alone says (3, 5); (4, 9) + (9, 4) tempts a sum
    for matrix, count in zip(first, (2, 2, 1, 1), strict=True):
        matrix[7, 2] = count
    first[0][3, 5] = 5
    first[1][4, 9], first[2][4, 9], first[2][9, 4], first[3][9, 4] = 2, 2, 2, 2
    second = blank(5)  # (7, 2): 6, in two matrices; (1, 8): 5, in all five; row 4 and column 0 hold the most mistakes
    second[0][7, 2], second[1][7, 2] = 3, 3
    for matrix in second:
        matrix[1, 8] = 1
    second[0][5, 3], second[2][4, 9], second[3][4, 6] = 4, 4, 2
    second[3][6, 0], second[4][9, 0], second[4][4, 0] = 4, 2, 2
    third = blank(3)  # (1, 3) in total 5, the reverse 3
    for matrix, (forward, back) in zip(third, ((2, 1), (2, 1), (1, 1)), strict=True):
        matrix[1, 3], matrix[3, 1] = forward, back
    third[2][0, 2] = 2
    fourth = blank(1)  # a list of one matrix
    fourth[0][0, 6], fourth[0][6, 0], fourth[0][5, 3] = 4, 1, 2
    return [(first, (7, 2)), (second, (7, 2)), (third, (1, 3)), (fourth, (0, 6))]


def _shortcuts(matrices: list[np.ndarray]) -> dict[tuple[int, int], str]:
    """Tempting wrong answers for one list of matrices, each with why it is wrong."""
    total = np.sum(matrices, axis=0)
    np.fill_diagonal(total, 0)
    seen = np.sum([np.array(m) > 0 for m in matrices], axis=0)
    np.fill_diagonal(seen, 0)
    by_row = int(np.argmax(total.sum(axis=1)))
    by_col = int(np.argmax(total.sum(axis=0)))
    return {
        _off_diagonal_top(seen): "that pair occurs in the most matrices, but not the most often in total: add"
        " the counts, do not count the matrices.",
        (by_row, int(np.argmax(total[by_row]))): "that is the largest mistake of the most-misread true digit"
        " (the row with the most mistakes); a row's mistakes may be spread over many guesses while another row"
        " holds the single largest count. Look at every entry.",
        (int(np.argmax(total[:, by_col])), by_col): "that is the largest mistake in the most-guessed-wrongly"
        " column; a column's mistakes may be spread over many true digits while another holds the single"
        " largest count. Look at every entry.",
    }


def _off_diagonal_top(matrix: np.ndarray) -> tuple[int, int]:
    m = np.array(matrix)
    np.fill_diagonal(m, 0)
    row, col = np.unravel_index(np.argmax(m), m.shape)
    return int(row), int(col)


def _only_top(matrix: np.ndarray) -> tuple[int, int] | None:
    """The largest mistake of one matrix, if no other mistake ties with it."""
    m = np.array(matrix)
    np.fill_diagonal(m, 0)
    rows, cols = np.nonzero(m == m.max())
    return (int(rows[0]), int(cols[0])) if len(rows) == 1 and m.max() > 0 else None


def _check_top_confusion(function: Any) -> str:
    for matrices, want in _summed_cases():
        got, (given,) = call_keeping_inputs(function, matrices, what="top_confusion(matrices)")
        if len(given) != len(matrices) or not all(
            np.array_equal(np.asarray(a), b) for a, b in zip(given, matrices, strict=False)
        ):
            raise NotYet("your function changed the matrices it was given: work on a copy, e.g. np.sum(...) makes a"
                         " new array. (Run on seed_confusions, it would wipe your own matrices.)")
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise NotYet(f"top_confusion should return a pair (true digit, predicted digit), but it returned {got!r}.")
        try:
            pair = tuple(int(as_number(np.asarray(v).ravel()[0], f"{v!r} in the pair top_confusion returned"))
                         for v in got)
        except (TypeError, ValueError, IndexError):
            raise NotYet(f"top_confusion should return two whole numbers, but it returned {got!r}.") from None
        if pair == want:
            continue
        total = np.sum(matrices, axis=0)
        if pair[0] == pair[1]:
            raise NotYet(f"{pair} is on the diagonal: those are right answers. Look only off the diagonal.")
        if pair == want[::-1]:
            raise NotYet("rows are the true digits and columns the predictions: your pair is the wrong way round.")
        if pair in _shortcuts(matrices):
            raise NotYet(f"{pair}: {_shortcuts(matrices)[pair]}")
        alone = [index for index, m in enumerate(matrices) if len(matrices) > 1 and _only_top(m) == pair]
        if alone:
            which = {0: "the first matrix", len(matrices) - 1: "the last matrix"}.get(
                alone[0], f"matrix {alone[0] + 1} of {len(matrices)}")
            raise NotYet(f"{pair} is the top mistake of {which} alone. Add all the matrices up first.")
        if pair in (_off_diagonal_top(total + total.T), _off_diagonal_top(total + total.T)[::-1]):
            raise NotYet(f"{pair} is the top only when each mistake is added to its reverse (matrix + matrix.T)."
                         " A 4 read as a 9 and a 9 read as a 4 are different mistakes: count one direction.")
        raise NotYet(f"on a list of {len(matrices)} test matrices, {pair} is not the most frequent mistake in total.")
    return ("Summed over the seeds, the largest count off the diagonal is the most common mistake (checked on"
            " four lists of matrices). Now try top_confusion(seed_confusions).")


q1 = Exercise(
    "Predict the gap between two test scores",
    _check_spread,
    ("Each score wobbles by its standard error sqrt(p(1 − p)/n). When you subtract two independent wobbles,"
     " what adds up: the standard deviations, or the variances?",
     "Variances of independent quantities add: the gap's variance is p(1 − p)/n + p(1 − p)/n, so its standard"
     " deviation is sqrt(2) times one standard error. Here p = 0.98 and n = 400; give a fraction such as"
     " 0.01."),
    f"my_prediction = np.sqrt(2 * {P} * (1 - {P}) / {N})",
)
q2 = Exercise(
    "Is a 1-point gap evidence?",
    _check_gap,
    ("Both networks were scored on the same 360 images. Which of those images can make their counts differ?",
     "Images both get right, or both get wrong, cancel in the difference; only those where they disagree count,"
     " so a gap of 4 may be 4 against 0 or 20 against 16. And one split is one draw: what did section 7 do?"),
    'answer = "b"',
)
q3 = Exercise(
    "Which set answers which question",
    _check_protocol,
    ("A decision may only use images whose score you will not report afterwards.",
     "Choices (a threshold, what data to collect) go to validation; the reported number to the"
     " test set, once; a check that learning works at all only needs the training loss."),
    "protocol = {\n"
    + "".join(f'    "{key}": "{value}",\n' for key, value in PROTOCOL.items())
    + "}",
)
q4 = Exercise(
    "How many writers to hold out",
    _check_writers,
    ("If the network misreads one digit of a writer with an unusual hand, is their next digit an independent"
     " coin?",
     "Images of one writer tend to be right or wrong together, so the number of independent samples is nearer"
     " the number of writers than the number of images. Which plan tests every writer, and does not trust"
     " sqrt(p(1 − p)/n) with n = images?"),
    'answer = "c"',
)
q5 = Exercise(
    "The most common mistake",
    _check_top_confusion,
    ("Add the matrices into one total first; then right answers lie on its diagonal and mistakes everywhere"
     " else.",
     "total = np.sum(matrices, axis=0) makes a new array (your matrices stay as they were); set its diagonal to"
     " zero with np.fill_diagonal(total, 0), then find the row and column of its largest entry:"
     " np.unravel_index(np.argmax(total), total.shape)."),
    "def top_confusion(matrices):\n    total = np.sum(matrices, axis=0)\n    np.fill_diagonal(total, 0)\n"
    "    row, col = np.unravel_index(np.argmax(total), total.shape)\n    return int(row), int(col)",
)
