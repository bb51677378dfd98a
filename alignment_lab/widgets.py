"""Interactive controls that also work headless.

``explore(fn, noise_rate=FloatSlider(...))`` shows the sliders with a Run button, and also calls
``fn`` once with the default values, so an executed notebook (book build, grading, a run without
a browser) still contains the default result.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["build_controls", "default_values", "explore"]


def build_controls(fn: Callable[..., Any], *, run_label: str = "Run", **sliders: Any) -> Any:
    """An ``ipywidgets.interactive`` box: one control per keyword, a Run button, an output area.

    ``fn`` runs only when the button is pressed (like ``interact_manual``); its output goes to the
    box's output area, below the button.

    Args:
        fn: the function to explore; each keyword of ``sliders`` must be one of its parameters.
        run_label: text on the button.
        **sliders: parameter name -> an ipywidgets value widget (e.g. ``FloatSlider``) or an
            ``interact`` abbreviation such as ``(0.0, 0.8, 0.1)``.

    Returns:
        The ``ipywidgets.interactive`` widget (not yet displayed).
    """
    import ipywidgets

    if not sliders:
        raise ValueError(
            "explore needs at least one control, e.g. noise_rate=FloatSlider(value=0.4, "
            "min=0.0, max=0.8, step=0.1)."
        )
    return ipywidgets.interactive(fn, {"manual": True, "manual_name": run_label}, **sliders)


def default_values(controls: Any) -> dict[str, Any]:
    """The keyword arguments ``fn`` would receive from the controls as they are now."""
    return {w._kwarg: w.get_interact_value() for w in controls.kwargs_widgets}


def _fallback_defaults(sliders: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for name, control in sliders.items():
        if hasattr(control, "value"):
            values[name] = control.value
        elif isinstance(control, (int, float, str, bool)):
            values[name] = control
        else:
            raise ValueError(
                f"cannot find a default value for {name}={control!r} without ipywidgets; pass a "
                "widget with a value (e.g. FloatSlider(value=0.4, ...)) or a plain value."
            )
    return values


def explore(fn: Callable[..., Any], *, run_label: str = "Run", **sliders: Any) -> None:
    """Show controls for ``fn`` with a Run button, then run ``fn`` once with the default values.

    The default run's output (prints, figures) goes straight into the cell, so it is there even
    when no browser is attached. Runs started with the button appear under the button.

    If ipywidgets is not installed, a warning is issued and only the default run happens:
    exploring is optional, the default result is not. Controls that do not match ``fn``'s
    parameters raise ``ValueError`` (from ipywidgets), naming the parameter.

    Args:
        fn: function whose keyword parameters are controlled, e.g. ``run(noise_rate)``.
        run_label: text on the button.
        **sliders: parameter name -> ipywidgets value widget (its ``value`` is the default) or an
            ``interact`` abbreviation.

    Example:
        ``explore(run_noisy, noise_rate=FloatSlider(value=0.4, min=0, max=0.8, step=0.1))``
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}; pass the function itself.")
    try:
        controls = build_controls(fn, run_label=run_label, **sliders)
        defaults = default_values(controls)
    except ImportError as err:  # ipywidgets not installed: still produce the default result
        warnings.warn(
            f"interactive controls unavailable ({err}); running defaults only.", stacklevel=2
        )
        controls, defaults = None, _fallback_defaults(sliders)

    if controls is not None:
        from IPython.display import display

        display(controls)
    shown = ", ".join(f"{k}={v!r}" for k, v in defaults.items())
    print(f"Default run ({shown}).")  # two lines: narrow enough for the book's column
    print(f"Change the controls and press {run_label!r} to try others.")
    fn(**defaults)
