"""Methodology specs: YAML <-> :class:`Methodology`, the JSON Schema, and validation with key paths.

A methodology is one YAML file, read by :func:`load_yaml` (PyYAML's safe loader with YAML 1.2 booleans:
only ``true``/``false``, so ``on:`` and a label ``no`` stay strings). Its keys, in pipeline order:

``name``, ``title`` {kk, ru, en}, ``description``, ``source`` {seed, tables, lines, citation}
    what it is and where it comes from.
``select``
    ``territories`` {codes, level, parent, within, at, exclude}, ``years`` ([2020], {from, to}, ``latest``,
    ``all``).
``indicators``
    the leaves of the tree: codes, or ``{code, direction, kind, title}`` (direction +1/-1 overrides the
    indicator metadata of the data).
``groups``
    ``[{id, children: [...], title}]``: any depth; the one group that is nobody's child is the index. Without
    groups the index is ``index`` with every indicator as a child.
``transform``
    ``[{code, method, params}]``: derived indicators, computed over the (year, territory) panel.
``impute``, ``treat``, ``normalise``
    ``{method, params}`` for all indicators, or ``{default: {method, params}, by_indicator: {code: {...}}}``.
``weight``, ``aggregate``
    the same with ``by_group`` (weights of a group's children; aggregation of a group). ``aggregate`` also
    takes ``weights: equal`` or ``weights: {child: w}`` as a short form of ``weight``.
``classify``
    ``{id, on, method, params, classes | labels}`` or a list of them (several classifications).
``expected``
    published values to reproduce (see :mod:`aimaq.engine.reproduce`).

Parameters may be written under ``params:`` or inline next to ``method`` (``classify: {method: thresholds,
domain: integer, classes: [...]}``); the key path of an error names the place where it was written.

Examples
--------
>>> m = Methodology.from_dict({"name": "toy", "title": {"en": "Toy"}, "indicators": ["a", "b"],
...                            "normalise": {"method": "minmax", "params": {"a": 0, "b": 1}},
...                            "aggregate": {"method": "arithmetic_mean", "weights": "equal"}})
>>> m.leaves, m.root, m.children(m.root)
(('a', 'b'), 'index', ('a', 'b'))
>>> Methodology.from_dict(  # doctest: +ELLIPSIS
...     {"name": "toy", "title": {"en": "Toy"}, "indicators": ["a"],
...                       "normalise": {"method": "minmaxx"}})
Traceback (most recent call last):
...
aimaq.engine.errors.SpecErrors: <dict>, normalise.method: unknown normalise method 'minmaxx'; ...
1 problem in <dict>; nothing was computed.
"""

from __future__ import annotations

import copy
import inspect
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aimaq.engine.errors import SpecErrors, SpecProblem
from aimaq.methods import closest, get_method, method_names

#: Pipeline steps in order (``explain`` runs on demand in the Result).
STEPS: tuple[str, ...] = (
    "select",
    "transform",
    "impute",
    "treat",
    "normalise",
    "weight",
    "aggregate",
    "classify",
)
#: The table each step leaves in ``Result.data``.
DATA_KEYS: dict[str, str] = {
    "select": "selected",
    "transform": "transformed",
    "impute": "imputed",
    "treat": "treated",
    "normalise": "normalised",
    "weight": "weights",
    "aggregate": "aggregated",
    "classify": "classified",
}
#: Keywords the engine fills itself: never written in a spec.
ENGINE_ARGUMENTS: frozenset[str] = frozenset(
    {"X", "x", "w", "learned", "direction", "groups", "history", "years", "territories", "variables"}
)
#: What the engine fills for transforms (whose positional parameters are indicator codes in a spec).
TRANSFORM_ENGINE_ARGUMENTS: frozenset[str] = frozenset({"learned", "years", "territories", "variables"})


def engine_arguments(step: str) -> frozenset[str]:
    """Parameters of a step's methods that the engine fills (never written in a spec)."""
    return TRANSFORM_ENGINE_ARGUMENTS if step == "transform" else ENGINE_ARGUMENTS


#: Parameters the engine itself reads for a step (accepted next to the method's own ones).
#: ``normalise.fallback``: an indicator whose values replace the points of a missing value (e.g. the
#: published points of a cell whose value the source lost: seed 004, Table 1).
ENGINE_PARAMETERS: dict[str, frozenset[str]] = {"normalise": frozenset({"fallback"})}

#: Statistics of ``summarise:`` over territories (sum and mean: seed 000 Table 2, l.328-376; share_of_max:
#: seed 000 l.382-383, P = 37.5 / (18 x 4) = 52 %).
SUMMARY_STATS: tuple[str, ...] = (
    "sum",
    "mean",
    "share_of_max",
    "min",
    "max",
    "median",
    "quantile",
    "iqr",
    "ratio",
    "count",
    "rank",
    "share_of",
)

#: Keys of a step block that are not method parameters.
RESERVED: frozenset[str] = frozenset(
    {"method", "params", "title", "description", "note", "id", "on", "data", "labels", "code", "weights"}
)
#: Top-level keys that are metadata only (changing them recomputes nothing).
METADATA_KEYS: tuple[str, ...] = (
    "name",
    "title",
    "description",
    "source",
    "status",
    "expected",
    "uncertainty",
)
#: Which step a top-level key feeds (the first step a regen edit of that key has to re-run).
KEY_STEP: dict[str, str] = {
    "select": "select",
    "corrections": "select",
    "indicators": "select",
    "transform": "transform",
    "impute": "impute",
    "treat": "treat",
    "normalise": "normalise",
    "groups": "weight",
    "weight": "weight",
    "aggregate": "weight",  # data-driven weights of upper groups depend on aggregated children
    "classify": "classify",
    "summarise": "classify",  # summaries are computed after the last step: re-run from classify
}
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_PERIOD = r"^\s*\d{4}\s*([-–—]\s*\d{4})?\s*$"  # "2020" or "2013-2018"
_STEP_OVERRIDE = {
    "impute": "by_indicator",
    "treat": "by_indicator",
    "normalise": "by_indicator",
    "weight": "by_group",
    "aggregate": "by_group",
}


