"""Administration commands: ``aimaq users ...``, ``aimaq audit list``, ``aimaq backup``, ``aimaq restore``.

Thin layers over :class:`aimaq.auth.service.Auth` and :mod:`aimaq.store.backup`. Whoever runs them at the
command line holds the database credentials and so acts as administrator; the audit log records them as
``cli:<operating-system user>``. Every command takes ``--db URL`` (default ``$AIMAQ_DATABASE_URL``, else
``$AIMAQ_HOME/aimaq.sqlite``). Refusals exit with status 2 and a message naming what to fix, never a
traceback. Passwords are read from a hidden prompt (typed twice) or, for scripts, from standard input with
``--password-stdin``; never from an argument, which would land in the shell history and the process list.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from aimaq.auth.errors import AuthError
from aimaq.auth.service import Auth, Grant
from aimaq.store import db as store_db
from aimaq.store.backup import BackupError, backup, read_manifest, restore
from aimaq.store.repository import Store

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store URL (sqlite:///path or postgresql+psycopg://user@host/db); default $AIMAQ_DATABASE_URL, "
        "else $AIMAQ_HOME/aimaq.sqlite.",
    ),
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

users_app = typer.Typer(name="users", help="User accounts, passwords and roles.", no_args_is_help=True)
audit_app = typer.Typer(name="audit", help="The append-only audit log of every write.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``users``, ``audit``, ``backup`` and ``restore`` to the aimaq app."""
    for name, fn in (
        ("create", users_create),
        ("list", users_list),
        ("passwd", users_passwd),
        ("grant", users_grant),
        ("revoke", users_revoke),
        ("disable", users_disable),
        ("enable", users_enable),
        ("public-read", users_public_read),
        ("expire-sessions", users_expire_sessions),
    ):
        users_app.command(name)(fn)
    audit_app.command("list")(audit_list)
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)


# ---------------------------------------------------------------------------------------------- helpers
def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in a bare container
        return "cli"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"aimaq: {message}", err=True)
    return typer.Exit(code=2)


@contextmanager
def _handled() -> Iterator[None]:
    try:
        yield
    except (AuthError, BackupError) as exc:
        raise _fail(str(exc)) from None


def _auth(db: str | None) -> Auth:
    store = Store(db)
    if store_db.current_revision(store.engine) is None:
        raise _fail(f"the store {store.url} is empty; run `aimaq init` first.")
    if store_db.current_revision(store.engine) != store_db.head_revision():
        raise _fail(f"the store {store.url} has an older schema; run `aimaq init` to upgrade it.")
    return Auth(store)


def _password(stdin: bool, prompt: str = "Password") -> str:
    if stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))


def _grant(spec: str) -> Grant:
    role, _, territory = spec.partition("@")
    return Grant(role.strip(), territory.strip() or None)


def _print_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*["" if row.get(c) is None else str(row[c]) for c in columns])
    Console(soft_wrap=False).print(table)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------- users
def users_create(
    username: Annotated[str, typer.Argument(help="Log-in name: lower-case latin letters, digits, . _ @ -.")],
    name: Annotated[str | None, typer.Option("--name", help="Display name (any script).")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    lang: Annotated[str | None, typer.Option(help="Interface language: kk, ru or en.")] = None,
    role: Annotated[
        list[str] | None,
        typer.Option("--role", help="ROLE or ROLE@TERRITORY, repeatable: --role akimat@karaganda."),
    ] = None,
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
) -> None:
    """Create a user account (with roles). Example: `aimaq users create aigerim --role akimat@karaganda`."""
    auth = _auth(db)
    password = _password(password_stdin)
    with _handled():
        user = auth.create_user(
            username,
            password,
            actor=_actor(),
            display_name=name,
            email=email,
            lang=lang,
            grants=[_grant(r) for r in role or []],
        )
    roles = ", ".join(map(str, user.grants)) or "no roles yet (aimaq users grant)"
    typer.echo(f"aimaq: user {user.username} created: {roles}")


def users_list(json_out: JsonOption = False, db: DbOption = None) -> None:
    """List the user accounts with their roles."""
    frame = _auth(db).users()
    rows = frame.to_dict(orient="records")
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False, default=_json_default, indent=1))
        return
    _print_table(rows, ["username", "display_name", "roles", "active", "lang", "locked_until"])


def users_passwd(
    username: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
) -> None:
    """Set a new password (also unlocks the account and logs it out everywhere)."""
    auth = _auth(db)
    password = _password(password_stdin, "New password")
    with _handled():
        auth.reset_password(username, password, actor=_actor())
    typer.echo(f"aimaq: password of {username} changed; its sessions were ended")


