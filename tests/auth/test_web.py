"""The framework-free request check: session cookie -> user, CSRF on unsafe methods only."""

from __future__ import annotations

import datetime as dt

import pytest

from aimaq.auth.csrf import CSRFError, generate_token
from aimaq.auth.service import Auth
from aimaq.auth.web import CSRF_FIELD, PRESESSION_COOKIE, SESSION_COOKIE, check_request, cookie_options

from .conftest import ADMIN, PASSWORD

SECRET = "s" * 40


def test_safe_methods_need_no_token_and_find_the_user(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    token, user = auth.login("aigerim", PASSWORD)
    assert check_request(auth, SECRET, method="GET", cookies={SESSION_COOKIE: token}) == user
    assert check_request(auth, SECRET, method="get", cookies={}) is None
    assert check_request(auth, SECRET, method="HEAD", cookies={SESSION_COOKIE: "forged" * 5}) is None


def test_unsafe_methods_need_a_token_of_the_same_session(auth: Auth) -> None:
    auth.create_user("aigerim", PASSWORD, actor=ADMIN)
    token, user = auth.login("aigerim", PASSWORD)
    other, _ = auth.login("aigerim", PASSWORD)
    good = generate_token(SECRET, token)
    assert (
        check_request(auth, SECRET, method="POST", cookies={SESSION_COOKIE: token}, form_token=good) == user
    )
    assert (
        check_request(auth, SECRET, method="DELETE", cookies={SESSION_COOKIE: token}, header_token=good)
        == user
    )
    with pytest.raises(CSRFError) as e:
        check_request(auth, SECRET, method="POST", cookies={SESSION_COOKIE: token})
    assert e.value.reason == "missing"
    with pytest.raises(CSRFError) as e:
        check_request(auth, SECRET, method="PATCH", cookies={SESSION_COOKIE: other}, form_token=good)
    assert e.value.reason == "wrong_session"


def test_the_login_form_binds_to_the_pre_session_cookie(auth: Auth) -> None:
    pre = "p" * 43
    token = generate_token(SECRET, pre)
    assert (
        check_request(auth, SECRET, method="POST", cookies={PRESESSION_COOKIE: pre}, form_token=token) is None
    )
    with pytest.raises(CSRFError):
        check_request(auth, SECRET, method="POST", cookies={}, form_token=token)


def test_cookie_options() -> None:
    assert cookie_options(secure=False) == {"httponly": True, "samesite": "lax", "path": "/", "secure": False}
    assert cookie_options(max_age=dt.timedelta(hours=12))["max_age"] == 43200
    assert CSRF_FIELD == "csrf_token"