# ---------------------------------------------------------------------------------------------------------
# YAML 1.2 booleans
# ---------------------------------------------------------------------------------------------------------

_BOOL_TAG = "tag:yaml.org,2002:bool"


class SpecLoader(yaml.SafeLoader):
    """PyYAML's ``SafeLoader`` with the booleans of the YAML 1.2 core schema: ``true``/``false`` only.

    PyYAML implements YAML 1.1, where ``yes``, ``no``, ``on``, ``off`` (any case) are booleans: an
    unquoted ``classify: {on: score}`` would become ``{True: "score"}`` and a category label ``no`` would
    become ``False``. YAML 1.2 (2009, section 10.3.2, "Core Schema") resolves only ``true|True|TRUE`` and
    ``false|False|FALSE`` to booleans; every other plain scalar keeps its YAML 1.1 resolution.
    """


SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SpecLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    """Parse YAML text as specs and uncertainty declarations are read: safe, with YAML 1.2 booleans.

    Raises ``yaml.YAMLError`` as ``yaml.safe_load`` does.

    Examples
    --------
    >>> load_yaml("classify: {on: score, labels: [yes, no]}\\nsensitivity: true")
    {'classify': {'on': 'score', 'labels': ['yes', 'no']}, 'sensitivity': True}
    """
    loader = SpecLoader(text)  # a SafeLoader: no arbitrary objects
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


#: More nodes than any spec needs once aliases are expanded; beyond it the text is refused before it is
#: built ("billion laughs": 9 levels of 9 aliases expand to 387 million nodes).
MAX_EXPANDED_NODES = 200_000


