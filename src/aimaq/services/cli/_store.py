"""The store a command works on, refused with one clear message when ``aimaq init`` has not been run."""

from __future__ import annotations

import typer

from aimaq.store.repository import Store

__all__ = ["open_store"]


def open_store(db: str | None) -> Store:
    """The store at ``db`` (default: ``$AIMAQ_DATABASE_URL``, else SQLite in ``$AIMAQ_HOME``).

    Raises
    ------
    typer.Exit
        Code 2, after saying on standard error that the store is empty and ``aimaq init`` comes first
        (instead of the SQL error a missing table would give).
    """
    store = Store(db)
    if not store.initialised:
        typer.echo(f"aimaq: the store {store.url} is empty; run `aimaq init` first.", err=True)
        raise typer.Exit(2)
    return store
