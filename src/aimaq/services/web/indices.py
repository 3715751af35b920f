"""The index pages as dicts: methodologies, rankings, indices on the map and in profiles, compare, what-if.

Built from :class:`aimaq.services.results.Results` (the shipped presets run on the store's current snapshot)
and cached in the snapshot like the other pages (:func:`aimaq.services.web.data._per_snapshot`), so a page
costs a computation once per store read and language. Names of territories and indicators come from the store
(kk/ru/en columns), titles of methodologies, groups and classes from the specs' ``title: {kk, ru, en}``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from markdown_it import MarkdownIt

from aimaq.engine.spec import STEPS
from aimaq.i18n import Translator
from aimaq.services.results import NotComputable, Results
from aimaq.services.uncertainty import Uncertainties
from aimaq.services.web import uncertainty_pages
from aimaq.services.web.data import N_, WebData, display_name, localized

__all__ = [
    "CLASS_PALETTE",
    "DOCS_DIR",
    "LAYERS",
    "IndexPages",
    "class_colours",
    "spec_blocks",
]

#: docs/methodologies/<name>.md, shipped with the package through a symbolic link (methodology_docs ->
#: docs/methodologies, followed when the wheel is built), so an installed aimaq (no checkout) still shows
#: the docs and a checkout reads the one copy there is.
DOCS_DIR = Path(__file__).resolve().parent / "methodology_docs"
CHECKOUT_DOCS_DIR = Path(__file__).resolve().parents[4] / "docs" / "methodologies"

#: Nine samples of Viridis (perceptually uniform, readable with the common colour-vision deficiencies;
#: van der Walt & Smith 2015). Classes are ordered lowest to highest (docs/architecture.md), so ordered
#: colours from this scale keep "darker = lower" on every class legend.
CLASS_PALETTE: tuple[str, ...] = (
    "#440154",
    "#472d7b",
    "#3b528b",
    "#2c728e",
    "#21918c",
    "#28ae80",
    "#5ec962",
    "#addc30",
    "#fde725",
)
#: Colour of "no class" (unclassified or missing), as the map's "no data" grey.
NO_CLASS_COLOUR = "#d9d9d9"

#: The map's one-click layers: the published raw-material regions of seed 002 (an observation of every
#: listed region, l.61-64), the depressed districts of East Kazakhstan (seed 003 rule, a preset) and the
#: monotown classes of Karaganda region (seed 004 Table 2, a preset).
LAYERS: dict[str, dict[str, str]] = {
    "raw_material": {
        "label": N_("Raw-material regions (seed 002)"),
        "indicator": "raw_material_region",
    },
    "depressed": {
        "label": N_("Depressed districts (seed 003)"),
        "methodology": "seed003_depressed_flag",
        "column": "depressed",
    },
    "monotowns": {
        "label": N_("Monotown classes (seed 004)"),
        "methodology": "seed004_monotown_potential",
        "column": "potential",
    },
}
#: The RIS3 self-assessment of seed 000 drawn as the wheel (radar) on a region's profile.
RIS3_METHODOLOGY = "seed000_ris3_wheel"

STEP_LABELS: Mapping[str, str] = {
    "select": N_("Select"),
    "transform": N_("Transform"),
    "impute": N_("Impute"),
    "treat": N_("Treat"),
    "normalise": N_("Normalise"),
    "weight": N_("Weight"),
    "aggregate": N_("Aggregate"),
    "classify": N_("Classify"),
}
REPRO_LABELS: Mapping[str, str] = {
    "reproduced": N_("reproduced"),
    "explained": N_("explained"),
    "not_reproduced": N_("not reproduced"),
    "not_computable": N_("not computable"),  # `expected.unavailable:` cells
}
COLUMN_LABELS: Mapping[str, str] = {"score": N_("Score"), "rank": N_("Rank")}
STATUS_TEXT: Mapping[str, str] = {
    "ok": N_("computed"),
    "missing_data": N_("data not loaded"),
    "error": N_("does not run"),
}


def class_colours(n: int) -> list[str]:
    """``n`` ordered colours from :data:`CLASS_PALETTE`, spread over the whole scale.

    Examples
    --------
    >>> class_colours(3)
    ['#440154', '#21918c', '#fde725']
    >>> class_colours(1)
    ['#21918c']
    """
    if n <= 1:
        return [CLASS_PALETTE[len(CLASS_PALETTE) // 2]] * n
    last = len(CLASS_PALETTE) - 1
    return [CLASS_PALETTE[round(i * last / (n - 1))] for i in range(n)]


def spec_blocks(text: str) -> dict[str, str]:
    """A spec file's text split by top-level key, comments kept (they carry the seed lines).

    Comment lines just above a key belong to that key's block.

    Examples
    --------
    >>> blocks = spec_blocks("name: x\\n# l.390: points added\\naggregate: {method: weighted_sum}\\n")
    >>> blocks["aggregate"]
    '# l.390: points added\\naggregate: {method: weighted_sum}'
    """
    out: dict[str, list[str]] = {}
    pending: list[str] = []
    current: str | None = None
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z_][\w]*|'[^']+'|\"[^\"]+\"):", line)
        if m:
            current = m.group(1).strip("'\"")
            out[current] = [*pending, line]
            pending = []
        elif line.startswith("#") and (current is None or not line.startswith("  ")):
            pending.append(line)
        elif current is not None:
            if pending:
                out[current].extend(pending)
                pending = []
            out[current].append(line)
    return {k: "\n".join(v).rstrip() for k, v in out.items()}


@lru_cache(maxsize=64)
def _docs_html(name: str) -> str:
    path = next(
        (d / f"{name}.md" for d in (CHECKOUT_DOCS_DIR, DOCS_DIR) if (d / f"{name}.md").is_file()), None
    )
    if path is None:
        return ""
    # Raw HTML in the Markdown is escaped, not passed through; tables as the docs write them.
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return md.render(path.read_text(encoding="utf-8"))


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _text(v: Any) -> str | None:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def _cached(method: Callable[..., Any]) -> Callable[..., Any]:
    """Cache a page dict in the current snapshot, by method, language and arguments (as ``_per_snapshot``)."""

    @functools.wraps(method)
    def wrapper(self: IndexPages, *args: Any, **kwargs: Any) -> Any:
        snap = self.data.snapshot()
        key = (
            "indices." + method.__name__,
            *(a.lang if isinstance(a, Translator) else tuple(a) if isinstance(a, list) else a for a in args),
            *sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()),
        )
        if key in snap.cache:
            return snap.cache[key]
        value = method(self, *args, **kwargs)
        if len(snap.cache) < 20_000:
            snap.cache[key] = value
        return value

    return wrapper


class IndexPages:
    """Page dicts about the shipped methodologies' results over one :class:`WebData`.

    Parameters
    ----------
    data : WebData
        The app's store snapshots; results are computed on ``data.snapshot().data``.
    results : Results, optional
        Default: a :class:`~aimaq.services.results.Results` over those snapshots.
    uncertainty : Uncertainties, optional
        The uncertainty runs of the presets (default: over ``results``, ``n`` and ``seed`` from
        ``$AIMAQ_WEB_UNCERTAINTY_N`` / ``$AIMAQ_WEB_UNCERTAINTY_SEED``).
    """

    def __init__(
        self, data: WebData, results: Results | None = None, uncertainty: Uncertainties | None = None
    ) -> None:
        self.data = data
        self.results = results or Results(lambda: data.snapshot().data)
        self.uncertainty = uncertainty or Uncertainties(self.results)

    # ------------------------------------------------------------------ helpers
    def _dataset(self) -> Any:
        return self.data.snapshot().data

    def result(self, name: str) -> Any:
        """The cached Result of ``name`` on the current snapshot (KeyError / NotComputable)."""
        return self.results.result(name, self._dataset())

    def _title(self, name: str, tr: Translator) -> str:
        e = self.results.entry(name)
        return e.title.get(tr.lang) or e.title.get("en") or name

    def _territory(self, code: str, tr: Translator) -> dict[str, Any]:
        t = self.data.snapshot().territories.get(code)
        if t is None:
            return {"code": code, "name": code, "url": f"/territories/{code}", "level": None}
        return {
            "code": code,
            "name": display_name(t, tr),
            "url": f"/territories/{code}",
            "level": t.get("level"),
        }

    def _indicator_name(self, code: str, tr: Translator, m: Any = None) -> str:
        ind = self.data.snapshot().indicators.get(code)
        if ind is not None:
            name = localized(ind, "name", tr.lang)
            if name:
                return name
        if m is not None:
            for spec in m.indicator_specs:
                if spec.get("code") == code and isinstance(spec.get("title"), Mapping):
                    return spec["title"].get(tr.lang) or spec["title"].get("en") or code
        return code

    @staticmethod
    def _group_titles(m: Any, tr: Translator) -> dict[str, str]:
        out = {}
        for g in m.get("groups") or []:
            title = g.get("title") if isinstance(g, Mapping) else None
            if isinstance(title, Mapping):
                out[str(g["id"])] = title.get(tr.lang) or title.get("en") or str(g["id"])
        return out

    def _label(self, code: str, tr: Translator, m: Any) -> str:
        return self._group_titles(m, tr).get(code) or self._indicator_name(code, tr, m)

    def classifications(self, result: Any, tr: Translator) -> list[dict[str, Any]]:
        """Each classification of a result: id, title and its classes (id, label, colour), lowest first."""
        out = []
        titles = {str(e.extra.get("id") or e.target): e for e in result.methodology.classifications}
        for cid in result.classification_ids:
            labels = result.state.class_labels.get(cid, ())
            colours = class_colours(len(labels))
            classes = [
                {
                    "id": str(c["id"]),
                    "label": (c.get("title") or {}).get(tr.lang)
                    or (c.get("title") or {}).get("en")
                    or str(c["id"]),
                    "colour": colours[i],
                }
                for i, c in enumerate(labels)
            ]
            entry = titles.get(cid)
            title = ""
            if entry is not None and isinstance(entry.extra.get("title"), Mapping):
                title = entry.extra["title"].get(tr.lang) or entry.extra["title"].get("en") or ""
            # A single classification without a title is "the class" of the index.
            fallback = tr.gettext("Class") if len(result.classification_ids) == 1 else cid
            out.append({"id": cid, "title": title or fallback, "classes": classes})
        return out

    # ------------------------------------------------------------------ methodologies
    @_cached
    def methodologies_page(self, tr: Translator) -> dict[str, Any]:
        """Every shipped preset: title, description, source, whether it runs on the data, links."""
        rows = []
        for row in self.results.catalogue(self._dataset()):
            name = row["name"]
            rows.append(
                {
                    "name": name,
                    "title": row["title"].get(tr.lang) or row["title"].get("en") or name,
                    "description": row["description"].get(tr.lang) or row["description"].get("en") or "",
                    "source": row["source"],
                    "status": row["status"],
                    "status_label": tr.gettext(STATUS_TEXT.get(row["status"], row["status"])),
                    "years": row.get("years", []),
                    "territories": row.get("territories", 0),
                    "has_expected": row["has_expected"],
                    "url": f"/methodologies/{name}",
                    "rankings_url": f"/rankings/{name}" if row["status"] == "ok" else None,
                }
            )
        return {"methodologies": rows, "count": len(rows)}

    @_cached
    def methodology_page(self, name: str, tr: Translator) -> dict[str, Any]:
        """One preset: title, description, citation, steps as the spec declares them (with its comments,
        which cite the seed lines), the step log, the docs page, and the reproduction report."""
        entry = self.results.entry(name)
        text = entry.path.read_text(encoding="utf-8")
        blocks = spec_blocks(text)
        steps = []
        for step in ("indicators", "groups", *STEPS):
            if step in blocks:
                steps.append(
                    {
                        "step": step,
                        "label": tr.gettext(STEP_LABELS[step]) if step in STEP_LABELS else step,
                        "spec": blocks[step],
                    }
                )
        page: dict[str, Any] = {
            "name": name,
            "title": entry.title.get(tr.lang) or entry.title.get("en") or name,
            "description": entry.description.get(tr.lang) or entry.description.get("en") or "",
            "source": entry.source,
            "citation": _citation(entry.source),
            "steps": steps,
            "expected_spec": blocks.get("expected", ""),
            "docs_html": _docs_html(name),
            "uncertainty_url": f"/methodologies/{name}/uncertainty",
            "status": "ok",
            "errors": [],
            "log": [],
            "years": [],
            "territories": [],
            "indicators": [],
            "weights": [],
            "classifications": [],
            "reproduction": None,
        }
        try:
            r = self.result(name)
        except NotComputable as exc:
            page.update(
                status="missing_data" if exc.missing_data else "error", errors=exc.to_dict()["errors"]
            )
            status_msgid = STATUS_TEXT[page["status"]]
            page["status_label"] = tr.gettext(status_msgid)
            return page
        ok_msgid = STATUS_TEXT["ok"]
        page["status_label"] = tr.gettext(ok_msgid)
        page["log"] = [
            {
                "step": rec.step,
                "key": rec.key,
                "method": rec.method,
                "params": _jsonable(rec.params),
                "learned": _jsonable(rec.learned),
                "warnings": list(rec.warnings),
            }
            for rec in r.log
        ]
        page["years"] = list(r.years)
        page["territories"] = sorted(
            (self._territory(t, tr) for t in r.territories), key=lambda t: t["name"].lower()
        )
        page["indicators"] = [
            {"code": c, "name": self._indicator_name(c, tr, r.methodology)} for c in r.state.leaves
        ]
        m = r.methodology
        yi = len(r.years) - 1
        weights = []
        for g in m.postorder():
            w = r.state.weights.get(g)
            if w is None:
                continue
            for i, c in enumerate(m.children(g)):
                weights.append(
                    {"group": g, "child": c, "label": self._label(c, tr, m), "weight": _num(w[yi][i])}
                )
        page["weights"] = weights
        page["classifications"] = self.classifications(r, tr)
        report = self.results.reproduction(name, self._dataset())
        if report is not None:
            counts = report.counts()
            page["reproduction"] = {
                "ok": report.ok,
                "counts": counts,
                "summary": tr.gettext(
                    "%(n)s cells: %(reproduced)s reproduced, %(explained)s explained, "
                    "%(not_reproduced)s not reproduced"
                )
                % {"n": len(report.cells), **counts},
                "summary_en": report.summary,
                # seed 001's published statements (C01-C51) name the claim each cell checks
                "has_claims": any(c.claim for c in report.cells),
                "cells": [
                    {
                        "claim": c.claim,
                        "territory": self._territory(c.territory, tr),
                        "column": c.column,
                        "year": c.year,
                        "expected": _plain(c.expected),
                        "computed": _plain(c.computed),
                        "delta": _num(c.delta),
                        "tolerance": _num(c.tolerance),
                        "status": c.status,
                        "status_label": tr.gettext(REPRO_LABELS[c.status]),
                        "reason": c.reason,
                        "source": c.source,
                    }
                    for c in report.cells
                ],
            }
        return page

    # ------------------------------------------------------------------ rankings
    def ranking_rows(self, name: str, tr: Translator, year: int | None = None) -> dict[str, Any]:
        """The result table of one year as rows: territory, score, rank, classes, group scores."""
        r = self.result(name)
        if year is not None and int(year) not in r.years:
            raise KeyError(f"year {year} was not computed for {name}; choose one of {list(r.years)}")
        y = r.years[-1] if year is None else int(year)
        table = r.table_for(y)
        classes = self.classifications(r, tr)
        m = r.methodology
        groups = [g for g in m.groups if g != m.root and g in table.columns]
        titles = self._group_titles(m, tr)
        rows = []
        for code, row in table.iterrows():
            cls = {}
            for c in classes:
                cid = _text(row.get(c["id"]))
                known = next((k for k in c["classes"] if k["id"] == cid), None)
                cls[c["id"]] = {
                    "id": cid,
                    "label": known["label"]
                    if known
                    else (_text(row.get(f"{c['id']}_label_{tr.lang}")) or ""),
                    "colour": known["colour"] if known else NO_CLASS_COLOUR,
                }
            rows.append(
                self._territory(str(code), tr)
                | {
                    "score": _num(row.get("score")),
                    "score_text": tr.format_number(_round(row.get("score"))),
                    "rank": None if _num(row.get("rank")) is None else int(row["rank"]),
                    "classes": cls,
                    "groups": {g: _num(row.get(g)) for g in groups},
                }
            )
        return {
            "methodology": name,
            "title": self._title(name, tr),
            "year": y,
            "years": list(r.years),
            "classifications": classes,
            "groups": [{"id": g, "title": titles.get(g, g)} for g in groups],
            "rows": rows,
            "has_score": "score" in table.columns and table["score"].notna().any(),
        }

    def ranking_page(self, name: str, tr: Translator, *, sort: str = "rank", **query: Any) -> dict[str, Any]:
        """:meth:`ranking_table` (``query``: ``year``, ``order``, ``q``, ``cls``) with each row's 5-95 % rank
        interval of the preset's uncertainty run (``interval``; None while it computes, see the page's
        ``uncertainty.status``); ``sort="interval"`` orders by median rank, then interval width."""
        base = self.ranking_table(name, tr, sort="rank" if sort == "interval" else sort, **query)
        return uncertainty_pages.ranking(self, base, tr, sort_interval=sort == "interval")

    @_cached
    def ranking_table(
        self,
        name: str,
        tr: Translator,
        *,
        year: int | None = None,
        sort: str = "rank",
        order: str = "asc",
        q: str = "",
        cls: str = "",
    ) -> dict[str, Any]:
        """:meth:`ranking_rows` sorted (``rank``, ``score``, ``name`` or a classification id) and filtered
        (``q``: part of the name or code; ``cls``: a class id of any classification), server-side."""
        page = dict(self.ranking_rows(name, tr, year))
        sortable = {"rank", "score", "name", *(c["id"] for c in page["classifications"])}
        if sort not in sortable:
            raise KeyError(f"sort {sort!r} is not one of {sorted(sortable)}")
        if order not in ("asc", "desc"):
            raise KeyError(f"order {order!r} is not one of ['asc', 'desc']")
        rows = page["rows"]
        if q:
            needle = q.casefold()
            rows = [r for r in rows if needle in r["name"].casefold() or needle in r["code"].casefold()]
        if cls:
            rows = [r for r in rows if any(c["id"] == cls for c in r["classes"].values())]

        def key(r: dict[str, Any]) -> tuple:
            if sort == "name":
                return (0, r["name"].casefold())
            if sort in ("rank", "score"):
                v = r[sort]
                return (v is None, v if v is not None else 0)
            order_ids = [k["id"] for c in page["classifications"] if c["id"] == sort for k in c["classes"]]
            cid = r["classes"][sort]["id"]
            return (cid is None, order_ids.index(cid) if cid in order_ids else -1)

        present = [r for r in rows if key(r)[0] is False]
        absent = [r for r in rows if key(r)[0] is not False]
        present.sort(key=key, reverse=order == "desc")
        page.update(rows=present + absent, sort=sort, order=order, q=q, cls=cls, total=len(page["rows"]))
        return page

    def rankings_index(self, tr: Translator) -> dict[str, Any]:
        """The methodologies that have results, for the rankings menu."""
        page = self.methodologies_page(tr)
        return {"methodologies": [m for m in page["methodologies"] if m["status"] == "ok"]}

    # ------------------------------------------------------------------ territory
    @_cached
    def territory_indices(self, code: str, tr: Translator) -> dict[str, Any]:
        """Every index the territory is in (last year of each), with rank of N, classes, contributions,
        strengths and weaknesses, recommended measures for its classes, and the RIS3 wheel when it has one."""
        indices = []
        by_method: dict[str, list[dict[str, Any]]] = {}
        for row in self.results.indices_of(code, self._dataset()):
            by_method.setdefault(row["methodology"], []).append(row)
        for name, rows in by_method.items():
            r = self.result(name)
            m = r.methodology
            last = rows[-1]
            classes = []
            cls_info = {c["id"]: c for c in self.classifications(r, tr)}
            for cid, value in last["classes"].items():
                info = cls_info.get(cid, {"title": cid, "classes": []})
                known = next((k for k in info["classes"] if k["id"] == value), None)
                classes.append(
                    {
                        "id": cid,
                        "title": info["title"],
                        "class_id": value,
                        "label": known["label"] if known else (value or "—"),
                        "colour": known["colour"] if known else NO_CLASS_COLOUR,
                        "measures": self._measures(code, name, cid, value, last["score"], tr),
                    }
                )
            # Classifications that lead to the same measures (seed 001's apply to every region whatever its
            # class) show them once, under the first.
            seen: set[tuple[str, ...]] = set()
            for c in classes:
                if c["measures"]:
                    ids = tuple(m["measure_id"] for m in c["measures"]["measures"] + c["measures"]["general"])
                    if ids in seen:
                        c["measures"] = None
                    seen.add(ids)
            contributions: list[dict[str, Any]] = []
            strengths: list[str] = []
            weaknesses: list[str] = []
            additive = False
            if last["score"] is not None:
                e = r.explain(code, last["year"])
                additive = e.additive
                for ind, rec in e.indicators.iterrows():
                    contributions.append(
                        {
                            "indicator": str(ind),
                            "name": self._indicator_name(str(ind), tr, m),
                            "value": _plain(rec.get("value")),
                            "normalised": _num(rec.get("normalised")),
                            "contribution": _num(rec.get("contribution")),
                            "effect": _num(rec.get("effect")),
                            "role": rec.get("role") or "",
                        }
                    )
                strengths = [self._indicator_name(s, tr, m) for s in e.strengths]
                weaknesses = [self._indicator_name(s, tr, m) for s in e.weaknesses]
            indices.append(
                {
                    "methodology": name,
                    "title": self._title(name, tr),
                    "url": f"/methodologies/{name}",
                    "rankings_url": f"/rankings/{name}?year={last['year']}",
                    "year": last["year"],
                    "score": last["score"],
                    "score_text": tr.format_number(_round(last["score"])),
                    "rank": last["rank"],
                    "n": last["n"],
                    "classes": classes,
                    "groups": [
                        {"id": g, "title": self._label(g, tr, m), "score": v}
                        for g, v in last["groups"].items()
                    ],
                    "contributions": contributions,
                    "additive": additive,
                    "strengths": strengths,
                    "weaknesses": weaknesses,
                    "history": [{"year": x["year"], "score": x["score"], "rank": x["rank"]} for x in rows],
                }
            )
        ris3 = next((i for i in indices if i["methodology"] == RIS3_METHODOLOGY), None)
        wheel = None
        if ris3 is not None:
            wheel = {
                "title": ris3["title"],
                "year": ris3["year"],
                "axes": [g["title"] for g in ris3["groups"]],
                "values": [g["score"] for g in ris3["groups"]],
            }
        return {"indices": indices, "ris3": wheel, "series": self._series(code, tr)}

    def _measures(
        self, code: str, name: str, classify: str, class_id: str | None, score: float | None, tr: Translator
    ) -> dict[str, Any] | None:
        """Measures the steering catalogue recommends for this class, with the reason; None when none."""
        if class_id is None:
            return None
        try:
            from aimaq.steering.measures import recommend
        except ImportError:  # the steering part is optional for the pages
            return None
        t = self._territory(code, tr)
        try:
            rec = recommend(
                code, class_id, name, score=score, lang=tr.lang, territory_name=t["name"], classify=classify
            )
        except (ValueError, KeyError, LookupError):
            return None
        if rec.measures.empty and rec.general.empty:
            return None

        def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
            keep = [
                c
                for c in ("measure_id", "text", "seed", "table", "lines", "actor", "instrument")
                if c in frame
            ]
            return [{k: _text(v) or "" for k, v in rec_.items()} for rec_ in frame[keep].to_dict("records")]

        return {"reason": rec.reason, "measures": rows(rec.measures), "general": rows(rec.general)}

    def _series(self, code: str, tr: Translator) -> list[dict[str, Any]]:
        """Time series of the territory's numeric indicators observed in at least two single years."""
        snap = self.data.snapshot()
        per: dict[str, list[tuple[int, float]]] = {}
        for rec in snap.by_territory.get(code, []):
            value = _num(rec.get("value"))
            period = str(rec.get("period"))
            if value is None or not re.fullmatch(r"\d{4}", period):
                continue
            per.setdefault(rec["indicator"], []).append((int(period), value))
        out = []
        for ind, points in sorted(per.items()):
            if len(points) < 2:
                continue
            points.sort()
            info = snap.indicators.get(ind, {})
            out.append(
                {
                    "indicator": ind,
                    "name": self._indicator_name(ind, tr),
                    "unit_code": info.get("unit") or "",
                    "years": [p[0] for p in points],
                    "values": [p[1] for p in points],
                }
            )
        return out

    # ------------------------------------------------------------------ map
    @_cached
    def index_map(
        self, tr: Translator, *, name: str, column: str = "score", year: int | None = None
    ) -> dict[str, Any]:
        """Values of one result column for the map: numeric (score, rank, a group) or a class.

        Regions are coloured; districts, towns and monotowns are points. Returns ``mode`` ("numeric" or
        "categorical"), ``values`` (territory -> value or class id), ``categories`` (the legend),
        ``direction`` (-1 for rank: a lower rank is better).
        """
        page = self.ranking_rows(name, tr, year)
        r = self.result(name)
        classes = {c["id"]: c for c in page["classifications"]}
        numeric_cols = {"score", "rank", *(g["id"] for g in page["groups"])}
        if column not in numeric_cols and column not in classes:
            raise KeyError(f"column {column!r} of {name} is not one of {sorted(numeric_cols | set(classes))}")
        values: dict[str, Any] = {}
        formatted: dict[str, str] = {}
        for row in page["rows"]:
            if column in classes:
                cls = row["classes"][column]
                values[row["code"]] = cls["id"]
                formatted[row["code"]] = cls["label"] or "—"
            else:
                v = row[column] if column in ("score", "rank") else row["groups"].get(column)
                values[row["code"]] = v
                formatted[row["code"]] = tr.format_number(_round(v)) if v is not None else "—"
        columns = [
            {"id": "score", "label": tr.gettext("Score")},
            {"id": "rank", "label": tr.gettext("Rank")},
            *({"id": c["id"], "label": c["title"]} for c in page["classifications"]),
            *({"id": g["id"], "label": g["title"]} for g in page["groups"]),
        ]
        if not page["has_score"]:
            columns = [c for c in columns if c["id"] not in ("score", "rank")]
        label = next((c["label"] for c in columns if c["id"] == column), column)
        return {
            "kind": "index",
            "layer": None,
            "layer_label": None,
            "citation": None,
            "methodology": name,
            "methodology_title": page["title"],
            "column": column,
            "column_label": label,
            "columns": columns,
            "year": page["year"],
            "years": page["years"],
            "mode": "categorical" if column in classes else "numeric",
            "categories": classes[column]["classes"] if column in classes else [],
            "direction": -1 if column == "rank" else 1,
            "values": values,
            "formatted": formatted,
            "territories": list(r.territories),
        }

    @_cached
    def layer_map(self, tr: Translator, layer: str) -> dict[str, Any]:
        """One of :data:`LAYERS` as categorical map values."""
        if layer not in LAYERS:
            raise KeyError(f"layer {layer!r} is not one of {sorted(LAYERS)}")
        spec = LAYERS[layer]
        if "methodology" in spec:
            out = dict(self.index_map(tr, name=spec["methodology"], column=spec["column"]))
            label_msgid = spec["label"]
            out.update(kind="layer", layer=layer, layer_label=tr.gettext(label_msgid))
            return out
        label_msgid = spec["label"]
        # A published classification stored as observations (value_text "yes" for each listed region).
        snap = self.data.snapshot()
        indicator = spec["indicator"]
        rows = [rec for rec in snap.observations if rec["indicator"] == indicator]
        period = max((str(r["period"]) for r in rows), default="")
        listed = {
            r["territory"] for r in rows if str(r.get("value_text") or "").lower() in ("yes", "1", "true")
        }
        yes, no = tr.gettext("Raw-material region"), tr.gettext("Not listed as raw-material")
        categories = [
            {"id": "listed", "label": yes, "colour": CLASS_PALETTE[-1]},
            {"id": "not_listed", "label": no, "colour": CLASS_PALETTE[2]},
        ]
        values = {
            t["code"]: ("listed" if t["code"] in listed else "not_listed") for t in snap.current_regions
        }
        values.update({code: "listed" for code in listed})
        return {
            "kind": "layer",
            "layer": layer,
            "layer_label": tr.gettext(label_msgid),
            "methodology": None,
            "methodology_title": self._indicator_name(indicator, tr),
            "column": indicator,
            "column_label": self._indicator_name(indicator, tr),
            "columns": [],
            "year": period,
            "years": [period] if period else [],
            "mode": "categorical",
            "categories": categories,
            "direction": 1,
            "values": values,
            "formatted": {k: (yes if v == "listed" else no) for k, v in values.items()},
            "territories": sorted(values),
            "citation": self.data._citation(rows[0]) if rows else None,
        }

    def profile_page(self, code: str, tr: Translator) -> dict[str, Any] | None:
        """:meth:`profile_base` with the robustness of each index's rank and class (``uncertainty``: the
        statements of the preset's uncertainty run, or its state while it computes)."""
        page = self.profile_base(code, tr)
        if page is None:
            return None
        return page | {"indices": uncertainty_pages.profile(self, code, page["indices"], tr)}

    @_cached
    def profile_base(self, code: str, tr: Translator) -> dict[str, Any] | None:
        """:meth:`WebData.territory_page` with :meth:`territory_indices` merged in (None: unknown code)."""
        page = self.data.territory_page(code, tr)
        if page is None:
            return None
        return page | self.territory_indices(code, tr)

    @_cached
    def map_page(
        self,
        tr: Translator,
        *,
        indicator: str | None = None,
        period: str | None = None,
        index: str | None = None,
        column: str | None = None,
        year: int | None = None,
        layer: str | None = None,
    ) -> dict[str, Any]:
        """The map page: :meth:`WebData.map_page`, coloured by a layer or an index when one is asked for,
        with the layer and index menus. KeyError (bad choice) or NotComputable as the parts raise them."""
        page = self.data.map_page(tr, indicator=indicator, period=period)
        overlay = None
        if layer:
            overlay = self.layer_map(tr, layer)
        elif index:
            if index not in self.results.presets():
                raise KeyError(
                    f"index {index!r} is not a shipped methodology; choose one of {self.results.presets()}"
                )
            overlay = self.index_map(tr, name=index, column=column or "score", year=year)
        page = self.map_overlay(page, overlay) if overlay is not None else dict(page) | {"overlay": None}
        msgids = {k: v["label"] for k, v in LAYERS.items()}
        page["layers"] = [{"id": k, "label": tr.gettext(msgid)} for k, msgid in msgids.items()]
        # Listed without computing them (the map must not wait for every preset); a preset whose data are
        # not loaded answers with the engine's reasons when chosen.
        page["index_choices"] = [
            {"name": e.name, "title": e.title.get(tr.lang) or e.title.get("en") or e.name}
            for e in self.results.entries()
        ]
        return page

    def map_overlay(self, base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
        """The map page ``base`` (regions and points of :meth:`WebData.map_page`) coloured by ``overlay``
        (:meth:`index_map` or :meth:`layer_map`): each region and point gets the overlay's value, its
        formatted text and its category; regions and points outside the overlay keep no value."""
        page = dict(base)
        values, formatted = overlay["values"], overlay["formatted"]
        categories = {c["id"]: c for c in overlay["categories"]}

        def paint(item: Mapping[str, Any], code: str) -> dict[str, Any]:
            v = values.get(code)
            cat = categories.get(v) if overlay["mode"] == "categorical" else None
            return dict(item) | {
                "value": None if overlay["mode"] == "categorical" else v,
                "category": v if cat else None,
                "category_label": cat["label"] if cat else None,
                "colour": cat["colour"] if cat else None,
                "formatted": formatted.get(code, "—") if code in values else "—",
                "status": "published" if code in values else "missing",
                "status_label": "",
                "citation": None,
            }

        page["regions"] = [paint(r, r["code"]) for r in base["regions"]]
        page["points"] = [paint(p, p["code"]) for p in base["points"] if p["code"] in values]
        page["borders"], page["merged"] = "2022", []
        page["geojson_url"] = "/api/geo/regions.geojson?borders=2022"
        nums = [r["value"] for r in page["regions"] + page["points"] if r["value"] is not None]
        page["range"] = [min(nums), max(nums)] if nums else None
        page["overlay"] = dict(overlay)
        return page

    # ------------------------------------------------------------------ compare
    @_cached
    def compare_page(
        self, codes: Sequence[str], tr: Translator, *, methodology: str | None = None
    ) -> dict[str, Any]:
        """2-5 territories side by side: indicators they share (latest common period), index scores, ranks
        and classes, and a radar of one methodology's normalised indicators (0-1 scaled per axis)."""
        snap = self.data.snapshot()
        codes = list(dict.fromkeys(codes))
        unknown = [c for c in codes if c not in snap.territories]
        if unknown:
            raise KeyError(f"territories {unknown} are not in the gazetteer; see /territories for the codes")
        if codes and not 2 <= len(codes) <= 5:
            raise ValueError(f"choose 2 to 5 territories to compare; got {len(codes)}")
        chosen = [self._territory(c, tr) for c in codes]
        options = sorted(
            (self._territory(c, tr) for c in snap.territories),
            key=lambda t: (t["level"] or "", t["name"].lower()),
        )
        page: dict[str, Any] = {
            "codes": codes,
            "territories": chosen,
            "options": options,
            "indicators": [],
            "indices": [],
            "methodologies": [],
            "methodology": None,
            "radar": None,
        }
        if not codes:
            return page
        # indicators every chosen territory has, at the latest period they share
        per: dict[str, dict[str, dict[str, Any]]] = {}
        for c in codes:
            for rec in snap.by_territory.get(c, []):
                per.setdefault(rec["indicator"], {}).setdefault(rec["period"], {})[c] = rec
        for ind in sorted(per):
            shared = [p for p, by in per[ind].items() if all(c in by for c in codes)]
            if not shared:
                continue
            period = max(shared, key=lambda p: tuple(reversed([int(y) for y in p.split("-")])))
            by = per[ind][period]
            page["indicators"].append(
                {
                    "indicator": ind,
                    "name": self._indicator_name(ind, tr),
                    "period": period,
                    "values": [self.data._format_value(by[c], tr) for c in codes],
                }
            )
        # indices that contain all of them
        common = []
        for name in self.results.presets():
            r = self.results.try_result(name, self._dataset())
            if r is None or not all(c in r.territories for c in codes):
                continue
            common.append(name)
            page_rows = {row["code"]: row for row in self.ranking_rows(name, tr)["rows"]}
            page["indices"].append(
                {
                    "methodology": name,
                    "title": self._title(name, tr),
                    "url": f"/methodologies/{name}",
                    "year": r.years[-1],
                    "n": len(page_rows),
                    "cells": [
                        {
                            "score_text": page_rows[c]["score_text"] if c in page_rows else "—",
                            "rank": page_rows[c]["rank"] if c in page_rows else None,
                            "classes": [v["label"] for v in page_rows[c]["classes"].values()]
                            if c in page_rows
                            else [],
                        }
                        for c in codes
                    ],
                }
            )
        page["methodologies"] = [{"name": n, "title": self._title(n, tr)} for n in common]
        if methodology is not None and methodology not in common:
            raise KeyError(
                f"methodology {methodology!r} does not contain all of {codes}; choose one of {common}"
            )
        chosen_m = methodology or (common[0] if common else None)
        page["methodology"] = chosen_m
        if chosen_m:
            r = self.result(chosen_m)
            y = r.years[-1]
            xn = r.data["normalised"] if "normalised" in r.data else r.data["selected"]
            frame = xn.xs(y, level="year") if "year" in (xn.index.names or []) else xn
            leaves = [c for c in r.state.leaves if c in frame.columns]
            frame = frame[leaves].apply(pd.to_numeric, errors="coerce")
            lo, hi = frame.min(), frame.max()
            span = hi - lo
            # an axis on which every territory has the same value is drawn at the middle (0.5)
            scaled = ((frame - lo) / span.where(span > 0)).fillna(frame.notna().astype(float) * 0.5)
            scaled = scaled.where(frame.notna())
            page["radar"] = {
                "methodology": chosen_m,
                "title": self._title(chosen_m, tr),
                "year": y,
                "axes": [self._indicator_name(c, tr, r.methodology) for c in leaves],
                "series": [
                    {
                        "code": c,
                        "name": t["name"],
                        "values": [_num(scaled.at[c, ind]) if c in scaled.index else None for ind in leaves],
                    }
                    for c, t in zip(codes, chosen, strict=True)
                ],
            }
        return page

    # ------------------------------------------------------------------ what-if
    def what_if_page(
        self,
        name: str,
        tr: Translator,
        *,
        values: Sequence[tuple[str, str, float | str]] = (),
        weights: Mapping[str, float] | None = None,
        year: int | None = None,
    ) -> dict[str, Any]:
        """Scores, ranks and classes before and after the change (nothing saved). SpecErrors on bad input."""
        w = self.results.what_if(name, values=values, weights=weights, year=year, data=self._dataset())
        classes = {c["id"]: c for c in self.classifications(self.result(name), tr)}

        def label(cid: str, value: Any) -> str:
            value = _text(value)
            known = next((k for k in classes[cid]["classes"] if k["id"] == value), None)
            return known["label"] if known else (value or "—")

        rows = []
        for code, row in w.table.iterrows():
            rows.append(
                self._territory(str(code), tr)
                | {
                    "score": _num(row.get("score")),
                    "score_new": _num(row.get("score_new")),
                    "score_text": tr.format_number(_round(row.get("score"))),
                    "score_new_text": tr.format_number(_round(row.get("score_new"))),
                    "score_delta": _num(row.get("score_delta")),
                    "score_delta_text": tr.format_number(_round(row.get("score_delta"))),
                    "rank": None if _num(row.get("rank")) is None else int(row["rank"]),
                    "rank_new": None if _num(row.get("rank_new")) is None else int(row["rank_new"]),
                    "rank_delta": None if _num(row.get("rank_delta")) is None else int(row["rank_delta"]),
                    "classes": [
                        {
                            "id": cid,
                            "before": label(cid, row.get(cid)),
                            "after": label(cid, row.get(f"{cid}_new")),
                            "changed": _text(row.get(cid)) != _text(row.get(f"{cid}_new")),
                        }
                        for cid in w.classifications
                    ],
                }
            )
        rows.sort(key=lambda r: (r["rank_new"] is None, r["rank_new"] or 0, r["name"]))
        moved = set(w.moved().index)
        for r in rows:
            r["moved"] = r["code"] in moved
        return {
            "methodology": name,
            "title": self._title(name, tr),
            "year": w.year,
            "values": [{"territory": t, "indicator": i, "value": v} for t, i, v in w.values],
            "weights": dict(w.weights),
            "edits": _jsonable(w.edits),
            "classifications": [{"id": c["id"], "title": c["title"]} for c in classes.values()],
            "rows": rows,
            "moved": sorted(moved),
            "saved": False,
        }


def _citation(source: Mapping[str, Any]) -> dict[str, Any]:
    seed = str(source.get("seed") or "")
    tables = source.get("tables") or source.get("table") or ""
    if isinstance(tables, list):
        tables = ", ".join(map(str, tables))
    lines = str(source.get("lines") or "")
    url = (
        f"/seeds/{seed}" + (f"?lines={lines}" if lines and re.fullmatch(r"[\d,\-– ]+", lines) else "")
        if seed
        else ""
    )
    return {
        "seed": seed,
        "tables": str(tables),
        "lines": lines,
        "text": str(source.get("citation") or ""),
        "url": url,
    }


def _round(v: Any, digits: int = 3) -> float | None:
    f = _num(v)
    return None if f is None else round(f, digits)


def _plain(v: Any) -> Any:
    """A JSON-ready scalar: numbers stay numbers (NaN -> None), anything else as text."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) or hasattr(v, "item"):
        f = _num(v)
        return f
    return str(v)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "tolist"):
        return _jsonable(obj.tolist())
    if isinstance(obj, float):
        return None if math.isnan(obj) else obj
    if obj is None or isinstance(obj, (str, int, bool)):
        return obj
    return str(obj)
