"""Specification of alignment_lab.widgets.explore: controls and a headless default run."""

import pytest
from ipywidgets import FloatSlider, IntSlider

from alignment_lab import widgets
from alignment_lab.widgets import build_controls, explore


def test_explore_calls_fn_once_with_the_default_slider_values(capsys):
    calls = []
    explore(
        lambda noise_rate, width: calls.append((noise_rate, width)),
        noise_rate=FloatSlider(value=0.4, min=0.0, max=0.8, step=0.1),
        width=IntSlider(value=256, min=64, max=512),
    )
    assert calls == [(0.4, 256)]
    assert "Default run (noise_rate=0.4, width=256)" in capsys.readouterr().out


def test_run_button_calls_fn_with_the_current_control_values():
    calls = []
    controls = build_controls(
        lambda noise_rate: calls.append(noise_rate),
        noise_rate=FloatSlider(value=0.4, min=0.0, max=0.8, step=0.1),
    )
    assert calls == [], "nothing runs before the button is pressed"
    controls.children[0].value = 0.7
    controls.manual_button.click()
    assert calls == [pytest.approx(0.7)]
    assert controls.manual_button.description == "Run"


def test_explore_still_runs_the_defaults_without_ipywidgets(monkeypatch):
    def missing(*args, **kwargs):
        raise ImportError("No module named 'ipywidgets'")

    monkeypatch.setattr(widgets, "build_controls", missing)
    calls = []
    with pytest.warns(UserWarning, match="running defaults only"):
        explore(
            lambda noise_rate: calls.append(noise_rate),
            noise_rate=FloatSlider(value=0.2, min=0.0, max=0.8),
        )
    assert calls == [0.2]


def test_explore_rejects_a_non_callable_and_missing_controls():
    with pytest.raises(TypeError, match="fn must be callable"):
        explore(3, noise_rate=FloatSlider(value=0.1))
    with pytest.raises(ValueError, match="at least one control"):
        explore(lambda: None)
