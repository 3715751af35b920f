"""Backups: round trips on each backend and across them, byte-equal dumps, refusals that change nothing."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from aimaq.auth.service import Auth
from aimaq.store import db
from aimaq.store.backup import BackupError, backup, dump_bytes, read_manifest, restore
from aimaq.store.load_bundled import load_bundled
from aimaq.store.repository import Store

FIXTURE_BUNDLED = Path(__file__).parent / "fixtures" / "bundled"
CHEAP = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def _populate(store: Store) -> Auth:
    """Users, grants, sessions, a setting and audit entries on top of the fixture data."""
    auth = Auth(store, hasher=CHEAP)
    auth.create_user("aigerim", "long enough secret", actor="cli:root", grants=[("akimat", "karaganda")])
    auth.create_user("bolat", "another long secret", actor="cli:root", lang="ru", grants=[("academy", None)])
    auth.login("aigerim", "long enough secret", address="10.0.0.1")
    auth.set_public_read(False, actor="cli:root")
    return auth


def _without_restore_entry(dump: dict[str, bytes]) -> dict[str, bytes]:
    """The dump with the ``restore`` audit entry (appended by the restore itself) left out."""
    lines = dump["tables/auth_audit.jsonl"].decode().splitlines(keepends=True)
    assert '"restore"' in lines[-1]
    return {**dump, "tables/auth_audit.jsonl": "".join(lines[:-1]).encode()}


@pytest.fixture
def other_backend(store: Store, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store on the other backend: PostgreSQL for a SQLite ``store``, SQLite for a PostgreSQL one."""
    if store.engine.dialect.name == "sqlite":
        target = Store(request.getfixturevalue("pg_database"))
        target.reset()
    else:
        target = Store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    yield target
    target.dispose()


def test_round_trip_on_the_same_backend(store: Store, tmp_path: Path, dump) -> None:
    _populate(store)
    before, before_bytes = dump(store), dump_bytes(store)
    report = backup(store, tmp_path / "b.zip")
    assert report.revision == db.head_revision() and report.tables["observation"] == 16
    # Change things after the backup: a new user, an import batch's worth of edits.
    Auth(store, hasher=CHEAP).create_user("after.backup", "written after backup", actor="cli:root")
    restored = restore(store, tmp_path / "b.zip", actor="cli:root")
    assert restored.summary().startswith("b.zip: ") and restored.revision_now == db.head_revision()
    assert dump(store) == before
    assert _without_restore_entry(dump_bytes(store)) == before_bytes
    entry = Auth(store).audit().iloc[-1]
    assert (entry["action"], entry["actor"], entry["entity_key"]) == ("restore", "cli:root", "b.zip")


def test_round_trip_across_backends_gives_byte_equal_dumps(
    store: Store, other_backend: Store, tmp_path: Path
) -> None:
    auth = _populate(store)
    source = dump_bytes(store)
    backup(store, tmp_path / "b.zip")
    restore(other_backend, tmp_path / "b.zip")
    assert _without_restore_entry(dump_bytes(other_backend)) == source
    # The restored store works: logins, new rows (PostgreSQL sequences moved past the restored ids).
    moved = Auth(other_backend, hasher=CHEAP)
    token, user = moved.login("aigerim", "long enough secret")
    assert moved.validate_session(token) == user and not moved.public_read
    moved.create_user("new.user", "a fresh long password", actor="cli:root")
    assert auth.users()["username"].tolist() == ["aigerim", "bolat"]


