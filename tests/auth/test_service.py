"""Users, grants, logins, sessions, the role matrix, public reading, audited edits with optimistic locking."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from aimaq.auth.errors import AuthError, ConflictError, PermissionDenied
from aimaq.auth.models import AuditEntry, LoginSession, User
from aimaq.auth.service import Auth, Grant, check_password, load_permissions
from aimaq.store.repository import Store

from .conftest import ADMIN, CHEAP, PASSWORD


def _reason(exc: pytest.ExceptionInfo[AuthError]) -> str:
    return exc.value.reason


# --------------------------------------------------------------------------------------------- accounts
def test_create_user_stores_an_argon2id_hash_not_the_password(store: Store) -> None:
    auth = Auth(store)  # the production hasher
    auth.create_user("Aigerim", PASSWORD, actor=ADMIN, display_name="Айгерим", lang="kk")
    with store.engine.connect() as conn:
        name, hashed = conn.execute(text("SELECT username, password_hash FROM auth_user")).one()
    assert name == "aigerim"  # user names are case-insensitive, stored lower-case
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert auth.authenticate("AIGERIM", PASSWORD).username == "aigerim"


def test_create_user_refuses_bad_names_weak_passwords_and_duplicates(auth: Auth, store: Store, dump) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    before = dump(store)
    entries = auth.count_audit()
    with pytest.raises(AuthError, match="2-64 characters") as e:
        auth.create_user("x", PASSWORD, actor=ADMIN)
    assert _reason(e) == "bad_username"
    with pytest.raises(AuthError, match="at least 10 characters") as e:
        auth.create_user("bolat", "short", actor=ADMIN)
    assert _reason(e) == "weak_password"
    with pytest.raises(AuthError, match="not the user name"):
        auth.create_user("bolat.s", "Bolat.S", actor=ADMIN)
    with pytest.raises(AuthError, match="exists") as e:
        auth.create_user("AIGERIM", PASSWORD, actor=ADMIN)
    assert _reason(e) == "duplicate_user"
    with pytest.raises(AuthError, match="karagandy") as e:  # a bad grant rolls the new user back too
        auth.create_user("bolat", PASSWORD, actor=ADMIN, grants=[Grant("akimat", "karagandy")])
    assert _reason(e) == "unknown_territory"
    assert dump(store) == before
    assert auth.count_audit() == entries


def test_check_password_lists_every_problem() -> None:
    assert check_password("aaaa") == ["at least 10 characters (got 4)", "not one character repeated"]
    assert check_password("x" * 2000)[-1] == "at most 1024 characters"


def test_login_session_round_trip_and_logout(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN, grants=[("akimat", "karaganda")])
    token, user = auth.login("aigerim", PASSWORD, user_agent="pytest", address="127.0.0.1")
    assert user.grants == (Grant("akimat", "karaganda"),)
    # Another worker (another Auth over the same database) sees the same session.
    other = Auth(auth.engine, hasher=CHEAP)
    assert other.validate_session(token) == user
    assert other.validate_session(token + "x") is None
    assert other.validate_session(None) is None
    assert auth.end_session(token) is True
    assert auth.validate_session(token) is None
    assert auth.end_session(token) is False
    actions = auth.audit(user="aigerim")["action"].tolist()
    assert actions == ["login", "logout"]


def test_the_database_keeps_only_a_hash_of_the_session_token(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    token, _ = auth.login("aigerim", PASSWORD)
    with auth.engine.connect() as conn:
        ids = conn.execute(select(LoginSession.id)).scalars().all()
    assert len(ids) == 1 and token not in ids[0] and len(ids[0]) == 64


def test_sessions_expire_and_are_purged(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    user = auth.user("aigerim")
    short = auth.create_session(user, ttl=dt.timedelta(minutes=5))
    long = auth.create_session(user)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    assert auth.validate_session(short, now=later) is None
    assert auth.validate_session(long, now=later) == user
    assert auth.expire_sessions(now=later) == 1
    assert auth.validate_session(long) == user
    assert auth.audit(entity="auth_session")["detail"].tolist()[-1] == "1 expired"


def test_wrong_password_and_unknown_user_give_the_same_error(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    with pytest.raises(AuthError) as wrong:
        auth.authenticate("aigerim", "not the password")
    with pytest.raises(AuthError) as unknown:
        auth.authenticate("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == "unknown user name or wrong password [bad_credentials]"
    log = auth.audit(entity="auth_user")
    assert log["action"].tolist()[-2:] == ["login_failed", "login_failed"]
    assert log["entity_key"].tolist()[-2:] == ["aigerim", "nobody"]


def test_account_locks_after_repeated_failures_and_reset_unlocks(store: Store) -> None:
    auth = Auth(store, hasher=CHEAP, max_failed=3, lock_for=dt.timedelta(minutes=15))
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    for _ in range(3):
        with pytest.raises(AuthError, match="bad_credentials"):
            auth.authenticate("aigerim", "guess guess guess")
    with pytest.raises(AuthError) as e:  # even the right password is refused while locked
        auth.authenticate("aigerim", PASSWORD)
    assert _reason(e) == "locked"
    auth.reset_password("aigerim", "a brand new passphrase", actor=ADMIN)
    assert auth.authenticate("aigerim", "a brand new passphrase").username == "aigerim"
    with pytest.raises(AuthError, match="bad_credentials"):
        auth.authenticate("aigerim", PASSWORD)


def test_password_reset_and_deactivation_end_sessions(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    token, _ = auth.login("aigerim", PASSWORD)
    auth.reset_password("aigerim", "another long secret", actor=ADMIN)
    assert auth.validate_session(token) is None
    token, _ = auth.login("aigerim", "another long secret")
    auth.set_active("aigerim", False, actor=ADMIN)
    assert auth.validate_session(token) is None
    with pytest.raises(AuthError) as e:
        auth.authenticate("aigerim", "another long secret")
    assert _reason(e) == "inactive"
    entry = auth.audit(entity="auth_user").iloc[-2]
    assert (entry["action"], entry["old"]["active"], entry["new"]["active"]) == ("update", True, False)


def test_login_rehashes_when_the_hash_parameters_change(store: Store) -> None:
    Auth(store, hasher=CHEAP).create_user("aigerim", PASSWORD, actor=ADMIN)
    stronger = PasswordHasher(time_cost=2, memory_cost=128, parallelism=1)
    Auth(store, hasher=stronger).authenticate("aigerim", PASSWORD)
    with store.engine.connect() as conn:
        hashed = conn.execute(select(User.password_hash)).scalar_one()
    assert "m=128,t=2" in hashed


# --------------------------------------------------------------------------------------------- grants
def test_grant_and_revoke_are_checked_and_audited(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    with pytest.raises(AuthError, match="acts for one territory") as e:
        auth.grant("aigerim", "akimat", actor=ADMIN)
    assert _reason(e) == "scope_required"
    with pytest.raises(AuthError, match="one of administrator") as e:
        auth.grant("aigerim", "mayor", actor=ADMIN)
    assert _reason(e) == "unknown_role"
    with pytest.raises(AuthError, match="national"):
        auth.grant("aigerim", "administrator", "karaganda", actor=ADMIN)
    auth.grant("aigerim", "viewer", actor=ADMIN)
    with pytest.raises(AuthError) as e:  # twice nationally: refused on PostgreSQL too, where NULLs differ
        auth.grant("aigerim", "viewer", actor=ADMIN)
    assert _reason(e) == "duplicate_grant"
    p = auth.grant("aigerim", "akimat", "karaganda", actor=ADMIN)
    assert p.grants == (Grant("viewer"), Grant("akimat", "karaganda"))
    assert str(p.grants[1]) == "akimat@karaganda"
    p = auth.revoke("aigerim", "viewer", actor=ADMIN)
    assert p.grants == (Grant("akimat", "karaganda"),)
    with pytest.raises(AuthError) as e:
        auth.revoke("aigerim", "viewer", actor=ADMIN)
    assert _reason(e) == "unknown_grant"
    log = auth.audit(entity="auth_role")
    assert log["action"].tolist() == ["grant", "grant", "revoke"]
    assert log["new"].tolist()[1] == {"role": "akimat", "territory": "karaganda"}
    assert set(log["actor"]) == {ADMIN}


def test_users_lists_accounts_with_their_roles(auth: Auth) -> None:
    auth.create_user("bolat", PASSWORD, actor=ADMIN, grants=[("academy", None)])
    auth.create_user("aigerim", PASSWORD, actor=ADMIN, grants=[("akimat", "karaganda"), ("viewer", None)])
    users = auth.users()
    assert users["username"].tolist() == ["aigerim", "bolat"]
    assert users["roles"].tolist() == ["akimat@karaganda; viewer", "academy"]
    assert "password_hash" not in users.columns


# --------------------------------------------------------------------------------------------- permissions
def test_role_matrix_is_read_from_data_and_checked(tmp_path: Path) -> None:
    perms = load_permissions()
    assert perms["manage_users"].roles == frozenset({"administrator"})
    assert perms["edit_data"].scope == "territory"
    bad = tmp_path / "permissions.csv"
    head = "action,scope,administrator,academy,council,akimat,state_body,executor,viewer\n"
    bad.write_text(head + "read,everywhere,yes,yes,yes,yes,yes,yes,maybe\n", encoding="utf-8")
    with pytest.raises(ValueError) as e:
        load_permissions(bad)
    assert str(e.value).splitlines() == [
        "permissions.csv, row 2, column \"scope\": 'everywhere'; write global or territory",
        "permissions.csv, row 2, column \"viewer\": 'maybe'; write yes or no",
    ]


def test_akimat_edits_only_its_region_and_what_lies_inside(auth: Auth) -> None:
    akimat = auth.create_user("aigerim", PASSWORD, actor=ADMIN, grants=[("akimat", "karaganda")])
    assert auth.allowed(akimat, "edit_data", "karaganda")
    assert auth.allowed(akimat, "edit_data", "satpayev")  # a monotown of Karaganda region
    assert not auth.allowed(akimat, "edit_data", "almaty")
    assert not auth.allowed(akimat, "edit_data", None)  # a national edit needs a national grant
    assert auth.allowed(akimat, "read")  # global actions ignore the territory
    assert not auth.allowed(akimat, "manage_users")
    with pytest.raises(PermissionDenied) as e:
        auth.require(akimat, "edit_data", "almaty")
    assert str(e.value) == (
        "aigerim (akimat@karaganda) may not edit_data on almaty; roles that may: academy, administrator, "
        "akimat [permission_denied]"
    )
    with pytest.raises(AuthError, match="unknown_action"):
        auth.allowed(akimat, "launch_rockets")


def test_a_successor_region_covers_its_predecessor(auth: Auth) -> None:
    # East Kazakhstan before 2022 was split into East Kazakhstan and Abai (successor column).
    abai = auth.create_user("abai.akimat", PASSWORD, actor=ADMIN, grants=[("akimat", "abai")])
    assert auth.allowed(abai, "edit_data", "east_kazakhstan_1997")
    assert not auth.allowed(abai, "edit_data", "east_kazakhstan")


def test_national_roles_and_anonymous_visitors(auth: Auth) -> None:
    academy = auth.create_user("academy", PASSWORD, actor=ADMIN, grants=[("academy", None)])
    viewer = auth.create_user("viewer", PASSWORD, actor=ADMIN, grants=[("viewer", None)])
    admin = auth.create_user("admin", PASSWORD, actor=ADMIN, grants=[("administrator", None)])
    nobody = auth.create_user("nobody", PASSWORD, actor=ADMIN)
    assert auth.allowed(academy, "edit_data", "almaty") and auth.allowed(academy, "publish")
    assert not auth.allowed(viewer, "edit_data", "almaty") and auth.allowed(viewer, "read")
    assert not auth.allowed(viewer, "read_draft", "almaty")
    assert all(auth.allowed(admin, a, "almaty") for a in auth.permissions)
    assert not auth.allowed(nobody, "read")
    assert auth.public_read and auth.allowed(None, "read") and not auth.allowed(None, "read_draft", "almaty")
    auth.set_public_read(False, actor=ADMIN)
    assert not auth.public_read and not auth.allowed(None, "read")
    with pytest.raises(PermissionDenied, match="anonymous visitors may not read"):
        auth.require(None, "read")
    entry = auth.audit(entity="auth_setting").iloc[-1]
    assert (entry["old"], entry["new"], entry["entity_key"]) == (None, False, "public_read")


# --------------------------------------------------------------------------------------------- audited edits
def _obs(store: Store, territory: str) -> tuple[str, str, int]:
    obs = store.observations(territories=[territory])
    row = obs.iloc[0]
    return str(row["indicator"]), str(row["period"]), int(row["version"])


def test_update_observation_is_audited_old_to_new(auth: Auth, store: Store) -> None:
    akimat = auth.create_user("aigerim", PASSWORD, actor=ADMIN, grants=[("akimat", "karaganda")])
    indicator, period, version = _obs(store, "karaganda")
    old_value = store.observations(territories=["karaganda"], indicators=[indicator], periods=[period])
    new_version = auth.update_observation(
        akimat, "karaganda", indicator, period, value=123.5, expected_version=version, reason="typo"
    )
    assert new_version == version + 1
    after = store.observations(territories=["karaganda"], indicators=[indicator], periods=[period]).iloc[0]
    assert after["value"] == 123.5
    entry = auth.audit(entity="observation").iloc[-1]
    assert entry["actor"] == "aigerim" and entry["detail"] == "typo" and entry["territory"] == "karaganda"
    assert entry["entity_key"] == f"karaganda/{indicator}/{period}"
    assert entry["old"]["value"] == old_value.iloc[0]["value"] and entry["new"]["value"] == 123.5
    assert (entry["old"]["version"], entry["new"]["version"]) == (version, version + 1)


def test_update_observation_outside_the_region_is_refused_and_writes_nothing(
    auth: Auth, store: Store, dump
) -> None:
    akimat = auth.create_user("aigerim", PASSWORD, actor=ADMIN, grants=[("akimat", "karaganda")])
    indicator, period, version = _obs(store, "almaty")
    before, entries = dump(store), auth.count_audit()
    with pytest.raises(PermissionDenied):
        auth.update_observation(akimat, "almaty", indicator, period, value=1.0, expected_version=version)
    with pytest.raises(AuthError, match="only"):
        auth.update_observation(
            akimat, "karaganda", indicator, period, territory_code="x", expected_version=1
        )
    assert dump(store) == before and auth.count_audit() == entries


def test_second_writer_of_the_same_version_gets_a_conflict(auth: Auth, store: Store, dump) -> None:
    """Optimistic locking: both read version v; the first saves; the second is refused, not overwriting."""
    editor = auth.create_user("academy", PASSWORD, actor=ADMIN, grants=[("academy", None)])
    indicator, period, version = _obs(store, "karaganda")
    auth.update_observation(editor, "karaganda", indicator, period, value=1.0, expected_version=version)
    before = dump(store)
    with pytest.raises(ConflictError) as e:
        auth.update_observation(editor, "karaganda", indicator, period, value=2.0, expected_version=version)
    assert e.value.reason == "conflict" and (e.value.expected, e.value.found) == (version, version + 1)
    assert f"you edited version {version} but it is at version {version + 1} now" in str(e.value)
    assert dump(store) == before
    value = store.observations(territories=["karaganda"], indicators=[indicator], periods=[period])["value"]
    assert value.tolist() == [1.0]
    with pytest.raises(AuthError, match="no such record"):
        auth.update_observation(editor, "karaganda", indicator, "1900", value=2.0, expected_version=1)


def test_concurrent_writers_exactly_one_wins(auth: Auth, store: Store) -> None:
    """Eight threads (eight connections) save the same version at once: one succeeds, seven conflict."""
    editor = auth.create_user("academy", PASSWORD, actor=ADMIN, grants=[("academy", None)])
    indicator, period, version = _obs(store, "karaganda")
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def edit(i: int) -> None:
        barrier.wait()
        try:
            auth.update_observation(
                editor, "karaganda", indicator, period, value=float(i), expected_version=version
            )
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    obs = store.observations(territories=["karaganda"], indicators=[indicator], periods=[period]).iloc[0]
    assert obs["version"] == version + 1
    assert len(auth.audit(entity="observation")) == 1


def test_orm_updates_of_store_rows_are_version_checked(store: Store) -> None:
    """The store's models use SQLAlchemy's version_id_col: a stale ORM update fails instead of overwriting."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from aimaq.store.models import Territory

    # Two editors load the same row (their read transactions end, as a web request's would), then save.
    with (
        Session(store.engine, expire_on_commit=False) as first,
        Session(store.engine, expire_on_commit=False) as second,
    ):
        a = first.get(Territory, "karaganda")
        b = second.get(Territory, "karaganda")
        first.commit()
        second.commit()
        a.note = "first"
        first.commit()
        b.note = "second"
        with pytest.raises(StaleDataError):
            second.commit()
    assert store.territories().loc["karaganda", "note"] == "first"