def _check_expanded_size(root: yaml.Node) -> None:
    """Raise ``yaml.YAMLError`` when the document, with every alias expanded, exceeds
    :data:`MAX_EXPANDED_NODES`. Sizes are memoised per node: an alias bomb is measured, never expanded."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a recursive alias counts once (PyYAML refuses recursion when constructing)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        sizes[key] = total
        return total

    n = size(root)
    if n > MAX_EXPANDED_NODES:
        raise yaml.YAMLError(
            f"the document expands to {n:,} nodes through its aliases (&/*), more than the "
            f"{MAX_EXPANDED_NODES:,} a spec may have; write the repeated parts out or use fewer aliases"
        )


# ---------------------------------------------------------------------------------------------------------
# JSON Schema
# ---------------------------------------------------------------------------------------------------------

_TEXT = {
    "type": "object",
    "description": "Text in Kazakh, Russian and English.",
    "properties": {"kk": {"type": "string"}, "ru": {"type": "string"}, "en": {"type": "string"}},
    "additionalProperties": False,
}
_STEP = {
    "type": "object",
    "description": "One method: its YAML name is its function name in aimaq.methods.<step>; parameters under "
    "`params` or inline.",
    "properties": {
        "method": {"type": "string", "pattern": _CODE.pattern},
        "params": {"type": "object"},
        "title": _TEXT,
        "note": {"type": "string"},
    },
    "required": ["method"],
}


def _step_block(override: str, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    default_form = {
        "type": "object",
        "properties": {
            "default": {"$ref": "#/$defs/step"},
            override: {"type": "object", "additionalProperties": {"$ref": "#/$defs/step"}},
            **(extra or {}),
        },
        "required": ["default"],
        "additionalProperties": False,
    }
    return {"oneOf": [{"$ref": "#/$defs/step", "not": {"required": ["default"]}}, default_form]}


_CLASSIFICATION = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": _CODE.pattern},
        "on": {
            "description": "What is classified: a group id (default: the index), an indicator code "
            "(a leaf, a derived or a raw input indicator), or a list of them (a table, for clustering and "
            "argmax).",
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}],
        },
        "data": {
            "type": "string",
            "description": "The step whose values of `on` are used (default: the "
            "aggregated scores for groups, the normalised values for indicators).",
        },
        "method": {"type": "string"},
        "params": {"type": "object"},
        "classes": {"type": "array", "items": {"type": "object"}},
        "labels": {
            "type": "array",
            "description": "Class ids and titles from the lowest class to the highest.",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "title": _TEXT},
                "required": ["id"],
            },
        },
        "title": _TEXT,
    },
    "required": ["method"],
}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://aimaq.kz/spec.schema.json",
    "title": "aimaq methodology spec",
    "description": "One composite-indicator methodology: select, transform, impute, treat, normalise, "
    "weight, aggregate, classify; optionally the published values it reproduces. Generated from "
    "aimaq.engine.spec.SCHEMA; do not edit by hand.",
    "type": "object",
    "properties": {
        "name": {
            "type": "string",
            "pattern": _CODE.pattern,
            "description": "lower_snake ASCII; the file stem",
        },
        "title": {**_TEXT, "required": ["en"]},
        "description": _TEXT,
        "status": {"enum": ["preset", "example", "proposal", "variant"]},
        "source": {
            "type": "object",
            "properties": {
                "seed": {"type": ["string", "integer"]},
                "tables": {"type": "array", "items": {"type": "string"}},
                "lines": {"type": "string"},
                "citation": {"type": "string"},
                "url": {"type": "string"},
            },
        },
        "select": {
            "type": "object",
            "properties": {
                "territories": {
                    "type": "object",
                    "properties": {
                        "codes": {"type": "array", "items": {"type": "string"}},
                        "level": {
                            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                        },
                        "parent": {
                            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                        },
                        "within": {
                            "type": "string",
                            "description": "descendants of this territory, any depth",
                        },
                        "at": {"type": "string", "description": "validity date YYYY-MM-DD"},
                        "exclude": {"type": "array", "items": {"type": "string"}},
                    },
                    "additionalProperties": False,
                },
                "spans": {
                    "enum": ["end", "ignore"],
                    "description": "period observations (2013-2021): used for their end year where no single "
                    "year is observed (end, the default), or left out (ignore)",
                },
                "years": {
                    "oneOf": [
                        {
                            "type": "array",
                            "items": {"oneOf": [{"type": "integer"}, {"type": "string", "pattern": _PERIOD}]},
                            "minItems": 1,
                        },
                        {"type": "integer"},
                        {"enum": ["latest", "all"]},
                        {
                            "type": "object",
                            "properties": {"from": {"type": "integer"}, "to": {"type": "integer"}},
                            "required": ["from", "to"],
                            "additionalProperties": False,
                        },
                    ]
                },
            },
            "additionalProperties": False,
        },
        "indicators": {
            "type": "array",
            "minItems": 1,
            "items": {
                "oneOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "properties": {
                            "code": {"type": "string"},
                            "direction": {"enum": [1, -1]},
                            "kind": {"enum": ["numeric", "categorical"]},
                            "title": _TEXT,
                            "unit": {"type": "string"},
                            "note": {"type": "string"},
                        },
                        "required": ["code"],
                        "additionalProperties": False,
                    },
                ]
            },
        },
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "pattern": _CODE.pattern},
                    "children": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "title": _TEXT,
                },
                "required": ["id", "children"],
                "additionalProperties": False,
            },
        },
        "corrections": {
            "type": "array",
            "description": "Source cells replaced before anything is computed (a documented defect of the "
            "source), each with its reason or note; the log lists them with the value they replace.",
            "items": {
                "type": "object",
                "properties": {
                    "territory": {"type": "string"},
                    "indicator": {"type": "string"},
                    "year": {"oneOf": [{"type": "integer"}, {"type": "string", "pattern": _PERIOD}]},
                    "value": {"type": "number"},
                    "label": {"type": "string"},
                    "note": {
                        "type": "string",
                        "description": "a note id of the data (its alt_value is used when no value is given)",
                    },
                    "reason": {"type": "string"},
                },
                "required": ["territory", "indicator", "year"],
                "anyOf": [{"required": ["value"]}, {"required": ["label"]}, {"required": ["note"]}],
                "additionalProperties": False,
            },
        },
        "transform": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "pattern": _CODE.pattern},
                    "method": {"type": "string"},
                    "params": {"type": "object"},
                    "title": _TEXT,
                    "note": {"type": "string"},
                },
                "required": ["code", "method"],
            },
        },
        "impute": {"$ref": "#/$defs/by_indicator"},
        "treat": {"$ref": "#/$defs/by_indicator"},
        "normalise": {"$ref": "#/$defs/by_indicator"},
        "weight": {"$ref": "#/$defs/by_group"},
        "aggregate": {"$ref": "#/$defs/by_group"},
        "classify": {
            "oneOf": [
                {"$ref": "#/$defs/classification"},
                {"type": "array", "items": {"$ref": "#/$defs/classification"}, "minItems": 1},
            ]
        },
        "summarise": {
            "description": "Statistics over territories, added as rows (territory = id) to the result table "
            "and to Result.data['summarised'], so that `expected:` can address them.",
            "oneOf": [
                {"$ref": "#/$defs/summary"},
                {"type": "array", "items": {"$ref": "#/$defs/summary"}, "minItems": 1},
            ],
        },
        "expected": {
            "oneOf": [{"$ref": "#/$defs/expected"}, {"type": "array", "items": {"$ref": "#/$defs/expected"}}]
        },
        "uncertainty": {"type": "object", "description": "Read by aimaq.engine.uncertainty."},
    },
    "required": ["name", "title", "indicators"],
    "additionalProperties": False,
    "$defs": {
        "text": _TEXT,
        "step": _STEP,
        "by_indicator": _step_block("by_indicator"),
        "by_group": _step_block("by_group", {"weights": {"oneOf": [{"type": "string"}, {"type": "object"}]}}),
        "classification": _CLASSIFICATION,
        "summary": {
            "type": "object",
            "properties": {
                "id": {
                    "type": "string",
                    "pattern": _CODE.pattern,
                    "description": "the row's territory key (not a selected territory)",
                },
                "over": {
                    "description": "the territories summarised: every selected one, or a list of codes",
                    "oneOf": [
                        {"const": "selected"},
                        {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    ],
                },
                "stat": {"enum": list(SUMMARY_STATS)},
                "of": {
                    "description": "score, a group id, an indicator (its normalised value when it is a "
                    "leaf) or a list of them (default: score, every group and every leaf)",
                    "oneOf": [
                        {"type": "string"},
                        {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    ],
                },
                "max": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "description": "share_of_max: the most one territory can reach",
                },
                "scale": {
                    "type": "number",
                    "description": "share_of_max, share_of: 100 for percent (default)",
                },
                "q": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1,
                    "description": "quantile: the probability",
                },
                "method": {"type": "string", "description": "quantile, iqr: numpy's quantile method"},
                "numerator": {"enum": ["sum", "mean", "min", "max", "median"], "description": "ratio"},
                "denominator": {"enum": ["sum", "mean", "min", "max", "median"], "description": "ratio"},
                "above": {
                    "oneOf": [{"type": "number"}, {"enum": ["sum", "mean", "min", "max", "median"]}],
                    "description": "count: values strictly above a number or a statistic of the territories",
                },
                "below": {
                    "oneOf": [{"type": "number"}, {"enum": ["sum", "mean", "min", "max", "median"]}],
                    "description": "count: values strictly below a number or a statistic of the territories",
                },
                "territory": {"type": "string", "description": "rank: the territory ranked (1 = largest)"},
                "ascending": {"type": "boolean", "description": "rank: 1 = the smallest value"},
                "reference": {
                    "type": "string",
                    "description": "share_of: the territory whose value is the whole (a selected one or "
                    "another territory with data)",
                },
                "missing": {
                    "enum": ["propagate", "skip"],
                    "description": "propagate (default): a missing value leaves the statistic missing; skip: "
                    "over the territories with a value",
                },
                "table": {
                    "type": "string",
                    "description": "summarise the rows of this reference table instead of territories; `of` "
                    "names its column",
                },
                "where": {"type": "object", "description": "table: keep the rows with these column values"},
                "title": _TEXT,
                "note": {"type": "string"},
            },
            "required": ["id", "stat"],
            "additionalProperties": False,
            "allOf": [
                {"if": {"properties": {"stat": {"const": "share_of_max"}}}, "then": {"required": ["max"]}},
                {"if": {"properties": {"stat": {"const": "quantile"}}}, "then": {"required": ["q"]}},
                {
                    "if": {"properties": {"stat": {"const": "ratio"}}},
                    "then": {"required": ["numerator", "denominator"]},
                },
                {"if": {"properties": {"stat": {"const": "rank"}}}, "then": {"required": ["territory"]}},
                {"if": {"properties": {"stat": {"const": "share_of"}}}, "then": {"required": ["reference"]}},
            ],
        },
        "expected": {
            "type": "object",
            "description": "Published values to reproduce. Every key other than those listed is a column "
            "of the result table (score, rank, class, a group id) or `<data step>.<column>`, mapping "
            "territory -> value.",
            "properties": {
                "source": {"type": "object"},
                "year": {"type": "integer"},
                "tolerance": {
                    "oneOf": [
                        {"type": "number", "minimum": 0},
                        {
                            "type": "object",
                            "properties": {"abs": {"type": "number"}, "rel": {"type": "number"}},
                            "additionalProperties": False,
                        },
                    ]
                },
                "observed": {
                    "type": "object",
                    "description": "Published values stored as observations of the data: "
                    "{column: indicator}.",
                    "additionalProperties": {"type": "string"},
                },
                "known": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "territory.column -> why the published value is not reproduced",
                },
                "claim": {
                    "type": "string",
                    "description": "the published statement the block's cells check (seed 001's C02)",
                },
                "claims": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "column -> the published statement its cells check",
                },
                "unavailable": {
                    "type": "array",
                    "description": "Published cells the method cannot compute because the source does not "
                    "give their inputs: listed as 'not computable' with the reason, never compared.",
                    "items": {
                        "type": "object",
                        "properties": {
                            "column": {"type": "string"},
                            "reason": {"type": "string", "minLength": 1},
                            "values": {"type": "object", "minProperties": 1},
                            "lines": {"type": "string"},
                            "claim": {"type": "string"},
                        },
                        "required": ["column", "reason", "values"],
                        "additionalProperties": False,
                    },
                },
            },
            "additionalProperties": {"type": "object"},
        },
    },
}


def schema_json() -> str:
    """The JSON Schema as published in ``docs/spec.schema.json`` (sorted keys, 2-space indent)."""
    return json.dumps(SCHEMA, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# ---------------------------------------------------------------------------------------------------------
# Parsed pieces
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepEntry:
    """One method call of a step as written in the spec.

    ``key`` is the spec key path of the entry (``normalise.default``, ``normalise.by_indicator.gdp``,
    ``transform.0``, ``classify``); ``param_keys`` maps each parameter to the key path it was written at.
    ``columns`` lists the indicators (or groups) it applies to, filled by the pipeline for defaults.
    """

    step: str
    key: str
    method: str
    params: Mapping[str, Any]
    param_keys: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None  # an indicator code (by_indicator) or a group id (by_group)
    extra: Mapping[str, Any] = field(default_factory=dict)


def _entry(step: str, key: str, block: Mapping[str, Any], target: str | None = None) -> StepEntry:
    params: dict[str, Any] = {}
    keys: dict[str, str] = {}
    for name, value in (block.get("params") or {}).items():
        params[name] = value
        keys[name] = f"{key}.params.{name}"
    reserved = RESERVED if step == "aggregate" else RESERVED - {"weights"}
    for name, value in block.items():
        if name in reserved or name in ("default", "by_indicator", "by_group"):
            continue
        if step == "classify" and name == "classes" and "classes" in params:
            continue
        params[name] = value
        keys[name] = f"{key}.{name}"
    extra = {k: v for k, v in block.items() if k in reserved and k not in ("method", "params")}
    return StepEntry(step, key, str(block.get("method")), params, keys, target, extra)


def _text(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {k: str(v) for k, v in value.items()}
    if isinstance(value, str):
        return {"en": value}
    return {}


# ---------------------------------------------------------------------------------------------------------
# Methodology
# ---------------------------------------------------------------------------------------------------------


class Methodology:
    """A validated methodology spec.

    Build one with :meth:`from_yaml` or :meth:`from_dict`; both raise :class:`SpecErrors` listing every
    problem that can be found without data. :meth:`check` finds the problems that need the data (unknown
    indicators, band tables by name, k larger than the number of territories); :meth:`compute` runs both.
    """

    def __init__(self, spec: Mapping[str, Any], *, path: str | Path | None = None, validate: bool = True):
        self._spec: dict[str, Any] = copy.deepcopy(dict(spec))
        self.path: Path | None = Path(path) if path is not None else None
        if validate:
            problems = self.problems()
            if problems:
                raise SpecErrors(problems)

    # ------------------------------------------------------------------ construction
    @classmethod
    def load(cls, name_or_path: str | Path) -> Methodology:
        """A shipped methodology by name (``"seed004_monotown_potential"``, see ``aimaq methods list``) or a
        spec file by path; validated like :meth:`from_yaml`."""
        from aimaq.engine.registry import load  # the registry reads specs through this class

        return load(name_or_path)

    @classmethod
    def from_yaml(cls, path: str | Path) -> Methodology:
        """Read a spec file (:func:`load_yaml`) and validate it."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecErrors(
                [SpecProblem(str(p), "", f"cannot read the file ({exc.strerror})", "yaml")]
            ) from None
        except UnicodeDecodeError as exc:
            raise SpecErrors(
                [
                    SpecProblem(
                        str(p),
                        f"byte {exc.start}",
                        f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save the spec as UTF-8",
                        "yaml",
                    )
                ]
            ) from None
        return cls.from_text(text, path=p)

    @classmethod
    def from_text(cls, text: str, *, path: str | Path | None = None) -> Methodology:
        """Parse YAML text (:func:`load_yaml`: YAML 1.2 booleans) and validate it."""
        name = str(path) if path is not None else "<text>"
        try:
            spec = load_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise SpecErrors([SpecProblem(name, where, f"not valid YAML: {problem}", "yaml")]) from None
        if not isinstance(spec, Mapping):
            raise SpecErrors(
                [SpecProblem(name, "", "a spec is a YAML mapping (name: ..., title: ...)", "schema")]
            )
        return cls(spec, path=path)

    @classmethod
    def from_dict(cls, spec: Mapping[str, Any], *, path: str | Path | None = None) -> Methodology:
        """Validate a spec given as a dict."""
        return cls(spec, path=path)

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of the spec as written."""
        return copy.deepcopy(self._spec)

    def to_yaml(self) -> str:
        """The spec as YAML (Cyrillic kept readable)."""
        return yaml.safe_dump(self._spec, allow_unicode=True, sort_keys=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Methodology) and self._spec == other._spec

    def __hash__(self) -> int:
        return hash(json.dumps(self._spec, sort_keys=True, default=str))

    def __repr__(self) -> str:
        return f"Methodology({self.name!r})"

    @property
    def file(self) -> str:
        """The spec file name used in messages (``<dict>`` for a spec built in Python)."""
        return str(self.path) if self.path is not None else "<dict>"

    # ------------------------------------------------------------------ metadata
    @property
    def name(self) -> str:
        return str(self._spec.get("name", ""))

    @property
    def title(self) -> dict[str, str]:
        return _text(self._spec.get("title"))

    @property
    def description(self) -> dict[str, str]:
        return _text(self._spec.get("description"))

    @property
    def source(self) -> dict[str, Any]:
        return dict(self._spec.get("source") or {})

    @property
    def status(self) -> str:
        return str(self._spec.get("status", "preset"))

    def get(self, key: str, default: Any = None) -> Any:
        """The value at a key path (``normalise.default.params.a``); ``default`` when absent."""
        node: Any = self._spec
        for part in _split(key):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return default
        return node

    # ------------------------------------------------------------------ tree
    @property
    def indicator_specs(self) -> tuple[dict[str, Any], ...]:
        """The ``indicators:`` entries as dicts with at least ``code``."""
        out = []
        for item in self._spec.get("indicators") or []:
            out.append({"code": item} if isinstance(item, str) else dict(item))
        return tuple(out)

    @property
    def leaves(self) -> tuple[str, ...]:
        """Indicator codes of the tree's leaves, in spec order."""
        return tuple(str(i["code"]) for i in self.indicator_specs)

    @property
    def transform_entries(self) -> tuple[StepEntry, ...]:
        out = []
        for i, block in enumerate(self._spec.get("transform") or []):
            e = _entry("transform", f"transform.{i}", block)
            out.append(
                StepEntry("transform", e.key, e.method, e.params, e.param_keys, str(block.get("code")))
            )
        return tuple(out)

    @property
    def derived(self) -> tuple[str, ...]:
        """Codes produced by ``transform`` entries."""
        return tuple(e.target for e in self.transform_entries if e.target)

    @property
    def groups(self) -> dict[str, tuple[str, ...]]:
        """Group id -> children, with the implicit ``index`` group when the spec has none."""
        gs = self._spec.get("groups") or []
        if not gs:
            return {"index": self.leaves}
        return {str(g["id"]): tuple(str(c) for c in g.get("children") or []) for g in gs}

    @property
    def root(self) -> str:
        """The id of the index: the group that is no other group's child."""
        groups = self.groups
        children = {c for cs in groups.values() for c in cs}
        roots = [g for g in groups if g not in children]
        return roots[0] if roots else next(iter(groups))

    def children(self, node: str) -> tuple[str, ...]:
        return self.groups.get(node, ())

    def postorder(self) -> list[str]:
        """Groups with every group after its child groups (the order of aggregation); the root is last."""
        groups = self.groups
        out: list[str] = []
        seen: set[str] = set()

        def visit(g: str) -> None:
            if g in seen:
                return
            seen.add(g)
            for c in groups.get(g, ()):
                if c in groups:
                    visit(c)
            out.append(g)

        visit(self.root)
        return out

    def direction(self, code: str) -> int | None:
        """Direction written in the spec for an indicator (None = from the data's metadata)."""
        for i in self.indicator_specs:
            if i["code"] == code and "direction" in i:
                return int(i["direction"])
        return None

    def kind(self, code: str) -> str | None:
        for i in self.indicator_specs:
            if i["code"] == code and "kind" in i:
                return str(i["kind"])
        return None

    # ------------------------------------------------------------------ steps
    def entries(self, step: str) -> list[StepEntry]:
        """The method calls of a step: the default first, then overrides (``by_indicator``/``by_group``)."""
        if step == "transform":
            return list(self.transform_entries)
        block = self._spec.get(step)
        if block is None:
            return []
        if step == "classify":
            blocks = block if isinstance(block, list) else [block]
            out = []
            for i, b in enumerate(blocks):
                key = f"classify.{i}" if isinstance(block, list) else "classify"
                out.append(_entry("classify", key, b, str(b.get("id", "class"))))
            return out
        if not isinstance(block, Mapping):
            return []
        override = _STEP_OVERRIDE.get(step, "by_indicator")
        if "default" in block:
            out = [_entry(step, f"{step}.default", block["default"] or {})]
            for target, b in (block.get(override) or {}).items():
                out.append(_entry(step, f"{step}.{override}.{target}", b or {}, str(target)))
            return out
        if step == "aggregate" and "method" not in block:
            return []
        return [_entry(step, step, block)]

    def weight_shorthand(self) -> StepEntry | None:
        """``aggregate: {weights: equal}`` or ``{weights: {child: w}}`` read as a ``weight`` entry."""
        block = self._spec.get("aggregate")
        if not isinstance(block, Mapping) or "weights" not in block or self._spec.get("weight") is not None:
            return None
        w = block["weights"]
        if isinstance(w, str):
            return StepEntry("weight", "aggregate.weights", w, {}, {})
        return StepEntry(
            "weight", "aggregate.weights", "explicit", {"weights": w}, {"weights": "aggregate.weights"}
        )

    @property
    def classifications(self) -> list[StepEntry]:
        return self.entries("classify")

    @property
    def summaries(self) -> list[tuple[str, dict[str, Any]]]:
        """``summarise:`` entries as (key path, block): one mapping or a list of them."""
        block = self._spec.get("summarise")
        if block is None:
            return []
        if isinstance(block, list):
            return [(f"summarise.{i}", dict(b)) for i, b in enumerate(block)]
        return [("summarise", dict(block))]

    # ------------------------------------------------------------------ edits
    def with_edits(self, edits: Mapping[str, Any]) -> Methodology:
        """A new, validated Methodology with values replaced at key paths (``{"aggregate.method": ...}``).

        A path may end in a key that does not exist yet (a parameter that was left at its default); every
        other part must exist. Problems are raised together as :class:`SpecErrors` with reason ``bad_edit``.
        """
        spec = copy.deepcopy(self._spec)
        problems = []
        for key, value in edits.items():
            parts = _split(key)
            node: Any = spec
            ok = True
            for j, part in enumerate(parts[:-1]):
                nxt = parts[j + 1]
                if isinstance(node, Mapping):
                    if part not in node:
                        node[part] = [] if nxt.isdigit() else {}
                    node = node[part]
                elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                    node = node[int(part)]
                else:
                    problems.append(
                        SpecProblem(
                            self.file,
                            key,
                            f"{'.'.join(parts[: j + 1])} is not a mapping or a list position that exists",
                            "bad_edit",
                        )
                    )
                    ok = False
                    break
            if not ok:
                continue
            last = parts[-1]
            if isinstance(node, Mapping):
                node[last] = copy.deepcopy(value)
            elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
                node[int(last)] = copy.deepcopy(value)
            else:
                problems.append(SpecProblem(self.file, key, "the path does not exist", "bad_edit"))
        if problems:
            raise SpecErrors(problems)
        return Methodology(spec, path=self.path)

    def first_step_touched(self, keys: Sequence[str]) -> str | None:
        """The earliest pipeline step that an edit of these key paths has to re-run (None: metadata only)."""
        order = {s: i for i, s in enumerate(STEPS)}
        touched = [KEY_STEP[k.split(".")[0]] for k in keys if k.split(".")[0] in KEY_STEP]
        return min(touched, key=order.__getitem__) if touched else None

    # ------------------------------------------------------------------ validation
    def problems(self) -> list[SpecProblem]:
        """Every problem that can be found without data (schema, names, parameters, tree, weights, tables)."""
        problems = _schema_problems(self._spec, self.file)
        if problems:  # the checks below assume the structure is right
            return problems
        return _static_problems(self)

    def check(self, data: Any) -> list[SpecProblem]:
        """Every problem of running this spec on ``data`` (a :class:`aimaq.dataset.Dataset`); [] = ready."""
        from aimaq.engine.pipeline import data_problems

        return data_problems(self, data)

    def compute(self, data: Any) -> Any:
        """Run the pipeline: ``compute(self, data)`` (see :func:`aimaq.engine.pipeline.compute`)."""
        from aimaq.engine.pipeline import compute

        return compute(self, data)


