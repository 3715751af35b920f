"""Uncertainty and sensitivity analysis of a methodology, vectorised over replications.

An analyst who reads "Karazhal: low" or "rank 14 of 20" asks whether that holds with other reasonable
weights, another normalisation or aggregation, or with the disputed source cells read the other way. This
module answers with a Monte-Carlo run over ``N`` replications (OECD/JRC Handbook 2008, Step 7, p.34-36 and
117-131; Saisana, Saltelli and Tarantola 2005) that is computed in arrays, not by rebuilding the pipeline
for each replication.

What varies is declared as *factors*, each named by the spec key path that it changes (the same path as in
spec errors, the step log and ``Result.regen`` edits), in a spec's ``uncertainty:`` block, in a separate
YAML file or in Python::

    uncertainty:
      n: 10000                 # replications
      seed: 7                  # the same seed gives the same numbers
      sampling: sobol          # sobol (scrambled, QMC), lhs (Latin hypercube) or random
      factors:
        - {key: weight, noise: 0.25}                     # each nominal weight x U(0.75, 1.25)
        - {key: weight, dirichlet: 50}                   # or Dirichlet(50 w) around the nominal weights
        - {key: normalise.method, choices: [minmax, zscore, rank]}
        - {key: aggregate.method, choices: [arithmetic_mean, {method: geometric_mean, zeros: offset}]}
        - {key: impute.method, choices: [mean, median]}
        - {key: treat, choices: [null, {method: winsorise}]}   # null: no treatment at all
        - {key: classify.classes.1.interval.0, range: [30, 40], step: 1}   # a band edge
        - {key: classify.params.seed, seeds: 10}         # the k-means seed
        - {key: data.cells, from_notes: true}            # the notes' alt_value readings of disputed cells
        - {key: data.cells, cells: [{territory: t, indicator: i, period: "2020", values: [12.5]}]}

How it is computed (why it is fast):

* The nominal pipeline runs once (:func:`aimaq.engine.pipeline.compute`); its state before the first
  varied step is the starting point of every replication. Keys of select and transform cannot vary; the
  disputed data cells that feed a transform can: select and transform run once per distinct combination of
  their readings, and each replication starts from the leaves of its combination.
* Discrete factors (a method, a parameter value, a band edge, a seed) split the replications by level
  combination; each combination is one spec (``Methodology.with_edits``) whose deterministic steps are
  computed once for all of its replications.
* Continuous factors vary inside the batch: weights as arrays ``(B, k)`` and disputed cells as a batch of
  leaf matrices ``X (B, n, k)``, which the step methods take as a leading batch axis (impute, treat,
  normalise, aggregate, classify), in chunks that bound memory. Clustering is batched as well
  (:func:`aimaq.methods.classify.kmeans` iterates the Lloyd runs of all replications together,
  :func:`~aimaq.methods.classify.kmeans_1d_exact` runs one dynamic programme over the batch). Data-driven
  weights (PCA, entropy) and hierarchical clustering of a table are learned per replication (a loop over
  the batch of that one method only).
* Ranks are computed for all replications at once (ties share the best rank, as in ``Result.table``).

Results: per territory the median rank, the 5-95 % rank interval and the share of replications inside it,
score quantiles and the probability of each class; per factor the first-order and total Sobol indices
(:mod:`aimaq.engine.sensitivity`) of the mean absolute rank shift and of each territory's rank and score;
sentences for a profile page ("rank 3-6 of 20 in 92 % of replications") in kk/ru/en. The nominal result
is returned unchanged.

References
----------
.. [1] OECD/JRC (2008). Handbook on Constructing Composite Indicators, Step 7, p.34-36, 117-131.
.. [2] Saisana M., Saltelli A., Tarantola S. (2005). Uncertainty and sensitivity analysis techniques as
       tools for the quality assessment of composite indicators. J. R. Stat. Soc. A 168(2), 307-323,
       doi:10.1111/j.1467-985X.2005.00350.x: the average shift in ranks ``R_S`` as the output of interest.
.. [3] Saltelli et al. (2010), Jansen (1999): see :mod:`aimaq.engine.sensitivity`.

Examples
--------
>>> import pandas as pd
>>> from aimaq.dataset import Dataset
>>> obs = pd.DataFrame({"territory": ["a", "b", "a", "b"], "indicator": ["x", "x", "y", "y"],
...                     "period": ["2020"] * 4, "value": [1.0, 0.0, 0.0, 1.0]})
>>> m = Methodology.from_dict({"name": "two", "title": {"en": "Two"}, "indicators": ["x", "y"],
...     "weight": {"method": "explicit", "params": {"weights": {"x": 0.6, "y": 0.4}}},
...     "aggregate": {"method": "arithmetic_mean"}})
>>> u = analyse(m, Dataset.from_long(obs), {"n": 1024, "seed": 1, "sensitivity": False,
...             "factors": [{"key": "weight", "noise": 0.5}]})
>>> s = u.summary.loc["a"]
>>> int(s.nominal_rank), float(s.median_rank), int(s.rank_q05), int(s.rank_q95)
(1, 1.0, 1, 2)
>>> round(float((u.ranks["b"] == 1).mean()), 2)   # by hand: P(w_y > w_x) = 0.3^2 / 2 / 0.24 = 0.1875
0.19
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
import math
import os
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from aimaq.dataset import Dataset
from aimaq.engine import pipeline as pl
from aimaq.engine.errors import SpecErrors, SpecProblem
from aimaq.engine.result import Result
from aimaq.engine.sensitivity import (
    SAMPLINGS,
    saltelli_design,
    sample_unit,
    sobol_confidence,
    sobol_indices,
)
from aimaq.engine.spec import (
    ENGINE_ARGUMENTS,
    RESERVED,
    STEPS,
    Methodology,
    _split,
    _static_problems,
    load_yaml,
)
from aimaq.methods import closest, get_method

#: Key path of the disputed-cells factor (it edits the data, not the spec).
DATA_CELLS = "data.cells"
#: Keys of a factor entry, by kind.
_KIND_KEYS: dict[str, tuple[str, ...]] = {
    "choice": ("choices", "values", "range", "seeds"),
    "weights": ("noise", "dirichlet"),
    "cells": ("cells", "from_notes"),
}
_FACTOR_KEYS = frozenset(
    {"key", "also", "name", "probabilities", "step", "groups", "p", "note"}
    | {k for v in _KIND_KEYS.values() for k in v}
)
_DECLARATION_KEYS = frozenset({"n", "seed", "sampling", "sensitivity", "year", "chunk", "factors", "note"})
#: Weight methods whose output does not depend on the data (computed once per level combination).
_DATA_INDEPENDENT_WEIGHTS = frozenset({"equal", "explicit"})
#: Classifiers of a table (``on:`` a list) that take a batch of tables ``(B, n, k)`` in one call.
_BATCHED_TABLES = frozenset({"kmeans", "argmax"})
#: Bytes of working arrays one chunk of replications may use (about 8 arrays of B x n x k floats); small
#: enough to stay in cache and to give every worker thread several chunks.
_CHUNK_BYTES = 1 << 26
_ORDER = {s: i for i, s in enumerate(STEPS)}

#: Profile sentences in kk/ru/en (message id -> language -> template). Kept as data so that the i18n
#: catalogues can take them over unchanged (ids ``uncertainty.<id>``).
STATEMENTS: dict[str, dict[str, str]] = {
    "rank_interval": {
        "en": "rank {lo}–{hi} of {n} in {pct} % of replications",
        "ru": "место {lo}–{hi} из {n} в {pct} % повторений",
        "kk": "{n} ішінде {lo}–{hi} орын, қайталаулардың {pct} %-ында",
    },
    "rank_single": {
        "en": "rank {lo} of {n} in {pct} % of replications",
        "ru": "место {lo} из {n} в {pct} % повторений",
        "kk": "{n} ішінде {lo} орын, қайталаулардың {pct} %-ында",
    },
    "class_share": {
        "en": "{classification}: class {label} in {pct} % of replications",
        "ru": "{classification}: класс «{label}» в {pct} % повторений",
        "kk": "{classification}: «{label}» класы, қайталаулардың {pct} %-ында",
    },
}


# ---------------------------------------------------------------------------------------------------------
# the declaration
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One disputed source cell: the value as stored (the printed reading) and its alternative readings."""

    territory: str
    indicator: str
    period: str
    alternatives: tuple[float, ...]
    source: str = ""
    #: the cell feeds a transform (a raw input of a derived indicator): the transform step is recomputed
    #: once per distinct combination of such readings
    via_transform: bool = False

    @property
    def key(self) -> str:
        return f"{DATA_CELLS}.{self.territory}.{self.indicator}.{self.period}"


