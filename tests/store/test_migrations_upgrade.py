"""Schema migrations upgrade a database that holds data, from the first released schema (``0001`` with the
bundled data of the five seeds loaded) to the newest, on SQLite and PostgreSQL; and downgrade step by step.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from aimaq.auth.service import Auth
from aimaq.store import db
from aimaq.store.load_bundled import BUNDLED, load_bundled
from aimaq.store.models import TABLES_IN_ORDER
from aimaq.store.repository import Store

FIRST_RELEASED = "0001"


def _chain() -> list[str]:
    """Every revision from the first to the newest, in order; asserts a single line of history."""
    script = ScriptDirectory.from_config(db.alembic_config(db.make_engine("sqlite://")))
    heads = script.get_heads()
    assert len(heads) == 1, f"more than one migration head: {heads}"
    return [s.revision for s in reversed(list(script.walk_revisions()))]


@pytest.fixture
def old_store(store_url: str) -> Iterator[Store]:
    """A store at the first released schema with the real bundled data loaded, as a 0001 install has it."""
    store = Store(store_url)
    store.reset()
    db.upgrade(store.engine, FIRST_RELEASED)
    load_bundled(store.engine, BUNDLED)
    yield store
    store.dispose()


def test_there_is_one_line_of_history_from_the_first_release() -> None:
    chain = _chain()
    assert chain[0] == FIRST_RELEASED and chain[-1] == db.head_revision()
    assert "0300" in chain


def test_upgrade_from_the_first_release_keeps_every_row(old_store: Store, dump) -> None:
    before = dump(old_store)
    assert len(before["observation"]) > 1000
    # One revision at a time, checking the data after each step.
    for revision in _chain()[1:]:
        db.upgrade(old_store.engine, revision)
        assert db.current_revision(old_store.engine) == revision
        assert dump(old_store) == before, f"data changed by migration {revision}"
    # What users run: init upgrades (nothing left to do) and syncs the bundled data (nothing to change).
    report = old_store.init()
    assert dump(old_store) == before
    assert report is not None and report.batch_id is None
    # The new tables work on the upgraded store, triggers included.
    auth = Auth(old_store)
    auth.create_user("aigerim", "long enough secret", actor="cli:root", grants=[("akimat", "karaganda")])
    assert auth.allowed(auth.user("aigerim"), "edit_data", "karaganda")
    with pytest.raises(DBAPIError, match="append-only"), old_store.engine.begin() as conn:
        conn.execute(text("DELETE FROM auth_audit"))


def test_downgrade_step_by_step_back_to_the_first_release(old_store: Store, dump) -> None:
    before = dump(old_store)
    db.upgrade(old_store.engine)
    Auth(old_store).create_user("aigerim", "long enough secret", actor="cli:root")
    chain = _chain()
    for revision in reversed(chain[:-1]):
        db.downgrade(old_store.engine, revision)
        assert db.current_revision(old_store.engine) == revision
        assert dump(old_store) == before, f"store data changed by the downgrade to {revision}"
    tables = set(inspect(old_store.engine).get_table_names()) - {"alembic_version"}
    assert tables == {m.__table__.name for m in TABLES_IN_ORDER}
    # And up again: the upgrade after a downgrade works (the audit triggers are re-created).
    db.upgrade(old_store.engine)
    assert dump(old_store) == before
    assert Auth(old_store).users().empty
