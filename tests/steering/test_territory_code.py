"""``Steering.territory_code``: resolved from the store's gazetteer without reading the aliases per call,
with the codes and errors of ``Store.territory``, and fresh after the territories are reloaded."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event
from tests.conftest import FIXTURE_BUNDLED

from aimaq.steering.errors import InvalidInput
from aimaq.steering.service import Steering
from aimaq.store.repository import Store, UnknownTerritory

#: codes, names (kk/ru/en) and aliases of the fixture bundle (tests/store/fixtures/bundled)
NAMES = {
    "satpayev": "satpayev",
    "Сәтпаев": "satpayev",
    "abai": "abai",
    "Абай облысы": "abai",
    "ВКО": "east_kazakhstan",  # the current region, as Store.territory chooses without a date
    "East Kazakhstan": "east_kazakhstan",
    "kazakhstan": "kazakhstan",
}


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The SQL statements the store's engine runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


@pytest.mark.parametrize(("name", "code"), NAMES.items())
def test_codes_names_and_aliases_resolve_as_the_store_resolves_them(
    steering: Steering, store: Store, name: str, code: str
) -> None:
    assert steering.territory_code(name) == code == store.territory(name)["code"]


def test_resolving_reads_nothing_from_the_database_once_the_gazetteer_is_built(
    steering: Steering, store: Store
) -> None:
    steering.territory_code("satpayev")  # builds the store's gazetteer (territories and aliases, once)
    with statements(store) as seen:
        for _ in range(3):
            for name in NAMES:
                steering.territory_code(name)
    assert seen == []
    with statements(store) as seen:  # Store.territory, used before, read every alias on every call
        store.territory("Сәтпаев")
    assert any("territory_alias" in s for s in seen)


@pytest.mark.parametrize("name", ["Atlantis", "Сатпаевв", ""])
def test_unknown_names_raise_the_stores_error(steering: Steering, store: Store, name: str) -> None:
    with pytest.raises(UnknownTerritory) as stored:
        store.territory(name)
    with pytest.raises(InvalidInput) as info:
        steering.territory_code(name)
    [problem] = info.value.problems
    assert (problem.reason, problem.key, problem.message) == (
        "unknown_territory",
        f"territory {name!r}",
        str(stored.value),
    )
    assert "unknown_territory" in str(info.value)


def test_a_reloaded_store_is_seen_by_an_existing_steering_service(
    steering: Steering, store: Store, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="unknown_territory"):
        steering.territory_code("Жезқазған қаласы")
    bundled = tmp_path / "bundled"
    shutil.copytree(FIXTURE_BUNDLED, bundled)
    with (bundled / "territory_aliases.csv").open("a", encoding="utf-8") as f:
        f.write("satpayev,Жезқазған қаласы,kk\n")  # a made-up alias: only to see the reload
    store.init(bundled=bundled)
    assert steering.territory_code("Жезқазған қаласы") == "satpayev"
