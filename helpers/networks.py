"""Small PyTorch networks and the training loop the later notebooks reuse once it has been written out.

Notebook 05 writes the loop by hand (forward, loss, backward, step); from then on `train` runs it, with
mini-batches, validation and an optional progress callback, so the notebooks can focus on what changes.
Everything is seeded: the same call gives the same numbers on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from helpers.validate import finite_array, positive_int, positive_number

ACTIVATIONS: dict[str, type[nn.Module]] = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
OPTIMIZERS: dict[str, type[torch.optim.Optimizer]] = {
    "sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW
}


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run a block with torch's global generator seeded, then give it back as it was.

    Initial weights and dropout masks draw from the global generator; seeding it inside this block makes them
    repeatable without resetting the random numbers a learner's own code draws before or after.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def mlp(sizes: Sequence[int], activation: str = "relu", dropout: float = 0.0, seed: int = 0) -> nn.Sequential:
    """A multi-layer perceptron: Linear layers of the given sizes with an activation between them.

    `sizes` lists the width of every layer from inputs to outputs, e.g. (2, 8, 1). The last layer has no
    activation: the loss function decides what to do with its raw outputs.
    """
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output size, got {list(sizes)}")
    for size in sizes:
        positive_int("every layer size", size)
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    layers: list[nn.Module] = []
    with seeded(seed):
        for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            layers.append(nn.Linear(n_in, n_out))
            if index < len(sizes) - 2:
                layers.append(ACTIVATIONS[activation]())
                if dropout:
                    layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


def as_tensor(array: np.ndarray | torch.Tensor) -> torch.Tensor:
    """A float32 tensor from a NumPy array (or the tensor itself)."""
    return array if isinstance(array, torch.Tensor) else torch.as_tensor(np.asarray(array), dtype=torch.float32)


@dataclass
class History:
    """Losses recorded once per epoch (and the validation metric, when validation data were given)."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    best_epoch: int | None = None  # with keep_best: the epoch whose weights the model was given back


def accuracy(model: nn.Module, X: np.ndarray | torch.Tensor, y: np.ndarray | torch.Tensor) -> float:
    """The fraction of examples classified right: one output means a yes/no logit, several mean classes."""
    if isinstance(X, np.ndarray) or not isinstance(X, torch.Tensor):
        X = finite_array("X", X, ndim=2)
    y = finite_array("y", y, length=len(X))
    model.eval()
    with torch.no_grad():
        out = model(as_tensor(X))
    labels = torch.as_tensor(y).flatten()
    guesses = (out[:, 0] > 0).to(labels.dtype) if out.shape[1] == 1 else out.argmax(dim=1).to(labels.dtype)
    return float((guesses == labels).float().mean())


def train(
    model: nn.Module,
    X: np.ndarray,
    y: np.ndarray,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    epochs: int,
    lr: float,
    batch_size: int | None = None,
    optimizer: str = "adam",
    weight_decay: float = 0.0,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    on_epoch: Callable[[int, History], None] | None = None,
    seed: int = 0,
    keep_best: bool = False,
) -> History:
    """Train `model` on (X, y) with mini-batch SGD, Adam or AdamW; record the losses once per epoch.

    `batch_size=None` uses the whole training set per step. Each epoch shuffles the examples, then slices
    them into batches that do not overlap. `on_epoch(epoch, history)` is called after every epoch (for a
    progress display). Targets are reshaped to match the model's outputs for one-output models.
    `weight_decay` with "sgd" or "adamw" shrinks every weight toward zero by lr × weight_decay × w per step
    (with "adam" it is an L2 term that Adam rescales). `keep_best=True` (early stopping) gives the model back
    the weights of the epoch with the lowest validation loss, and records that epoch in `best_epoch`.
    """
    positive_int("epochs", epochs)
    positive_number("lr (the learning rate)", lr)
    if batch_size is not None:
        positive_int("batch_size", batch_size)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(map(repr, OPTIMIZERS))}, got {optimizer!r}")
    if keep_best and validation is None:
        raise ValueError("keep_best=True needs validation data: the best epoch has the lowest validation loss")
    X = finite_array("X", X, ndim=2)
    y = finite_array("y", y, length=len(X))
    inputs = as_tensor(X)
    targets = _targets(model, inputs, y)
    if len(inputs) != len(targets) or len(inputs) == 0:
        raise ValueError(
            f"X and y must have the same, non-zero number of examples, got {len(inputs)} and {len(targets)}"
        )
    opt = OPTIMIZERS[optimizer](model.parameters(), lr=lr, weight_decay=weight_decay)
    best_state: dict[str, torch.Tensor] | None = None
    generator = torch.Generator().manual_seed(seed)
    size = batch_size or len(inputs)
    history = History()
    with seeded(seed), torch.enable_grad():  # the dropout masks; gradients on even if a stopped cell left them off
        for epoch in range(1, epochs + 1):
            model.train()
            order = torch.randperm(len(inputs), generator=generator)
            total = 0.0
            for start in range(0, len(inputs), size):
                batch = order[start : start + size]
                opt.zero_grad()
                loss = loss_fn(model(inputs[batch]), targets[batch])
                loss.backward()
                opt.step()
                total += loss.item() * len(batch)
            history.train_loss.append(total / len(inputs))
            if validation is not None:
                model.eval()
                with torch.no_grad():
                    val_x = as_tensor(validation[0])
                    history.val_loss.append(float(loss_fn(model(val_x), _targets(model, val_x, validation[1]))))
                if _is_classifier(loss_fn):
                    history.val_accuracy.append(accuracy(model, *validation))
                if keep_best and history.val_loss[-1] <= min(history.val_loss):
                    best_state = {name: value.clone() for name, value in model.state_dict().items()}
                    history.best_epoch = epoch
            if on_epoch is not None:
                on_epoch(epoch, history)
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return history


def _is_classifier(loss_fn: Callable) -> bool:
    return isinstance(loss_fn, (nn.BCEWithLogitsLoss, nn.CrossEntropyLoss))


def _targets(model: nn.Module, inputs: torch.Tensor, y: np.ndarray | torch.Tensor) -> torch.Tensor:
    with torch.no_grad(), seeded(0):  # a forward pass only to count the outputs: its dropout must draw nothing
        outputs = model(inputs[:1]).shape[1]
    y = torch.as_tensor(np.asarray(y))
    if outputs == 1:
        return y.reshape(-1, 1).to(torch.float32)
    return y.to(torch.long)


def probability_grid(
    model: nn.Module, xlim: tuple[float, float], ylim: tuple[float, float], points: int = 120
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The model's probability of class 1 over a grid of 2-D inputs: (xs, ys, P) with P[i, j] at (xs[j], ys[i])."""
    for name, limits in (("xlim", xlim), ("ylim", ylim)):
        if len(limits) != 2 or not limits[0] < limits[1]:
            raise ValueError(f"{name} must be (low, high) with low < high, got {limits!r}")
    if positive_int("points", points) < 2:
        raise ValueError(f"points must be at least 2, got {points}")
    xs, ys = np.linspace(*xlim, points), np.linspace(*ylim, points)
    grid = np.array(np.meshgrid(xs, ys)).reshape(2, -1).T
    model.eval()
    with torch.no_grad():
        p = torch.sigmoid(model(as_tensor(grid)))[:, 0].numpy()
    return xs, ys, p.reshape(points, points)
