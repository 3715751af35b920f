"""CSRF protection for the web forms: signed tokens bound to the login session (itsdangerous).

Use (the web app)::

    secret = secret_key()                                    # $AIMAQ_SECRET_KEY, or a file in $AIMAQ_HOME
    token = generate_token(secret, session_token)            # put in <input type="hidden" name="csrf_token">
    validate_token(secret, form["csrf_token"], session_token)  # every POST/PUT/PATCH/DELETE; CSRFError

The token is the *synchronizer token* pattern with a signed, time-limited value (OWASP Cross-Site Request
Forgery Prevention Cheat Sheet, "Synchronizer Token Pattern" and "Signed Double-Submit Cookie"): it carries a
random nonce and a hash of the login session token, signed with HMAC by ``itsdangerous``. A token from one
session is refused in another; a token older than ``max_age`` is refused; anonymous forms (login) bind to
the pre-session cookie the app sets. Comparison is constant time (``hmac.compare_digest``). Every app worker
must share :func:`secret_key`, which is why it lives in the environment or in ``$AIMAQ_HOME``, not in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from aimaq.store.db import home

__all__ = ["ENV_SECRET", "MAX_AGE", "CSRFError", "generate_token", "secret_key", "validate_token"]

ENV_SECRET = "AIMAQ_SECRET_KEY"
#: How long a form may stay open before its token is refused: 8 hours, one working day.
MAX_AGE = 8 * 3600
_SALT = "aimaq.csrf"
_MIN_SECRET = 32


class CSRFError(ValueError):
    """The form's CSRF token is missing, forged, from another session, or expired; ``reason`` says which."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(f"{message} [{reason}]")


def secret_key(folder: Path | None = None) -> str:
    """The signing secret: ``$AIMAQ_SECRET_KEY``, else ``$AIMAQ_HOME/secret_key`` (created once, mode 0600).

    Raises
    ------
    ValueError
        When ``$AIMAQ_SECRET_KEY`` is shorter than 32 characters.
    """
    env = os.environ.get(ENV_SECRET)
    if env:
        if len(env) < _MIN_SECRET:
            raise ValueError(f"{ENV_SECRET} is {len(env)} characters; use at least {_MIN_SECRET} random ones")
        return env
    path = (folder or home()) / "secret_key"
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    # O_EXCL: when two workers start at once, one creates the file and the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
    return value


def _binding(session_token: str) -> str:
    # The session token itself never goes into the page; a hash of it does.
    return hashlib.sha256(f"csrf:{session_token}".encode()).hexdigest()[:32]


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def generate_token(secret: str, session_token: str) -> str:
    """A CSRF token for forms shown to the holder of ``session_token``.

    Examples
    --------
    >>> t = generate_token("s" * 32, "session-a")
    >>> validate_token("s" * 32, t, "session-a")
    >>> validate_token("s" * 32, t, "session-b")
    Traceback (most recent call last):
    ...
    aimaq.auth.csrf.CSRFError: the CSRF token belongs to another session; reload the page [wrong_session]
    """
    if not session_token:
        raise ValueError("generate_token(): a session token is required (set a pre-session cookie first)")
    return str(_serializer(secret).dumps([_binding(session_token), secrets.token_urlsafe(8)]))


def validate_token(
    secret: str, token: str | None, session_token: str | None, *, max_age: int = MAX_AGE
) -> None:
    """Check a submitted CSRF token; return None or raise :class:`CSRFError`.

    Raises
    ------
    CSRFError
        ``missing`` (no token or no session), ``expired``, ``bad_signature`` (forged or altered),
        ``wrong_session``.
    """
    if not token or not session_token:
        raise CSRFError("missing", "the form has no CSRF token or there is no session; reload the page")
    if len(token) > 512:
        raise CSRFError("bad_signature", "the CSRF token is not one aimaq made; reload the page")
    try:
        binding, _nonce = _serializer(secret).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise CSRFError("expired", "the form was open too long; reload the page and submit again") from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise CSRFError("bad_signature", "the CSRF token is not one aimaq made; reload the page") from exc
    if not isinstance(binding, str) or not hmac.compare_digest(binding, _binding(session_token)):
        raise CSRFError("wrong_session", "the CSRF token belongs to another session; reload the page")
