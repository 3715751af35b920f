"""Users, roles scoped to territories, database sessions, CSRF helpers and the append-only audit log.

See ``docs/security.md``. The public API:

- :class:`aimaq.auth.service.Auth`: users, grants, login sessions, ``require`` (the role matrix of
  ``auth/data/permissions.csv``), the public-read switch, audited and version-checked record edits.
- :func:`aimaq.auth.service.record`: append one audit entry inside a caller's transaction.
- :mod:`aimaq.auth.csrf`: CSRF token generation and validation for the web forms.
"""

from __future__ import annotations

from aimaq.auth.errors import AuthError, ConflictError, PermissionDenied
from aimaq.auth.models import ROLES
from aimaq.auth.service import Auth, Grant, Principal, record

__all__ = ["ROLES", "Auth", "AuthError", "ConflictError", "Grant", "PermissionDenied", "Principal", "record"]
