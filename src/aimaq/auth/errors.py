"""Errors of :mod:`aimaq.auth`, each with a ``reason`` code that doubles as the kk/ru/en message id.

The web app maps them to responses: :class:`PermissionDenied` to 403, :class:`ConflictError` to 409,
:class:`AuthError` with reason ``bad_credentials`` or ``locked`` to 401, anything else to 400.
"""

from __future__ import annotations

#: Reason codes and their English text (the message ids of the catalogues).
REASONS: dict[str, str] = {
    "bad_credentials": "unknown user name or wrong password",
    "locked": "too many failed logins; the account is locked for a while",
    "inactive": "the account is deactivated",
    "weak_password": "the password is too weak",
    "bad_username": "the user name is not allowed",
    "duplicate_user": "a user with this name exists",
    "unknown_user": "no such user",
    "unknown_role": "no such role",
    "unknown_territory": "no such territory",
    "scope_required": "this role acts for one territory; name it",
    "unknown_grant": "the user does not have this role",
    "duplicate_grant": "the user already has this role",
    "unknown_action": "no such action in the permission matrix",
    "permission_denied": "not allowed",
    "not_found": "no such record",
    "conflict": "the record was changed by someone else meanwhile",
    "bad_value": "the value does not have the expected form",
    "last_administrator": "the last active administrator cannot be deactivated or lose the role",
}


class AuthError(ValueError):
    """A refused account, login or grant operation; ``reason`` is one of :data:`REASONS`.

    Examples
    --------
    >>> str(AuthError("unknown_user", "no user 'amir'"))
    "no user 'amir' [unknown_user]"
    """

    def __init__(self, reason: str, message: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown auth reason {reason!r}; expected one of {sorted(REASONS)}")
        self.reason = reason
        self.message = message
        super().__init__(f"{message} [{reason}]")


class PermissionDenied(AuthError):
    """The user's roles do not allow the action on that territory; the message names both."""

    def __init__(self, message: str) -> None:
        super().__init__("permission_denied", message)


class ConflictError(AuthError):
    """Optimistic locking: the record's ``version`` is not the one the writer read, so nothing was written.

    Parameters
    ----------
    entity, key : str
        The table and the record's key (``observation``, ``karaganda/gerd_internal/2020``).
    expected, found : int or None
        The version the writer read and the version stored now (None if the record is gone).
    """

    def __init__(self, entity: str, key: str, expected: int, found: int | None) -> None:
        self.entity, self.key, self.expected, self.found = entity, key, expected, found
        now = "it has been deleted" if found is None else f"it is at version {found} now"
        super().__init__(
            "conflict",
            f"{entity} {key}: you edited version {expected} but {now}; someone else changed it meanwhile. "
            "Nothing was written: reload the record, re-apply your change and save again",
        )
        self.reason = "conflict"