def users_grant(
    username: Annotated[str, typer.Argument(help="The account.")],
    role: Annotated[
        str, typer.Argument(help="administrator, academy, council, akimat, state_body, executor, viewer.")
    ],
    territory: Annotated[
        str | None, typer.Option("--territory", "-t", help="Territory code; required for council and akimat.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Give a user a role, nationally or for one territory (and what lies inside it)."""
    with _handled():
        user = _auth(db).grant(username, role, territory, actor=_actor())
    typer.echo(f"aimaq: {user.username} now has {', '.join(map(str, user.grants))}")


def users_revoke(
    username: Annotated[str, typer.Argument(help="The account.")],
    role: Annotated[str, typer.Argument(help="The role to take away.")],
    territory: Annotated[str | None, typer.Option("--territory", "-t", help="The grant's territory.")] = None,
    db: DbOption = None,
) -> None:
    """Take a role away from a user."""
    with _handled():
        user = _auth(db).revoke(username, role, territory, actor=_actor())
    typer.echo(f"aimaq: {user.username} now has {', '.join(map(str, user.grants)) or 'no roles'}")


def users_disable(username: Annotated[str, typer.Argument(help="The account.")], db: DbOption = None) -> None:
    """Deactivate an account (it cannot log in; its sessions end). The account and its audit trail stay."""
    with _handled():
        _auth(db).set_active(username, False, actor=_actor())
    typer.echo(f"aimaq: {username} deactivated")


def users_enable(username: Annotated[str, typer.Argument(help="The account.")], db: DbOption = None) -> None:
    """Reactivate an account."""
    with _handled():
        _auth(db).set_active(username, True, actor=_actor())
    typer.echo(f"aimaq: {username} activated")


def users_public_read(
    state: Annotated[
        str | None, typer.Argument(help="on or off; without it, show the current state.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Show or switch whether anonymous visitors may read published data and results."""
    auth = _auth(db)
    if state is not None:
        if state not in ("on", "off"):
            raise typer.BadParameter(f"{state!r}: write on or off", param_hint="STATE")
        auth.set_public_read(state == "on", actor=_actor())
    typer.echo(f"aimaq: public reading is {'on' if auth.public_read else 'off'}")


def users_expire_sessions(db: DbOption = None) -> None:
    """Delete login sessions past their expiry (run daily from cron or a systemd timer)."""
    with _handled():
        gone = _auth(db).expire_sessions(actor=_actor())
    typer.echo(f"aimaq: {gone} expired session(s) deleted")


# ---------------------------------------------------------------------------------------------- audit
def audit_list(
    since: Annotated[
        str | None, typer.Option(help="Only entries at or after this date or time (2026-11-23, UTC).")
    ] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only entries by this actor.")] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only entries of this table or area (auth_user, observation, backup).")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the newest N entries.")] = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List audit entries, oldest first: who, when, what, which record, old -> new."""
    with _handled():
        frame = _auth(db).audit(since=since, user=user, entity=entity, limit=limit)
    rows = frame.to_dict(orient="records")
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False, default=_json_default, indent=1))
        return
    for row in rows:
        row["at"] = row["at"].strftime("%Y-%m-%d %H:%M:%S")
        change = []
        if row["old"] is not None:
            change.append(json.dumps(row["old"], ensure_ascii=False, default=_json_default))
        if row["new"] is not None:
            change.append(json.dumps(row["new"], ensure_ascii=False, default=_json_default))
        row["change"] = " -> ".join(change)
    _print_table(
        rows, ["id", "at", "actor", "action", "entity", "entity_key", "territory", "change", "detail"]
    )


# ---------------------------------------------------------------------------------------------- backups
def backup_cmd(
    file: Annotated[Path, typer.Argument(help="The archive to write (.zip).")],
    db: DbOption = None,
) -> None:
    """Write the whole store to a portable archive, restorable on SQLite or PostgreSQL."""
    store = Store(db)
    with _handled():
        report = backup(store, file)
    typer.echo(f"aimaq: backup written: {report.summary()}")


def restore_cmd(
    file: Annotated[Path, typer.Argument(help="An archive written by `aimaq backup`.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask before replacing the store's contents.")
    ] = False,
    safety: Annotated[
        bool,
        typer.Option(
            "--safety-backup/--no-safety-backup",
            help="First back up the current contents to $AIMAQ_HOME/backups/before-restore-<time>.zip.",
        ),
    ] = True,
    db: DbOption = None,
) -> None:
    """Replace the store's contents with an archive, in one transaction (all or nothing)."""
    store = Store(db)
    with _handled():
        read_manifest(file)  # a missing or foreign file is refused before anything else happens
    if not yes and not typer.confirm(f"Replace everything in {store.url} with {file.name}?"):
        raise _fail("restore cancelled; nothing was written")
    with _handled():
        if safety and store_db.current_revision(store.engine) is not None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = backup(store, store_db.home() / "backups" / f"before-restore-{stamp}.zip")
            typer.echo(f"aimaq: the current contents were saved first: {kept.path}")
        report = restore(store, file, actor=_actor())
    typer.echo(f"aimaq: restored {report.summary()}")
