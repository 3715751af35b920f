"""aimaq CLI command group (filled in by its owner; see docs/architecture.md)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the aimaq app."""
