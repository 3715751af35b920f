"""Nothing from the internet: no template or static file loads a script, style, font or image by URL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aimaq.services.web.render import STATIC_DIR, TEMPLATES_DIR

FILES = sorted(p for d in (TEMPLATES_DIR, STATIC_DIR) for p in d.rglob("*") if p.is_file())
# A URL with a scheme or protocol-relative, in an attribute or CSS/JS that loads something.
LOADERS = [
    re.compile(r"""<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""\b(?:fetch|importScripts)\(\s*["'](?:https?:)?//""", re.I),
    re.compile(r"""https?://[^\s"'<>)]*\.(?:js|mjs|css|woff2?|ttf|otf|eot)\b""", re.I),
]


def test_there_are_files_to_scan() -> None:
    names = {p.name for p in FILES}
    assert {"base.html", "map.html", "app.css", "map.js"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_no_remote_script_style_font_or_image(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    hits = [m.group(0) for pattern in LOADERS for m in pattern.finditer(text)]
    assert hits == [], f"{path}: loads from the internet: {hits}"


def test_the_scan_catches_a_cdn_script() -> None:
    sample = '<script src="https://cdn.plot.ly/plotly-2.35.2.min.js"></script><link href="//fonts.x/y.css">'
    assert sum(bool(p.search(sample)) for p in LOADERS) >= 2