# --------------------------------------------------------------------------------------------- the audit log
def test_audit_rows_cannot_be_updated_or_deleted_even_with_raw_sql(auth: Auth, store: Store) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    before = auth.audit()
    for statement in ("UPDATE auth_audit SET actor = 'someone else'", "DELETE FROM auth_audit"):
        with pytest.raises(DBAPIError, match="auth_audit is append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    if store.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.execute(text("TRUNCATE auth_audit"))
    assert auth.audit().equals(before)


def test_audit_rows_cannot_be_changed_through_the_orm(auth: Auth, store: Store) -> None:
    from sqlalchemy.orm import Session

    from aimaq.auth.models import AuditIsAppendOnly

    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    with Session(store.engine) as session:
        entry = session.scalars(select(AuditEntry)).first()
        entry.actor = "someone else"
        with pytest.raises(AuditIsAppendOnly, match="cannot be changed"):
            session.flush()
        session.rollback()
        entry = session.scalars(select(AuditEntry)).first()
        session.delete(entry)
        with pytest.raises(AuditIsAppendOnly, match="cannot be deleted"):
            session.flush()


def test_audit_filters(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    auth.login("aigerim", PASSWORD)
    assert auth.audit(user="aigerim")["action"].tolist() == ["login"]
    assert auth.audit(entity="auth_user")["action"].tolist() == ["create"]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert auth.audit(since=tomorrow).empty
    assert len(auth.audit(since="2000-01-01")) == 2
    assert auth.audit(limit=1)["action"].tolist() == ["login"]
    with pytest.raises(AuthError, match="write a date"):
        auth.audit(since="yesterday")
