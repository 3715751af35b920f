"""Every shipped methodology with published values has a docs page whose reproduction summary states the
counts that ``aimaq reproduce`` prints on the bundled store (cells, reproduced, explained, not computable).

A spec whose input data are not bundled (seed 002's regional statistics) is listed by the CLI as "needs data";
its page must say which table to import instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aimaq.dataset import Dataset
from aimaq.engine.errors import SpecErrors
from aimaq.engine.registry import METHODOLOGY_DIR, load
from aimaq.engine.reproduce import reproduce
from aimaq.store.repository import Store

DOCS = Path(__file__).resolve().parents[2] / "docs" / "methodologies"
SPECS = sorted(p.stem for p in METHODOLOGY_DIR.glob("*.yaml") if "expected:" in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data(bundled_store: Store) -> Dataset:
    return bundled_store.dataset()


def test_every_spec_with_published_values_has_a_page() -> None:
    assert len(SPECS) >= 20
    missing = [name for name in SPECS if not (DOCS / f"{name}.md").is_file()]
    assert missing == []


@pytest.mark.parametrize("name", SPECS)
def test_docs_state_the_counts_the_report_prints(name: str, data: Dataset) -> None:
    page = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    m = load(name)
    try:
        report = reproduce(m, data)
    except SpecErrors as exc:
        # not run on the bundled store: the data must be imported, and the page names the template
        assert any(p.reason in ("unknown_indicator", "no_data") for p in exc.problems), exc
        assert re.search(r"templates/\w+_template\.csv", page), f"{name}: the page names no import template"
        return
    n = report.counts()
    wanted = [f"{len(report.cells)} cells", f"{n['reproduced']} reproduced"]
    if n["explained"]:
        wanted.append(rf"{n['explained']} (explained|not reproduced with a documented reason)")
    if n["not_computable"]:
        wanted.append(f"{n['not_computable']} not computable")
    for pattern in wanted:
        pattern = pattern.replace(" ", r"\s+")  # a summary may wrap across lines
        assert re.search(pattern, page), (
            f"docs/methodologies/{name}.md does not say {pattern!r}: {report.summary}"
        )
    assert n["not_reproduced"] == 0, report.summary
