"""The uncertainty view as page dicts: the JSON contract, the methodology's uncertainty page, the robustness
statements of a profile and the rank-interval bars of a ranking.

Built from :class:`aimaq.services.uncertainty.Uncertainties` (runs in a background worker, cached per data
version) over the :class:`~aimaq.services.web.indices.IndexPages` of the app, whose names of territories and
classes these pages reuse. A run that is not ready gives ``status: "computing"`` (the pages poll the JSON
with ``static/uncertainty.js`` and fill in); one that cannot run gives ``status: "unavailable"`` and the
reason.

The contract of ``GET /api/uncertainty/{preset}.json`` (consumed by the map) is :func:`contract`; every
field is documented in docs/web.md, section "Uncertainty".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aimaq.i18n import Translator
from aimaq.services.uncertainty import Status, rounded
from aimaq.services.web.data import N_

if TYPE_CHECKING:
    from aimaq.services.web.indices import IndexPages

__all__ = ["HTTP_STATUS", "contract", "factor_rows", "interval_bar", "page", "profile", "ranking"]

#: HTTP status of the JSON contract per run state: 202 asks the client to come back (``Retry-After: 1``).
HTTP_STATUS: Mapping[str, int] = {"ready": 200, "computing": 202, "unavailable": 409}

REASON_TEXT: Mapping[str, str] = {
    "missing_data": N_("The data this methodology needs are not in the store yet; import them first."),
    "not_computable": N_("This methodology does not run on the store's data."),
    "declaration": N_("The uncertainty declaration of this methodology is not valid."),
    "error": N_("The uncertainty run failed."),
}
CONFIDENCE_TEXT: Mapping[str, str] = {
    "high": N_("high confidence"),
    "medium": N_("medium confidence"),
    "low": N_("low confidence"),
}


def _pct(v: float) -> str:
    return f"{100 * v:g}"


def factor_label(f: Mapping[str, Any], tr: Translator) -> str:
    """What a factor varies, in words (a factor's own ``name`` from the spec is kept as written).

    ``f`` is :meth:`aimaq.engine.uncertainty.Factor.to_dict`.
    """
    if f.get("label") and f["label"] != f["key"]:
        return str(f["label"])
    if f["kind"] == "weights" and f.get("noise") is not None:
        return tr.gettext("weights ±%(pct)s %%") % {"pct": _pct(float(f["noise"]))}
    if f["kind"] == "weights":
        return tr.gettext("weights drawn around the nominal ones (Dirichlet, concentration %(c)s)") % {
            "c": f.get("dirichlet")
        }
    if f["kind"] == "cells":
        n = len(f.get("cells") or [])
        return tr.ngettext(
            "%(n)s disputed source cell, read either way", "%(n)s disputed source cells, read either way", n
        ) % {"n": n}
    return tr.gettext("%(key)s: one of %(levels)s") % {
        "key": f["key"],
        "levels": ", ".join(map(str, f.get("levels") or [])),
    }


def factor_rows(status: Status, tr: Translator) -> list[dict[str, Any]]:
    """Each factor varied: key, kind, label, levels, and its first-order/total Sobol indices (with their
    bootstrap 95 % half-widths) of the mean absolute rank shift, None without sensitivity."""
    u = status.result
    if u is None:
        return []
    sens = u.sensitivity
    rows = []
    for i, f in enumerate(u.analysis.factors):
        d = f.to_dict()
        s = sens.iloc[i] if len(sens) == len(u.analysis.factors) else None
        rows.append(
            {
                "key": f.key,
                "kind": f.kind,
                "label": factor_label(d, tr),
                "levels": d.get("levels", []),
                **{k: (rounded(s[k]) if s is not None else None) for k in ("S1", "ST", "S1_conf", "ST_conf")},
            }
        )
    return rows


def interval_bar(lo: int | None, hi: int | None, nominal: int | None, n: int) -> dict[str, float] | None:
    """Where a rank interval sits on a 1..n axis, in per cent: ``left``, ``width`` (at least 1, so that a
    single rank still shows) and ``nominal``.

    Examples
    --------
    >>> interval_bar(3, 6, 4, 11)
    {'left': 20.0, 'width': 30.0, 'nominal': 30.0}
    >>> interval_bar(1, 1, 1, 1)
    {'left': 0.0, 'width': 1.0, 'nominal': 0.0}
    """
    if lo is None or hi is None:
        return None
    span = max(n - 1, 1)
    out = {
        "left": round(100 * (lo - 1) / span, 2),
        "width": round(max(100 * (hi - lo) / span, 1.0), 2),
        "nominal": round(100 * (nominal - 1) / span, 2) if nominal is not None else None,
    }
    return out  # type: ignore[return-value]


def rank_text(lo: int | None, hi: int | None, tr: Translator) -> str:
    """``rank 3–6`` (or ``rank 3``), the text alternative of an interval bar."""
    if lo is None or hi is None:
        return ""
    if lo == hi:
        return tr.gettext("rank %(lo)s") % {"lo": lo}
    return tr.gettext("rank %(lo)s–%(hi)s") % {"lo": lo, "hi": hi}


def _headline(status: Status, tr: Translator) -> str:
    if status.state == "ready":
        return ""
    if status.state == "computing":
        return tr.gettext("computing…")
    msgid = REASON_TEXT.get(status.reason_code or "", REASON_TEXT["error"])
    return tr.gettext(msgid)


def confidence_text(level: str | None, tr: Translator) -> str | None:
    """``high confidence`` etc. in the request's language (None without a level)."""
    if level is None:
        return None
    msgid = CONFIDENCE_TEXT[level]
    return tr.gettext(msgid)


def contract(
    pages: IndexPages,
    name: str,
    tr: Translator,
    *,
    year: int | None = None,
    territory: str | None = None,
    classification: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """``(HTTP status, body)`` of ``GET /api/uncertainty/{name}.json`` (docs/web.md, "Uncertainty").

    Raises
    ------
    KeyError
        ``name`` is not a shipped preset, or ``classification`` is not one of its classifications.
    """
    st = pages.uncertainty.status(name, pages._dataset(), year=year)
    body: dict[str, Any] = {
        "preset": name,
        "title": pages._title(name, tr),
        "status": st.state,
        "reason": st.reason,
        "reason_code": st.reason_code,
        "reason_text": _headline(st, tr) if st.state == "unavailable" else None,
        "progress": round(st.progress, 3),
        "n": st.n,
        "seed": st.seed,
        "sampling": None,
        "year": None if st.year is None else str(st.year),
        "url": f"/methodologies/{name}/uncertainty",
        "json_url": f"/api/uncertainty/{name}.json?lang={tr.lang}" + (f"&year={year}" if year else ""),
        "factors": [],
        "sensitivity_output": None,
        "classification": None,
        "classifications": [],
        "territories": [],
    }
    u = st.result
    if u is None:
        return HTTP_STATUS[st.state], body
    rows = pages.uncertainty.rows(st, tr.lang, classification)
    ranked = sum(1 for r in rows if r["rank_q05"] is not None)
    if territory is not None:
        rows = [r for r in rows if r["code"] == territory]
    classes = {c["id"]: c for c in pages.classifications(u.nominal, tr)}
    out = []
    for r in rows:
        t = pages._territory(r["code"], tr)
        info = classes.get(r["classification"] or "", {"classes": []})
        label = next((k["label"] for k in info["classes"] if k["id"] == r["nominal_class"]), None)
        out.append(
            {
                "code": r["code"],
                "name": t["name"],
                "url": t["url"],
                **{k: v for k, v in r.items() if k != "code"},
                "nominal_class_label": label or r["nominal_class"],
                "confidence_text": confidence_text(r["confidence"], tr),
                "rank_text": rank_text(r["rank_q05"], r["rank_q95"], tr),
                "bar": interval_bar(r["rank_q05"], r["rank_q95"], r["nominal_rank"], ranked),
            }
        )
    main = out[0]["classification"] if out else (next(iter(u.class_arrays), None))
    body.update(
        sampling=u.analysis.declaration.sampling,
        year=str(u.year),
        factors=factor_rows(st, tr),
        sensitivity_output=tr.gettext("mean absolute shift of the ranks from the nominal ranks"),
        classification=classification or main,
        classifications=list(classes.values()),
        territories=out,
        ranked=ranked,
        seconds=round(u.seconds, 3),
        runs=u.runs,
    )
    return 200, body


def page(pages: IndexPages, name: str, tr: Translator, *, year: int | None = None) -> dict[str, Any]:
    """The methodology's uncertainty page: :func:`contract` plus the charts' data (rank intervals ordered
    by median rank, class probabilities per classification, Sobol indices per factor)."""
    code, body = contract(pages, name, tr, year=year)
    body = dict(body, http_status=code, headline=_headline_of(body, tr))
    rows = sorted(
        body["territories"],
        key=lambda r: (r["median_rank"] is None, r["median_rank"] or 0, r["name"].casefold()),
    )
    body["territories"] = rows
    ranked = [r for r in rows if r["rank_q05"] is not None]
    body["rank_chart"] = {
        "names": [r["name"] for r in ranked],
        "median": [r["median_rank"] for r in ranked],
        "lo": [r["rank_q05"] for r in ranked],
        "hi": [r["rank_q95"] for r in ranked],
        "nominal": [r["nominal_rank"] for r in ranked],
        "labels": {
            "median": tr.gettext("Median rank"),
            "nominal": tr.gettext("Nominal rank"),
            "axis": tr.gettext("Rank (1 = best)"),
        },
    }
    body["class_charts"] = [
        {
            "id": c["id"],
            "title": c["title"],
            "names": [r["name"] for r in rows],
            "classes": [
                {
                    "id": k["id"],
                    "label": k["label"],
                    "colour": k["colour"],
                    "values": [r["classes"][c["id"]]["class_probability"].get(k["id"], 0.0) for r in rows],
                }
                for k in c["classes"]
            ],
            "axis": tr.gettext("Share of replications"),
        }
        for c in body["classifications"]
    ]
    body["sobol_chart"] = {
        "labels": [f["label"] for f in body["factors"]],
        "S1": [f["S1"] for f in body["factors"]],
        "ST": [f["ST"] for f in body["factors"]],
        "names": {"S1": tr.gettext("First-order index"), "ST": tr.gettext("Total index")},
    }
    return body


def _headline_of(body: Mapping[str, Any], tr: Translator) -> str:
    if body["status"] == "computing":
        return tr.gettext("computing…")
    return body.get("reason_text") or ""


def profile(pages: IndexPages, code: str, indices: Sequence[dict[str, Any]], tr: Translator) -> list[dict]:
    """``indices`` of a profile, each with ``uncertainty``: the state, the engine's statements for the
    territory, the confidence, and the JSON address the page polls while the run is computing. Runs not
    yet asked for are queued (first in line), so the page itself starts what it shows.
    """
    out = []
    for i in indices:
        name = i["methodology"]
        st = pages.uncertainty.status(name, pages._dataset())
        entry: dict[str, Any] = {
            "status": st.state,
            "statements": [],
            "statement": "",
            "confidence": None,
            "confidence_text": None,
            "text": _headline(st, tr),
            "reason": st.reason,
            "n": st.n,
            "seed": st.seed,
            "year": st.year,
            "url": f"/methodologies/{name}/uncertainty",
            "json_url": f"/api/uncertainty/{name}.json?territory={code}&lang={tr.lang}",
        }
        if st.result is not None:
            row = next((r for r in pages.uncertainty.rows(st, tr.lang) if r["code"] == code), None)
            if row is not None:
                entry.update(
                    statements=row["statements"],
                    statement=row["statement"],
                    confidence=row["confidence"],
                    confidence_text=confidence_text(row["confidence"], tr),
                )
        out.append(dict(i, uncertainty=entry))
    return out


def ranking(
    pages: IndexPages, base: dict[str, Any], tr: Translator, *, sort_interval: bool
) -> dict[str, Any]:
    """A ranking page with each row's rank interval (``interval``: lo, hi, median, bar, text) and the run's
    state (``uncertainty``); ``sort_interval`` orders the rows by median rank, then interval width."""
    name = base["methodology"]
    st = pages.uncertainty.status(name, pages._dataset(), year=base["year"])
    info = {
        "status": st.state,
        "text": _headline(st, tr),
        "reason": st.reason,
        "n": st.n,
        "seed": st.seed,
        "url": f"/methodologies/{name}/uncertainty",
        "json_url": f"/api/uncertainty/{name}.json?year={base['year']}&lang={tr.lang}",
    }
    by_code: dict[str, dict[str, Any]] = {}
    if st.result is not None:
        rows = pages.uncertainty.rows(st, tr.lang)
        n = sum(1 for r in rows if r["rank_q05"] is not None)
        for r in rows:
            by_code[r["code"]] = {
                "lo": r["rank_q05"],
                "hi": r["rank_q95"],
                "median": r["median_rank"],
                "nominal": r["nominal_rank"],
                "bar": interval_bar(r["rank_q05"], r["rank_q95"], r["nominal_rank"], n),
                "text": rank_text(r["rank_q05"], r["rank_q95"], tr),
                "confidence": r["confidence"],
            }
    rows = [dict(r, interval=by_code.get(r["code"])) for r in base["rows"]]
    if sort_interval and by_code:

        def key(r: dict[str, Any]) -> tuple:
            iv = r["interval"]
            if iv is None or iv["median"] is None:
                return (1, 0.0, 0)
            return (0, iv["median"], iv["hi"] - iv["lo"])

        present = sorted((r for r in rows if key(r)[0] == 0), key=key, reverse=base["order"] == "desc")
        rows = present + [r for r in rows if key(r)[0] == 1]
    return dict(base, rows=rows, uncertainty=info, sort="interval" if sort_interval else base["sort"])
