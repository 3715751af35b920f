"""The registry of methodologies: the YAML specs shipped in ``aimaq/methodologies/``.

Seed presets live at the top of the folder (``seed004_monotown_potential.yaml``), worked examples in
``examples/`` (listed and marked as examples). A methodology is found by its ``name`` (the file stem) or
by a path to any spec file.

Examples
--------
>>> "oecd_tai_2008" in [e.name for e in entries()]
True
>>> resolve("oecd_tai_2008").name
'oecd_tai_2008.yaml'
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aimaq.engine.spec import Methodology, load_yaml
from aimaq.methods import closest

#: Where the shipped specs are.
METHODOLOGY_DIR = Path(__file__).resolve().parent.parent / "methodologies"


@dataclass(frozen=True)
class Entry:
    """One shipped spec, read without validation so that a listing never fails on one bad file."""

    name: str
    path: Path
    example: bool
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)
    has_expected: bool = False
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "example": self.example,
            "title": self.title,
            "description": self.description,
            "source": self.source,
            "has_expected": self.has_expected,
            "error": self.error,
        }


def entries(directory: Path | None = None) -> list[Entry]:
    """Every ``*.yaml`` spec under the methodology folder, presets first, then examples, by name."""
    root = directory or METHODOLOGY_DIR
    out = []
    for path in sorted(root.rglob("*.yaml")):
        example = "examples" in path.relative_to(root).parts
        try:
            spec = load_yaml(path.read_text(encoding="utf-8")) or {}
            error = "" if isinstance(spec, dict) else "not a YAML mapping"
        except yaml.YAMLError as exc:
            spec, error = {}, f"not valid YAML: {exc}"
        if not isinstance(spec, dict):
            spec = {}
        title = spec.get("title") if isinstance(spec.get("title"), dict) else {}
        desc = spec.get("description") if isinstance(spec.get("description"), dict) else {}
        out.append(
            Entry(
                name=str(spec.get("name") or path.stem),
                path=path,
                example=example or spec.get("status") == "example",
                title={k: str(v) for k, v in title.items()},
                description={k: str(v) for k, v in desc.items()},
                source=dict(spec.get("source") or {}) if isinstance(spec.get("source"), dict) else {},
                has_expected="expected" in spec,
                error=error,
            )
        )
    return sorted(out, key=lambda e: (e.example, e.name))


def resolve(name_or_path: str | Path, directory: Path | None = None) -> Path:
    """The spec file of a methodology name (file stem or ``name:``), or the path itself when it is a file.

    Raises ``LookupError`` naming the closest known methodology.
    """
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.is_file():
        return p
    known = entries(directory)
    for e in known:
        if e.name == str(name_or_path) or e.path.stem == str(name_or_path):
            return e.path
    near = closest(str(name_or_path), [e.name for e in known])
    hint = f"; closest {near!r}" if near else ""
    raise LookupError(f"no methodology {str(name_or_path)!r}{hint}. `aimaq methods list` shows them all")


def load(name_or_path: str | Path, directory: Path | None = None) -> Methodology:
    """The validated :class:`Methodology` of a name or a spec path."""
    return Methodology.from_yaml(resolve(name_or_path, directory))


def example_data(name_or_path: str | Path) -> Path | None:
    """The data file shipped next to an example spec (same stem, ``.csv``), if any."""
    path = resolve(name_or_path)
    csv = path.with_suffix(".csv")
    return csv if csv.is_file() else None


def matching(prefix: str, directory: Path | None = None) -> list[Entry]:
    """Shipped specs named ``prefix`` exactly, else every spec whose name starts with it (by name).

    ``aimaq reproduce seed003`` runs every seed 003 preset; ``seed003_integral_index`` only that one, not
    ``seed003_integral_index_partials``.

    Examples
    --------
    >>> [e.name for e in matching("oecd_tai")]
    ['oecd_tai_2008']
    >>> matching("no_such_methodology")
    []
    """
    known = entries(directory)
    exact = [e for e in known if e.name == prefix or e.path.stem == prefix]
    return exact or [e for e in known if e.name.startswith(prefix)]


def templates_for(codes: Iterable[str], directory: Path | None = None) -> dict[str, list[Path]]:
    """Import templates shipped in ``methodologies/templates/`` that hold rows of each indicator code.

    A template is a long CSV (``territory, indicator, year, value, ...``, possibly after title rows) that a
    user fills and imports with ``aimaq import``; this answers "what must I import to run this spec?".
    """
    folder = (directory or METHODOLOGY_DIR) / "templates"
    wanted = {str(c) for c in codes}
    out: dict[str, list[Path]] = {c: [] for c in sorted(wanted)}
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        found: set[str] = set()
        for row in csv.reader(path.read_text(encoding="utf-8-sig").splitlines()):
            found.update(c.strip() for c in row if c.strip() in wanted)
        for code in found:
            out[code].append(path)
    return out
