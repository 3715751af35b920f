"""Tables of the steering part: workflow objects and their append-only audit trail.

Design (see ``docs/steering.md``):

- Every workflow entity of seed 001 (foresight sessions, regional needs, technical assignments, competitions,
  projects, funding commitments, recommendations, initiatives, dissemination actions, regional science
  councils) and every plan item (a measure adopted for a territory) is one :class:`WorkflowObject` row: its
  ``entity``, the ``territory`` it belongs to, its ``state`` and its entity-specific fields as JSON
  ``attrs``. The states and the allowed transitions are data (``seed001_workflow_transitions.csv`` and
  ``steering/data/plan_item_transitions.csv``), enforced by :mod:`aimaq.steering.workflow`; a generic row
  keeps the machine data-driven, so a transition added to the CSV needs no migration.
- ``territory`` holds a territory code without a foreign key: the store's ``Store.reset`` drops the store's
  tables in its own order, and a foreign key from here would block it on PostgreSQL. The service checks the
  code against the gazetteer before writing.
- Every change of state is one :class:`AuditRecord`: who (name, role, region), when (``at``: the moment it
  was recorded; ``effective_on``: the date the event happened, which the Table 3 targets count by), why
  (``reason``) and the fields it changed. The table is append-only: the ORM refuses updates and deletes, and
  migration ``0100_steering`` adds database triggers that refuse ``UPDATE`` and ``DELETE`` on both SQLite and
  PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from aimaq.store.models import Base, Versioned

__all__ = ["AuditIsAppendOnly", "AuditRecord", "WorkflowObject"]


class WorkflowObject(Versioned, Base):
    """One workflow entity instance (or plan item) with its current state."""

    __tablename__ = "steer_object"
    __table_args__ = (
        Index("ix_steer_object_entity_territory", "entity", "territory"),
        Index("ix_steer_object_parent_id", "parent_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(64))
    territory: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(64))
    #: The object this one was created from: the need of a technical assignment, the technical assignment
    #: of a project, the project of a funding commitment or dissemination action.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("steer_object.id"))
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __mapper_args__: dict[str, Any] = {"version_id_col": Versioned.version}  # noqa: RUF012


class AuditRecord(Base):
    """One recorded transition (or field edit) of a workflow object. Append-only."""

    __tablename__ = "steer_audit"
    __table_args__ = (
        Index("ix_steer_audit_object_id", "object_id"),
        Index("ix_steer_audit_transition_effective_on", "transition_id", "effective_on"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    effective_on: Mapped[dt.date] = mapped_column(Date)
    object_id: Mapped[int] = mapped_column(ForeignKey("steer_object.id"))
    entity: Mapped[str] = mapped_column(String(64))
    territory: Mapped[str] = mapped_column(String(64))
    #: The transition id of the data (``TA-3``), or ``EDIT`` for a change of fields without a change of state.
    transition_id: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(64))
    to_state: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    actor_region: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditIsAppendOnly(RuntimeError):
    """Raised by the ORM when code tries to update or delete an :class:`AuditRecord`."""


@event.listens_for(AuditRecord, "before_update")
def _refuse_update(_mapper: Mapper[Any], _connection: Any, target: AuditRecord) -> None:
    # The database triggers of migration 0100 refuse raw SQL too; this catches ORM use before the round trip.
    raise AuditIsAppendOnly(f"steer_audit is append-only: record {target.id} cannot be changed")


@event.listens_for(AuditRecord, "before_delete")
def _refuse_delete(_mapper: Mapper[Any], _connection: Any, target: AuditRecord) -> None:
    raise AuditIsAppendOnly(f"steer_audit is append-only: record {target.id} cannot be deleted")
