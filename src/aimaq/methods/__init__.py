"""Pure step functions, one module per step kind; a method's YAML name is its function name.

``{method: minmax}`` under ``normalise:`` runs :func:`aimaq.methods.normalise.minmax`. Only names listed
in a module's ``__all__`` are methods (helpers start with ``_``). :func:`get_method` is the one place where
the engine turns a spec's name into a function, and :func:`method_names` lists what a step offers.

Examples
--------
>>> get_method("transform", "growth_rate").__name__
'growth_rate'
>>> get_method("transform", "growth")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: unknown transform method 'growth'; closest: 'growth_rate'. Available: base_index, ...
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

#: Step kinds that have a module of methods, in pipeline order.
STEP_KINDS: tuple[str, ...] = (
    "transform",
    "impute",
    "treat",
    "normalise",
    "weight",
    "aggregate",
    "classify",
    "explain",
)


def step_module(step: str) -> ModuleType:
    """The module of a step kind (``aimaq.methods.<step>``); ``ValueError`` for an unknown step or a module
    that is not installed yet."""
    if step not in STEP_KINDS:
        raise ValueError(f"unknown step kind {step!r}; expected one of {', '.join(STEP_KINDS)}")
    try:
        return importlib.import_module(f"aimaq.methods.{step}")
    except ModuleNotFoundError as exc:
        if exc.name == f"aimaq.methods.{step}":
            raise ValueError(
                f"no {step} methods are available (module aimaq.methods.{step} is missing)"
            ) from None
        raise


def method_names(step: str) -> list[str]:
    """Sorted method names of a step kind (the module's ``__all__``); empty when the module is missing."""
    try:
        module = step_module(step)
    except ValueError:
        return []
    return sorted(getattr(module, "__all__", []))


def closest(name: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The closest spelling of ``name`` among ``choices`` (None when nothing is close).

    Examples
    --------
    >>> closest("arithmetic_maen", ["arithmetic_mean", "geometric_mean"])
    'arithmetic_mean'
    """
    found = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def get_method(step: str, name: str) -> Callable[..., Any]:
    """The function of method ``name`` of step kind ``step``.

    Raises ``ValueError`` naming the closest method and listing all of them when ``name`` is not in the
    module's ``__all__``.
    """
    module = step_module(step)
    names = sorted(getattr(module, "__all__", []))
    if name not in names:
        near = closest(name, names)
        hint = f"; closest: {near!r}" if near else ""
        raise ValueError(f"unknown {step} method {name!r}{hint}. Available: {', '.join(names)}")
    return getattr(module, name)
