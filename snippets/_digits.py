"""The digits data set (scikit-learn's 1,797 8x8 images), split, standardised, on a device.

Shared by the snippets of the real-data pages so that each of them stays short. The split is
fixed (a seeded permutation), the mean and standard deviation come from the training part only,
and the tensors are made on the CPU before moving, so every device sees the same numbers.
"""

from types import SimpleNamespace

import torch
from sklearn.datasets import load_digits

N_VAL = 360  # validation images, about 20 % of 1,797
SPLIT_SEED = 0
# The matrices here are tiny (64 x 64): splitting each product over several CPU threads costs more
# than it saves, badly so on a busy machine. One thread; no effect on the numbers or on CUDA.
torch.set_num_threads(1)


def load(device, dtype=torch.float64):
    """x_train, y_train, x_val, y_val (standardised), plus the raw val images for plotting."""
    digits = load_digits()  # shipped inside scikit-learn: no download
    x = torch.tensor(digits.data, dtype=torch.float64)
    y = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(SPLIT_SEED))
    val, train = order[:N_VAL], order[N_VAL:]
    mean, std = x[train].mean(dim=0), x[train].std(dim=0)
    std[std == 0] = 1.0  # a few border pixels are 0 in every training image
    x_std = (x - mean) / std

    def to(t):
        return t.to(dtype).to(device) if t.is_floating_point() else t.to(device)

    return SimpleNamespace(
        x_train=to(x_std[train]),
        y_train=to(y[train]),
        x_val=to(x_std[val]),
        y_val=to(y[val]),
        images_val=torch.tensor(digits.images)[val],  # 8x8, values 0..16, on the CPU
        train_index=train,
        val_index=val,
    )


def init_params(sizes, seed=0, dtype=torch.float64):
    """Weights (in, out) with He scaling and zero biases, drawn on the CPU from a seeded generator."""
    gen = torch.Generator().manual_seed(seed)
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{i}"] = torch.randn(fan_in, fan_out, generator=gen, dtype=dtype) * (2 / fan_in) ** 0.5
        params[f"b{i}"] = torch.zeros(fan_out, dtype=dtype)
    return params


def mlp(sizes, seed=0, dtype=torch.float64):
    """nn.Sequential of Linear+ReLU layers starting from init_params(sizes, seed)."""
    params = init_params(sizes, seed, dtype)
    layers = []
    for i in range(1, len(sizes)):
        linear = torch.nn.Linear(sizes[i - 1], sizes[i], dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(params[f"W{i}"].T)  # nn.Linear keeps W as (out, in)
            linear.bias.copy_(params[f"b{i}"])
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


def minibatches(n, batch_size, generator):
    """A fresh random order of 0..n-1 (drawn on the CPU), cut into minibatches of indices."""
    return torch.randperm(n, generator=generator).split(batch_size)


@torch.no_grad()
def evaluate(model, x, y):
    """(mean cross-entropy, accuracy) of model on x, y, in eval mode."""
    was_training = model.training
    model.eval()
    logits = model(x)
    model.train(was_training)
    loss = torch.nn.functional.cross_entropy(logits, y).item()
    return loss, (logits.argmax(dim=1) == y).double().mean().item()


def fit(model, data, optimizer, epochs, batch_size, scheduler=None, n_train=None, seed=0):
    """Minibatch training with a fresh shuffle every epoch; per-epoch train/val loss and accuracy.

    n_train: use only the first n_train training images (to show overfitting).
    scheduler: stepped after every optimizer step. Returns a dict of lists: per epoch
    (train/val loss and accuracy, on the whole sets, in eval mode) and per step (lr, step_loss).
    """
    x, y = data.x_train[:n_train], data.y_train[:n_train]
    gen = torch.Generator().manual_seed(seed)
    history = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": [], "lr": [], "step_loss": []}
    for _ in range(epochs):
        model.train()
        for idx in minibatches(len(y), batch_size, gen):
            idx = idx.to(x.device)
            loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            history["lr"].append(optimizer.param_groups[0]["lr"])  # the rate this step uses
            history["step_loss"].append(loss.item())
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
        for split, (xs, ys) in {"train": (x, y), "val": (data.x_val, data.y_val)}.items():
            split_loss, split_acc = evaluate(model, xs, ys)
            history[f"{split}_loss"].append(split_loss)
            history[f"{split}_acc"].append(split_acc)
    return history


def draw_digit(ax, image):
    """An 8x8 image as squares of the text colour, opacity = ink (0..16), so both themes show it."""
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    from sitekit.style import FOREGROUND

    squares = [Rectangle((col, 7 - row), 1, 1) for row in range(8) for col in range(8)]
    alpha = (torch.as_tensor(image, dtype=torch.float64).flatten() / 16).tolist()
    ax.add_collection(PatchCollection(squares, facecolors=[to_rgba(FOREGROUND, a) for a in alpha]))
    ax.set(xlim=(0, 8), ylim=(0, 8), aspect="equal", xticks=[], yticks=[])
    ax.grid(False)
