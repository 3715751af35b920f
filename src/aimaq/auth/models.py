"""Users, role grants, sessions, settings and the append-only audit log, as SQLAlchemy 2 models.

Design (``docs/security.md``):

- :class:`User` holds an argon2id hash of the password (never the password), the count of failed logins and a
  lock time against password guessing, and a ``version`` for optimistic locking like the store's rows.
- :class:`RoleGrant` gives a user one role, either nationally (``territory`` NULL) or for one territory (an
  akimat or a regional science council acts for one region). What each role may do is data
  (``auth/data/permissions.csv``), read by :mod:`aimaq.auth.service`.
- :class:`LoginSession` is a login kept in the database, so that any app worker can check a cookie (the app
  holds no state). The table stores the SHA-256 of the token, never the token itself: a copy of the
  database does not let anyone log in.
- :class:`AuditEntry` is the append-only log: who, when, what, which entity, old -> new as JSON. The ORM
  refuses to update or delete one, and migration ``0300_auth`` adds triggers that refuse ``UPDATE`` and
  ``DELETE`` (and ``TRUNCATE`` on PostgreSQL) in the database itself, so raw SQL cannot edit it either.
- :class:`Setting` holds switches such as ``public_read`` (can anonymous visitors read published results).

The models live on the store's ``Base`` so that ``Store.reset`` and the autogenerate comparison cover them;
migration ``0300_auth`` imports this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from aimaq.store.models import Base, Versioned

__all__ = [
    "AUTH_TABLES",
    "ROLES",
    "AuditEntry",
    "AuditIsAppendOnly",
    "LoginSession",
    "RoleGrant",
    "Setting",
    "User",
]

#: Role codes. The five roles of issue 11 (administrator, Academy, regional science council, akimat, viewer)
#: plus the two further actors of the seed 001 workflow (``steering/workflow.py``: a central state body and
#: an executor), spelled as steering spells them so that a grant can become a steering ``Actor``.
ROLES: tuple[str, ...] = ("administrator", "academy", "council", "akimat", "state_body", "executor", "viewer")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class User(Versioned, Base):
    """A person who logs in: a unique user name, an argon2id password hash, whether the account is active."""

    __tablename__ = "auth_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    #: Preferred interface language (kk, ru or en).
    lang: Mapped[str | None] = mapped_column(String(8))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    __mapper_args__: dict[str, Any] = {"version_id_col": Versioned.version}  # noqa: RUF012


class RoleGrant(Base):
    """One role of one user, national (``territory`` NULL) or for one territory and everything inside it."""

    __tablename__ = "auth_role"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        UniqueConstraint("user_id", "role", "territory"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    territory: Mapped[str | None] = mapped_column(ForeignKey("territory.code"))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    granted_by: Mapped[str] = mapped_column(String(255))


class LoginSession(Base):
    """A login: the SHA-256 of the session token, its user, and when it expires."""

    __tablename__ = "auth_session"
    #: Hex SHA-256 of the token the browser holds; the token itself is never stored.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_agent: Mapped[str | None] = mapped_column(String(512))
    address: Mapped[str | None] = mapped_column(String(64))


class Setting(Versioned, Base):
    """A site-wide switch (``public_read``), its value as JSON."""

    __tablename__ = "auth_setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    __mapper_args__: dict[str, Any] = {"version_id_col": Versioned.version}  # noqa: RUF012


class AuditEntry(Base):
    """One recorded write: who, when, what (action), which entity and key, old -> new as JSON. Append-only."""

    __tablename__ = "auth_audit"
    __table_args__ = (
        Index("ix_auth_audit_at", "at"),
        Index("ix_auth_audit_entity_key", "entity", "entity_key"),
        Index("ix_auth_audit_actor", "actor"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: User name, or ``cli:<os user>`` for an administrator at the command line; not a foreign key, so the
    #: log outlives accounts.
    actor: Mapped[str] = mapped_column(String(255))
    #: What happened: ``create``, ``update``, ``delete``, ``grant``, ``revoke``, ``login``, ``login_failed``,
    #: ``logout``, ``password``, ``restore``, ...
    action: Mapped[str] = mapped_column(String(32))
    #: The table (``auth_user``, ``observation``) or area (``backup``) written.
    entity: Mapped[str] = mapped_column(String(64))
    entity_key: Mapped[str | None] = mapped_column(String(255))
    territory: Mapped[str | None] = mapped_column(String(64))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    detail: Mapped[str | None] = mapped_column(Text)


class AuditIsAppendOnly(RuntimeError):
    """Raised by the ORM when code tries to update or delete an :class:`AuditEntry`."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper: Mapper[Any], _connection: Any, target: AuditEntry) -> None:
    # The triggers of migration 0300 refuse raw SQL too; this stops ORM use before the round trip.
    raise AuditIsAppendOnly(f"auth_audit is append-only: entry {target.id} cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper: Mapper[Any], _connection: Any, target: AuditEntry) -> None:
    raise AuditIsAppendOnly(f"auth_audit is append-only: entry {target.id} cannot be deleted")


#: The auth tables in an order that respects foreign keys.
AUTH_TABLES: tuple[type[Base], ...] = (User, RoleGrant, LoginSession, Setting, AuditEntry)
