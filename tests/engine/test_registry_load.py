"""Methodology.load: a shipped spec by name, or a file by path."""

from __future__ import annotations

import pytest

from aimaq.engine import Methodology
from aimaq.engine.registry import METHODOLOGY_DIR


def test_load_by_name_and_by_path_give_the_same_spec() -> None:
    by_name = Methodology.load("seed004_monotown_potential")
    by_path = Methodology.load(METHODOLOGY_DIR / "seed004_monotown_potential.yaml")
    assert by_name.name == by_path.name == "seed004_monotown_potential"


def test_load_of_an_unknown_name_says_so() -> None:
    with pytest.raises(LookupError) as e:
        Methodology.load("seed004_monotown_potentail")
    assert "closest 'seed004_monotown_potential'" in str(e.value)
