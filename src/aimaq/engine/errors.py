"""Spec errors: every problem of a methodology, with its file and key path, raised once.

One key path (``normalise.default.params.table``) names the same thing in spec errors, the step log,
``Result.regen`` edits and uncertainty factors. A :class:`SpecProblem` is one row; :class:`SpecErrors`
carries all of them (pandera's lazy validation: check everything, then raise once).

Examples
--------
>>> e = SpecErrors([SpecProblem("my_index.yaml", "classify.params.k", "must be an int in [1, 8]. "
...                 "Got 12 instead.", "bad_parameter")])
>>> print(e)
my_index.yaml, classify.params.k: must be an int in [1, 8]. Got 12 instead. [bad_parameter]
1 problem in my_index.yaml; nothing was computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

#: Reason codes of spec problems (each is also the kk/ru/en message id ``spec.<reason>``).
REASONS: tuple[str, ...] = (
    "yaml",  # the file is not valid YAML
    "schema",  # the structure does not follow docs/spec.schema.json
    "unknown_method",
    "unknown_parameter",
    "missing_parameter",
    "bad_parameter",
    "unknown_indicator",
    "unknown_territory",
    "unknown_group",
    "unknown_table",
    "duplicate",
    "tree",  # the indicator tree is not a tree (cycle, several roots, an orphan indicator)
    "weights",  # weights that do not cover the tree, negative weights
    "bands",  # a gap or an overlap in a band table
    "classes",  # a gap or an overlap in a class table
    "too_few_territories",  # k larger than the number of territories, nothing selected
    "no_data",
    "bad_edit",  # a regen edit naming a key path that does not exist
)


@dataclass(frozen=True)
class SpecProblem:
    """One problem of a spec: the file, the key path, what is wrong and a reason code."""

    file: str
    key: str
    message: str
    reason: str = "schema"

    def __str__(self) -> str:
        where = f"{self.file}, {self.key}" if self.key else self.file
        return f"{where}: {self.message} [{self.reason}]"

    def to_dict(self) -> dict[str, str]:
        """The row as a plain dict (the CLI's and the web's JSON ``errors`` entries)."""
        return asdict(self)


class SpecErrors(ValueError):
    """All problems of a methodology spec, found before any computation."""

    def __init__(self, problems: Iterable[SpecProblem]):
        self.problems: list[SpecProblem] = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        files = sorted({p.file for p in self.problems})
        n = len(self.problems)
        head = "\n".join(str(p) for p in self.problems)
        return f"{head}\n{n} problem{'s' if n != 1 else ''} in {', '.join(files)}; nothing was computed."

    def __str__(self) -> str:
        return self._text()

    def to_dict(self) -> dict[str, object]:
        """``{"ok": False, "errors": [...]}``: the JSON form shared by the CLI and the web app."""
        return {"ok": False, "errors": [p.to_dict() for p in self.problems]}
