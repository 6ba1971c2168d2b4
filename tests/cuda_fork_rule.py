"""Imported before a snippet: makes this CPU build of torch obey a rule of CUDA builds.

On a machine with a GPU, the first backward() starts autograd's per-device worker threads, and a
process forked after that cannot use autograd: backward() in the child raises "Unable to handle
autograd's threading in combination with fork-based multiprocessing". A CPU-only build starts no such
threads, so the mistake passes silently here. This module raises the same error in the same case.
"""

import os

import torch

MESSAGE = "Unable to handle autograd's threading in combination with fork-based multiprocessing"
_state = {"threads_started": False, "bad_fork": False}


def _after_fork_in_child():
    _state["bad_fork"] = _state["threads_started"]


def _guarded(function):
    def call(*args, **kwargs):
        if _state["bad_fork"]:
            raise RuntimeError(MESSAGE + " (emulated CUDA-build rule, tests/cuda_fork_rule.py)")
        _state["threads_started"] = True
        return function(*args, **kwargs)

    return call


os.register_at_fork(after_in_child=_after_fork_in_child)
torch.autograd.backward = _guarded(torch.autograd.backward)
torch.autograd.grad = _guarded(torch.autograd.grad)
