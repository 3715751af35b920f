"""CSRF tokens: bound to a session, signed, time-limited; a shared secret for every worker."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from aimaq.auth.csrf import ENV_SECRET, CSRFError, generate_token, secret_key, validate_token

SECRET = "k" * 40


def _reason(token: str | None, session: str | None, **kw: int) -> str:
    with pytest.raises(CSRFError) as e:
        validate_token(SECRET, token, session, **kw)
    return e.value.reason


def test_a_token_validates_for_its_own_session_only() -> None:
    token = generate_token(SECRET, "session-a")
    validate_token(SECRET, token, "session-a")
    assert _reason(token, "session-b") == "wrong_session"
    assert "session-a" not in token  # only a hash of the session token goes into the page
    assert generate_token(SECRET, "session-a") != token  # a fresh nonce each time


def test_missing_forged_altered_and_foreign_tokens_are_refused() -> None:
    token = generate_token(SECRET, "s")
    assert _reason(None, "s") == "missing"
    assert _reason(token, None) == "missing"
    assert _reason(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), "s") == "bad_signature"
    assert _reason(generate_token("z" * 40, "s"), "s") == "bad_signature"
    assert _reason("<script>alert(1)</script>", "s") == "bad_signature"
    assert _reason("x" * 5000, "s") == "bad_signature"


def test_old_tokens_expire() -> None:
    token = generate_token(SECRET, "s")
    time.sleep(1.1)
    assert _reason(token, "s", max_age=0) == "expired"
    validate_token(SECRET, token, "s", max_age=60)


def test_generate_needs_a_session() -> None:
    with pytest.raises(ValueError, match="pre-session cookie"):
        generate_token(SECRET, "")


def test_secret_key_from_environment_or_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_SECRET, "short")
    with pytest.raises(ValueError, match="at least 32"):
        secret_key(tmp_path)
    monkeypatch.setenv(ENV_SECRET, SECRET)
    assert secret_key(tmp_path) == SECRET
    monkeypatch.delenv(ENV_SECRET)
    first = secret_key(tmp_path)
    assert secret_key(tmp_path) == first and len(first) >= 32  # every worker reads the same file
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
