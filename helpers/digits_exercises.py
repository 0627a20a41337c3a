"""Checked exercises for notebook 08, the digits capstone."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from helpers.data import load_digits, split_indices
from helpers.exercises import Exercise, NotYet, as_array, call, expect_close
from helpers.networks import accuracy

TARGET = 0.97


def digit_vectors() -> tuple[np.ndarray, np.ndarray]:
    """The digits as the notebook feeds them to a network: 64 pixels scaled to 0..1, and the labels."""
    images, labels = load_digits()
    return images.reshape(len(images), 64) / 16, labels


def _check_flatten(function: Any) -> str:
    images = np.arange(3 * 8 * 8, dtype=float).reshape(3, 8, 8)
    got = as_array(call(function, images, what="flatten(images)"), "flatten(images)", shape=(3, 64))
    if np.allclose(got, images.reshape(3, 64) / 16):
        raise NotYet("flatten also divides by 16; here only reshape the images (the scaling is a separate step).")
    if np.allclose(got, images.transpose(0, 2, 1).reshape(3, 64)):
        raise NotYet("flatten reads the pixels column by column; read each image row by row (reshape does).")
    expect_close(got, images.reshape(3, 64), "flatten(images)")
    return "Each 8×8 image becomes one row of 64 numbers, read row by row."


def _check_model(model: Any) -> str:
    if not isinstance(model, torch.nn.Module):
        kind = "still `...`" if model is Ellipsis else f"a {type(model).__name__}"
        raise NotYet(f"my_model should be a trained torch network (an nn.Module), but it is {kind}.")
    X, labels = digit_vectors()
    _, val, _ = split_indices(len(X), seed=0)
    try:
        with torch.no_grad():
            out = model(torch.as_tensor(X[val[:2]], dtype=torch.float32))
    except Exception as exc:
        raise NotYet(f"my_model cannot take a batch of 64-pixel rows: {type(exc).__name__}: {exc}") from None
    if out.ndim != 2 or out.shape[1] != 10:
        raise NotYet(f"my_model should give 10 outputs per image (one per digit), but gives shape {tuple(out.shape)}.")
    score = accuracy(model, X[val], labels[val])
    if score < TARGET:
        raise NotYet(f"validation accuracy {score:.1%}; beat {TARGET:.0%}. Try a larger learning rate (0.003) or more"
                     " epochs; more hidden units help too.")
    return f"Validation accuracy {score:.1%}."


def _check_top_confusion(function: Any) -> str:
    matrix = np.diag([30, 31, 29, 30]).astype(int)
    matrix[3, 1], matrix[1, 3], matrix[2, 0] = 2, 5, 4
    got = call(function, matrix, what="top_confusion(matrix)")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise NotYet("top_confusion should return a pair (true digit, predicted digit).")
    try:
        pair = tuple(int(np.asarray(v).ravel()[0]) for v in got)
    except (TypeError, ValueError, IndexError):
        raise NotYet(f"top_confusion should return two whole numbers, but it returned {got!r}.") from None
    if pair == (1, 1):
        raise NotYet("(1, 1) is on the diagonal: those are right answers. Look only off the diagonal.")
    if pair == (3, 1):
        raise NotYet("rows are the true digits and columns the predictions: swap the pair.")
    if pair != (1, 3):
        raise NotYet(f"{pair} is not the most frequent mistake in the test matrix.")
    return "The largest count off the diagonal is the most common mistake."


q1 = Exercise(
    "Flatten the images",
    _check_flatten,
    "A NumPy array's .reshape keeps the order of the numbers; (n, 8, 8) to (n, 64).",
    "def flatten(images):\n    return images.reshape(len(images), 64)",
)
q2 = Exercise(
    f"Beat {TARGET:.0%}",
    _check_model,
    "Raise the learning rate to 0.003 with 30 epochs, or train for 100 epochs; a wider hidden layer (128 or 256"
    " units) helps on top. 97% of 360 images is 350 right.",
    "my_model = networks.mlp((64, 128, 10), seed=0)\n"
    "networks.train(my_model, X[train], labels[train], nn.CrossEntropyLoss(), epochs=30, lr=0.003,\n"
    "               batch_size=32, validation=(X[val], labels[val]))",
)
q3 = Exercise(
    "The most common mistake",
    _check_top_confusion,
    "Copy the matrix, set its diagonal to zero (np.fill_diagonal), then find the largest entry"
    " (np.unravel_index(np.argmax(m), m.shape)).",
    "def top_confusion(matrix):\n    m = np.array(matrix)\n    np.fill_diagonal(m, 0)\n"
    "    return np.unravel_index(np.argmax(m), m.shape)",
)
