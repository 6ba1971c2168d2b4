"""Device choice, seeds and deterministic settings, shared by every snippet."""

import os
import random

DEVICE_ENV = "SITEKIT_DEVICE"
DEVICES = ("cpu", "cuda", "auto")


def device():
    """The torch device this run asks for: SITEKIT_DEVICE=cpu|cuda|auto, cpu by default."""
    import torch

    name = os.environ.get(DEVICE_ENV, "cpu").strip().lower() or "cpu"
    if name not in DEVICES:
        raise ValueError(f"{DEVICE_ENV}={name!r}: expected one of {', '.join(DEVICES)}")
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"{DEVICE_ENV}=cuda but torch sees no CUDA device")
    return torch.device(name)


def seed(value=0):
    """Seed Python, NumPy and torch (every device) with one value."""
    random.seed(value)
    try:
        import numpy
    except ImportError:
        numpy = None
    if numpy is not None:
        numpy.random.seed(value)
    try:
        import torch
    except ImportError:
        return
    torch.manual_seed(value)  # also seeds every CUDA device


def setup():
    """Seeds, deterministic kernels and the plot style; run once when sitekit is imported."""
    # cuBLAS reads this when CUDA starts; deterministic matmuls on GPU need it.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    seed(0)
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.use_deterministic_algorithms(True)
    from sitekit.style import apply_style

    apply_style()
