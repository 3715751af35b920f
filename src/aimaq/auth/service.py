"""Accounts, role grants scoped to territories, login sessions in the database, permission checks, the
public-read switch, version-checked record edits, and the audit log that records every one of these writes.

A tour (``tests/auth/test_service.py`` runs the same steps)::

    auth = Auth(store)                                   # a Store or an SQLAlchemy Engine
    auth.create_user("aigerim", "long enough secret", actor="cli:root")
    auth.grant("aigerim", "akimat", "karaganda", actor="cli:root")
    token, user = auth.login("aigerim", "long enough secret")     # the cookie value and the Principal
    user = auth.validate_session(token)                  # any app worker: the session is in the database
    auth.require(user, "edit_data", "temirtau")          # inside Karaganda region: allowed
    auth.update_observation(user, "temirtau", "gerd_internal", "2020", value=12.5, expected_version=1)
    auth.audit(user="aigerim")                           # who, when, what, old -> new

Design notes
------------
- Passwords are hashed with argon2id (RFC 9106; ``argon2-cffi``'s ``PasswordHasher`` defaults, the RFC's
  second recommended option) and re-hashed on login when the parameters change. An unknown user name costs
  the same time as a wrong password (a dummy hash is verified), so timing does not reveal which names exist.
  After :attr:`Auth.max_failed` failed logins an account is locked for :attr:`Auth.lock_for` (OWASP
  Authentication Cheat Sheet, "Account lockout").
- The session token is 256 random bits (``secrets.token_urlsafe(32)``); the database keeps its SHA-256 only,
  so a copy of the database lets no one log in. Sessions expire absolutely after ``session_ttl``; checking a
  session writes nothing, so reads stay reads. A password reset or deactivation ends every session of the
  user.
- What each role may do is data: ``auth/data/permissions.csv`` (see its ``.md`` note). A grant is national
  (``territory`` None) or for one territory and everything inside it (the ``parent`` chain) and its
  predecessors (territories whose ``successor`` names it).
- Every write of this module appends an :class:`~aimaq.auth.models.AuditEntry` in the same transaction as the
  write, through :func:`record`, which other parts call for their own writes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import math
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, Table, delete, func, select, true, update
from sqlalchemy.orm import Session

from aimaq.auth.errors import AuthError, ConflictError, PermissionDenied
from aimaq.auth.models import ROLES, AuditEntry, LoginSession, RoleGrant, Setting, User
from aimaq.store import db
from aimaq.store.models import Observation, Territory

__all__ = [
    "PERMISSIONS_FILE",
    "Auth",
    "Grant",
    "Permission",
    "Principal",
    "check_password",
    "load_permissions",
    "record",
    "versioned_update",
]

PERMISSIONS_FILE = Path(__file__).with_name("data") / "permissions.csv"
#: Roles that always act for one territory (as in ``steering/workflow.py``, ``REGION_BOUND_ROLES``).
TERRITORY_BOUND_ROLES: frozenset[str] = frozenset({"council", "akimat"})
#: Minimum password length: NIST SP 800-63B-4, section 3.1.1.2, asks at least 8 and recommends more; 10
#: keeps a lower bound that passphrases meet easily.
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes for ``DateTime(timezone=True)``; aimaq writes UTC, so say so."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def _jsonable(value: Any) -> Any:
    """A value as plain JSON (dates as ISO strings, NaN as None), for the audit log's old/new columns.

    Examples
    --------
    >>> _jsonable({"when": dt.date(2020, 1, 2), "v": float("nan"), "xs": (1, 2.5)})
    {'when': '2020-01-02', 'v': None, 'xs': [1, 2.5]}
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dt.datetime):
        return _aware(value).isoformat()  # type: ignore[union-attr]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # NumPy scalars
        return _jsonable(value.item())
    return str(value)


# ---------------------------------------------------------------------------------------------- permissions
@dataclass(frozen=True)
class Permission:
    """One row of the role matrix: the action, whether it is about one territory, and the roles allowed."""

    action: str
    scope: str
    roles: frozenset[str]
    description: str


