"""Spec validation: every problem at once, each naming the spec file and key path; the published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from tests.engine.conftest import spec_file

from aimaq.engine import Methodology, SpecErrors
from aimaq.engine.registry import entries
from aimaq.engine.spec import SCHEMA, load_yaml, schema_json

DOCS = Path(__file__).resolve().parents[2] / "docs"


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SpecErrors) as info:
        Methodology.from_yaml(spec_file(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_the_published_schema_is_up_to_date() -> None:
    published = (DOCS / "spec.schema.json").read_text(encoding="utf-8")
    assert published == schema_json(), "regenerate docs/spec.schema.json from aimaq.engine.spec.schema_json()"
    jsonschema.Draft202012Validator.check_schema(json.loads(published))


def test_every_shipped_spec_validates_against_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    import yaml

    found = entries()
    assert any(e.example for e in found)
    for e in found:
        spec = yaml.safe_load(e.path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(spec)), e.path
        Methodology.from_yaml(e.path)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    msgs = problems_of(tmp_path, "name: x\ntitle: {en: X\nindicators: [a]\n")
    assert len(msgs) == 1
    assert msgs[0].startswith(f"{tmp_path / 'my_index.yaml'}, line ")
    assert "not valid YAML" in msgs[0] and msgs[0].endswith("[yaml]")


def test_schema_problems_name_the_key_path(tmp_path: Path) -> None:
    msgs = problems_of(
        tmp_path,
        """
name: x
title: {en: X}
indicators: [a, {code: b, direction: 2}]
select: {years: latest, territories: {levle: region}}
""",
    )
    assert any(", indicators.1.direction: 2 is not one of" in m and "[schema]" in m for m in msgs), msgs
    assert any(", select.territories:" in m and "levle" in m for m in msgs), msgs


def test_unknown_method_and_parameter_suggest_the_closest(tmp_path: Path) -> None:
    msgs = problems_of(
        tmp_path,
        """
name: x
title: {en: X}
indicators: [a, b]
normalise: {method: min_max}
aggregate: {method: arithmetic_mean, weights: equal, params: {nann: skip}}
classify: {method: kmeans, params: {k: 2, n_int: 5}}
""",
    )
    f = tmp_path / "my_index.yaml"
    assert f"{f}, normalise.method: unknown normalise method 'min_max'; closest: 'minmax'." in msgs[0]
    assert msgs[0].endswith("[unknown_method]")
    assert any(
        m.startswith(
            f"{f}, aggregate.params.nann: aggregate.arithmetic_mean has no parameter 'nann'; closest 'nan'"
        )
        for m in msgs
    ), msgs
    assert any(m.startswith(f"{f}, classify.params.n_int:") and "closest 'n_init'" in m for m in msgs), msgs
    assert len(msgs) == 3


def test_missing_required_parameter(tmp_path: Path) -> None:
    msgs = problems_of(tmp_path, "name: x\ntitle: {en: X}\nindicators: [a]\nclassify: {method: kmeans}\n")
    assert msgs == [
        f"{tmp_path / 'my_index.yaml'}, classify.params.k: classify.kmeans needs the parameter 'k' "
        "[missing_parameter]"
    ]


def test_tree_problems(tmp_path: Path) -> None:
    msgs = problems_of(
        tmp_path,
        """
name: x
title: {en: X}
indicators: [a, b, c, d]
groups:
  - {id: g1, children: [a, bb]}
  - {id: g2, children: [a, c]}
  - {id: top, children: [g1]}
  - {id: other, children: [g2]}
""",
    )
    text = "\n".join(msgs)
    assert (
        "groups.0.children.1: 'bb' is neither an indicator of `indicators` nor a group; closest 'b'" in text
    )
    assert "groups.1.children.0: 'a' is already a child of group 'g1'" in text
    assert "several groups are nobody's child (top, other)" in text
    assert "indicator 'b' is in no group" in text and "indicator 'd' is in no group" in text


def test_weights_must_cover_the_tree(tmp_path: Path) -> None:
    msgs = problems_of(
        tmp_path,
        """
name: x
title: {en: X}
indicators: [a, b, c]
groups: [{id: g, children: [a, b]}, {id: top, children: [g, c]}]
weight: {method: explicit, params: {weights: {a: 1, b: -1, g: 1, cc: 2}}}
aggregate: {method: arithmetic_mean}
""",
    )
    text = "\n".join(msgs)
    assert "weight.params.weights: group 'g': weights.b: -1 is negative" in text
    assert "weight.params.weights: group 'top': weights.c: missing" in text
    assert "weight.params.weights.cc: 'cc' is not in the tree; closest 'c'" in text


def test_band_table_gap_and_overlap_are_reported_with_the_intervals(tmp_path: Path) -> None:
    msgs = problems_of(
        tmp_path,
        """
name: x
title: {en: X}
indicators: [a]
normalise:
  method: bands
  params:
    table:
      - {lower: null, upper: 10, closed: right, points: 0}
      - {lower: 12, upper: 20, closed: right, points: 1}
      - {lower: 15, upper: null, closed: left, points: 2}