def _split(key: str) -> list[str]:
    # "transform[0].params" and "transform.0.params" are the same path
    return [p for p in re.split(r"[.\[\]]+", str(key)) if p != ""]


def _schema_problems(spec: Mapping[str, Any], file: str) -> list[SpecProblem]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(SCHEMA)
    out = []
    for err in sorted(validator.iter_errors(spec), key=lambda e: [str(p) for p in e.absolute_path]):
        # for oneOf failures, report the most specific sub-error (the branch that got furthest)
        best = _deepest(err)
        path = ".".join(str(p) for p in best.absolute_path)
        out.append(SpecProblem(file, path, best.message, "schema"))
    return out


def _deepest(err: Any) -> Any:
    """Of a ``oneOf``/``anyOf`` failure, the sub-error of the branch that got furthest into the spec (the
    longest key path; the first on ties), so that ``summarise: {stat: share_of_max}`` reports the missing
    ``max`` rather than "not valid under any of the given schemas"."""
    best = err
    for sub in err.context or ():
        cand = _deepest(sub)
        if len(cand.absolute_path) > len(best.absolute_path) or best is err:
            best = cand
    return best


def _signature_problems(m: Methodology, entry: StepEntry, step_module: str) -> list[SpecProblem]:
    out: list[SpecProblem] = []
    try:
        func = get_method(step_module, entry.method)
    except ValueError as exc:
        return [SpecProblem(m.file, f"{entry.key}.method", str(exc), "unknown_method")]
    sig = inspect.signature(func)
    engine_args = engine_arguments(entry.step)
    accepted = [n for n, p in sig.parameters.items() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    var_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values())
    settable = [n for n in accepted if n not in engine_args]
    own = ENGINE_PARAMETERS.get(entry.step, frozenset())
    for name in entry.params:
        if name in own:
            if name == "fallback" and (
                entry.method not in ("bands", "categories") or not isinstance(entry.params[name], str)
            ):
                out.append(
                    SpecProblem(
                        m.file,
                        entry.param_keys.get(name, f"{entry.key}.params.{name}"),
                        "fallback: an indicator code, for `bands` or `categories` scoring only",
                        "bad_parameter",
                    )
                )
            continue
        if name not in accepted and not var_kw:
            near = closest(name, settable)
            hint = f"; closest {near!r}" if near else ""
            listed = ", ".join(settable) or "none"
            out.append(
                SpecProblem(
                    m.file,
                    entry.param_keys.get(name, f"{entry.key}.params.{name}"),
                    f"{entry.step}.{entry.method} has no parameter {name!r}{hint}. Its parameters: {listed}",
                    "unknown_parameter",
                )
            )
        elif name in engine_args:
            out.append(
                SpecProblem(
                    m.file,
                    entry.param_keys.get(name, entry.key),
                    f"{name!r} is filled by the engine and cannot be set in a spec",
                    "bad_parameter",
                )
            )
    for name, p in sig.parameters.items():
        if name in engine_args or p.kind in (
            inspect.Parameter.VAR_KEYWORD,
            inspect.Parameter.VAR_POSITIONAL,
        ):
            continue
        if p.default is inspect.Parameter.empty and name not in entry.params:
            if entry.step == "transform" and p.kind is not inspect.Parameter.KEYWORD_ONLY:
                msg = f"transform.{entry.method} needs the indicator {name!r} (an indicator code)"
            else:
                msg = f"{entry.step}.{entry.method} needs the parameter {name!r}"
            out.append(SpecProblem(m.file, f"{entry.key}.params.{name}", msg, "missing_parameter"))
    return out