@functools.cache
def load_permissions(path: Path = PERMISSIONS_FILE) -> dict[str, Permission]:
    """Read the role matrix (``auth/data/permissions.csv``), checking every cell; all problems at once.

    Raises
    ------
    ValueError
        Naming the file, row and column of every bad cell.

    Examples
    --------
    >>> sorted(load_permissions()["edit_data"].roles)
    ['academy', 'administrator', 'akimat']
    """
    problems: list[str] = []
    out: dict[str, Permission] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("action", "scope", *ROLES) if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path.name}, row 1: missing column(s) {', '.join(missing)}")
        for number, row in enumerate(reader, start=2):
            action = (row["action"] or "").strip()
            if not action or action in out:
                problems.append(
                    f'{path.name}, row {number}, column "action": {action!r} is empty or repeated'
                )
            if row["scope"] not in ("global", "territory"):
                problems.append(
                    f'{path.name}, row {number}, column "scope": {row["scope"]!r}; write global or territory'
                )
            bad = [r for r in ROLES if row[r] not in ("yes", "no")]
            problems.extend(
                f'{path.name}, row {number}, column "{r}": {row[r]!r}; write yes or no' for r in bad
            )
            roles = frozenset(r for r in ROLES if row[r] == "yes")
            out[action] = Permission(action, row["scope"], roles, row.get("description_en") or "")
    if problems:
        raise ValueError("\n".join(problems))
    return out


# ---------------------------------------------------------------------------------------------- principals
@dataclass(frozen=True)
class Grant:
    """A role, national (``territory`` None) or for one territory."""

    role: str
    territory: str | None = None

    def __str__(self) -> str:
        return self.role if self.territory is None else f"{self.role}@{self.territory}"


@dataclass(frozen=True)
class Principal:
    """A logged-in (or looked-up) user with their grants: what :meth:`Auth.require` checks.

    Examples
    --------
    >>> p = Principal(1, "aigerim", None, None, (Grant("akimat", "karaganda"),))
    >>> p.roles, str(p.grants[0])
    (('akimat',), 'akimat@karaganda')
    """

    id: int
    username: str
    display_name: str | None
    lang: str | None
    grants: tuple[Grant, ...]

    @property
    def roles(self) -> tuple[str, ...]:
        """The role codes, without repeats, in grant order."""
        return tuple(dict.fromkeys(g.role for g in self.grants))


def check_password(password: str, username: str = "") -> list[str]:
    """What is wrong with a new password (empty list: acceptable).

    NIST SP 800-63B-4 (3.1.1.2): a minimum length, no composition rules, and refuse values that are
    obviously guessable (here: the user name, and one repeated character).

    Examples
    --------
    >>> check_password("short")
    ['at least 10 characters (got 5)']
    >>> check_password("aaaaaaaaaaaa")
    ['not one character repeated']
    >>> check_password("a long passphrase")
    []
    """
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"at least {MIN_PASSWORD_LENGTH} characters (got {len(password)})")
    if password and len(set(password)) == 1:
        problems.append("not one character repeated")
    if username and password.strip().lower() == username.strip().lower():
        problems.append("not the user name")
    if len(password) > 1024:
        problems.append("at most 1024 characters")
    return problems


# ---------------------------------------------------------------------------------------------- audit
def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    key: str | None = None,
    old: Any = None,
    new: Any = None,
    territory: str | None = None,
    detail: str | None = None,
) -> AuditEntry:
    """Append one audit entry to the caller's open transaction (it commits or rolls back with the write).

    Parameters
    ----------
    session : Session
        The session of the write being recorded (from :func:`aimaq.store.db.write`).
    actor : str
        The user name, or ``cli:<os user>`` for the command line.
    action : str
        ``create``, ``update``, ``delete``, ``grant``, ``revoke``, ``login``, ... (at most 32 characters).
    entity, key : str
        The table or area written and the record's key (``observation``, ``karaganda/gerd_internal/2020``).
    old, new : any
        The record before and after, as JSON (dates become ISO strings, NaN becomes null).
    territory : str, optional
        The territory the record belongs to, so that a region's trail can be listed.
    detail : str, optional
        Free text (a reason, a file name).
    """
    if not actor or not action or not entity:
        raise ValueError("record(): actor, action and entity are required")
    entry = AuditEntry(
        at=_now(),
        actor=actor[:255],
        action=action[:32],
        entity=entity[:64],
        entity_key=None if key is None else str(key)[:255],
        territory=territory,
        old=_jsonable(old),
        new=_jsonable(new),
        detail=detail,
    )
    session.add(entry)
    session.flush()
    return entry


