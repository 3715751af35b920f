"""The audit trail of the steering workflow: append a record, read the trail. Nothing else.

Every change of a workflow object (a transition, or an ``EDIT`` of its fields) is recorded with who (name,
role, region), when (``at``, the moment of recording, and ``effective_on``, the date the event happened) and
why (``reason``), in the same transaction as the change. The module deliberately offers no update or delete:
the trail is append-only (issue 8, "an audit trail that cannot be edited"). The ORM refuses updates and
deletes of :class:`~aimaq.steering.models.AuditRecord`, and migration ``0100_steering`` adds triggers that
refuse ``UPDATE`` and ``DELETE`` (and ``TRUNCATE`` on PostgreSQL) in the database itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from aimaq.steering.models import AuditRecord, WorkflowObject

__all__ = ["COLUMNS", "record", "trail"]

#: Columns of :func:`trail`, in order.
COLUMNS: tuple[str, ...] = (
    "id", "at", "effective_on", "object_id", "entity", "territory", "transition_id", "from_state", "to_state",
    "actor", "role", "actor_region", "reason", "changes",
)  # fmt: skip


def record(
    session: Session,
    obj: WorkflowObject,
    transition_id: str,
    from_state: str | None,
    *,
    actor: str,
    role: str,
    actor_region: str | None,
    reason: str,
    effective_on: dt.date,
    changes: Mapping[str, Any],
) -> AuditRecord:
    """Append one record for ``obj`` (already flushed, so that it has an id) to the open transaction."""
    rec = AuditRecord(
        at=dt.datetime.now(dt.UTC),
        effective_on=effective_on,
        object_id=obj.id,
        entity=obj.entity,
        territory=obj.territory,
        transition_id=transition_id,
        from_state=from_state,
        to_state=obj.state,
        actor=actor,
        role=role,
        actor_region=actor_region,
        reason=reason.strip(),
        changes=dict(changes),
    )
    session.add(rec)
    return rec


def trail(session: Session, object_id: int | None = None) -> pd.DataFrame:
    """The trail, oldest first, optionally of one object, with :data:`COLUMNS`."""
    stmt = select(AuditRecord).order_by(AuditRecord.id)
    if object_id is not None:
        stmt = stmt.where(AuditRecord.object_id == object_id)
    rows = [{c: getattr(r, c) for c in COLUMNS} for r in session.scalars(stmt)]
    return pd.DataFrame(rows, columns=list(COLUMNS))