@dataclass(frozen=True)
class Factor:
    """One uncertain input, named by the spec key path it changes.

    ``kind`` is ``choice`` (one of ``levels`` is written at ``key`` and at the ``also`` key paths, e.g. a
    band edge that is the upper end of one class and the lower end of the next; ``None`` deletes the key),
    ``weights`` (``noise``: each nominal weight times U(1 - noise, 1 + noise); ``dirichlet``: weights drawn
    from Dirichlet(``dirichlet`` * nominal shares); both keep each group's nominal weight total) or
    ``cells`` (each cell takes an alternative reading with probability ``p``, else its stored value).
    """

    key: str
    kind: str
    levels: tuple[Any, ...] = ()
    also: tuple[str, ...] = ()
    probabilities: tuple[float, ...] | None = None
    noise: float | None = None
    dirichlet: float | None = None
    groups: tuple[str, ...] = ()
    cells: tuple[Cell, ...] = ()
    from_notes: bool = False
    p: float = 0.5
    name: str = ""
    where: str = ""

    @property
    def label(self) -> str:
        """The name shown in tables: ``name`` when given, else the key path."""
        return self.name or self.key

    def level_label(self, i: int) -> str:
        v = self.levels[i]
        if v is None:
            return "none"
        if isinstance(v, Mapping):
            return str(v.get("method", json.dumps(v, sort_keys=True, default=str)))
        return str(v)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"key": self.key, "kind": self.kind, "label": self.label}
        if self.kind == "choice":
            d["levels"] = [self.level_label(i) for i in range(len(self.levels))]
            if self.probabilities is not None:
                d["probabilities"] = list(self.probabilities)
        elif self.kind == "weights":
            d.update({"noise": self.noise, "dirichlet": self.dirichlet, "groups": list(self.groups)})
        else:
            d.update({"p": self.p, "cells": [dataclasses.asdict(c) for c in self.cells]})
        return d


def _problem(file: str, key: str, message: str, reason: str = "bad_parameter") -> SpecProblem:
    return SpecProblem(file, key, message, reason)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


def _parse_factor(entry: Any, where: str, file: str) -> tuple[Factor | None, list[SpecProblem]]:
    probs: list[SpecProblem] = []
    if not isinstance(entry, Mapping):
        return None, [_problem(file, where, "a factor is a mapping {key: <spec key path>, ...}", "schema")]
    for k in entry:
        if k not in _FACTOR_KEYS:
            near = closest(str(k), sorted(_FACTOR_KEYS))
            hint = f"; closest {near!r}" if near else ""
            probs.append(_problem(file, f"{where}.{k}", f"unknown factor key {k!r}{hint}", "schema"))
    key = entry.get("key")
    if not isinstance(key, str) or not key:
        probs.append(_problem(file, f"{where}.key", "must be a spec key path such as 'aggregate.method'"))
        return None, probs
    kinds = [kind for kind, keys in _KIND_KEYS.items() if any(k in entry for k in keys)]
    given = [k for keys in _KIND_KEYS.values() for k in keys if k in entry]
    if len(given) != 1:
        probs.append(
            _problem(
                file,
                where,
                "give exactly one of choices, values, range, seeds (discrete), noise, dirichlet (weights), "
                f"cells, from_notes (disputed data). Got {', '.join(given) or 'none'}.",
            )
        )
        return None, probs
    kind, what = kinds[0], given[0]
    name = str(entry.get("name", ""))
    top = key.split(".")[0]
    if kind == "cells" and key != DATA_CELLS:
        probs.append(_problem(file, f"{where}.key", f"cells vary the data: the key is {DATA_CELLS!r}"))
    if kind != "cells" and key.startswith("data"):
        probs.append(_problem(file, f"{where}.key", f"{DATA_CELLS!r} takes `cells` or `from_notes`"))
    if kind == "weights":
        if top not in ("weight", "aggregate") or (top == "aggregate" and key != "aggregate.weights"):
            probs.append(
                _problem(
                    file, f"{where}.key", "weights noise varies the key 'weight' (or 'aggregate.weights')"
                )
            )
        value = entry[what]
        ok = _number(value) and (0 <= value <= 1 if what == "noise" else value > 0)
        if not ok:
            rule = (
                "a number in [0, 1] (0.25 = ±25 %)" if what == "noise" else "a positive number (50 = tight)"
            )
            probs.append(_problem(file, f"{where}.{what}", f"must be {rule}. Got {value!r} instead."))
        groups = entry.get("groups", [])
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            probs.append(_problem(file, f"{where}.groups", "must be a list of group ids"))
            groups = []
        if probs:
            return None, probs
        return (
            Factor(
                key=key,
                kind="weights",
                noise=float(value) if what == "noise" else None,
                dirichlet=float(value) if what == "dirichlet" else None,
                groups=tuple(groups),
                name=name,
                where=where,
            ),
            [],
        )
    if kind == "cells":
        p = entry.get("p", 0.5)
        if not _number(p) or not 0 <= p <= 1:
            probs.append(_problem(file, f"{where}.p", f"must be a probability in [0, 1]. Got {p!r} instead."))
        cells: list[Cell] = []
        if what == "cells":
            rows = entry["cells"]
            if not isinstance(rows, list) or not rows:
                probs.append(_problem(file, f"{where}.cells", "must be a non-empty list of cells"))
                rows = []
            for i, row in enumerate(rows):
                at = f"{where}.cells.{i}"
                if not isinstance(row, Mapping):
                    probs.append(_problem(file, at, "a cell is {territory, indicator, period, values}"))
                    continue
                missing = [k for k in ("territory", "indicator", "period", "values") if k not in row]
                if missing:
                    probs.append(_problem(file, at, f"missing {', '.join(missing)}"))
                    continue
                vals = row["values"] if isinstance(row["values"], list) else [row["values"]]
                if not vals or not all(_number(v) for v in vals):
                    probs.append(_problem(file, f"{at}.values", f"must be numbers. Got {row['values']!r}."))
                    continue
                cells.append(
                    Cell(
                        str(row["territory"]),
                        str(row["indicator"]),
                        str(row["period"]),
                        tuple(float(v) for v in vals),
                        at,
                    )
                )
        elif entry["from_notes"] is not True:
            probs.append(_problem(file, f"{where}.from_notes", "must be true (or leave the factor out)"))
        if probs:
            return None, probs
        return (
            Factor(
                key=key,
                kind="cells",
                cells=tuple(cells),
                from_notes=what == "from_notes",
                p=float(p),
                name=name,
                where=where,
            ),
            [],
        )
    # discrete choices
    value = entry[what]
    levels: list[Any] = []
    if what == "choices":
        if not isinstance(value, list) or not value:
            probs.append(_problem(file, f"{where}.choices", "must be a non-empty list"))
        else:
            levels = list(value)
    elif what == "values":
        if not isinstance(value, list) or not value or not all(_number(v) for v in value):
            probs.append(
                _problem(file, f"{where}.values", f"must be a non-empty list of numbers. Got {value!r}.")
            )
        else:
            levels = list(value)
    elif what == "range":
        step = entry.get("step")
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(_number(v) for v in value)
            or value[1] < value[0]
        ):
            probs.append(
                _problem(file, f"{where}.range", f"must be [low, high] with low <= high. Got {value!r}.")
            )
        elif step is not None and (not _number(step) or step <= 0):
            probs.append(_problem(file, f"{where}.step", f"must be a positive number. Got {step!r}."))
        else:
            lo, hi = value
            integer = all(isinstance(v, int) for v in (lo, hi)) and (step is None or isinstance(step, int))
            if step is None:
                step = 1 if integer else (hi - lo) / 10 or 1.0
            count = math.floor((hi - lo) / step + 1e-9) + 1
            levels = [int(lo + i * step) if integer else float(lo + i * step) for i in range(count)]
    elif what == "seeds":
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            probs.append(_problem(file, f"{where}.seeds", f"must be a positive int. Got {value!r} instead."))
        else:
            levels = list(range(value))
    also = entry.get("also", [])
    if not isinstance(also, list) or not all(isinstance(a, str) and a for a in also):
        probs.append(_problem(file, f"{where}.also", f"must be a list of spec key paths. Got {also!r}."))
        also = []
    prob = entry.get("probabilities")
    if prob is not None and (
        not isinstance(prob, list)
        or len(prob) != len(levels)
        or not all(_number(q) and q >= 0 for q in prob)
        or abs(sum(prob) - 1) > 1e-9
    ):
        probs.append(
            _problem(
                file,
                f"{where}.probabilities",
                f"must be {len(levels)} non-negative numbers summing to 1. Got {prob!r}.",
            )
        )
    if probs:
        return None, probs
    return (
        Factor(
            key=key,
            kind="choice",
            levels=tuple(levels),
            also=tuple(also),
            probabilities=tuple(float(q) for q in prob) if prob is not None else None,
            name=name,
            where=where,
        ),
        [],
    )