""",
    )
    text = "\n".join(msgs)
    assert "normalise.params.table: gap between (-inf, 10] (row 0) and (12, 20] (row 1)" in text
    assert "overlap between (12, 20] (row 1) and [15, +inf) (row 2)" in text
    assert all(m.endswith("[bands]") for m in msgs)


def test_class_table_gap_with_integer_domain(tmp_path: Path) -> None:
    ok = """
name: x
title: {en: X}
indicators: [a]
aggregate: {method: weighted_sum, weights: equal}
classify:
  method: thresholds
  domain: integer
  classes:
    - {id: low, interval: [0, 35], closed: both}
    - {id: medium, interval: [36, 66], closed: both}
    - {id: high, interval: [67, null], closed: left}
"""
    Methodology.from_yaml(spec_file(tmp_path, ok))
    msgs = problems_of(tmp_path, ok.replace("closed: left}", "closed: neither}"))
    assert msgs == [
        f"{tmp_path / 'my_index.yaml'}, classify.classes: gap between [36, 66] (row 1) and (67, +inf) "
        "(row 2): values in (66, 67] fall in no interval [classes]"
    ]


def test_unsafe_expression_is_refused(tmp_path: Path) -> None:
    msgs = problems_of(
        tmp_path,
        """
name: x
title: {en: X}
transform: [{code: e, method: expression, params: {expr: "__import__('os').system('true')"}}]
indicators: [e]
""",
    )
    assert any("transform.0.params.expr: expr:" in m and "is not allowed" in m for m in msgs), msgs


def test_key_paths_and_edits() -> None:
    m = Methodology.from_dict(
        {
            "name": "t",
            "title": {"en": "T"},
            "indicators": ["a", "b"],
            "normalise": {"default": {"method": "minmax"}, "by_indicator": {"b": {"method": "zscore"}}},
        }
    )
    assert [e.key for e in m.entries("normalise")] == ["normalise.default", "normalise.by_indicator.b"]
    m2 = m.with_edits({"normalise.default.params.a": 1, "normalise.by_indicator.b.method": "rank"})
    assert m2.get("normalise.default.params.a") == 1
    assert m2.entries("normalise")[1].method == "rank"
    assert m.get("normalise.default.params") is None  # the original is unchanged
    assert m2.first_step_touched(["normalise.default.params.a", "classify.k"]) == "normalise"
    assert m2.first_step_touched(["title.en"]) is None
    with pytest.raises(SpecErrors, match="unknown normalise method 'rnk'"):
        m.with_edits({"normalise.by_indicator.b.method": "rnk"})


def test_yaml_round_trip() -> None:
    m = Methodology.from_yaml(entries()[-1].path)
    assert Methodology.from_text(m.to_yaml(), path=m.path) == m


def test_yaml_1_2_booleans_keep_on_yes_no_as_strings(tmp_path: Path) -> None:
    """Specs are read with YAML 1.2 booleans: an unquoted ``on:`` key and labels ``yes``/``no`` stay text."""
    text = (
        "name: x\ntitle: {en: X}\nindicators: [a, b]\n"
        "normalise: {by_indicator: {b: {method: categories, params: {points: {no: 0, yes: 1}}}},\n"
        "            default: {method: minmax}}\n"
        "aggregate: {method: arithmetic_mean, weights: equal}\n"
        "classify: {on: a, method: thresholds, classes: [{id: low, interval: [null, 1], closed: right},\n"
        "           {id: high, interval: [1, null], closed: neither}]}\n"
    )
    m = Methodology.from_yaml(spec_file(tmp_path, text))
    assert m.classifications[0].extra["on"] == "a"
    assert m.get("normalise.by_indicator.b.params.points") == {"no": 0, "yes": 1}
    assert load_yaml("a: [true, True, FALSE, on, Off, yes, NO, y]") == {
        "a": [True, True, False, "on", "Off", "yes", "NO", "y"]
    }
    assert load_yaml("{1: 010, b: 1.5, c: null, d: 2020-01-01}") == {
        1: 8,
        "b": 1.5,
        "c": None,
        "d": __import__("datetime").date(2020, 1, 1),
    }


def test_yaml_booleans_as_labels_are_refused_in_a_python_dict() -> None:
    with pytest.raises(SpecErrors) as err:
        Methodology.from_dict(
            {
                "name": "x",
                "title": {"en": "X"},
                "indicators": ["a"],
                "normalise": {"method": "categories", "params": {"points": {False: 0, True: 1}}},
            }
        )
    msgs = [str(p) for p in err.value.problems]
    assert len(msgs) == 2 and "YAML reads yes/no/on/off as true/false; quote the label" in msgs[0]


def test_uncertainty_declarations_read_yaml_1_2_booleans(tmp_path: Path) -> None:
    from aimaq.engine.uncertainty import Declaration

    ok = spec_file(tmp_path, "n: 8\nsensitivity: false\nfactors: [{key: weight, noise: 0.2}]\n", "u.yaml")
    assert Declaration.from_yaml(ok).sensitivity is False
    off = spec_file(tmp_path, "n: 8\nsensitivity: off\nfactors: [{key: weight, noise: 0.2}]\n", "v.yaml")
    with pytest.raises(SpecErrors, match=r"sensitivity: must be true or false\. Got 'off'"):
        Declaration.from_yaml(off)