@pytest.mark.postgres
def test_the_real_bundled_data_from_sqlite_to_postgresql(
    bundled_store: Store, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    target = Store(request.getfixturevalue("pg_database"))
    target.reset()
    try:
        backup(bundled_store, tmp_path / "bundled.zip")
        report = restore(target, tmp_path / "bundled.zip")
        assert report.tables["observation"] > 1000
        assert _without_restore_entry(dump_bytes(target)) == dump_bytes(bundled_store)
        assert target.observations().equals(bundled_store.observations())
    finally:
        target.dispose()


def test_backups_of_the_same_data_have_the_same_table_bytes(store: Store, tmp_path: Path) -> None:
    backup(store, tmp_path / "1.zip")
    backup(store, tmp_path / "2.zip")
    with zipfile.ZipFile(tmp_path / "1.zip") as a, zipfile.ZipFile(tmp_path / "2.zip") as b:
        tables = [n for n in a.namelist() if n.startswith("tables/")]
        assert tables == [n for n in b.namelist() if n.startswith("tables/")]
        assert all(a.read(n) == b.read(n) for n in tables)
    manifest = read_manifest(tmp_path / "1.zip")
    assert manifest["source_backend"] == store.engine.dialect.name
    territory = next(t for t in manifest["tables"] if t["name"] == "territory")
    assert ["valid_from", "date"] in territory["columns"] and ["lat", "float"] in territory["columns"]


def test_an_archive_from_an_older_schema_is_migrated_on_restore(store_url: str, tmp_path: Path, dump) -> None:
    """A backup made at the first released schema (0001, with data) restores into today's store."""
    old = Store(store_url)
    old.reset()
    db.upgrade(old.engine, "0001")
    load_bundled(old.engine, FIXTURE_BUNDLED)
    old_dump = dump(old)
    report = backup(old, tmp_path / "old.zip")
    assert report.revision == "0001" and "auth_user" not in report.tables
    old.dispose()
    current = Store(store_url)
    current.reset()
    current.init(load_bundled=False)
    restored = restore(current, tmp_path / "old.zip")
    assert (restored.revision, restored.revision_now) == ("0001", db.head_revision())
    assert dump(current) == old_dump
    assert Auth(current).audit()["action"].tolist() == ["restore"]
    current.dispose()


# --------------------------------------------------------------------------------------------- refusals
def _rewrite(src: Path, dst: Path, *, manifest: dict | None = None, members: dict[str, bytes] | None = None,
             fix_checksums: bool = True) -> None:  # fmt: skip
    """Copy an archive, replacing the manifest or members (recomputing their checksums unless told not to)."""
    with zipfile.ZipFile(src) as archive:
        content = {n: archive.read(n) for n in archive.namelist()}
    meta = manifest if manifest is not None else json.loads(content["manifest.json"])
    for name, body in (members or {}).items():
        content[name] = body
        if fix_checksums:
            table = name.removeprefix("tables/").removesuffix(".jsonl")
            for entry in meta["tables"]:
                if entry["name"] == table:
                    entry["sha256"] = hashlib.sha256(body).hexdigest()
                    entry["rows"] = len(body.decode().splitlines())
    content["manifest.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(dst, "w") as archive:
        for name, body in content.items():
            archive.writestr(name, body)


def test_a_newer_schema_revision_is_refused(store: Store, tmp_path: Path, dump) -> None:
    backup(store, tmp_path / "b.zip")
    manifest = read_manifest(tmp_path / "b.zip")
    manifest["revision"] = "9000"
    _rewrite(tmp_path / "b.zip", tmp_path / "newer.zip", manifest=manifest)
    before = dump(store)
    with pytest.raises(BackupError) as e:
        restore(store, tmp_path / "newer.zip")
    assert "made at schema revision 9000, which this aimaq does not know" in str(e.value)
    assert "upgrade aimaq, then restore" in str(e.value)
    assert str(e.value).endswith("1 problem; nothing was written.")
    assert dump(store) == before


def test_a_store_written_by_a_newer_aimaq_is_not_replaced(store: Store, tmp_path: Path, dump) -> None:
    backup(store, tmp_path / "b.zip")
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9000'"))
    before = dump(store)
    with pytest.raises(
        BackupError, match="the store is at schema revision 9000, which this aimaq does not know"
    ):
        restore(store, tmp_path / "b.zip")
    assert dump(store) == before
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": db.head_revision()})


def test_damaged_archives_are_refused_listing_every_problem(store: Store, tmp_path: Path, dump) -> None:
    backup(store, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        territory = archive.read("tables/territory.jsonl").decode().splitlines()
    first = next(i for i, line in enumerate(territory) if '"country"' in line)
    bad_cell = territory[first].replace('"country"', "12", 1)  # level: text expected
    territory = [bad_cell, *territory[:first], *territory[first + 1 :]]
    _rewrite(
        tmp_path / "b.zip",
        tmp_path / "bad.zip",
        members={
            "tables/territory.jsonl": (
                "\n".join([territory[0], "{not json", *territory[1:]]) + "\n"
            ).encode(),
            "tables/observation.jsonl": b"[1]\n",
        },
    )
    before = dump(store)
    with pytest.raises(BackupError) as e:
        restore(store, tmp_path / "bad.zip")
    lines = str(e.value).splitlines()
    assert 'bad.zip, tables/territory.jsonl, line 1, column "level": 12 is not text (text)' in lines
    assert any(line.startswith("bad.zip, tables/territory.jsonl, line 2: not JSON") for line in lines)
    assert "bad.zip, tables/observation.jsonl, line 1: expected 18 values" in lines
    assert dump(store) == before
    # A member changed without its checksum: named as damaged.
    _rewrite(
        tmp_path / "b.zip", tmp_path / "tampered.zip", members={"tables/note.jsonl": b""}, fix_checksums=False
    )
    with pytest.raises(BackupError, match=r"tables/note\.jsonl: checksum differs"):
        restore(store, tmp_path / "tampered.zip")
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BackupError, match="not an aimaq backup"):
        restore(store, tmp_path / "junk.zip")
    with pytest.raises(BackupError, match="no such file"):
        restore(store, tmp_path / "missing.zip")
    manifest = read_manifest(tmp_path / "b.zip")
    manifest["format_version"] = 99
    _rewrite(tmp_path / "b.zip", tmp_path / "future.zip", manifest=manifest)
    with pytest.raises(BackupError, match="reads version 1 or older"):
        restore(store, tmp_path / "future.zip")
    assert dump(store) == before


def test_a_restore_failing_in_the_database_leaves_the_store_as_it_was(
    store: Store, tmp_path: Path, dump
) -> None:
    """Rows that pass the archive checks but break a foreign key: all of the restore, DDL too, rolls back."""
    _populate(store)
    backup(store, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        roles = archive.read("tables/auth_role.jsonl").decode()
    broken = {"tables/auth_role.jsonl": roles.replace('"karaganda"', '"atlantis"').encode()}
    _rewrite(tmp_path / "b.zip", tmp_path / "fk.zip", members=broken)
    Auth(store, hasher=CHEAP).create_user("after.backup", "written after backup", actor="cli:root")
    before = dump(store)
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
        restore(store, tmp_path / "fk.zip")
    assert dump(store) == before
    assert db.current_revision(store.engine) == db.head_revision()


def test_backup_of_an_empty_database_is_refused(tmp_path: Path) -> None:
    empty = Store(f"sqlite:///{tmp_path / 'none.sqlite'}")
    with pytest.raises(BackupError, match="has no schema; run aimaq init"):
        backup(empty, tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()
    empty.dispose()
