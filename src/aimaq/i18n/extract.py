"""Collect the msgids used in the code and templates (Babel extraction driven by ``babel.cfg``).

Examples
--------
>>> "Territories" in used_msgids()
True
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

__all__ = ["KEYWORDS", "SEARCH_DIRS", "extract", "used_msgids"]

SRC = Path(__file__).resolve().parents[1]
#: The folders whose files may hold user-facing messages.
SEARCH_DIRS: tuple[Path, ...] = (SRC / "services" / "web",)
#: ``N_`` marks a message for extraction without translating it (a label in a table of constants).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def extract() -> Iterator[tuple[str, int, str | tuple[str, ...]]]:
    """Yield ``(file, line, message)`` of every message (a plural one as ``(singular, plural)``)."""
    with (Path(__file__).resolve().parent / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    for root in SEARCH_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS
        ):
            yield str(root / filename), lineno, message


def used_msgids() -> set[str]:
    """The msgids (the singular of plural messages) used anywhere in :data:`SEARCH_DIRS`."""
    out = set()
    for _file, _line, message in extract():
        out.add(message[0] if isinstance(message, tuple) else message)
    return out
