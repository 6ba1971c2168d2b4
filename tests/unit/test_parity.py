"""CPU/CUDA parity: the comparison itself always; the real two-device run only with CUDA."""

import importlib.util

import pytest

from execdocs.contract import RunResult
from execdocs.run.parity import DEFAULT_TOL, compare_results, compare_values


def result(values, tolerances=None, figures=("plot",), tables=()):
    cells = [
        {"name": "c", "first_line": 1, "last_line": 1, "code": "", "figures": [{"name": f, "alt": f} for f in figures]}
    ]
    data = {"snippet": "s", "values": values, "tolerances": tolerances or {}, "cells": cells}
    return RunResult.from_dict(dict(data, tables=dict.fromkeys(tables, "")))


def test_values_within_tolerance_agree():
    assert compare_values([1.0, 2.0], [1.0 + 1e-9, 2.0], DEFAULT_TOL, "v") == []
    assert compare_values({"a": 3}, {"a": 3}, DEFAULT_TOL, "v") == []


def test_values_beyond_tolerance_are_reported():
    problems = compare_values([1.0, 2.0], [1.0, 2.001], 1e-6, "loss")
    assert len(problems) == 1 and problems[0].startswith("loss[1]:")
    assert compare_values(5, 6, 1e-6, "n") and compare_values("cpu", "cuda", 1e-6, "s")


def test_stated_tolerance_and_device_values():
    cpu = result({"curve": [1.0, 0.5], "msg": "on cpu"}, {"curve": 1e-3, "msg": "device"})
    cuda = result({"curve": [1.0, 0.5004], "msg": "on cuda:0"})
    assert compare_results(cpu, cuda) == []
    assert compare_results(result({"curve": [1.0, 0.5]}), result({"curve": [1.0, 0.5004]}))


def test_missing_figure_or_value_is_reported():
    assert compare_results(result({"a": 1.0}), result({"a": 1.0}, figures=()))
    assert compare_results(result({"a": 1.0, "b": 2.0}), result({"a": 1.0}))


def _cuda_available():
    if importlib.util.find_spec("torch") is None:
        return False
    import torch

    return torch.cuda.is_available()


@pytest.mark.skipif(not _cuda_available(), reason="no CUDA device: the CPU/GPU parity run needs one")
def test_every_snippet_agrees_on_cpu_and_cuda():
    from conftest import ROOT
    from execdocs.run import parity

    summary = parity.run_parity(ROOT)
    failures = {n: r["problems"] for n, r in summary["snippets"].items() if r["problems"]}
    assert not failures, failures


def test_report_page_shows_cpu_and_gpu_times_when_a_parity_run_exists():
    from execdocs.report import page as reportpage

    parity = {
        "gpu": "NVIDIA H100",
        "torch": "2.11.0+cu130",
        "snippets": {
            "train_loop": {"cpu_seconds": 0.4, "cuda_seconds": 0.8, "ran_on": "cuda", "problems": []},
            "scale_data_parallel": {"cpu_seconds": 0.2, "cuda_seconds": 0.1, "ran_on": "cpu", "problems": ["x"]},
        },
    }
    text = reportpage.parity_markdown(parity)
    assert "NVIDIA H100" in text
    assert "| `train_loop` | 0.40 s | 0.80 s | 0.50× | có |" in text
    assert "| `scale_data_parallel` | 0.20 s | 0.10 s | 2.00× | KHÔNG (chỉ chạy trên CPU) |" in text
    assert reportpage.parity_markdown(None) == ""