def versioned_update(
    session: Session,
    table: Table,
    where: Mapping[str, Any],
    expected_version: int,
    values: Mapping[str, Any],
    *,
    entity_key: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Update one row only if its ``version`` is still ``expected_version``; bump the version.

    The check and the write are one ``UPDATE ... WHERE version = :expected`` statement, so two writers who
    read the same version cannot both succeed, on any backend and any number of app workers (optimistic
    locking, as SQLAlchemy's ``version_id_col`` does for the ORM).

    Returns
    -------
    (old, new) : tuple of dict
        The row before and after.

    Raises
    ------
    ConflictError
        When the row is at another version (or is gone); nothing was written.
    AuthError
        ``not_found`` when no row matches ``where``.
    """
    cond = [table.c[k] == v for k, v in where.items()]
    old = session.execute(select(table).where(*cond)).mappings().first()
    if old is None:
        raise AuthError("not_found", f"{table.name} {entity_key}: no such record")
    result = session.execute(
        update(table)
        .where(*cond, table.c.version == expected_version)
        .values(**values, version=table.c.version + 1)
    )
    if result.rowcount != 1:
        found = session.execute(select(table.c.version).where(*cond)).scalar()
        raise ConflictError(table.name, entity_key, expected_version, found)
    new = session.execute(select(table).where(*cond)).mappings().one()
    return dict(old), dict(new)


# ---------------------------------------------------------------------------------------------- service
class Auth:
    """Users, grants, sessions, permissions and the audit log over one store database.

    Parameters
    ----------
    store : Store or Engine
        The aimaq store (its schema at migration ``0300_auth`` or newer).
    session_ttl : timedelta, default=12 hours
        How long a login lasts (absolute, from login).
    max_failed : int, default=10
        Failed logins in a row after which the account is locked.
    lock_for : timedelta, default=15 minutes
        How long a locked account stays locked.
    hasher : argon2.PasswordHasher, optional
        Tests pass a cheaper one; production uses the RFC 9106 defaults.
    """

    def __init__(
        self,
        store: Any,
        *,
        session_ttl: dt.timedelta = dt.timedelta(hours=12),
        max_failed: int = 10,
        lock_for: dt.timedelta = dt.timedelta(minutes=15),
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.engine: Engine = getattr(store, "engine", store)
        self.session_ttl = session_ttl
        self.max_failed = max_failed
        self.lock_for = lock_for
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None
        self.permissions = load_permissions()

    # ------------------------------------------------------------------ helpers
    def _write(self, fn: Any) -> Any:
        return db.write(self.engine, fn)

    def _user_row(self, session: Session, username: str) -> User:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise AuthError("unknown_user", f"no user {username!r}; `aimaq users list` shows the users")
        return user

    @staticmethod
    def _principal(session: Session, user: User) -> Principal:
        grants = session.execute(
            select(RoleGrant.role, RoleGrant.territory)
            .where(RoleGrant.user_id == user.id)
            .order_by(RoleGrant.id)
        ).all()
        return Principal(
            user.id, user.username, user.display_name, user.lang, tuple(Grant(r, t) for r, t in grants)
        )

    @staticmethod
    def _user_state(user: User) -> dict[str, Any]:
        # What the audit log shows of an account: never the password hash.
        return {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "lang": user.lang,
            "active": bool(user.active),
        }

    def _hash(self, password: str, username: str) -> str:
        problems = check_password(password, username)
        if problems:
            raise AuthError("weak_password", f"password for {username!r}: " + "; ".join(problems))
        return self.hasher.hash(password)

    # ------------------------------------------------------------------ users
    def create_user(
        self,
        username: str,
        password: str,
        *,
        actor: str,
        display_name: str | None = None,
        email: str | None = None,
        lang: str | None = None,
        grants: Iterable[Grant | tuple[str, str | None]] = (),
    ) -> Principal:
        """Create an account (and its grants) in one audited transaction.

        Raises
        ------
        AuthError
            ``bad_username``, ``duplicate_user``, ``weak_password``, or a grant's reason; nothing is written.
        """
        name = (username or "").strip().lower()
        if not _USERNAME.match(name):
            raise AuthError(
                "bad_username",
                f"user name {username!r}: 2-64 characters, lower-case latin letters, digits and . _ @ -, "
                "starting with a letter or digit",
            )
        if lang is not None and lang not in ("kk", "ru", "en"):
            raise AuthError("bad_value", f"lang {lang!r}: write kk, ru or en")
        hashed = self._hash(password, name)
        wanted = [g if isinstance(g, Grant) else Grant(*g) for g in grants]

        def run(session: Session) -> Principal:
            if session.scalar(select(User.id).where(User.username == name)) is not None:
                raise AuthError("duplicate_user", f"a user {name!r} exists; choose another name")
            now = _now()
            user = User(
                username=name,
                display_name=display_name,
                email=email,
                lang=lang,
                password_hash=hashed,
                active=True,
                failed_logins=0,
                created_at=now,
                password_changed_at=now,
            )
            session.add(user)
            session.flush()
            record(
                session,
                actor=actor,
                action="create",
                entity="auth_user",
                key=name,
                new=self._user_state(user),
            )
            for g in wanted:
                self._grant(session, user, g.role, g.territory, actor)
            return self._principal(session, user)

        return self._write(run)

    def user(self, username: str) -> Principal:
        """The account ``username`` with its grants (raises ``unknown_user``)."""
        with db.read(self.engine) as session:
            return self._principal(session, self._user_row(session, username))

    def users(self) -> pd.DataFrame:
        """Every account: ``username, display_name, email, lang, active, roles, created_at,
        password_changed_at, locked_until`` (``roles`` as ``akimat@karaganda; viewer``)."""
        columns = [
            "username", "display_name", "email", "lang", "active", "roles", "created_at",
            "password_changed_at", "locked_until",
        ]  # fmt: skip
        with db.read(self.engine) as session:
            users = session.scalars(select(User).order_by(User.username)).all()
            grants: dict[int, list[str]] = {}
            for uid, role, terr in session.execute(
                select(RoleGrant.user_id, RoleGrant.role, RoleGrant.territory).order_by(RoleGrant.id)
            ):
                grants.setdefault(uid, []).append(str(Grant(role, terr)))
            rows = [
                {
                    **self._user_state(u),
                    "roles": "; ".join(grants.get(u.id, [])),
                    "created_at": _aware(u.created_at),
                    "password_changed_at": _aware(u.password_changed_at),
                    "locked_until": _aware(u.locked_until),
                }
                for u in users
            ]
        return pd.DataFrame(rows, columns=columns)

    def reset_password(self, username: str, password: str, *, actor: str) -> None:
        """Set a new password, unlock the account and end every session of the user (audited)."""
        name = (username or "").strip().lower()
        hashed = self._hash(password, name)

        def run(session: Session) -> None:
            user = self._user_row(session, name)
            user.password_hash = hashed
            user.password_changed_at = _now()
            user.failed_logins = 0
            user.locked_until = None
            ended = session.execute(delete(LoginSession).where(LoginSession.user_id == user.id)).rowcount
            record(
                session, actor=actor, action="password", entity="auth_user", key=name,
                detail=f"password reset; {ended} session(s) ended",
            )  # fmt: skip

        self._write(run)

    def set_active(self, username: str, active: bool, *, actor: str) -> None:
        """Activate or deactivate an account; deactivating ends its sessions (audited)."""

        def run(session: Session) -> None:
            user = self._user_row(session, username)
            if not active:
                self._keep_an_administrator(session, user, "deactivate")
            old = self._user_state(user)
            user.active = bool(active)
            if not active:
                session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
            record(
                session, actor=actor, action="update", entity="auth_user", key=user.username,
                old=old, new=self._user_state(user),
            )  # fmt: skip

        self._write(run)

    @staticmethod
    def _keep_an_administrator(session: Session, user: User, what: str) -> None:
        """Refuse to take away the last active administrator: nobody could then manage users in the browser.

        Raises
        ------
        AuthError
            ``last_administrator`` when ``user`` is the only active account with the administrator role.
        """
        admins = set(
            session.scalars(
                select(User.id)
                .join(RoleGrant, RoleGrant.user_id == User.id)
                .where(RoleGrant.role == "administrator", User.active == true())
                .with_for_update(of=User)  # PostgreSQL: two administrators removing each other queue up
            )
        )
        if admins == {user.id}:
            raise AuthError(
                "last_administrator",
                f"cannot {what} {user.username}: the last active administrator; make another user "
                "administrator first",
            )

    # ------------------------------------------------------------------ grants
    def _grant(self, session: Session, user: User, role: str, territory: str | None, actor: str) -> None:
        if role not in ROLES:
            raise AuthError("unknown_role", f"role {role!r}: write one of {', '.join(ROLES)}")
        if role in TERRITORY_BOUND_ROLES and not territory:
            raise AuthError(
                "scope_required", f"role {role!r} acts for one territory: give its code (e.g. karaganda)"
            )
        if role == "administrator" and territory:
            raise AuthError("bad_value", "role 'administrator' is national: give no territory")
        if territory and session.get(Territory, territory) is None:
            raise AuthError(
                "unknown_territory",
                f"territory {territory!r} is not in the store; `aimaq territories` lists codes",
            )
        same = select(RoleGrant.id).where(
            RoleGrant.user_id == user.id,
            RoleGrant.role == role,
            RoleGrant.territory.is_(None) if territory is None else RoleGrant.territory == territory,
        )
        # The unique constraint does not stop two national grants on PostgreSQL (NULLs are distinct there).
        if session.scalar(same) is not None:
            raise AuthError("duplicate_grant", f"{user.username} already has {Grant(role, territory)}")
        session.add(
            RoleGrant(user_id=user.id, role=role, territory=territory, granted_at=_now(), granted_by=actor)
        )
        record(
            session, actor=actor, action="grant", entity="auth_role", key=user.username, territory=territory,
            new={"role": role, "territory": territory},
        )  # fmt: skip

    def grant(self, username: str, role: str, territory: str | None = None, *, actor: str) -> Principal:
        """Give ``username`` the ``role``, nationally or for ``territory`` (audited).

        Raises
        ------
        AuthError
            ``unknown_user``, ``unknown_role``, ``scope_required`` (council and akimat need a territory),
            ``unknown_territory``, ``duplicate_grant``.
        """

        def run(session: Session) -> Principal:
            user = self._user_row(session, username)
            self._grant(session, user, role, territory or None, actor)
            session.flush()
            return self._principal(session, user)

        return self._write(run)

    def revoke(self, username: str, role: str, territory: str | None = None, *, actor: str) -> Principal:
        """Take ``role`` (for ``territory``) away from ``username`` (audited; ``unknown_grant`` if absent)."""

        def run(session: Session) -> Principal:
            user = self._user_row(session, username)
            if role == "administrator":
                self._keep_an_administrator(session, user, "revoke the role of")
            cond = RoleGrant.territory.is_(None) if not territory else RoleGrant.territory == territory
            gone = session.execute(
                delete(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.role == role, cond)
            ).rowcount
            if not gone:
                raise AuthError(
                    "unknown_grant", f"{user.username} does not have {Grant(role, territory or None)}"
                )
            record(
                session, actor=actor, action="revoke", entity="auth_role", key=user.username,
                territory=territory or None, old={"role": role, "territory": territory or None},
            )  # fmt: skip
            return self._principal(session, user)

        return self._write(run)

    # ------------------------------------------------------------------ login and sessions
    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def authenticate(self, username: str, password: str, *, address: str | None = None) -> Principal:
        """Check a user name and password; count failures and lock the account after too many (audited).

        Raises
        ------
        AuthError
            ``bad_credentials`` (unknown name or wrong password: the same message for both), ``locked``,
            ``inactive``.
        """
        name = (username or "").strip().lower()[:64]
        with db.read(self.engine) as session:
            user = session.scalar(select(User).where(User.username == name))
            stored = None if user is None else (user.password_hash, _aware(user.locked_until), user.active)
        now = _now()
        if stored is not None and stored[1] is not None and stored[1] > now:
            # Spend the time a password check takes, so that timing does not tell a locked (existing)
            # account from an unknown name.
            with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
                self.hasher.verify(self._dummy(), password or "")
            raise AuthError(
                "locked", f"{name}: too many failed logins; try again after {stored[1]:%H:%M} UTC"
            )
        ok = False
        try:
            ok = self.hasher.verify(stored[0] if stored else self._dummy(), password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        ok = ok and stored is not None

        def run(session: Session) -> Principal | None:
            # FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers): two failed logins
            # at once must both count.
            row = session.scalar(select(User).where(User.username == name).with_for_update())
            if row is None or not ok:
                if row is not None:
                    failed = row.failed_logins + 1
                    locked = now + self.lock_for if failed >= self.max_failed else None
                    # Core UPDATE: a login counter is no edit of the account, so ``version`` stays.
                    session.execute(
                        update(User.__table__)
                        .where(User.__table__.c.id == row.id)
                        .values(failed_logins=0 if locked else failed, locked_until=locked)
                    )
                record(
                    session, actor=name or "?", action="login_failed", entity="auth_user", key=name,
                    detail=f"from {address}" if address else None,
                )  # fmt: skip
                return None
            if not row.active:
                record(
                    session,
                    actor=name,
                    action="login_failed",
                    entity="auth_user",
                    key=name,
                    detail="inactive",
                )
                return None
            values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
            if self.hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = self.hasher.hash(password)
            if row.failed_logins or row.locked_until is not None or "password_hash" in values:
                session.execute(update(User.__table__).where(User.__table__.c.id == row.id).values(**values))
            return self._principal(session, row)

        principal = self._write(run)
        if principal is None:
            if stored is not None and ok and not stored[2]:
                raise AuthError("inactive", f"{name}: the account is deactivated; ask an administrator")
            raise AuthError("bad_credentials", "unknown user name or wrong password")
        return principal

    @staticmethod
    def _token_id(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def create_session(
        self,
        user: Principal,
        *,
        user_agent: str | None = None,
        address: str | None = None,
        ttl: dt.timedelta | None = None,
    ) -> str:
        """Start a login session for ``user``; return the token for the cookie (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        now = _now()

        def run(session: Session) -> None:
            session.add(
                LoginSession(
                    id=self._token_id(token),
                    user_id=user.id,
                    created_at=now,
                    expires_at=now + (ttl or self.session_ttl),
                    user_agent=(user_agent or None) and user_agent[:512],
                    address=(address or None) and address[:64],
                )
            )
            record(
                session, actor=user.username, action="login", entity="auth_session", key=user.username,
                detail=f"from {address}" if address else None,
            )  # fmt: skip

        self._write(run)
        return token

    def login(
        self, username: str, password: str, *, user_agent: str | None = None, address: str | None = None
    ) -> tuple[str, Principal]:
        """:meth:`authenticate`, then :meth:`create_session`: ``(token, principal)``."""
        principal = self.authenticate(username, password, address=address)
        return self.create_session(principal, user_agent=user_agent, address=address), principal

    def validate_session(self, token: str | None, *, now: dt.datetime | None = None) -> Principal | None:
        """The user of a live session, or None (unknown, expired, account deactivated). Writes nothing."""
        if not isinstance(token, str) or not 20 <= len(token) <= 128:
            return None
        moment = now or _now()
        with db.read(self.engine) as session:
            found = session.execute(
                select(User, LoginSession.expires_at)
                .join(LoginSession, LoginSession.user_id == User.id)
                .where(LoginSession.id == self._token_id(token))
            ).first()
            if found is None:
                return None
            user, expires = found
            if not user.active or _aware(expires) <= moment:  # type: ignore[operator]
                return None
            return self._principal(session, user)

    def end_session(self, token: str) -> bool:
        """Log out: delete the session (audited). False if there was none."""

        def run(session: Session) -> bool:
            row = session.get(LoginSession, self._token_id(token))
            if row is None:
                return False
            user = session.get(User, row.user_id)
            session.delete(row)
            name = user.username if user else "?"
            record(session, actor=name, action="logout", entity="auth_session", key=name)
            return True

        return bool(token) and self._write(run)

    def expire_sessions(self, *, now: dt.datetime | None = None, actor: str = "system") -> int:
        """Delete sessions past their expiry; return how many (audited when any were deleted)."""
        moment = now or _now()

        def run(session: Session) -> int:
            gone = session.execute(delete(LoginSession).where(LoginSession.expires_at <= moment)).rowcount
            if gone:
                record(session, actor=actor, action="delete", entity="auth_session", detail=f"{gone} expired")
            return int(gone)

        return self._write(run)

    # ------------------------------------------------------------------ permissions
    def _territory_links(self) -> tuple[dict[str, str | None], dict[str, list[str]]]:
        with db.read(self.engine) as session:
            rows = session.execute(select(Territory.code, Territory.parent, Territory.successor)).all()
        parents = {code: parent for code, parent, _ in rows}
        successors = {
            code: [s.strip() for s in (succ or "").split(";") if s.strip()] for code, _, succ in rows
        }
        return parents, successors

    def covered(self, scope: str, territory: str) -> bool:
        """True when a grant for ``scope`` covers ``territory``: the same, inside it, or a predecessor of it.

        Walks ``territory``'s parent chain and, from each step, the successors (``east_kazakhstan_1997`` ->
        ``east_kazakhstan`` and ``abai``) with their parent chains.
        """
        parents, successors = self._territory_links()
        seen: set[str] = set()
        todo = [territory]
        while todo:
            code = todo.pop()
            if code in seen:
                continue
            seen.add(code)
            if code == scope:
                return True
            parent = parents.get(code)
            if parent:
                todo.append(parent)
            todo.extend(successors.get(code, []))
        return False

    def allowed(self, user: Principal | None, action: str, territory: str | None = None) -> bool:
        """Whether ``user`` may do ``action`` (on ``territory``); anonymous users only read, when public.

        Raises
        ------
        AuthError
            ``unknown_action`` for an action not in ``permissions.csv``.
        """
        perm = self.permissions.get(action)
        if perm is None:
            raise AuthError("unknown_action", f"action {action!r}: one of {', '.join(self.permissions)}")
        if user is None:
            return action == "read" and self.public_read
        for grant in user.grants:
            if grant.role not in perm.roles:
                continue
            if perm.scope == "global" or grant.territory is None:
                return True
            if territory is not None and self.covered(grant.territory, territory):
                return True
        return False

    def require(self, user: Principal | None, action: str, territory: str | None = None) -> None:
        """Raise :class:`PermissionDenied` unless :meth:`allowed`, naming the user, action and territory."""
        if self.allowed(user, action, territory):
            return
        who = (
            "anonymous visitors"
            if user is None
            else f"{user.username} ({', '.join(map(str, user.grants)) or 'no roles'})"
        )
        where = f" on {territory}" if territory else ""
        roles = ", ".join(sorted(self.permissions[action].roles))
        raise PermissionDenied(f"{who} may not {action}{where}; roles that may: {roles}")

    # ------------------------------------------------------------------ settings
    @property
    def public_read(self) -> bool:
        """Whether anonymous visitors may read published data and results (default: yes)."""
        with db.read(self.engine) as session:
            value = session.scalar(select(Setting.value).where(Setting.key == "public_read"))
        return True if value is None else bool(value)

    def set_public_read(self, on: bool, *, actor: str) -> None:
        """Switch public reading on or off (audited)."""

        def run(session: Session) -> None:
            row = session.get(Setting, "public_read")
            old = None if row is None else row.value
            if row is None:
                session.add(Setting(key="public_read", value=bool(on)))
            else:
                row.value = bool(on)
            record(
                session,
                actor=actor,
                action="update",
                entity="auth_setting",
                key="public_read",
                old=old,
                new=bool(on),
            )

        self._write(run)

    # ------------------------------------------------------------------ audited edits
    def update_observation(
        self,
        user: Principal,
        territory: str,
        indicator: str,
        period: str,
        *,
        expected_version: int,
        reason: str | None = None,
        **values: Any,
    ) -> int:
        """Edit one observation, if the user may edit that territory and nobody changed it meanwhile.

        Parameters
        ----------
        user : Principal
        territory, indicator, period : str
            The observation's key.
        expected_version : int
            The ``version`` the user saw (``Store.observations()`` lists it).
        reason : str, optional
            Written to the audit entry.
        **values
            Any of ``value``, ``value_text``, ``status``, ``comment``.

        Returns
        -------
        int
            The new version.

        Raises
        ------
        PermissionDenied
            Without ``edit_data`` on the territory (an akimat outside its region).
        ConflictError
            When the record is at another version; nothing was written.
        """
        allowed = {"value", "value_text", "status", "comment"}
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise AuthError(
                "bad_value", f"observation fields {unknown}: only {sorted(allowed)} can be edited"
            )
        self.require(user, "edit_data", territory)
        key = f"{territory}/{indicator}/{period}"
        table = Observation.__table__

        def run(session: Session) -> int:
            old, new = versioned_update(
                session, table, {"territory": territory, "indicator": indicator, "period": period},
                expected_version, values, entity_key=key,
            )  # fmt: skip
            shown = ("value", "value_text", "status", "comment", "version")
            record(
                session, actor=user.username, action="update", entity="observation", key=key,
                territory=territory, old={k: old[k] for k in shown}, new={k: new[k] for k in shown},
                detail=reason,
            )  # fmt: skip
            return int(new["version"])

        return self._write(run)

    # ------------------------------------------------------------------ reading the log
    @staticmethod
    def _moment(value: dt.datetime | dt.date | str, name: str) -> dt.datetime:
        """A datetime (a date means its start, UTC) from a datetime, date or ISO string."""
        moment = value
        if isinstance(moment, str):
            try:
                moment = dt.datetime.fromisoformat(moment)
            except ValueError as exc:
                raise AuthError(
                    "bad_value", f"{name} {value!r}: write a date (2026-11-23) or an ISO time"
                ) from exc
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time(), tzinfo=dt.UTC)
        return _aware(moment)  # type: ignore[return-value]

    def _audit_filters(
        self,
        since: dt.datetime | dt.date | str | None = None,
        until: dt.datetime | dt.date | str | None = None,
        user: str | None = None,
        entity: str | None = None,
        action: str | None = None,
        territory: str | None = None,
    ) -> list[Any]:
        a = AuditEntry
        where: list[Any] = []
        if since is not None:
            where.append(a.at >= self._moment(since, "since"))
        if until is not None:
            end = self._moment(until, "until")
            if not isinstance(until, dt.datetime) and not (isinstance(until, str) and "T" in until):
                end += dt.timedelta(days=1)  # a date "until" includes that whole day
            where.append(a.at < end)
        for column, value in (
            (a.actor, user),
            (a.entity, entity),
            (a.action, action),
            (a.territory, territory),
        ):
            if value is not None:
                where.append(column == value)
        return where

    def audit(
        self,
        *,
        since: dt.datetime | dt.date | str | None = None,
        user: str | None = None,
        entity: str | None = None,
        limit: int | None = None,
        until: dt.datetime | dt.date | str | None = None,
        action: str | None = None,
        territory: str | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> pd.DataFrame:
        """Audit entries, oldest first: ``id, at, actor, action, entity, entity_key, territory, old, new,
        detail``.

        Parameters
        ----------
        since : datetime, date or ISO string, optional
            Only entries at or after it (a date means its start, UTC).
        user : str, optional
            Only entries by this actor.
        entity : str, optional
            Only entries of this table or area (``auth_user``, ``observation``).
        limit : int, optional
            Only the newest ``limit`` entries (still listed oldest first).
        until : datetime, date or ISO string, optional
            Only entries before it (a date: up to the end of that day, UTC).
        action : str, optional
            Only entries of this action (``create``, ``grant``, ``login``...).
        territory : str, optional
            Only entries recorded for this territory.
        offset : int, default=0
            Skip the newest ``offset`` entries first (paging, with ``limit``).
        newest_first : bool, default=False
            List newest first (the web page's order).
        """
        a = AuditEntry
        stmt = select(
            a.id, a.at, a.actor, a.action, a.entity, a.entity_key, a.territory, a.old, a.new, a.detail
        ).where(*self._audit_filters(since, until, user, entity, action, territory))
        stmt = stmt.order_by(a.id.desc()).offset(max(int(offset), 0))
        if limit is not None:
            stmt = stmt.limit(limit)
        with db.read(self.engine) as session:
            rows = session.execute(stmt).mappings().all()
        ordered = rows if newest_first else list(reversed(rows))
        frame = pd.DataFrame([dict(r) for r in ordered], columns=list(stmt.selected_columns.keys()))
        frame["at"] = [_aware(v) for v in frame["at"]]
        return frame

    def last_logins(self) -> dict[str, dt.datetime]:
        """The time of each user's latest successful login, from the audit log (``login`` entries)."""
        a = AuditEntry
        stmt = select(a.actor, func.max(a.at)).where(a.action == "login").group_by(a.actor)
        with db.read(self.engine) as session:
            return {actor: _aware(at) for actor, at in session.execute(stmt)}  # type: ignore[misc]

    def count_audit(self, **filters: Any) -> int:
        """How many audit entries there are (matching ``since``, ``until``, ``user``, ``entity``, ``action``,
        ``territory``, as in :meth:`audit`)."""
        stmt = select(func.count()).select_from(AuditEntry).where(*self._audit_filters(**filters))
        with db.read(self.engine) as session:
            return int(session.scalar(stmt) or 0)
