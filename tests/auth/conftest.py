"""Fixtures of the auth tests: an :class:`~aimaq.auth.service.Auth` over the shared ``store`` fixture."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from aimaq.auth.service import Auth
from aimaq.store.repository import Store

#: argon2id with the smallest cost: the same algorithm and code path, fast enough for a test suite.
CHEAP = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
ADMIN = "cli:root"
PASSWORD = "correct horse battery"


@pytest.fixture
def auth(store: Store) -> Auth:
    """Auth over a fresh fixture store (SQLite and PostgreSQL) with a cheap argon2id hasher."""
    return Auth(store, hasher=CHEAP)
