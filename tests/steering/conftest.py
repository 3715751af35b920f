"""Fixtures of the steering tests: a Steering service over the shared ``store`` fixture, actors, a dump."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from aimaq.steering.models import AuditRecord, WorkflowObject
from aimaq.steering.service import Steering
from aimaq.store.repository import Store

TODAY = dt.date(2026, 12, 31)


@pytest.fixture
def steering(store: Store) -> Steering:
    """The service over a fresh fixture store (SQLite and PostgreSQL), with today pinned to 31 Dec 2026."""
    return Steering(store, today=lambda: TODAY)


def dump_steering(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the steering tables, to check that a refused action changed nothing."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for model in (WorkflowObject, AuditRecord):
            rows = conn.execute(select(model.__table__)).all()
            out[model.__tablename__] = sorted((tuple(r) for r in rows), key=repr)
    return out


@pytest.fixture
def sdump() -> Callable[[Store], dict[str, list[tuple[Any, ...]]]]:
    """``sdump(store)``: the steering tables' rows."""
    return dump_steering
