"""The audit trail is append-only: no API to change it, the ORM refuses, the database triggers refuse."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from aimaq.steering import audit
from aimaq.steering.models import AuditIsAppendOnly, AuditRecord
from aimaq.steering.service import Steering
from aimaq.steering.workflow import Actor
from aimaq.store import db

ACADEMY = Actor("Academy regional desk", "academy")


def _one_record(s: Steering) -> int:
    fs = s.create("ForesightSession", territory="karaganda", title="S", actor=ACADEMY, reason="scheduled")
    return int(s.history(fs["id"])["id"].item())


def test_the_api_has_no_way_to_change_the_trail(steering: Steering) -> None:
    public = {n for n in dir(steering) if not n.startswith("_")} | set(audit.__all__)
    assert not {n for n in public if any(w in n for w in ("delete", "remove", "update", "purge", "rewrite"))}


def test_history_records_who_when_why(steering: Steering) -> None:
    fs = steering.create(
        "ForesightSession", territory="karaganda", title="S", actor=ACADEMY, reason="scheduled"
    )
    steering.transition(
        fs["id"],
        "held",
        actor=ACADEMY,
        reason="held in Karaganda",
        held_on="2026-02-01",
        participants=["BEN-2"],
        effective_on="2026-02-01",
    )
    h = steering.history(fs["id"])
    assert list(h["transition_id"]) == ["FS-1", "FS-2"]
    assert list(h["from_state"].fillna("-")) == ["-", "planned"]
    row = h.iloc[1]
    assert (row["actor"], row["role"], row["reason"]) == (
        "Academy regional desk",
        "academy",
        "held in Karaganda",
    )
    assert str(row["effective_on"]) == "2026-02-01" and row["at"] is not None
    assert row["changes"] == {"held_on": "2026-02-01", "participants": ["BEN-2"]}


def test_orm_refuses_update_and_delete(steering: Steering) -> None:
    rid = _one_record(steering)

    def change(session):  # type: ignore[no-untyped-def]
        session.get(AuditRecord, rid).reason = "rewritten"

    def remove(session):  # type: ignore[no-untyped-def]
        session.delete(session.get(AuditRecord, rid))

    for fn in (change, remove):
        with pytest.raises(AuditIsAppendOnly, match="append-only"):
            db.write(steering.engine, fn)
    assert steering.history()["reason"].tolist() == ["scheduled"]


@pytest.mark.parametrize(
    "sql",
    ["UPDATE steer_audit SET reason = 'rewritten'", "DELETE FROM steer_audit"],
    ids=["update", "delete"],
)
def test_database_triggers_refuse_raw_sql(steering: Steering, sql: str) -> None:
    _one_record(steering)
    with pytest.raises((DBAPIError, IntegrityError), match="steer_audit is append-only"):
        db.write(steering.engine, lambda session: session.execute(text(sql)))
    assert steering.history()["reason"].tolist() == ["scheduled"]
