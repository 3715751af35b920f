"""Alembic environment for the aimaq store, driven from :func:`aimaq.store.db.upgrade`.

The caller passes an open connection in ``config.attributes["connection"]``; running ``alembic`` from a shell
also works with ``-x url=...`` or ``$AIMAQ_DATABASE_URL``.
"""

from __future__ import annotations

from alembic import context

from aimaq.store.db import is_sqlite, make_engine
from aimaq.store.models import Base

target_metadata = Base.metadata


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=is_sqlite(connection.engine),
        compare_type=True,
    )


def run_migrations_online() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


def _running_under_alembic() -> bool:
    # pytest's doctest collection imports this module outside Alembic, where context has no config.
    try:
        context.config  # noqa: B018
    except (AttributeError, NameError):
        return False
    return True


if _running_under_alembic():
    run_migrations_online()
