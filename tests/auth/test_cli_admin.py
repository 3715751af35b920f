"""The administration commands (aimaq.services.cli.admin) through Typer's test runner, on SQLite."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimaq.auth.service import Auth
from aimaq.services.cli.main import app
from aimaq.store.repository import Store

FIXTURE = Path(__file__).parents[1] / "store" / "fixtures" / "bundled"
runner = CliRunner()
PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    store = Store(url)
    store.init(bundled=FIXTURE)
    store.dispose()
    return url


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input, env={"COLUMNS": "220"})
    return result.exit_code, result.stdout, result.stderr


def test_users_create_list_grant_revoke_passwd(db: str) -> None:
    args = ("users", "create", "aigerim", "--role", "akimat@karaganda", "--lang", "kk", "--db", db)
    code, out, err = run(*args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0, err
    assert "user aigerim created: akimat@karaganda" in out
    assert PASSWORD not in out
    code, out, _ = run("users", "grant", "aigerim", "viewer", "--db", db)
    assert code == 0 and "akimat@karaganda, viewer" in out
    code, out, _ = run("users", "list", "--json", "--db", db)
    users = json.loads(out)
    assert [(u["username"], u["roles"], u["lang"]) for u in users] == [
        ("aigerim", "akimat@karaganda; viewer", "kk")
    ]
    code, out, _ = run("users", "revoke", "aigerim", "viewer", "--db", db)
    assert code == 0 and out.strip().endswith("now has akimat@karaganda")
    code, out, _ = run(
        "users", "passwd", "aigerim", "--password-stdin", "--db", db, input="a new long secret\n"
    )
    assert code == 0 and "sessions were ended" in out
    assert Auth(Store(db)).authenticate("aigerim", "a new long secret").username == "aigerim"
    code, out, _ = run("users", "list", "--db", db)
    assert code == 0 and "aigerim" in out and "akimat@karaganda" in out
    auth = Auth(Store(db))
    auth.create_session(auth.user("aigerim"), ttl=dt.timedelta(seconds=-1))
    code, out, _ = run("users", "expire-sessions", "--db", db)
    assert code == 0 and out.strip() == "aimaq: 1 expired session(s) deleted"


def test_refusals_exit_2_with_a_message(db: str) -> None:
    code, _, err = run("users", "create", "aigerim", "--password-stdin", "--db", db, input="short\n")
    assert code == 2 and "at least 10 characters (got 5) [weak_password]" in err
    code, _, err = run("users", "grant", "nobody", "viewer", "--db", db)
    assert code == 2 and "no user 'nobody'" in err
    run("users", "create", "bolat", "--password-stdin", "--db", db, input=f"{PASSWORD}\n")
    code, _, err = run("users", "grant", "bolat", "akimat", "--db", db)
    assert code == 2 and "[scope_required]" in err
    code, _, err = run("audit", "list", "--since", "last week", "--db", db)
    assert code == 2 and "write a date" in err
    code, _, err = run("users", "list", "--db", "sqlite:///" + str(Path(db[10:]).with_name("none.sqlite")))
    assert code == 2 and "run `aimaq init` first" in err


def test_public_read_switch_and_audit_list(db: str) -> None:
    code, out, _ = run("users", "public-read", "--db", db)
    assert out.strip() == "aimaq: public reading is on"
    code, out, _ = run("users", "public-read", "off", "--db", db)
    assert code == 0 and out.strip() == "aimaq: public reading is off"
    run("users", "create", "bolat", "--password-stdin", "--db", db, input=f"{PASSWORD}\n")
    run("users", "disable", "bolat", "--db", db)
    code, out, _ = run("audit", "list", "--json", "--db", db)
    entries = json.loads(out)
    assert [(e["action"], e["entity"]) for e in entries] == [
        ("update", "auth_setting"),
        ("create", "auth_user"),
        ("update", "auth_user"),
    ]
    assert all(e["actor"].startswith("cli") for e in entries)
    assert entries[-1]["old"]["active"] is True and entries[-1]["new"]["active"] is False
    code, out, _ = run("audit", "list", "--entity", "auth_user", "--since", "2000-01-01", "--db", db)
    assert code == 0 and "auth_user" in out and "auth_setting" not in out and '"active": false' in out


def test_backup_and_restore_commands(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMAQ_HOME", str(tmp_path / "home"))
    code, out, _ = run("backup", str(tmp_path / "b.zip"), "--db", db)
    assert code == 0 and "backup written: b.zip: " in out
    run("users", "create", "after.backup", "--password-stdin", "--db", db, input=f"{PASSWORD}\n")
    code, out, _ = run("restore", str(tmp_path / "b.zip"), "--db", db, input="n\n")
    assert code == 2 and Auth(Store(db)).users()["username"].tolist() == ["after.backup"]
    code, out, err = run("restore", str(tmp_path / "b.zip"), "--yes", "--db", db)
    assert code == 0, err
    assert "the current contents were saved first" in out and "restored b.zip" in out
    assert Auth(Store(db)).users().empty
    assert len(list((tmp_path / "home" / "backups").glob("before-restore-*.zip"))) == 1
    code, _, err = run("restore", str(tmp_path / "missing.zip"), "--yes", "--db", db)
    assert code == 2 and "no such file" in err
