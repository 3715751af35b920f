"""Meta-tests: a newcomer finds every shipped methodology's spec, test and docs page by its name.

STYLE.md: ``methodologies/<name>.yaml`` → ``tests/methodologies/test_<name>.py`` (or a test module that names
it, for variants) → ``docs/methodologies/<name>.md``; every spec loads without errors and speaks kk/ru/en.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aimaq.engine import registry

ROOT = Path(__file__).resolve().parents[1]
PRESETS = [e for e in registry.entries() if not e.example]


def test_there_are_presets_for_every_seed() -> None:
    seeds = {e.name.split("_", 1)[0] for e in PRESETS}
    assert seeds == {"seed000", "seed001", "seed002", "seed003", "seed004"}


@pytest.mark.parametrize("entry", PRESETS, ids=lambda e: e.name)
def test_preset_loads_and_has_titles_in_three_languages(entry: registry.Entry) -> None:
    assert entry.error == ""
    registry.load(entry.name)  # full validation of the spec: raises SpecErrors naming the key path
    for lang in ("kk", "ru", "en"):
        assert entry.title.get(lang), f"{entry.name}: title.{lang} is empty"


@pytest.mark.parametrize("entry", PRESETS, ids=lambda e: e.name)
def test_preset_has_a_test_module_and_a_docs_page(entry: registry.Entry) -> None:
    tests = ROOT / "tests" / "methodologies"
    own = tests / f"test_{entry.name}.py"
    named = own.exists() or any(entry.name in p.read_text(encoding="utf-8") for p in tests.glob("test_*.py"))
    assert named, f"no test module names {entry.name} (expected {own.relative_to(ROOT)})"
    doc = ROOT / "docs" / "methodologies" / f"{entry.name}.md"
    assert doc.exists(), f"missing docs page {doc.relative_to(ROOT)}"


@pytest.mark.parametrize("entry", PRESETS, ids=lambda e: e.name)
def test_preset_cites_its_seed(entry: registry.Entry) -> None:
    assert entry.source.get("seed") or entry.source.get("citation"), f"{entry.name}: source has no seed"
