"""Networks, their training loop, the data of notebooks 05-08, and the maths of notebook 05 against torch."""

import gzip

import numpy as np
import pytest
import torch
from torch import nn

from helpers import data, networks
from helpers.exercises.nb05 import backward, count_parameters, forward


def test_mlp_shapes_activations_and_parameter_count():
    model = networks.mlp((2, 8, 3), activation="tanh", dropout=0.1)
    kinds = [type(layer).__name__ for layer in model]
    assert kinds == ["Linear", "Tanh", "Dropout", "Linear"]
    assert model(torch.zeros(5, 2)).shape == (5, 3)
    assert count_parameters([2, 8, 3]) == sum(p.numel() for p in model.parameters()) == 51


def test_mlp_is_seeded():
    first, second = networks.mlp((2, 4, 1), seed=3), networks.mlp((2, 4, 1), seed=3)
    for a, b in zip(first.parameters(), second.parameters(), strict=True):
        assert torch.equal(a, b)
    assert not torch.equal(first[0].weight, networks.mlp((2, 4, 1), seed=4)[0].weight)


def test_collapse_equals_two_linear_layers_in_torch():
    """Notebook 05's claim: X W1 + B1 then @ W2 + B2 is one layer, W = W1 W2 and B = B1 W2 + B2."""
    torch.manual_seed(0)
    first, second = nn.Linear(3, 4).double(), nn.Linear(4, 2).double()
    X = torch.randn(6, 3, dtype=torch.float64)
    W1, B1 = first.weight.detach().numpy().T, first.bias.detach().numpy()
    W2, B2 = second.weight.detach().numpy().T, second.bias.detach().numpy()
    np.testing.assert_allclose(X.numpy() @ (W1 @ W2) + (B1 @ W2 + B2), second(first(X)).detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("sizes", [(2, 5, 1), (3, 4, 6, 2)])
def test_backprop_of_notebook_05_equals_autograd(sizes):
    """The recursion the notebook derives (dW = H^T dZ, dZ below = dZ W^T gated by ReLU'), against torch."""
    X, _ = data.ring(n=12, seed=2)
    X = np.hstack([X, np.ones((12, sizes[0] - 2))]) if sizes[0] > 2 else X
    torch.manual_seed(2)
    layers = [nn.Linear(a, b).double() for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    model = nn.Sequential(*[m for layer in layers for m in (layer, nn.ReLU())][:-1])
    Ws = [layer.weight.detach().numpy().T for layer in layers]
    Bs = [layer.bias.detach().numpy() for layer in layers]
    Hs, Zs = forward(X, Ws, Bs)
    dZ = np.random.default_rng(3).normal(size=Zs[-1].shape)  # the gradient arriving at the last layer
    dWs, dBs = backward(Hs, Zs, Ws, dZ)
    (model(torch.tensor(X)) * torch.tensor(dZ)).sum().backward()
    for layer, dW, dB in zip(layers, dWs, dBs, strict=True):
        np.testing.assert_allclose(dW, layer.weight.grad.numpy().T, rtol=1e-10)
        np.testing.assert_allclose(dB, layer.bias.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_output_gradient_of_the_cross_entropy_is_p_minus_y():
    """Notebook 05 derives dL/dz = (p - y) / n for the sigmoid and binary cross-entropy."""
    X, y = data.ring(n=12, seed=2)
    z = torch.tensor(X @ np.array([[0.7], [-0.4]]), requires_grad=True)
    nn.BCEWithLogitsLoss()(z, torch.tensor(y[:, None])).backward()
    p = 1 / (1 + np.exp(-z.detach().numpy()))
    np.testing.assert_allclose(z.grad.numpy(), (p - y[:, None]) / len(y), rtol=1e-10)


def test_training_learns_the_ring_and_is_repeatable():
    torch.set_num_threads(1)
    X, y = data.ring(n=200, seed=0)
    results = []
    for _ in range(2):
        model = networks.mlp((2, 8, 1), seed=0)
        history = networks.train(
            model, X, y, nn.BCEWithLogitsLoss(), epochs=150, lr=0.05, batch_size=32, validation=(X, y)
        )
        results.append((history.train_loss, networks.accuracy(model, X, y)))
    assert results[0] == results[1]
    losses, accuracy = results[0]
    assert losses[-1] < losses[0] / 10 and accuracy > 0.95 and len(losses) == 150


def test_training_calls_on_epoch_and_records_validation():
    seen = []
    X, y = data.xor(n=40)
    model = networks.mlp((2, 4, 1))
    history = networks.train(
        model,
        X,
        y,
        nn.BCEWithLogitsLoss(),
        epochs=3,
        lr=0.01,
        validation=(X, y),
        on_epoch=lambda epoch, h: seen.append((epoch, len(h.val_loss))),
    )
    assert seen == [(1, 1), (2, 2), (3, 3)] and len(history.val_accuracy) == 3


def test_accuracy_for_one_output_and_for_classes():
    class Fixed(nn.Module):
        def __init__(self, out):
            super().__init__()
            self.out = out

        def forward(self, x):
            return self.out

    assert networks.accuracy(Fixed(torch.tensor([[2.0], [-1.0], [3.0]])), np.zeros((3, 1)), [1, 0, 0]) == pytest.approx(
        2 / 3
    )
    scores = torch.tensor([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1]])
    assert networks.accuracy(Fixed(scores), np.zeros((2, 1)), np.array([1, 2])) == 0.5


def test_probability_grid_orientation():
    model = nn.Linear(2, 1)
    with torch.no_grad():
        model.weight[:] = torch.tensor([[0.0, 10.0]])
        model.bias[:] = 0
    xs, ys, P = networks.probability_grid(model, (-1, 1), (-1, 1), points=5)
    assert P[0, 2] < 0.01 and P[-1, 2] > 0.99  # rows follow y


def test_ring_and_xor_are_balanced_and_not_linearly_separable():
    X, y = data.ring(n=400)
    radius = np.hypot(*X.T)
    assert y.mean() == 0.5 and radius[y == 0].max() < radius[y == 1].min()
    Xx, yx = data.xor(n=200)
    assert yx.mean() == 0.5 and np.all((np.sign(Xx[:, 0]) != np.sign(Xx[:, 1])) == (yx == 1))
    for points, labels in [(X, y), (Xx, yx)]:
        features = np.column_stack([points, np.ones(len(points))])
        w, *_ = np.linalg.lstsq(features, labels * 2 - 1, rcond=None)
        assert np.mean((features @ w > 0) == (labels == 1)) < 0.75  # no straight line gets them right


def test_split_indices_cover_everything_once():
    train, val, test = data.split_indices(1797, seed=0)
    assert (len(train), len(val), len(test)) == (1078, 360, 359)
    assert np.array_equal(np.sort(np.concatenate([train, val, test])), np.arange(1797))


def test_digits_load_and_match_the_known_facts():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.min() == 0 and images.max() == 16 and list(labels[:10]) == list(range(10))
    assert np.bincount(labels).min() == 174


@pytest.mark.parametrize(
    "write, words",
    [
        (None, "the file is missing"),
        (lambda path: path.write_bytes(b"not gzip"), "checksum mismatch"),
        (lambda path: path.write_bytes(gzip.compress(b"1,2,3\n")), "checksum mismatch"),
    ],
)
def test_broken_digits_file_says_what_is_wrong(tmp_path, write, words):
    path = tmp_path / data.DIGITS_FILE
    if write:
        write(path)
    with pytest.raises(data.DataFileError, match=words) as caught:
        data.load_digits(path)
    assert f"`{data.restore_command(data.DIGITS_FILE)}`" in str(caught.value)


def _fit_a_ring(**options):
    X, y = data.ring(n=120, noise=0.3, seed=1)  # 20 noisy training points and a wide network: it overfits
    model = networks.mlp((2, 32, 1), seed=2)
    history = networks.train(model, X[:20], y[:20], nn.BCEWithLogitsLoss(), epochs=100, lr=0.05,
                             validation=(X[20:], y[20:]), **options)
    with torch.no_grad():
        final = float(nn.BCEWithLogitsLoss()(model(networks.as_tensor(X[20:])), networks.as_tensor(y[20:, None])))
    return history, final


def test_keep_best_gives_back_the_weights_of_the_best_validation_epoch():
    kept, kept_loss = _fit_a_ring(keep_best=True)
    last, last_loss = _fit_a_ring()
    assert kept.val_loss == last.val_loss  # the same run: keep_best only changes what is given back
    best = int(np.argmin(kept.val_loss))
    assert kept.best_epoch == best + 1 < len(kept.val_loss) and last.best_epoch is None  # it did overfit
    assert kept_loss == pytest.approx(kept.val_loss[best], rel=1e-6)
    assert last_loss == pytest.approx(last.val_loss[-1], rel=1e-6)


@pytest.mark.parametrize("optimizer", ["sgd", "adamw"])
def test_weight_decay_with_sgd_and_adamw_pulls_every_weight_toward_zero(optimizer):
    model = networks.mlp((3, 4, 1), seed=0)
    before = [p.detach().clone() for p in model.parameters()]
    flat = lambda outputs, targets: 0 * outputs.sum()  # noqa: E731 - no gradient from the data, only the decay
    networks.train(model, np.ones((5, 3)), np.zeros(5), flat, epochs=1, lr=0.1, weight_decay=0.5,
                   optimizer=optimizer)
    for old, new in zip(before, model.parameters(), strict=True):
        torch.testing.assert_close(new.detach(), old * (1 - 0.1 * 0.5))


def test_building_and_training_a_network_leave_torchs_global_generator_as_the_learner_left_it():
    X, y = np.linspace(-1, 1, 16).reshape(8, 2), np.arange(8) % 2
    torch.manual_seed(123)
    untouched = torch.rand(3)
    torch.manual_seed(123)
    model = networks.mlp((2, 8, 1), dropout=0.5, seed=7)
    networks.train(model, X, y, nn.BCEWithLogitsLoss(), epochs=3, lr=0.1, seed=7)
    assert torch.equal(torch.rand(3), untouched)


def test_dropout_masks_follow_the_training_seed_not_what_ran_before():
    X, y = np.linspace(-1, 1, 16).reshape(8, 2), np.arange(8) % 2
    losses = []
    for before in (1, 2):
        model = networks.mlp((2, 8, 1), dropout=0.5, seed=0)
        torch.manual_seed(before)  # whatever the learner's code drew in between
        losses.append(networks.train(model, X, y, nn.BCEWithLogitsLoss(), epochs=3, lr=0.1, seed=0).train_loss)
    assert losses[0] == losses[1]
