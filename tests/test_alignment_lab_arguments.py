"""The package's argument checks: what passes, and what each refusal says."""

from __future__ import annotations

import numpy as np
import pytest

from alignment_lab.arguments import positive_int


@pytest.mark.parametrize("value", [1, 7, np.int64(3)])
def test_a_positive_integer_comes_back_as_an_int(value):
    result = positive_int("steps", value)
    assert result == int(value) and type(result) is int


@pytest.mark.parametrize("value", [0, -2, 2.0, "3", True, None])
def test_anything_else_is_refused_naming_the_argument_and_the_value(value):
    with pytest.raises(ValueError, match=rf"steps must be a positive int, got {value!r}"):
        positive_int("steps", value)