def _static_problems(m: Methodology) -> list[SpecProblem]:
    from aimaq.methods import normalise as normalise_mod

    f = m.file
    out: list[SpecProblem] = []
    if not _CODE.match(m.name):
        out.append(SpecProblem(f, "name", f"{m.name!r} must be lower_snake ASCII (a-z, 0-9, _)", "schema"))
    # ---- indicators and tree
    leaves = list(m.leaves)
    for code in sorted({c for c in leaves if leaves.count(c) > 1}):
        out.append(SpecProblem(f, "indicators", f"indicator {code!r} is listed more than once", "duplicate"))
    derived = list(m.derived)
    for i, e in enumerate(m.transform_entries):
        if derived.count(e.target) > 1 and derived.index(e.target) != i:
            out.append(SpecProblem(f, f"{e.key}.code", f"{e.target!r} is produced twice", "duplicate"))
    gs = m._spec.get("groups") or []
    ids = [str(g["id"]) for g in gs]
    for gid in sorted({g for g in ids if ids.count(g) > 1}):
        out.append(SpecProblem(f, "groups", f"group {gid!r} is defined more than once", "duplicate"))
    for gid in sorted(set(ids) & set(leaves)):
        out.append(SpecProblem(f, "groups", f"{gid!r} is both a group and an indicator", "duplicate"))
    if gs:
        known = set(ids) | set(leaves)
        used: dict[str, str] = {}
        for gi, g in enumerate(gs):
            for ci, child in enumerate(g["children"]):
                if child not in known:
                    near = closest(child, sorted(known))
                    hint = f"; closest {near!r}" if near else ""
                    out.append(
                        SpecProblem(
                            f,
                            f"groups.{gi}.children.{ci}",
                            f"{child!r} is neither an indicator of `indicators` nor a group{hint}",
                            "unknown_group",
                        )
                    )
                elif child in used:
                    out.append(
                        SpecProblem(
                            f,
                            f"groups.{gi}.children.{ci}",
                            f"{child!r} is already a child of group {used[child]!r}; a tree "
                            "node has one parent",
                            "tree",
                        )
                    )
                else:
                    used[child] = str(g["id"])
        roots = [g for g in ids if g not in used]
        if len(roots) > 1:
            out.append(
                SpecProblem(
                    f,
                    "groups",
                    f"several groups are nobody's child ({', '.join(roots)}); add one "
                    "group (the index) with them as children",
                    "tree",
                )
            )
        if not roots and ids:
            out.append(
                SpecProblem(f, "groups", "every group is some group's child: the tree has a cycle", "tree")
            )
        for code in leaves:
            if code not in used:
                out.append(SpecProblem(f, "indicators", f"indicator {code!r} is in no group", "tree"))
    # ---- methods and parameters
    for e in m.transform_entries:
        out += _signature_problems(m, e, "transform")
        if e.method == "expression" and "expr" in e.params:
            from aimaq.methods.transform import expression_names

            try:
                expression_names(e.params["expr"])
            except ValueError as exc:
                out.append(SpecProblem(f, e.param_keys["expr"], str(exc), "bad_parameter"))
    group_ids = set(m.groups)
    for step in ("impute", "treat", "normalise", "weight", "aggregate"):
        for e in m.entries(step):
            out += _signature_problems(m, e, step)
            if e.target is not None:
                valid = group_ids if step in ("weight", "aggregate") else set(leaves) | set(derived)
                if e.target not in valid:
                    near = closest(e.target, sorted(valid))
                    hint = f"; closest {near!r}" if near else ""
                    what = "group" if step in ("weight", "aggregate") else "indicator"
                    out.append(
                        SpecProblem(
                            f,
                            e.key,
                            f"{e.target!r} is not a {what} of this spec{hint}",
                            "unknown_group" if what == "group" else "unknown_indicator",
                        )
                    )
    if (m.entries("weight") or m.weight_shorthand()) and not m.entries("aggregate"):
        out.append(
            SpecProblem(
                f, "weight", "weights are only used by an aggregate step; add `aggregate:`", "bad_parameter"
            )
        )
    shorthand = m.weight_shorthand()
    weight_entries = m.entries("weight") or ([shorthand] if shorthand else [])
    if shorthand is not None and not m.entries("weight"):
        out += _signature_problems(m, shorthand, "weight")
    out += _weight_problems(m, weight_entries)
    # ---- label maps: YAML 1.1 reads the labels yes/no/on/off as booleans
    for e in m.entries("normalise"):
        points = e.params.get("points")
        if e.method == "categories" and isinstance(points, Mapping):
            for label in points:
                if isinstance(label, bool):
                    out.append(
                        SpecProblem(
                            f,
                            e.param_keys.get("points", f"{e.key}.params.points"),
                            f"the label {label!r} is a YAML boolean: YAML reads yes/no/on/off as "
                            "true/false; quote the label ('no': 0)",
                            "bad_parameter",
                        )
                    )
    # ---- band tables written inline
    for e in m.entries("normalise"):
        if e.method == "bands" and isinstance(e.params.get("table"), list):
            try:
                issues = normalise_mod.validate_bands(
                    e.params["table"],
                    e.params.get("domain", "real"),
                    name=e.param_keys.get("table", f"{e.key}.params.table"),
                )
            except ValueError as exc:
                out.append(SpecProblem(f, e.param_keys.get("table", e.key), str(exc), "bands"))
                continue
            for issue in issues:
                out.append(
                    SpecProblem(
                        f, e.param_keys.get("table", e.key), issue.message.split(": ", 1)[-1], "bands"
                    )
                )
    # ---- classifications
    seen_ids: list[str] = []
    for e in m.classifications:
        out += _signature_problems(m, e, "classify")
        if e.target in seen_ids:
            out.append(
                SpecProblem(f, f"{e.key}.id", f"classification id {e.target!r} is used twice", "duplicate")
            )
        seen_ids.append(str(e.target))
        if e.method == "thresholds" and isinstance(e.params.get("classes"), list):
            from aimaq.methods.classify import validate_classes

            key = e.param_keys.get("classes", f"{e.key}.classes")
            try:
                issues = validate_classes(e.params["classes"], e.params.get("domain", "real"), name=key)
            except ValueError as exc:
                out.append(SpecProblem(f, key, str(exc), "classes"))
                continue
            for issue in issues:
                out.append(SpecProblem(f, key, issue.message.split(": ", 1)[-1], "classes"))
        # `on` may also name a raw input indicator of the data (checked against the data, with its key)
        if e.method == "argmax" and not isinstance(e.extra.get("on"), list):
            out.append(
                SpecProblem(
                    f,
                    f"{e.key}.on",
                    "argmax compares several columns: give `on` as a list (each one is a class, in order)",
                    "bad_parameter",
                )
            )
    out += _summary_problems(m)
    return out


