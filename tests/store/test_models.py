"""Constraints and optimistic locking of the models (aimaq.store.models)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from aimaq.store import db
from aimaq.store.models import LEVELS, Indicator, Observation, Territory
from aimaq.store.repository import Store


def test_version_bumps_and_stale_updates_fail(store: Store) -> None:
    """Two users load the same row; the second save after the first one's fails instead of overwriting."""
    with Session(store.engine) as first, Session(store.engine, expire_on_commit=False) as second:
        b = second.get(Indicator, "gerd_internal")
        second.commit()  # the second user's form is open; no transaction is held meanwhile
        a = first.get(Indicator, "gerd_internal")
        assert a is not None and b is not None and a.version == b.version == 1
        a.unit = "bn_kzt"
        first.commit()
        assert a.version == 2
        b.unit = "thous_kzt"
        with pytest.raises(StaleDataError):
            second.commit()


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Territory, {"code": "x", "level": "village", "name_kk": "x", "name_ru": "x", "name_en": "x"}),
        (Indicator, {"code": "x", "direction": 2, "kind": "numeric"}),
        (Indicator, {"code": "x", "direction": 1, "kind": "text"}),
    ],
)
def test_check_constraints(store: Store, model: type, values: dict[str, object]) -> None:
    with pytest.raises(IntegrityError):
        db.write(store.engine, lambda s: s.add(model(**values)))


def test_observation_key_is_unique_and_references_are_enforced(store: Store) -> None:
    row = {
        "territory": "karaganda",
        "indicator": "gerd_internal",
        "period": "2020",
        "year_from": 2020,
        "year_to": 2020,
        "value": 1.0,
        "status": "published",
    }
    with pytest.raises(IntegrityError):
        db.write(store.engine, lambda s: s.add(Observation(**row)))
    with pytest.raises(IntegrityError):
        db.write(
            store.engine,
            lambda s: s.add(
                Observation(
                    **{**row, "territory": "nowhere", "period": "1999", "year_from": 1999, "year_to": 1999}
                )
            ),
        )
    with pytest.raises(IntegrityError):
        db.write(
            store.engine,
            lambda s: s.add(
                Observation(
                    **{**row, "period": "2001", "year_from": 2001, "year_to": 2001, "status": "rumoured"}
                )
            ),
        )


def test_levels_are_the_architecture_levels(store: Store) -> None:
    assert LEVELS == ("country", "region", "city_rs", "district", "city", "monotown")
    with Session(store.engine) as s:
        assert set(s.scalars(select(Territory.level))) <= set(LEVELS)
