"""docs/steering.md documents every steer command, every entity, every role and every reason code."""

from __future__ import annotations

from pathlib import Path

from aimaq.services.cli.steer import steer_app
from aimaq.steering.errors import REASONS
from aimaq.steering.workflow import ROLES, machine

DOC = (Path(__file__).resolve().parents[2] / "docs" / "steering.md").read_text(encoding="utf-8")


def test_every_command_is_documented() -> None:
    names = [c.name for c in steer_app.registered_commands]
    assert len(names) == 13
    missing = [n for n in names if f"aimaq steer {n}" not in DOC]
    assert missing == []


def test_every_entity_and_role_is_documented() -> None:
    assert [e for e in machine().entities if e != "PlanItem" and f"| {e} |" not in DOC] == []
    assert "PlanItem" in DOC
    assert [r for r in ROLES if f"`{r}`" not in DOC] == []


def test_errors_module_reasons_are_referenced_by_code() -> None:
    # the docs point to the reason codes as message ids; the ones a user meets most are shown in examples
    for code in ("illegal_transition", "cofinancing"):
        assert f"[{code}]" in DOC
    assert set(REASONS) >= {"illegal_transition", "role_not_allowed", "wrong_region", "cofinancing"}
