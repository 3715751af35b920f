"""The territory × indicator × period store: models, migrations, bundled seed data, imports and exports.

The public API (see ``docs/store.md``)::

    from aimaq.store import Store, ValidationErrors, read_dataset

Names are resolved lazily so that ``import aimaq.store.models`` (used by other parts' models) stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Store": "aimaq.store.repository",
    "ImportReport": "aimaq.store.repository",
    "UnknownTerritory": "aimaq.store.repository",
    "ValidationError": "aimaq.store.errors",
    "ValidationErrors": "aimaq.store.errors",
    "Gazetteer": "aimaq.store.gazetteer",
    "read_dataset": "aimaq.store.imports",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'aimaq.store' has no attribute {name!r}")
