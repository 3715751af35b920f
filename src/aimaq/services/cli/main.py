"""The ``aimaq`` command: one Typer app; each command group lives in its own module and registers itself."""

from __future__ import annotations

import typer

from aimaq.services.cli import admin, compute, data, ris3, serve, steer, typology, uncertainty

app = typer.Typer(
    name="aimaq",
    help="aimaq: measure, compare and steer the innovation development of Kazakhstan's territories.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


@app.command()
def version() -> None:
    """Print the aimaq version."""
    from aimaq import __version__

    typer.echo(__version__)


for module in (data, compute, uncertainty, ris3, typology, steer, admin, serve):
    module.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()