def _summary_problems(m: Methodology) -> list[SpecProblem]:
    """A summary row may not repeat a column of another summary with the same id."""
    out: list[SpecProblem] = []
    seen: dict[tuple[str, str], str] = {}
    for key, block in m.summaries:
        of = block.get("of")
        cols = [of] if isinstance(of, str) else list(of or ["*"])
        for c in cols:
            prev = seen.get((str(block["id"]), str(c)))
            if prev is not None:
                out.append(
                    SpecProblem(
                        m.file,
                        f"{key}.of",
                        f"row {block['id']!r} already has {'every column' if c == '*' else repr(c)} "
                        f"from {prev}; give the second summary another id",
                        "duplicate",
                    )
                )
            seen[(str(block["id"]), str(c))] = key
    return out


def _weight_problems(m: Methodology, entries: Sequence[StepEntry]) -> list[SpecProblem]:
    """Explicit weights must cover the children of the groups they apply to, with no extra names."""
    from aimaq.methods.weight import validate_weights

    out = []
    groups = m.groups
    default = next((e for e in entries if e.target is None), None)
    overridden = {e.target for e in entries if e.target is not None}
    for e in entries:
        if e.method != "explicit" or "weights" not in e.params:
            continue
        key = e.param_keys.get("weights", f"{e.key}.params.weights")
        targets = [e.target] if e.target is not None else [g for g in groups if g not in overridden]
        w = e.params["weights"]
        for g in targets:
            children = list(groups.get(str(g), ()))
            if isinstance(w, Mapping) and e.target is None and len(targets) > 1:
                # one mapping for the whole tree: each group takes its children's weights
                mine = {c: w[c] for c in children if c in w}
                probs = validate_weights(mine, children)
                probs = [p for p in probs if "not an indicator" not in p]
            else:
                probs = validate_weights(w, children if isinstance(w, Mapping) else None, k=len(children))
            for p in probs:
                out.append(SpecProblem(m.file, key, f"group {g!r}: {p}", "weights"))
        if isinstance(w, Mapping) and e.target is None and len(targets) > 1:
            every = {c for g in targets for c in groups.get(g, ())}
            for name in w:
                if name not in every:
                    near = closest(str(name), sorted(every))
                    hint = f"; closest {near!r}" if near else ""
                    out.append(
                        SpecProblem(m.file, f"{key}.{name}", f"{name!r} is not in the tree{hint}", "weights")
                    )
    del default
    return out


def method_parameters(step: str, name: str) -> dict[str, Any]:
    """The settable parameters of a method and their defaults (``inspect.empty`` marks required ones)."""
    func = get_method(step, name)
    return {
        n: p.default
        for n, p in inspect.signature(func).parameters.items()
        if n not in ENGINE_ARGUMENTS
        and p.kind not in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
    }


def available_methods() -> dict[str, list[str]]:
    """Method names per step kind (what a spec may write under ``method:``)."""
    return {
        s: method_names(s)
        for s in ("transform", "impute", "treat", "normalise", "weight", "aggregate", "classify")
    }
