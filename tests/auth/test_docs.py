"""The security and deployment pages document every admin command, role, action and reason code
(Datasette's ``tests/test_docs.py``: a test fails when something is undocumented)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from aimaq.auth.csrf import ENV_SECRET
from aimaq.auth.errors import REASONS
from aimaq.auth.models import ROLES
from aimaq.auth.service import load_permissions
from aimaq.services.cli import admin

DOCS = Path(__file__).parents[2] / "docs"
SECURITY = (DOCS / "security.md").read_text(encoding="utf-8")
DEPLOYMENT = (DOCS / "deployment.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    app = typer.Typer()
    admin.register(app)
    names = [f"aimaq {c.name}" for c in app.registered_commands]
    for group in app.registered_groups:
        names += [f"aimaq {group.name} {c.name}" for c in group.typer_instance.registered_commands]
    return names


@pytest.mark.parametrize("command", _commands())
def test_every_admin_command_is_documented(command: str) -> None:
    assert f"`{command}" in SECURITY or f"`{command}" in DEPLOYMENT, command


def test_every_role_action_and_reason_is_documented() -> None:
    missing = [r for r in ROLES if f"| {r} " not in SECURITY and f"`{r}`" not in SECURITY]
    missing += [a for a in load_permissions() if f"`{a}`" not in SECURITY]
    missing += [r for r in REASONS if f"`{r}`" not in SECURITY]
    assert missing == []


def test_the_environment_variables_are_documented() -> None:
    for name in ("AIMAQ_DATABASE_URL", "AIMAQ_HOME", ENV_SECRET, "AIMAQ_WEB_LANGUAGE", "AIMAQ_WEB_WARM"):
        assert f"`{name}`" in DEPLOYMENT, name
