"""Fixtures of the fuzz tests: one SQLite store per module (hypothesis runs many examples against it, and
each example checks that the store is unchanged, so sharing it is sound)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from aimaq.store.repository import Store

FIXTURE_BUNDLED = Path(__file__).parents[1] / "store" / "fixtures" / "bundled"

# Modest example counts: CI has two cores and the whole suite must stay well under 30 minutes.
settings.register_profile(
    "aimaq-fuzz",
    max_examples=40,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),  # as the "ci" profile of tests/conftest.py
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A SQLite store with the small fixture bundle, shared by a module's examples (they must not write)."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'aimaq.sqlite'}")
    store.init(bundled=FIXTURE_BUNDLED)
    yield store
    store.dispose()
