"""Specification of alignment_lab.seeding and of what importing the package does."""

import importlib
import random

import numpy as np
import pytest
import torch

import alignment_lab
from alignment_lab.seeding import seed_everything, use_single_thread


def draws() -> tuple[float, float, float]:
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def test_seed_everything_makes_python_numpy_and_torch_draws_repeat():
    seed_everything(123)
    first = draws()
    seed_everything(123)
    assert draws() == first
    seed_everything(124)
    assert draws() != first


def test_seed_everything_sets_torch_to_one_thread():
    torch.set_num_threads(2)
    seed_everything(0)
    assert torch.get_num_threads() == 1


def test_importing_alignment_lab_sets_torch_to_one_thread():
    torch.set_num_threads(2)
    importlib.reload(alignment_lab)
    assert torch.get_num_threads() == 1


def test_use_single_thread_can_be_called_repeatedly():
    use_single_thread()
    use_single_thread()
    assert torch.get_num_threads() == 1


@pytest.mark.parametrize("bad", [1.5, "0", None, True])
def test_seed_everything_rejects_non_integer_seed_and_names_it(bad):
    with pytest.raises(TypeError, match="seed must be an int"):
        seed_everything(bad)


@pytest.mark.parametrize("bad", [-1, 2**32])
def test_seed_everything_rejects_out_of_range_seed_and_names_it(bad):
    with pytest.raises(ValueError, match="seed must be in"):
        seed_everything(bad)
