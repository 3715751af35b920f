"""What the administration pages need from :class:`~aimaq.auth.service.Auth`: the last active administrator
is kept, the audit log filters by action, territory and date range and pages newest first, last logins."""

from __future__ import annotations

import datetime as dt

import pytest

from aimaq.auth.errors import AuthError
from aimaq.auth.service import Auth
from aimaq.store.repository import Store

from .conftest import ADMIN, PASSWORD


def test_the_last_active_administrator_cannot_be_deactivated_or_de_administered(
    auth: Auth, store: Store, dump
) -> None:
    auth.create_user("root", PASSWORD, actor=ADMIN, grants=[("administrator", None)])
    auth.create_user("aigerim", PASSWORD, actor=ADMIN, grants=[("akimat", "karaganda")])
    before, entries = dump(store), auth.count_audit()
    with pytest.raises(AuthError, match="last active administrator") as e:
        auth.set_active("root", False, actor="root")
    assert e.value.reason == "last_administrator"
    with pytest.raises(AuthError, match="make another user administrator first"):
        auth.revoke("root", "administrator", actor="root")
    assert dump(store) == before and auth.count_audit() == entries  # nothing written, not even the log
    auth.set_active("aigerim", False, actor="root")  # anyone else: allowed
    # with a second active administrator, the first may go; then the second is the last one
    auth.grant("aigerim", "administrator", actor="root")
    with pytest.raises(AuthError, match="last active administrator"):
        auth.set_active("root", False, actor="root")  # aigerim is an administrator, but inactive
    auth.set_active("aigerim", True, actor="root")
    auth.revoke("root", "administrator", actor="aigerim")
    with pytest.raises(AuthError, match="cannot deactivate aigerim"):
        auth.set_active("aigerim", False, actor="aigerim")
    assert auth.user("root").roles == ()


def test_audit_filters_by_action_territory_and_date_range_and_pages_newest_first(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    auth.grant("aigerim", "akimat", "karaganda", actor=ADMIN)
    auth.grant("aigerim", "council", "abai", actor=ADMIN)
    auth.revoke("aigerim", "council", "abai", actor=ADMIN)
    grants = auth.audit(action="grant")
    assert grants["territory"].tolist() == ["karaganda", "abai"]
    assert auth.audit(territory="abai")["action"].tolist() == ["grant", "revoke"]
    assert auth.count_audit(action="grant", territory="abai") == 1
    newest = auth.audit(newest_first=True, limit=2)
    assert newest["action"].tolist() == ["revoke", "grant"]
    assert auth.audit(newest_first=True, limit=2, offset=2)["action"].tolist() == ["grant", "create"]
    today = dt.datetime.now(dt.UTC).date()
    assert len(auth.audit(since=today, until=today)) == 4 == auth.count_audit(until=today.isoformat())
    assert auth.audit(until=today - dt.timedelta(days=1)).empty
    with pytest.raises(AuthError, match="until 'yesterday'"):
        auth.audit(until="yesterday")


def test_last_logins_come_from_the_audit_log(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    auth.create_user("bolat", PASSWORD, actor=ADMIN)
    assert auth.last_logins() == {}
    auth.login("aigerim", PASSWORD)
    auth.login("aigerim", PASSWORD)
    last = auth.last_logins()
    assert set(last) == {"aigerim"}
    assert last["aigerim"] == auth.audit(action="login")["at"].max()
