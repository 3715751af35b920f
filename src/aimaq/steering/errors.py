"""Errors of the steering part: every problem of one request as one row, raised once.

Like the store's :mod:`aimaq.store.errors` (pandera's lazy validation), a refused action lists *all* its
problems at once. Each :class:`Problem` has a ``reason`` code that doubles as the kk/ru/en message id, the key
it is about (``project 7: attrs.total_cost``, ``transition TA-3``), a sentence saying what, why and what to
do, and the seed lines of the rule it enforces. Nothing is written when one is raised: the service runs each
action as one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

#: Reason codes, each a message id in the kk/ru/en catalogues.
REASONS: dict[str, str] = {
    "illegal_transition": "the object's current state does not allow this transition",
    "role_not_allowed": "the actor's role may not perform this transition",
    "wrong_region": "the actor works for another region",
    "guard_failed": "a condition of the transition is not met",
    "cofinancing": "the project budget breaks a co-financing rule",
    "budget": "the project budget is incomplete or inconsistent",
    "not_found": "no object with this id",
    "bad_value": "a field does not have the expected form",
    "missing_value": "a required field is empty",
    "unknown_territory": "unknown territory",
    "unknown_measure": "unknown measure",
    "unknown_indicator": "the indicator is not in the store",
    "derived_entity": "the entity is computed from other records and cannot be changed by hand",
    "stale": "the object was changed by someone else meanwhile",
}


@dataclass(frozen=True)
class Problem:
    """One reason why an action was refused.

    Parameters
    ----------
    reason : str
        One of :data:`REASONS`.
    key : str
        What the problem is about: ``"TechnicalAssignment 3"``, ``"project 7: attrs.total_cost"``.
    message : str
        What is wrong, why, and what to do.
    source : str, optional
        The rule's source: ``"seed 001, l.1902-1904 (rule R1)"``.
    """

    reason: str
    key: str
    message: str
    source: str | None = None

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown steering reason {self.reason!r}; expected one of {sorted(REASONS)}")

    def __str__(self) -> str:
        cited = f" ({self.source})" if self.source else ""
        return f"{self.key}: {self.message}{cited} [{self.reason}]"

    def as_dict(self) -> dict[str, str | None]:
        """The row as the JSON ``{"ok": false, "errors": [...]}`` shows it."""
        return asdict(self)


class SteeringError(Exception):
    """An action was refused; :attr:`problems` lists every reason. Nothing was written.

    Examples
    --------
    >>> err = SteeringError([Problem("not_found", "object 9", "no workflow object has id 9")])
    >>> print(err)
    object 9: no workflow object has id 9 [not_found]
    1 problem; nothing was written.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        if not self.problems:
            raise ValueError("a SteeringError needs at least one problem")
        super().__init__(self._text())

    def _text(self) -> str:
        n = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{n} problem{'s' if n != 1 else ''}; nothing was written.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()

    @property
    def reasons(self) -> list[str]:
        """The reason codes, in order."""
        return [p.reason for p in self.problems]

    def as_dict(self) -> dict[str, object]:
        """``{"ok": False, "errors": [...]}`` for the CLI's ``--json`` and the web part."""
        return {"ok": False, "errors": [p.as_dict() for p in self.problems]}


class TransitionRefused(SteeringError):
    """The current state does not allow the transition (``illegal_transition``)."""


class PermissionDenied(SteeringError):
    """The actor's role or region does not allow the action."""


class BudgetRefused(SteeringError):
    """A project budget breaks a co-financing rule or is inconsistent."""


class NotFound(SteeringError):
    """An id names no object."""


class InvalidInput(SteeringError):
    """A field of the request is missing or malformed, or a guard of the transition is not met."""