@dataclass(frozen=True)
class Declaration:
    """What varies and how often: ``n`` replications of ``factors``, sampled by ``sampling`` from ``seed``.

    ``sensitivity`` adds the Saltelli design for Sobol indices (``N (G + 2)`` model runs for ``G``
    factors); ``year`` is the analysed year (default: the last computed); ``chunk`` caps the replications
    computed together (default: from a memory budget of about 256 MB).
    """

    factors: tuple[Factor, ...] = ()
    n: int = 1000
    seed: int | None = None
    sampling: str = "sobol"
    sensitivity: bool = True
    year: int | None = None
    chunk: int | None = None
    file: str = "<dict>"
    prefix: str = "uncertainty"

    @classmethod
    def from_dict(
        cls, block: Mapping[str, Any], *, file: str = "<dict>", prefix: str = "uncertainty"
    ) -> Declaration:
        """Read an ``uncertainty:`` block; every problem is raised at once as :class:`SpecErrors`.

        Examples
        --------
        >>> d = Declaration.from_dict({"n": 8, "factors": [{"key": "aggregate.method",
        ...                            "choices": ["arithmetic_mean", "geometric_mean"]}]})
        >>> d.n, d.factors[0].kind, d.factors[0].levels
        (8, 'choice', ('arithmetic_mean', 'geometric_mean'))
        >>> Declaration.from_dict({"n": 0, "factors": [{"key": "weight", "noise": 2}]})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        aimaq.engine.errors.SpecErrors: <dict>, uncertainty.n: must be a positive int. Got 0 instead. ...
        <dict>, uncertainty.factors.0.noise: must be a number in [0, 1] (0.25 = ±25 %). Got 2 instead. ...
        2 problems in <dict>; nothing was computed.
        """
        probs: list[SpecProblem] = []
        pre = f"{prefix}." if prefix else ""
        if not isinstance(block, Mapping):
            raise SpecErrors(
                [_problem(file, prefix, "must be a mapping {n, seed, sampling, factors}", "schema")]
            )
        for k in block:
            if k not in _DECLARATION_KEYS:
                near = closest(str(k), sorted(_DECLARATION_KEYS))
                hint = f"; closest {near!r}" if near else ""
                probs.append(_problem(file, f"{pre}{k}", f"unknown key {k!r}{hint}", "schema"))
        n = block.get("n", 1000)
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            probs.append(_problem(file, f"{pre}n", f"must be a positive int. Got {n!r} instead."))
        seed = block.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
            probs.append(_problem(file, f"{pre}seed", f"must be a non-negative int. Got {seed!r} instead."))
        sampling = block.get("sampling", "sobol")
        if sampling not in SAMPLINGS:
            probs.append(
                _problem(file, f"{pre}sampling", f"must be one of {', '.join(SAMPLINGS)}. Got {sampling!r}.")
            )
        sens = block.get("sensitivity", True)
        if not isinstance(sens, bool):
            probs.append(_problem(file, f"{pre}sensitivity", f"must be true or false. Got {sens!r}."))
        year = block.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            probs.append(_problem(file, f"{pre}year", f"must be a year (int). Got {year!r} instead."))
        chunk = block.get("chunk")
        if chunk is not None and (not isinstance(chunk, int) or isinstance(chunk, bool) or chunk < 1):
            probs.append(_problem(file, f"{pre}chunk", f"must be a positive int. Got {chunk!r} instead."))
        entries = block.get("factors", [])
        factors: list[Factor] = []
        if not isinstance(entries, list):
            probs.append(_problem(file, f"{pre}factors", "must be a list of factors", "schema"))
            entries = []
        for i, entry in enumerate(entries):
            f, ps = _parse_factor(entry, f"{pre}factors.{i}", file)
            probs += ps
            if f is not None:
                factors.append(f)
        if probs:
            raise SpecErrors(probs)
        return cls(
            factors=tuple(factors),
            n=int(n),
            seed=seed,
            sampling=str(sampling),
            sensitivity=bool(sens),
            year=year,
            chunk=chunk,
            file=file,
            prefix=prefix,
        )

    @classmethod
    def from_yaml(cls, path: str | Path) -> Declaration:
        """Read a YAML file holding an ``uncertainty:`` block (e.g. a whole spec) or the block itself."""
        p = Path(path)
        try:
            doc = load_yaml(p.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SpecErrors(
                [_problem(str(p), "", f"cannot read the file ({exc.strerror})", "yaml")]
            ) from None
        except yaml.YAMLError as exc:
            raise SpecErrors([_problem(str(p), "", f"not valid YAML: {exc}", "yaml")]) from None
        if isinstance(doc, Mapping) and "uncertainty" in doc:
            return cls.from_dict(doc["uncertainty"], file=str(p), prefix="uncertainty")
        if not isinstance(doc, Mapping):
            raise SpecErrors([_problem(str(p), "", "expected a mapping with `factors`", "schema")])
        return cls.from_dict(doc, file=str(p), prefix="")

    @classmethod
    def from_spec(cls, m: Methodology) -> Declaration | None:
        """The spec's own ``uncertainty:`` block (None when it has none)."""
        block = m.get("uncertainty")
        return None if block is None else cls.from_dict(block, file=m.file)

    @classmethod
    def default(cls, m: Methodology) -> Declaration:
        """The view every preset gets without a declaration: weights ±20 % and the notes' disputed cells.

        ±20 % is a conventional first exploration of weights (the Handbook's Step 7 example varies
        weights between the nominal and alternative schemes); the disputed cells are those for which the
        bundled notes propose an ``alt_value``.
        """
        factors: list[Factor] = [Factor(key=DATA_CELLS, kind="cells", from_notes=True, where="(default)")]
        if m.entries("aggregate"):
            factors.insert(0, Factor(key="weight", kind="weights", noise=0.2, where="(default)"))
        return cls(factors=tuple(factors), file=m.file)

    def replace(self, **changes: Any) -> Declaration:
        """A copy with some fields changed (``None`` values are ignored: keep what was declared)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


# ---------------------------------------------------------------------------------------------------------
# spec edits of a level
# ---------------------------------------------------------------------------------------------------------


def _delete(spec: dict[str, Any], key: str) -> None:
    parts = _split(key)
    node: Any = spec
    for part in parts[:-1]:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return
    if isinstance(node, dict):
        node.pop(parts[-1], None)


def edited(m: Methodology, edits: Mapping[str, Any]) -> Methodology:
    """``m`` with values written at key paths; a ``None`` value deletes the key (e.g. ``treat``).

    Examples
    --------
    >>> m = Methodology.from_dict({"name": "t", "title": {"en": "T"}, "indicators": ["a"],
    ...     "treat": {"method": "winsorise"}, "aggregate": {"method": "arithmetic_mean"}})
    >>> edited(m, {"treat": None}).get("treat") is None
    True
    """
    deletions = [k for k, v in edits.items() if v is None]
    if deletions:
        spec = m.to_dict()
        for k in deletions:
            _delete(spec, k)
        m = Methodology(spec, path=m.path)
    rest = {k: v for k, v in edits.items() if v is not None}
    return m.with_edits(rest) if rest else m


def _set(spec: dict[str, Any], key: str, value: Any) -> None:
    """Write ``value`` at a key path of a spec dict (``Methodology.with_edits``' rule: the last part may be
    new, a missing intermediate mapping is created)."""
    parts = _split(key)
    node: Any = spec
    for j, part in enumerate(parts[:-1]):
        if isinstance(node, dict):
            node = node.setdefault(part, [] if parts[j + 1].isdigit() else {})
        else:
            node = node[int(part)]
    if isinstance(node, dict):
        node[parts[-1]] = copy.deepcopy(value)
    else:
        node[int(parts[-1])] = copy.deepcopy(value)


def _combined(m: Methodology, edits: Mapping[str, Any]) -> Methodology:
    """The spec of one combination of levels: :func:`edited` without the JSON-schema pass, which every level
    passed on its own when the factors were bound; the checks of names, parameters, tree and tables still
    run on the combination (two levels may clash), and their problems are raised as in ``with_edits``."""
    spec = m.to_dict()
    for k, v in edits.items():
        if v is None:
            _delete(spec, k)
        else:
            _set(spec, k, v)
    out = Methodology(spec, path=m.path, validate=False)
    problems = _static_problems(out)
    if problems:
        raise SpecErrors(problems)
    return out


def _method_edit(
    m: Methodology, key: str, method: str, given: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Edits that switch the method at ``<block>.method``, keeping the parameters the new method accepts
    (``normalise.method: zscore`` drops minmax's ``a`` and ``b``; ``aggregate`` keeps ``weights``). A level
    written as a block (``{method: geometric_mean, params: {zeros: offset}}``) brings its own parameters."""
    parent = key[: -len(".method")]
    step = parent.split(".")[0]
    block = m.get(parent)
    block = dict(block) if isinstance(block, Mapping) else {}
    func = get_method(step, method)
    accepted = {
        n
        for n, p in inspect.signature(func).parameters.items()
        if n not in ENGINE_ARGUMENTS and p.kind is not inspect.Parameter.VAR_KEYWORD
    }
    source = dict(given) if given is not None else block
    params = {**(source.get("params") or {})}
    params.update(
        {
            k: v
            for k, v in source.items()
            if k not in RESERVED and k not in ("default", "by_indicator", "by_group")
        }
    )
    new = {k: v for k, v in block.items() if k in RESERVED and k not in ("method", "params")}
    new["method"] = method
    # a level's own parameters are kept as written (a wrong one is reported); inherited ones are filtered
    kept = params if given is not None else {k: v for k, v in params.items() if k in accepted}
    if kept:
        new["params"] = kept
    for k in ("by_indicator", "by_group"):
        if k in block:
            new[k] = block[k]
    return {parent: new}


def level_edits(m: Methodology, factor: Factor, level: int) -> dict[str, Any]:
    """The spec edits of one level of a discrete factor (what ``Result.regen`` would be given)."""
    value = factor.levels[level]
    if factor.key.endswith(".method") and isinstance(value, str):
        return _method_edit(m, factor.key, value)
    if factor.key.endswith(".method") and isinstance(value, Mapping) and "method" in value:
        return _method_edit(m, factor.key, str(value["method"]), value)
    return {k: copy.deepcopy(value) for k in (factor.key, *factor.also)}


# ---------------------------------------------------------------------------------------------------------
# the analysis
# ---------------------------------------------------------------------------------------------------------


@dataclass
class _Draws:
    levels: np.ndarray  # (R, n_choice) int
    weights: dict[str, np.ndarray]  # group -> (R, kc)
    cells: np.ndarray | None  # (R, n_cells)


def _min_ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score, ties share the best rank, NaN scores get NaN (``Result.table``'s rule).

    One sort per row for all rows at once; a tie takes the position of its first member in the sorted
    row (``method="min"`` of pandas and scipy).

    Examples
    --------
    >>> _min_ranks(np.array([[0.5, 0.9, 0.5, np.nan], [3.0, 2.0, 1.0, 0.0]]))
    array([[ 2.,  1.,  2., nan],
           [ 1.,  2.,  3.,  4.]])
    """
    S = np.atleast_2d(scores)
    missing = np.isnan(S)
    key = np.where(missing, np.inf, -S)  # descending scores, missing last
    order = np.argsort(key, axis=-1)
    ordered = np.take_along_axis(key, order, axis=-1)
    n = S.shape[-1]
    pos = np.broadcast_to(np.arange(n), S.shape)
    new = np.ones(S.shape, dtype=bool)
    new[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    first = np.maximum.accumulate(np.where(new, pos, 0), axis=-1)
    ranks = np.empty(S.shape)
    np.put_along_axis(ranks, order, first + 1.0, axis=-1)
    return np.where(missing, np.nan, ranks).reshape(np.shape(scores))


class UncertaintyAnalysis:
    """A declaration bound to a methodology and its data: validated, with the nominal result computed.

    Parameters
    ----------
    methodology : Methodology
    data : Dataset
    declaration : Declaration, mapping or None
        None: the spec's ``uncertainty:`` block, else :meth:`Declaration.default`.
    nominal : Result, optional
        The nominal result when it is already computed.
    workers : int, optional
        Threads that compute chunks in parallel (default: up to 2).

    Raises
    ------
    SpecErrors
        Every problem of the declaration with its key path (``uncertainty.factors.2.choices``), at once.
    """

    def __init__(
        self,
        methodology: Methodology,
        data: Dataset,
        declaration: Declaration | Mapping[str, Any] | None = None,
        *,
        nominal: Result | None = None,
        workers: int | None = None,
    ):
        m = methodology
        #: threads over chunks (default: up to 2 cores; the machine may be shared)
        self.workers = int(workers) if workers is not None else max(1, min(2, os.cpu_count() or 1))
        if declaration is None:
            declaration = Declaration.from_spec(m) or Declaration.default(m)
        elif isinstance(declaration, Mapping):
            declaration = Declaration.from_dict(declaration, file=m.file)
        self.methodology = m
        self.data = data
        self.nominal = nominal if nominal is not None else pl.compute(m, data)
        st = self.nominal.state
        self.warnings: list[str] = []
        decl = declaration
        self.declaration = decl
        file = decl.file
        problems: list[SpecProblem] = []
        year = decl.year if decl.year is not None else st.years[-1]
        if year not in st.years:
            problems.append(
                _problem(
                    file,
                    f"{decl.prefix}.year" if decl.prefix else "year",
                    f"year {year} was not computed; the result has {list(st.years)}",
                )
            )
            year = st.years[-1]
        self.year = int(year)
        self.yi = st.years.index(self.year)
        # ---- bind the factors: steps, levels, groups, cells
        bound: list[tuple[Factor, str]] = []
        for f in decl.factors:
            fp, step = self._bind(f, file)
            problems += fp
            if not fp and step is not None:
                if f.kind == "cells":
                    f, cell_problems = self._resolved_cells(f)
                    problems += cell_problems
                bound.append((f, step))
        if problems:
            raise SpecErrors(problems)
        bound = [(f, step) for f, step in bound if not (f.kind == "cells" and not f.cells)]
        seen: dict[str, str] = {}
        for f, _ in bound:
            for c in f.cells:
                if c.key in seen:  # one cell, two readings of its uncertainty: ambiguous
                    problems.append(
                        _problem(
                            file, f.where, f"cell {c.key} is already varied by {seen[c.key]}", "duplicate"
                        )
                    )
                seen[c.key] = f.where
        if problems:
            raise SpecErrors(problems)
        starts = [step for _, step in bound]
        self.factors: tuple[Factor, ...] = tuple(f for f, _ in bound)
        self.start = min(starts, key=_ORDER.__getitem__) if starts else "classify"
        self.state = self.nominal.state_before(self.start)  # the nominal state before the first varied step
        self.final = st
        # ---- columns of the unit sample, per factor
        self.columns: list[list[int]] = []
        d = 0
        for f in self.factors:
            width = self._width(f)
            self.columns.append(list(range(d, d + width)))
            d += width
        self.dims = d
        self.choice_factors = [i for i, f in enumerate(self.factors) if f.kind == "choice"]
        self._specs: dict[tuple[int, ...], Methodology] = {}
        self._cells = [(f, c) for f in self.factors if f.kind == "cells" for c in f.cells]
        # leaf cells are written into the leaf matrix; transform inputs select a recomputed one
        self._leaf_cells = np.array([i for i, (_, c) in enumerate(self._cells) if not c.via_transform], int)
        self._raw_cells = np.array([i for i, (_, c) in enumerate(self._cells) if c.via_transform], int)
        ti = {t: i for i, t in enumerate(st.territories)}
        leaf = [self._cells[i][1] for i in self._leaf_cells]
        self._cell_pos = (
            np.array([ti[c.territory] for c in leaf], dtype=int),
            np.array([st.leaves.index(c.indicator) for c in leaf], dtype=int),
        )
        snap = self.nominal.state_before("impute")
        assert snap.X is not None
        stored = np.zeros(len(self._cells))
        stored[self._leaf_cells] = snap.X[self.yi][self._cell_pos] if leaf else np.zeros(0)
        for i in self._raw_cells:
            c = self._cells[i][1]
            stored[i] = self._stored(c.territory, c.indicator, c.period)
        self._cell_stored = stored
        #: readings of the transform inputs -> (leaf matrix of the analysed year, final state)
        self._recomputed: dict[tuple[float, ...], tuple[np.ndarray, pl.State]] = {}
        n_obs = len(st.territories) * max(len(st.leaves), 1)
        self.chunk = decl.chunk or max(16, _CHUNK_BYTES // (8 * 8 * n_obs))

    def _stored(self, territory: str, indicator: str, period: str) -> float | None:
        """The stored numeric value of a data cell (None when the data has none)."""
        if not hasattr(self, "_values"):
            obs = self.data.observations
            num = pd.to_numeric(obs["value"], errors="coerce")
            cols = [obs[c].astype(str) for c in ("territory", "indicator", "period")]
            keys = zip(*cols, strict=True)
            self._values = {k: float(v) for k, v in zip(keys, num, strict=True) if not pd.isna(v)}
        return self._values.get((territory, indicator, str(period)))

    # ------------------------------------------------------------------ binding
    def _bind(self, f: Factor, file: str) -> tuple[list[SpecProblem], str | None]:
        m, st = self.methodology, self.nominal.state
        if f.kind == "cells":
            return [], "impute"
        if f.kind == "weights":
            groups = list(m.groups)
            unknown = [g for g in f.groups if g not in groups]
            if unknown:
                near = closest(unknown[0], groups)
                hint = f"; closest {near!r}" if near else ""
                return [
                    _problem(
                        file,
                        f"{f.where}.groups",
                        f"{', '.join(unknown)} not a group of this spec{hint}",
                        "unknown_group",
                    )
                ], None
            if not st.weights:
                return [
                    _problem(file, f.where, "the spec has no aggregate step: there are no weights to vary")
                ], None
            return [], "weight"
        step = m.first_step_touched([f.key, *f.also])
        if step is None:
            return [
                _problem(file, f"{f.where}.key", f"{f.key!r} changes no computation (metadata key)")
            ], None
        if step in ("select", "transform"):
            return [
                _problem(
                    file,
                    f"{f.where}.key",
                    f"{f.key!r} is a {step} key: it changes the territories or the panel, which an "
                    "uncertainty run keeps fixed. Vary impute, treat, normalise, weight, aggregate or "
                    "classify keys.",
                )
            ], None
        probs = []
        for i in range(len(f.levels)):
            try:
                for message in self._class_changes(edited(m, level_edits(m, f, i))):
                    probs.append(
                        _problem(file, f"{f.where}.levels.{i}", f"level {f.level_label(i)!r}: {message}")
                    )
            except SpecErrors as exc:
                for p in exc.problems:
                    probs.append(
                        _problem(
                            file,
                            f"{f.where}.levels.{i}",
                            f"level {f.level_label(i)!r}: {p.key}: {p.message}",
                            p.reason,
                        )
                    )
            except ValueError as exc:  # get_method: an unknown method name
                reason = "unknown_method" if str(exc).startswith("unknown") else "bad_parameter"
                probs.append(
                    _problem(file, f"{f.where}.levels.{i}", f"level {f.level_label(i)!r}: {exc}", reason)
                )
        return probs, step

    def _class_changes(self, m: Methodology) -> list[str]:
        """Why a level's classifications cannot be summarised with the nominal ones (class probabilities
        are counted per nominal class id, so a level must keep the ids and their number)."""
        st = self.nominal.state
        out = []
        for e in m.classifications:
            cid = str(e.target)
            if cid not in st.class_labels:
                out.append(
                    f"classification {cid!r} is not one of the nominal ones ({', '.join(st.class_labels)})"
                )
                continue
            nominal = [lab["id"] for lab in st.class_labels[cid]]
            given = e.extra.get("labels") or (e.params.get("classes") if e.method == "thresholds" else None)
            ids = (
                [str(r.get("id")) for r in given if isinstance(r, Mapping)]
                if isinstance(given, list)
                else None
            )
            count = next((e.params[k] for k in ("k", "n_classes") if k in e.params), None)
            if ids is not None and ids != nominal:
                out.append(f"classification {cid!r} has classes {ids}, the nominal spec {nominal}")
            elif isinstance(count, int) and not isinstance(count, bool) and count != len(nominal):
                out.append(f"classification {cid!r} has {count} classes, the nominal spec {len(nominal)}")
        return out

    def _resolved_cells(self, f: Factor) -> tuple[Factor, list[SpecProblem]]:
        """Cells checked against the analysed selection; notes' ``alt_value`` readings when ``from_notes``."""
        m, st, file = self.methodology, self.nominal.state, self.declaration.file
        cells = list(f.cells)
        fed = {c for e in m.transform_entries for c, _ in pl._transform_inputs(e)}
        raw = {c for c, _ in pl._raw_inputs(m)}
        if f.from_notes:
            notes = self.data.notes
            raw = {c for c, _ in pl._raw_inputs(m)}
            if "alt_value" in notes.columns:
                for _, row in notes.iterrows():
                    alt = pd.to_numeric(pd.Series([row.get("alt_value")]), errors="coerce").iloc[0]
                    if pd.isna(alt):
                        continue
                    t, i, p = (str(row.get(c) or "") for c in ("territory", "indicator", "period"))
                    label = str(row.get("id") or row.get("source") or "")
                    if i in fed or (i in raw and i not in st.leaves):
                        # an input of a derived indicator: any period the transform may read
                        if t in self.data.territories.index and self._stored(t, i, p) is not None:
                            cells.append(Cell(t, i, p, (float(alt),), str(row.get("source") or label), True))
                    elif (
                        t in st.territories
                        and p == str(self.year)
                        and i in st.leaves
                        and i not in st.categorical
                    ):
                        cells.append(Cell(t, i, p, (float(alt),), str(row.get("source") or label)))
            if not cells:
                self.warnings.append(
                    f"{f.where}: no note with an alt_value touches a cell of this selection "
                    f"({self.year} or an input of a transform)"
                )
        probs = []
        for pos, c in enumerate(cells):
            at = c.source if c.source.startswith(f.where) else f.where
            if not c.via_transform and (
                c.indicator in fed or (c.indicator in raw and c.indicator not in st.leaves)
            ):
                c = cells[pos] = dataclasses.replace(c, via_transform=True)
            if c.via_transform:
                if self._stored(c.territory, c.indicator, c.period) is None:
                    probs.append(
                        _problem(
                            file,
                            at,
                            f"no numeric value of {c.indicator!r} for {c.territory!r} in {c.period!r} "
                            "in the data (a transform input varies only where it is stored)",
                            "no_data",
                        )
                    )
                continue
            if c.territory not in st.territories:
                near = closest(c.territory, list(st.territories))
                hint = f"; closest {near!r}" if near else ""
                probs.append(
                    _problem(
                        file,
                        at,
                        f"territory {c.territory!r} is not in the selection{hint}",
                        "unknown_territory",
                    )
                )
            elif c.indicator not in st.leaves or c.indicator in st.categorical:
                probs.append(
                    _problem(
                        file,
                        at,
                        f"{c.indicator!r} is not a numeric indicator of the tree's leaves",
                        "unknown_indicator",
                    )
                )
            elif c.period != str(self.year):
                probs.append(
                    _problem(file, at, f"period {c.period!r} is not the analysed year {self.year}", "no_data")
                )
        return dataclasses.replace(f, cells=tuple(cells)), probs

    def _width(self, f: Factor) -> int:
        if f.kind == "choice":
            return 1
        if f.kind == "cells":
            return len(f.cells)
        return sum(len(self.methodology.children(g)) for g in self._weight_groups(f))

    def _weight_groups(self, f: Factor) -> list[str]:
        return list(f.groups) if f.groups else self.methodology.postorder()

    # ------------------------------------------------------------------ decoding the unit sample
    def decode(self, U: np.ndarray) -> _Draws:
        """Factor values of unit-cube points ``U (R, dims)``: level indices, weights and cell readings."""
        R = U.shape[0]
        levels = np.zeros((R, len(self.choice_factors)), dtype=int)
        weights: dict[str, np.ndarray] = {}
        cells = []
        yi = self.yi
        for pos, f in enumerate(self.factors):
            u = U[:, self.columns[pos]]
            if f.kind == "choice":
                L = len(f.levels)
                cum = np.cumsum(f.probabilities) if f.probabilities is not None else np.arange(1, L + 1) / L
                lv = np.minimum(np.searchsorted(cum, u[:, 0], side="right"), L - 1)
                levels[:, self.choice_factors.index(pos)] = lv
            elif f.kind == "weights":
                at = 0
                for g in self._weight_groups(f):
                    kc = len(self.methodology.children(g))
                    ug = u[:, at : at + kc]
                    at += kc
                    nominal = np.asarray(self.final.weights[g][yi], dtype=float)
                    total = nominal.sum()
                    if f.noise is not None:
                        # uniform multiplicative noise: w_i (1 + x (2u - 1)), Handbook 2008 p.118 ("weights
                        # ... varied" around the nominal scheme); the group's total is kept
                        raw = nominal * (1.0 + f.noise * (2.0 * ug - 1.0))
                    else:
                        # Dirichlet(c * share) by inverse-CDF gamma draws, so that QMC points stay QMC
                        share = nominal / total if total > 0 else np.full(kc, 1.0 / kc)
                        a = np.where(share > 0, f.dirichlet * share, 1.0)
                        raw = np.where(share > 0, stats.gamma.ppf(np.clip(ug, 1e-12, 1 - 1e-12), a), 0.0)
                    s = raw.sum(axis=1, keepdims=True)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        w = np.where(s > 0, raw * (total / s), nominal)
                    weights[g] = w
            else:
                stored = self._cell_stored[[i for i, (ff, _) in enumerate(self._cells) if ff is f]]
                vals = np.empty(u.shape)
                for j, c in enumerate(f.cells):
                    readings = np.array([stored[j], *c.alternatives])
                    nalt = len(c.alternatives)
                    # u < 1 - p keeps the stored reading; above, the alternatives share p equally
                    idx = np.where(
                        u[:, j] < 1 - f.p,
                        0,
                        1
                        + np.minimum(((u[:, j] - (1 - f.p)) / max(f.p, 1e-300) * nalt).astype(int), nalt - 1),
                    )
                    vals[:, j] = readings[idx]
                cells.append(vals)
        return _Draws(levels, weights, np.concatenate(cells, axis=1) if cells else None)

    # ------------------------------------------------------------------ one spec per level combination
    def spec_for(self, combo: Sequence[int]) -> Methodology:
        """The methodology of one combination of discrete levels (built once, cached)."""
        key = tuple(int(c) for c in combo)
        if key not in self._specs:
            edits: dict[str, Any] = {}
            for pos, lv in zip(self.choice_factors, key, strict=True):
                edits.update(level_edits(self.methodology, self.factors[pos], lv))
            self._specs[key] = _combined(self.methodology, edits) if edits else self.methodology
        return self._specs[key]

    def edits(self, u: np.ndarray) -> tuple[dict[str, Any], pd.DataFrame]:
        """One replication as ``Result.regen``-style spec edits and data edits (``Dataset.with_values``).

        This is what the naive loop runs; the batched run must give the same numbers.
        """
        draws = self.decode(np.atleast_2d(u))
        edits: dict[str, Any] = {}
        for j, pos in enumerate(self.choice_factors):
            edits.update(level_edits(self.methodology, self.factors[pos], int(draws.levels[0, j])))
        if draws.weights:
            m = self.spec_for(draws.levels[0]) if self.choice_factors else self.methodology
            block: dict[str, Any] = {"default": {"method": "equal"}, "by_group": {}}
            for g in m.postorder():
                w = draws.weights[g][0] if g in draws.weights else self.final.weights[g][self.yi]
                block["by_group"][g] = {
                    "method": "explicit",
                    "params": {"weights": [float(x) for x in w], "normalise": False},
                }
            edits["weight"] = block
        rows = [
            {"territory": c.territory, "indicator": c.indicator, "period": c.period, "value": float(v)}
            for (_, c), v in zip(self._cells, draws.cells[0] if draws.cells is not None else [], strict=False)
        ]
        return edits, pd.DataFrame(rows, columns=["territory", "indicator", "period", "value"])

    # ------------------------------------------------------------------ the batched run
    def evaluate(
        self, U: np.ndarray, progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Scores ``(R, n)`` and class indices ``{id: (R, n)}`` of the replications ``U (R, dims)``.

        Replications are grouped by their combination of discrete levels; each group runs the varied steps
        once, batched over its replications in chunks of at most :attr:`chunk`.
        """
        scores, classes, _ = self._evaluate(U, progress)
        return scores, classes

    def _evaluate(
        self, U: np.ndarray, progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
        R, n = U.shape[0], len(self.final.territories)
        draws = self.decode(U)
        scores = np.full((R, n), np.nan)
        ranks = np.full((R, n), np.nan)
        classes = {cid: np.full((R, n), -1, dtype=np.int16) for cid in self.final.classes}
        if draws.levels.shape[1]:
            combos, inverse = np.unique(draws.levels, axis=0, return_inverse=True)
            inverse = inverse.reshape(-1)
        else:
            combos, inverse = np.zeros((1, 0), dtype=int), np.zeros(R, dtype=int)
        if draws.cells is not None and self._raw_cells.size:
            for readings in np.unique(draws.cells[:, self._raw_cells], axis=0):
                self._recompute(tuple(readings))
        tasks = []
        for ci, combo in enumerate(combos):
            rows = np.flatnonzero(inverse == ci)
            m = self.spec_for(combo)  # built here, in one thread
            tasks += [(m, rows[i : i + self.chunk]) for i in range(0, len(rows), self.chunk)]

        def one(task: tuple[Methodology, np.ndarray]) -> np.ndarray:
            m, idx = task
            s, c = self._batch(m, draws, idx)
            scores[idx] = s  # chunks write disjoint rows, so threads never touch the same cells
            ranks[idx] = _min_ranks(s)
            for cid, arr in c.items():
                if cid in classes:
                    classes[cid][idx] = arr
            return idx

        if self.workers > 1 and len(tasks) > 1:
            # NumPy releases the GIL inside its array loops, so chunks computed in threads use several cores
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                for idx in pool.map(one, tasks):
                    if progress is not None:
                        progress(len(idx))
        else:
            for task in tasks:
                idx = one(task)
                if progress is not None:
                    progress(len(idx))
        return scores, classes, ranks

    def _batch(
        self, m: Methodology, draws: _Draws, idx: np.ndarray
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        st, yi, B = self.state, self.yi, len(idx)
        order = _ORDER[self.start]
        assert st.X is not None
        X = st.X[yi][None]  # (1, n, k): deterministic within a level combination unless cells vary
        derived = None
        if draws.cells is not None:
            cells = draws.cells[idx]
            if self._raw_cells.size:  # each replication starts from the leaves of its inputs' readings
                found = [self._recomputed[tuple(r)] for r in cells[:, self._raw_cells]]
                X = np.stack([x for x, _ in found])
                derived = [s for _, s in found]
            else:
                X = np.repeat(X, B, axis=0)
            X[:, self._cell_pos[0], self._cell_pos[1]] = cells[:, self._leaf_cells]
        if order <= _ORDER["impute"] and m.entries("impute"):
            X = self._impute(m, X)
        if order <= _ORDER["treat"] and m.entries("treat"):
            X = self._treat(m, X)
        if order <= _ORDER["normalise"]:
            Xn = self._normalise(m, X) if m.entries("normalise") else X
        else:
            Xn = st.Xn[yi][None] if st.Xn is not None else X
        nodes: dict[str, np.ndarray] = {}
        if m.entries("aggregate"):
            if order <= _ORDER["weight"]:
                nodes = self._aggregate(m, Xn, {g: w[idx] for g, w in draws.weights.items()})
            else:
                nodes = {g: v[yi][None] for g, v in st.nodes.items()}
        classes = self._classify(m, X, Xn, nodes, derived)
        score = nodes.get(m.root)
        out = (
            np.broadcast_to(score, (B, score.shape[-1]))
            if score is not None
            else np.full((B, X.shape[-2]), np.nan)
        )
        return out, {c: np.broadcast_to(v, (B, v.shape[-1])) for c, v in classes.items()}

    def _recompute(self, readings: tuple[float, ...]) -> None:
        """Select and transform once for one combination of readings of the transform inputs (few: each
        disputed cell has one or two alternatives), keeping the leaf matrix every such replication
        starts from; the varied steps then run batched as for leaf cells."""
        if readings in self._recomputed:
            return
        cells = [self._cells[i][1] for i in self._raw_cells]
        if all(v == self._cell_stored[i] for i, v in zip(self._raw_cells, readings, strict=True)):
            res = self.nominal
        else:
            rows = pd.DataFrame(
                [
                    {"territory": c.territory, "indicator": c.indicator, "period": c.period, "value": v}
                    for c, v in zip(cells, readings, strict=True)
                ]
            )
            res = pl.compute(self.methodology, self.data.with_values(rows))
        snap = res.state_before(self.start)
        assert snap.X is not None
        if tuple(res.state.territories) != tuple(self.final.territories):
            raise ValueError(
                f"{self.declaration.file}: reading {', '.join(c.key for c in cells)} as {readings} changes "
                "the selected territories; an uncertainty run keeps them fixed"
            )
        self._recomputed[readings] = (snap.X[self.yi], res.state)

    def _impute(self, m: Methodology, X: np.ndarray) -> np.ndarray:
        st, yi = self.state, self.yi
        X = X.copy()
        groups = pl._territory_column(self.data, st.territories, "parent")
        hist_years = list(range(st.panel_years.index(st.years[yi])))
        ti = list(range(len(st.territories)))
        for e, cols in pl._columns_of(m, "impute", st, numeric_only=True):
            func = get_method("impute", e.method)
            hist = np.stack(
                [
                    st.panel[st.leaves[j]][np.ix_(hist_years, ti)]
                    if st.leaves[j] in st.panel
                    else np.full((len(hist_years), len(ti)), np.nan)
                    for j in cols
                ],
                axis=-1,
            )
            X[..., cols] = pl._call(m, e, func, X[..., cols], groups=groups, history=hist, **e.params)
        return X

    def _treat(self, m: Methodology, X: np.ndarray) -> np.ndarray:
        X = X.copy()
        for e, cols in pl._columns_of(m, "treat", self.state, numeric_only=True):
            X[..., cols] = pl._call(m, e, get_method("treat", e.method), X[..., cols], **e.params)
        return X

    def _normalise(self, m: Methodology, X: np.ndarray) -> np.ndarray:
        """The pipeline's normalise step (:func:`aimaq.engine.pipeline.normalise_matrix`: the same calls,
        band tables, labels and fallback) on a batch ``X (B, n, k)`` of the analysed year."""
        return pl.normalise_matrix(m, self.data, self.state, X, year=self.year)

    def _aggregate(
        self, m: Methodology, Xn: np.ndarray, drawn: Mapping[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Weights and aggregation along the tree, batched; drawn weights ``(B, kc)`` replace a group's."""
        st = self.state
        vals: dict[str, np.ndarray] = {c: Xn[..., j] for j, c in enumerate(st.leaves)}
        for g in m.postorder():
            kids = m.children(g)
            if tuple(kids) == tuple(st.leaves):
                C = Xn  # the children are the leaves in order: no copy
            else:
                C = np.stack(np.broadcast_arrays(*[vals[c] for c in kids]), axis=-1)  # (B or 1, n, kc)
            if g in drawn:
                W = drawn[g]
            else:
                we = pl._entry_for(m, "weight", g) or pl._EQUAL
                wfunc = get_method("weight", we.method)
                params = pl._weight_params(we, kids)
                if we.method in _DATA_INDEPENDENT_WEIGHTS or C.shape[0] == 1:
                    W = pl._call(m, we, wfunc, C[0], context=f"group {g!r}: ", **params)
                else:  # data-driven weights are learned from each replication's own table
                    W = np.stack(
                        [
                            pl._call(m, we, wfunc, C[b], context=f"group {g!r}: ", **params)
                            for b in range(len(C))
                        ]
                    )
            ae = pl._entry_for(m, "aggregate", g)
            assert ae is not None
            vals[g] = pl._call(
                m, ae, get_method("aggregate", ae.method), C, W, context=f"group {g!r}: ", **ae.params
            )
        return {g: vals[g] for g in m.postorder()}

    def _classify(
        self,
        m: Methodology,
        X: np.ndarray,
        Xn: np.ndarray,
        nodes: Mapping[str, np.ndarray],
        derived: Sequence[pl.State] | None = None,
    ) -> dict[str, np.ndarray]:
        st = self.state
        order = _ORDER[self.start]
        out: dict[str, np.ndarray] = {}

        def source(e: Any, on: str) -> np.ndarray:
            data_key = e.extra.get("data")
            if on in nodes and data_key in (None, "aggregated"):
                return nodes[on]
            j = st.leaves.index(on) if on in st.leaves else None
            if (
                j is not None
                and data_key in (None, "normalised")
                and (m.entries("normalise") or order > _ORDER["normalise"])
            ):
                return Xn[..., j]
            if j is not None:
                return X[..., j]
            # a derived or raw indicator: at the selected territories (the panel also holds references),
            # per replication when its transform inputs vary
            if derived is not None:
                return np.stack([pl._at_selection(s, on)[self.yi] for s in derived])
            return pl._at_selection(self.final, on)[self.yi][None]

        for e in m.classifications:
            func = get_method("classify", e.method)
            on = e.extra.get("on", m.root)
            if isinstance(on, str):
                res = pl._call(m, e, func, source(e, on), **e.params)
            else:
                M = np.stack(np.broadcast_arrays(*[source(e, c) for c in on]), axis=-1)
                if e.method in _BATCHED_TABLES:  # takes a batch of tables (B, n, k) at once
                    res = pl._call(m, e, func, M, **e.params)
                else:  # a loop over the batch of this one method only
                    res = np.stack([pl._call(m, e, func, M[b], **e.params) for b in range(len(M))])
            out[str(e.target)] = np.asarray(res, dtype=np.int16)
        return out

    # ------------------------------------------------------------------ the naive loop (tests, bench)
    def evaluate_naive(self, U: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The same replications by one full pipeline rebuild each (``compute`` of the edited spec and
        data): slow, for checking the batched run and for the benchmark's ratio."""
        n = len(self.final.territories)
        scores = np.full((len(U), n), np.nan)
        classes = {cid: np.full((len(U), n), -1, dtype=np.int16) for cid in self.final.classes}
        for r, u in enumerate(U):  # one rebuild per replication: the reference, not the method
            edits, rows = self.edits(u)
            m = edited(self.methodology, edits)
            data = self.data.with_values(rows) if len(rows) else self.data
            res = pl.compute(m, data)
            st = res.state
            yi = st.years.index(self.year)
            if st.nodes:
                scores[r] = st.nodes[m.root][yi]
            for cid, arr in st.classes.items():
                if cid in classes:
                    classes[cid][r] = arr[yi]
        return scores, classes

    # ------------------------------------------------------------------ the whole run
    def run(self, progress: Callable[[int, int], None] | None = None) -> UncertaintyResult:
        """Sample, evaluate (batched) and summarise; ``progress(done, total)`` is called after each chunk."""
        decl = self.declaration
        N, G = decl.n, len(self.factors)
        sens = decl.sensitivity and G > 0 and self.dims > 0
        t0 = time.perf_counter()
        if sens:
            A, Bm, AB = saltelli_design(N, self.columns, sampling=decl.sampling, seed=decl.seed)
            U = np.concatenate([A, Bm, AB.reshape(-1, self.dims)], axis=0)
        else:
            U = sample_unit(N, self.dims, sampling=decl.sampling, seed=decl.seed)
        total = len(U)
        done = 0

        def tick(k: int) -> None:
            nonlocal done
            done += k
            if progress is not None:
                progress(done, total)

        scores, classes, ranks = self._evaluate(U, tick)
        elapsed = time.perf_counter() - t0
        sensitivity, by_territory = _empty_sensitivity(), pd.DataFrame()
        if sens:
            sensitivity, by_territory = self._sensitivity(scores, ranks, N, G)
        return UncertaintyResult(
            analysis=self,
            design=U[:N],
            scores=scores[:N],
            ranks=ranks[:N],
            classes={c: v[:N] for c, v in classes.items()},
            sensitivity=sensitivity,
            sensitivity_by_territory=by_territory,
            runs=total,
            seconds=elapsed,
        )

    def _nominal_ranks(self) -> np.ndarray:
        table = self.nominal.table_for(self.year)
        if "rank" not in table.columns:
            return np.full(len(self.final.territories), np.nan)
        return table["rank"].reindex(list(self.final.territories)).to_numpy(dtype=float, na_value=np.nan)

    def _sensitivity(
        self, scores: np.ndarray, ranks: np.ndarray, N: int, G: int
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        nominal = self._nominal_ranks()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # no score (classes only): the shift is NaN
            shift = np.nanmean(
                np.abs(ranks - nominal[None]), axis=1
            )  # Saisana et al. (2005): mean |rank shift|
        labels = [f.label for f in self.factors]

        def split(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            return y[:N], y[N : 2 * N], y[2 * N :].reshape(G, N, *y.shape[1:])

        S1, ST = sobol_indices(*split(shift))
        c1, cT = sobol_confidence(*split(shift), seed=self.declaration.seed)
        summary = pd.DataFrame(
            {"S1": S1, "S1_conf": c1, "ST": ST, "ST_conf": cT}, index=pd.Index(labels, name="factor")
        )
        summary.attrs["output"] = "mean absolute rank shift from the nominal ranks"

        def blocked(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            # blocks of territories keep the (G, N, block) temporaries small for large N and n
            parts = [sobol_indices(*split(y[:, j : j + 64])) for j in range(0, y.shape[1], 64)]
            return np.concatenate([p[0] for p in parts], axis=1), np.concatenate(
                [p[1] for p in parts], axis=1
            )

        S1r, STr = blocked(ranks)
        S1s, STs = blocked(scores)
        terr = list(self.final.territories)
        idx = pd.MultiIndex.from_product([terr, labels], names=["territory", "factor"])
        by = pd.DataFrame(
            {
                "S1_rank": S1r.T.reshape(-1),
                "ST_rank": STr.T.reshape(-1),
                "S1_score": S1s.T.reshape(-1),
                "ST_score": STs.T.reshape(-1),
            },
            index=idx,
        )
        return summary, by


def _empty_sensitivity() -> pd.DataFrame:
    cols = ("S1", "S1_conf", "ST", "ST_conf")
    return pd.DataFrame({c: pd.Series(dtype=float) for c in cols}, index=pd.Index([], name="factor"))


# ---------------------------------------------------------------------------------------------------------
# the result
# ---------------------------------------------------------------------------------------------------------


class UncertaintyResult:
    """Distributions and summaries of an uncertainty run (build it with :func:`analyse`).

    ``scores``, ``ranks`` (DataFrames replication x territory), ``classes`` ({id: DataFrame of class ids}),
    ``samples`` (factor values of each replication), ``summary`` (per territory), ``class_probabilities``
    ({id: territory x class}), ``sensitivity`` (first-order ``S1`` and total ``ST`` Sobol indices of the
    mean absolute rank shift, per factor, with bootstrap 95 % half-widths ``S1_conf``, ``ST_conf``) and
    ``sensitivity_by_territory``; ``nominal`` is the unchanged
    nominal :class:`~aimaq.engine.result.Result`. The arrays behind the frames are ``scores_array``,
    ``ranks_array`` and ``class_arrays`` (class indices, -1 = unclassified).
    """

    def __init__(
        self,
        *,
        analysis: UncertaintyAnalysis,
        design: np.ndarray,
        scores: np.ndarray,
        ranks: np.ndarray,
        classes: Mapping[str, np.ndarray],
        sensitivity: pd.DataFrame,
        sensitivity_by_territory: pd.DataFrame,
        runs: int,
        seconds: float,
    ):
        self.analysis = analysis
        self.design = design
        self.scores_array = scores
        self.ranks_array = ranks
        self.class_arrays = dict(classes)
        self.sensitivity = sensitivity
        self.sensitivity_by_territory = sensitivity_by_territory
        self.runs = runs
        self.seconds = seconds

    def __repr__(self) -> str:
        return (
            f"UncertaintyResult({self.analysis.methodology.name!r}: {self.n} replications of "
            f"{len(self.territories)} territories, {self.year}, factors "
            f"{', '.join(f.label for f in self.analysis.factors) or '-'})"
        )

    # ------------------------------------------------------------------ basic views
    @property
    def nominal(self) -> Result:
        return self.analysis.nominal

    @property
    def year(self) -> int:
        return self.analysis.year

    @property
    def territories(self) -> tuple[str, ...]:
        return self.analysis.final.territories

    @property
    def n(self) -> int:
        """Number of replications summarised (the Sobol design's extra runs are not counted)."""
        return int(self.scores_array.shape[0])

    def _frame(self, arr: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            arr,
            index=pd.RangeIndex(len(arr), name="replication"),
            columns=pd.Index(self.territories, name="territory"),
        )

    @property
    def scores(self) -> pd.DataFrame:
        return self._frame(self.scores_array)

    @property
    def ranks(self) -> pd.DataFrame:
        return self._frame(self.ranks_array)

    @property
    def classes(self) -> dict[str, pd.DataFrame]:
        """Class ids per replication and territory (None = unclassified)."""
        out = {}
        for cid, arr in self.class_arrays.items():
            ids = np.array([lab["id"] for lab in self._labels(cid)] + [None], dtype=object)
            out[cid] = self._frame(ids[np.where(arr < 0, len(ids) - 1, np.minimum(arr, len(ids) - 1))])
        return out

    def _labels(self, cid: str) -> tuple[dict[str, Any], ...]:
        return self.analysis.final.class_labels.get(cid, ())

    @property
    def samples(self) -> pd.DataFrame:
        """Factor values of each replication: the level chosen, each drawn weight, each cell reading."""
        a = self.analysis
        draws = a.decode(self.design)
        cols: dict[str, Any] = {}
        for j, pos in enumerate(a.choice_factors):
            f = a.factors[pos]
            cols[f.label] = [f.level_label(int(v)) for v in draws.levels[:, j]]
        for g, w in draws.weights.items():
            for i, c in enumerate(a.methodology.children(g)):
                cols[f"weight.{g}.{c}"] = w[:, i]
        if draws.cells is not None:
            for i, (_, c) in enumerate(a._cells):
                cols[c.key] = draws.cells[:, i]
        return pd.DataFrame(cols, index=pd.RangeIndex(self.n, name="replication"))

    # ------------------------------------------------------------------ summaries
    @property
    def summary(self) -> pd.DataFrame:
        """Per territory: nominal score and rank, median and mean rank, the 5-95 % rank interval and the
        share of replications inside it, score quantiles, and per classification the nominal class, the
        most frequent class and its share.

        The interval ends are observed ranks (``inverted_cdf`` quantiles), so at least 90 % of the
        replications lie inside; ``rank_interval_share`` gives the exact share.
        """
        R = self.ranks_array
        terr = list(self.territories)
        nominal = self.nominal.table_for(self.year).reindex(terr)
        out = pd.DataFrame(index=pd.Index(terr, name="territory"))
        if "score" in nominal.columns:
            out["nominal_score"] = nominal["score"].to_numpy(dtype=float)
            out["nominal_rank"] = nominal["rank"].astype("Int64").to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a territory without any score: NaN columns
            out["median_rank"] = np.nanmedian(R, axis=0)
            out["mean_rank"] = np.nanmean(R, axis=0)
            lo = np.nanquantile(R, 0.05, axis=0, method="inverted_cdf")
            hi = np.nanquantile(R, 0.95, axis=0, method="inverted_cdf")
            out["score_q05"] = np.nanquantile(self.scores_array, 0.05, axis=0)
            out["score_median"] = np.nanmedian(self.scores_array, axis=0)
            out["score_q95"] = np.nanquantile(self.scores_array, 0.95, axis=0)
        out["rank_q05"] = pd.array(np.where(np.isnan(lo), pd.NA, lo), dtype="Int64")
        out["rank_q95"] = pd.array(np.where(np.isnan(hi), pd.NA, hi), dtype="Int64")
        inside = (lo[None] <= R) & (hi[None] >= R)
        out["rank_interval_share"] = inside.mean(axis=0)
        for cid in self.class_arrays:
            probs = self.class_probabilities[cid]
            if cid in nominal.columns:
                out[f"{cid}_nominal"] = nominal[cid].to_numpy(dtype=object)
            out[f"{cid}_mode"] = probs.idxmax(axis=1).to_numpy(dtype=object)
            out[f"{cid}_mode_share"] = probs.max(axis=1).to_numpy()
        return out[
            [c for c in _SUMMARY_ORDER if c in out.columns]
            + [c for c in out.columns if c not in _SUMMARY_ORDER]
        ]

    @property
    def class_probabilities(self) -> dict[str, pd.DataFrame]:
        """Per classification: territory x class id, the share of replications in each class
        (``unclassified`` when some replication puts a territory in no class)."""
        out = {}
        for cid, arr in self.class_arrays.items():
            ids = [lab["id"] for lab in self._labels(cid)]
            if arr.size and arr.max() >= len(ids):
                ids += [str(i) for i in range(len(ids), int(arr.max()) + 1)]
            cols = {i: (arr == k).mean(axis=0) for k, i in enumerate(ids)}
            if (arr < 0).any():
                cols["unclassified"] = (arr < 0).mean(axis=0)
            out[cid] = pd.DataFrame(cols, index=pd.Index(self.territories, name="territory"))
        return out

    def statements(self, territory: str, lang: str = "en") -> list[str]:
        """Sentences for a territory's profile, e.g. ``rank 3–6 of 20 in 92 % of replications`` and
        ``quartile: class q4 in 97 % of replications`` (``lang``: kk, ru or en).

        Percentages are rounded down, so that each sentence stays true.
        """
        if territory not in self.territories:
            near = closest(territory, list(self.territories))
            hint = f"; closest {near!r}" if near else ""
            raise KeyError(f"territory {territory!r} is not in this result{hint}")
        if lang not in STATEMENTS["rank_interval"]:
            raise ValueError(f"lang: must be one of kk, ru, en. Got {lang!r} instead.")
        s = self.summary.loc[territory]
        out = []
        n = len(self.territories)
        if "rank_q05" in s and not pd.isna(s["rank_q05"]):
            lo, hi = int(s["rank_q05"]), int(s["rank_q95"])
            pct = math.floor(100 * float(s["rank_interval_share"]) + 1e-9)
            tid = "rank_single" if lo == hi else "rank_interval"
            out.append(STATEMENTS[tid][lang].format(lo=lo, hi=hi, n=n, pct=pct))
        m = self.analysis.methodology
        for cid in self.class_arrays:
            probs = self.class_probabilities[cid].loc[territory]
            best = str(probs.idxmax())
            labs = {lab["id"]: lab for lab in self._labels(cid)}
            label = (labs.get(best, {}).get("title") or {}).get(lang, best)
            entry = next((e for e in m.classifications if str(e.target) == cid), None)
            title = (entry.extra.get("title") or {}) if entry is not None else {}
            name = title.get(lang, cid) if isinstance(title, Mapping) else cid
            pct = math.floor(100 * float(probs.max()) + 1e-9)
            out.append(STATEMENTS["class_share"][lang].format(classification=name, label=label, pct=pct))
        return out

    # ------------------------------------------------------------------ export
    def to_dict(self, *, distributions: bool = False) -> dict[str, Any]:
        """JSON-ready: the run's settings, factors, summary, class probabilities, sensitivity indices and
        kk/ru/en statements; with ``distributions`` also every replication's scores, ranks and classes."""

        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            flat = df.reset_index().astype(object)
            return flat.where(pd.notna(flat), None).to_dict("records")

        a, d = self.analysis, self.analysis.declaration
        out: dict[str, Any] = {
            "methodology": a.methodology.name,
            "year": self.year,
            "n": self.n,
            "runs": self.runs,
            "seconds": round(self.seconds, 4),
            "seed": d.seed,
            "sampling": d.sampling,
            "factors": [f.to_dict() for f in a.factors],
            "warnings": list(a.warnings),
            "summary": records(self.summary),
            "class_probabilities": {c: records(p) for c, p in self.class_probabilities.items()},
            "sensitivity": records(self.sensitivity),
            "sensitivity_output": "mean absolute rank shift from the nominal ranks",
            "statements": {
                t: {lang: self.statements(t, lang) for lang in ("kk", "ru", "en")} for t in self.territories
            },
        }
        if distributions:
            out["scores"] = np.where(np.isnan(self.scores_array), None, self.scores_array).tolist()
            out["ranks"] = np.where(np.isnan(self.ranks_array), None, self.ranks_array).tolist()
            out["classes"] = {c: v.astype(int).tolist() for c, v in self.class_arrays.items()}
        return out

    def to_json(self, path: str | Path | None = None, *, distributions: bool = False) -> str:
        """JSON text of :meth:`to_dict`; also written to ``path`` when given."""
        text = json.dumps(
            self.to_dict(distributions=distributions), ensure_ascii=False, indent=2, default=_default
        )
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_csv(self, path: str | Path) -> None:
        """The per-territory summary as UTF-8 CSV."""
        self.summary.reset_index().to_csv(path, index=False)


_SUMMARY_ORDER = (
    "nominal_score",
    "nominal_rank",
    "median_rank",
    "mean_rank",
    "rank_q05",
    "rank_q95",
    "rank_interval_share",
    "score_q05",
    "score_median",
    "score_q95",
)


def _default(v: Any) -> Any:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if np.isnan(v) else float(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    return str(v)


def analyse(
    methodology: Methodology,
    data: Dataset,
    declaration: Declaration | Mapping[str, Any] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    nominal: Result | None = None,
    workers: int | None = None,
    **overrides: Any,
) -> UncertaintyResult:
    """Run an uncertainty and sensitivity analysis of ``methodology`` on ``data``.

    Parameters
    ----------
    methodology, data
        What :func:`aimaq.engine.pipeline.compute` takes.
    declaration : Declaration, mapping or None
        What varies (see the module docstring). None: the spec's ``uncertainty:`` block, else
        :meth:`Declaration.default` (weights ±20 % and the notes' disputed cells).
    progress : callable(done, total), optional
        Called after each chunk of replications.
    nominal : Result, optional
        The nominal result, when already computed.
    workers : int, optional
        Threads computing chunks in parallel (default: up to 2); the numbers do not depend on it.
    **overrides
        ``n``, ``seed``, ``sampling``, ``sensitivity``, ``year``, ``chunk`` replacing the declared values.

    Returns
    -------
    UncertaintyResult
    """
    if declaration is None:
        declaration = Declaration.from_spec(methodology) or Declaration.default(methodology)
    elif isinstance(declaration, Mapping):
        declaration = Declaration.from_dict(declaration, file=methodology.file)
    bad = sorted(set(overrides) - {"n", "seed", "sampling", "sensitivity", "year", "chunk"})
    if bad:
        raise TypeError(f"analyse() got unexpected keyword argument(s): {', '.join(bad)}")
    if overrides:
        checked = {**_as_block(declaration), **{k: v for k, v in overrides.items() if v is not None}}
        Declaration.from_dict({k: v for k, v in checked.items() if k != "factors"}, file=declaration.file)
        declaration = declaration.replace(**overrides)
    return UncertaintyAnalysis(methodology, data, declaration, nominal=nominal, workers=workers).run(progress)


def _as_block(d: Declaration) -> dict[str, Any]:
    out: dict[str, Any] = {"n": d.n, "sampling": d.sampling, "sensitivity": d.sensitivity}
    for k in ("seed", "year", "chunk"):
        if getattr(d, k) is not None:
            out[k] = getattr(d, k)
    return out
