"""The methodology registry: shipped specs, examples marked, lookup by name with suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from aimaq.engine.registry import entries, example_data, load, resolve


def test_examples_are_listed_and_marked() -> None:
    found = {e.name: e for e in entries()}
    tai = found["oecd_tai_2008"]
    assert tai.example and tai.has_expected and not tai.error
    assert tai.title["kk"] and tai.title["ru"] and tai.title["en"]
    assert example_data("oecd_tai_2008") == tai.path.with_suffix(".csv")


def test_lookup_by_name_or_path_and_suggestion(tmp_path: Path) -> None:
    path = resolve("oecd_tai_2008")
    assert resolve(path) == path
    assert load("oecd_tai_2008").name == "oecd_tai_2008"
    with pytest.raises(LookupError, match="closest 'oecd_tai_2008'"):
        resolve("oecd_tai_2009")


def test_a_broken_file_is_listed_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "bad.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (tmp_path / "examples" / "ok.yaml").write_text("name: ok\ntitle: {en: OK}\n", encoding="utf-8")
    found = entries(tmp_path)
    assert [(e.name, e.example) for e in found] == [("bad", False), ("ok", True)]
    assert found[0].error.startswith("not valid YAML")
