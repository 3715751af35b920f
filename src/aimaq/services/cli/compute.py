"""CLI commands of the engine: ``compute``, ``methods list|show``, ``reproduce``, ``explain``.

A SPEC argument is a path to a YAML spec or the name of a shipped methodology (``aimaq methods list``).
Data come from ``--data FILE`` (a long or wide CSV/XLSX, as ``aimaq import`` reads, with territories
outside the gazetteer kept by their codes) or from the store (``--db URL``, default ``$AIMAQ_DATABASE_URL``
or the SQLite file under ``$AIMAQ_HOME``). Spec errors are printed as rows ``file, key path: message
[reason]`` and exit with status 2; ``reproduce`` exits 1 only on an unexplained mismatch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from aimaq.engine.errors import SpecErrors

_FORMATS = ("text", "json")
#: Spec problems that only say the data are not loaded (reproduce over every methodology lists them).
_DATA_REASONS = frozenset({"unknown_indicator", "no_data", "unknown_territory", "unknown_table"})
DataOpt = Annotated[
    Path | None, typer.Option("--data", help="A long or wide CSV/XLSX file (instead of the store).")
]
DbOpt = Annotated[
    str | None, typer.Option("--db", help="Database URL of the store (default: $AIMAQ_DATABASE_URL).")
]
YearOpt = Annotated[
    int | None, typer.Option("--year", help="Compute this year only (overrides select.years).")
]
FormatOpt = Annotated[str, typer.Option("--format", help="text or json.")]


def _fail_spec(exc: SpecErrors, fmt: str = "text") -> None:
    if fmt == "json":
        typer.echo(json.dumps(exc.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(str(exc), err=True)
    raise typer.Exit(2)


def _dataset(data: Path | None, db: str | None, methodology: Any = None) -> Any:
    """The Dataset from a file (no database) or from the store."""
    if data is not None:
        if not data.is_file():
            typer.echo(f"{data}: no such file", err=True)
            raise typer.Exit(2)
        from aimaq.store.imports import read_dataset

        try:
            return read_dataset(data)
        except Exception as exc:  # the store's ValidationErrors list every row; print them as they are
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
    from aimaq.services.cli._store import open_store

    # Store.dataset() carries the reference tables (Dataset.tables) that specs name by key
    return open_store(db).dataset()


def _load(spec: str, fmt: str = "text") -> Any:
    """The validated methodology of a name or path; an unknown name or a spec error exits with 2, printing
    the rendered error rows (``file, key path: message [reason]``), never a traceback."""
    from aimaq.engine.registry import load

    try:
        return load(spec)
    except LookupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    except SpecErrors as exc:
        _fail_spec(exc, fmt)


def _needs_data(m: Any, exc: SpecErrors) -> dict[str, Any]:
    """What a methodology whose data are not loaded needs: the missing indicators, the import templates
    that hold them, and the published cells it would check (``expected:``)."""
    import re

    from aimaq.engine.registry import METHODOLOGY_DIR, templates_for
    from aimaq.engine.reproduce import published_cells

    codes: list[str] = []
    for p in exc.problems:
        for code in re.findall(r"indicator '([^']+)'", p.message)[:1]:
            if code not in codes:
                codes.append(code)
    templates = templates_for(codes)
    used = sorted({t for paths in templates.values() for t in paths})
    parts = [f"import {', '.join(codes)}" if codes else "load the data the problems below name"]
    if used:
        parts.append("template " + ", ".join(str(t.relative_to(METHODOLOGY_DIR)) for t in used))
    # A template's title row names the statistical table to fetch ("aimaq import template: <table> ...").
    prefix = "aimaq import template:"
    tables = []
    for t in used:
        first = t.read_text(encoding="utf-8-sig").split("\n", 1)[0].strip()
        if first.startswith(prefix):
            tables.append(first[len(prefix) :].strip())
    return {"what": "; ".join(parts), "indicators": codes, "tables": tables, "cells": published_cells(m)}


def _print_not_run(item: dict[str, Any]) -> None:
    if not item["data_missing"]:
        typer.echo(f"{item['methodology']}: not run (spec problems):")
        for e in item["errors"]:
            typer.echo(f"  {e['key']}: {e['message']} [{e['reason']}]")
        return
    need = item["needs_data"]
    typer.echo(
        f"{item['methodology']}: not run (the data it needs are not loaded): needs data: {need['what']}"
    )
    for table in need["tables"]:
        typer.echo(f"  statistical table: {table}")
    for e in item["errors"]:
        typer.echo(f"  {e['key']}: {e['message']} [{e['reason']}]")
    for c in need["cells"]:
        where = c["territory"] if c["territory"] is not None else "(every cell)"
        typer.echo(
            f"  {'needs data':<15} {where:<20} {c['column']:<16} published {c['expected']}"
            f"  [needs data: {need['what']}]" + (f"  ({c['source']})" if c["source"] else "")
        )
    typer.echo(
        f"{item['methodology']}: {len(need['cells'])} published cells need data; not run, not a failure"
    )


def _with_year(m: Any, year: int | None) -> Any:
    return m if year is None else m.with_edits({"select.years": [int(year)]})


def _parse_sets(sets: list[str]) -> list[tuple[str, str, float | str]]:
    out = []
    for s in sets:
        target, sep, value = s.partition("=")
        territory, dot, indicator = target.partition(".")
        if not sep or not dot or not territory or not indicator:
            typer.echo(
                f"--set {s!r}: write TERRITORY.INDICATOR=VALUE (e.g. satpayev.lsg_satisfaction_pct=52)",
                err=True,
            )
            raise typer.Exit(2)
        try:
            out.append((territory, indicator, float(value.replace(",", "."))))
        except ValueError:
            out.append((territory, indicator, value))
    return out


def _print_table(result: Any, lang: str) -> None:
    table = result.table.reset_index()
    keep = ["year", "territory", "score", "rank"]
    for cid in result.classification_ids:
        keep += [cid, f"{cid}_label_{lang}"]
    cols = [c for c in keep if c in table.columns]
    if "rank" in table.columns:
        table = table.sort_values(["year", "rank"], na_position="last")
    typer.echo(table[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}"))


def _write(result: Any, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix == ".csv":
        result.to_csv(out)
    elif suffix == ".xlsx":
        result.to_excel(out)
    elif suffix == ".json":
        result.to_json(out)
    else:
        typer.echo(f"--out {out}: write .csv, .xlsx or .json", err=True)
        raise typer.Exit(2)
    typer.echo(f"written {out}")


def register(app: typer.Typer) -> None:
    """Add ``compute``, ``methods``, ``reproduce`` and ``explain`` to the aimaq app."""

    @app.command()
    def compute(
        spec: Annotated[str, typer.Argument(help="A spec file (.yaml) or a methodology name.")],
        data: DataOpt = None,
        year: YearOpt = None,
        out: Annotated[
            Path | None, typer.Option("--out", help="Write the result: .csv, .xlsx or .json.")
        ] = None,
        db: DbOpt = None,
        set_: Annotated[
            list[str] | None,
            typer.Option(
                "--set", help="What-if: TERRITORY.INDICATOR=VALUE (repeatable), for the computed year."
            ),
        ] = None,
        lang: Annotated[str, typer.Option("--lang", help="Language of class labels: kk, ru or en.")] = "en",
    ) -> None:
        """Run a methodology and print scores, ranks and classes."""
        m = _load(spec)
        try:
            m = _with_year(m, year)
            ds = _dataset(data, db, m)
            result = m.compute(ds)
            for territory, indicator, value in _parse_sets(set_ or []):
                result = result.what_if(territory, indicator, value, year=year)
        except SpecErrors as exc:
            _fail_spec(exc)
            return
        for w in result.warnings:
            typer.echo(f"warning: {w}", err=True)
        _print_table(result, lang)
        if out is not None:
            _write(result, out)

    methods_app = typer.Typer(help="The methodologies shipped with aimaq (seed presets and examples).")
    app.add_typer(methods_app, name="methods")

    @methods_app.command("list")
    def methods_list(fmt: FormatOpt = "text", lang: str = "en") -> None:
        """List every shipped methodology; examples are marked."""
        from aimaq.engine.registry import entries

        items = entries()
        if fmt == "json":
            typer.echo(json.dumps([e.to_dict() for e in items], ensure_ascii=False, indent=2))
            return
        for e in items:
            mark = " (example)" if e.example else ""
            err = f"  [invalid: {e.error}]" if e.error else ""
            title = e.title.get(lang) or e.title.get("en", "")
            typer.echo(f"{e.name}{mark}  {title}{err}")

    @methods_app.command("show")
    def methods_show(
        name: Annotated[str, typer.Argument(help="A methodology name or spec file.")],
        fmt: FormatOpt = "text",
    ) -> None:
        """Describe a methodology: titles and descriptions in kk/ru/en, citation, steps with their methods."""
        m = _load(name, fmt)
        steps = []
        for e in m.transform_entries:
            steps.append({"key": e.key, "step": "transform", "method": e.method, "params": dict(e.params)})
        for step in ("impute", "treat", "normalise", "weight", "aggregate", "classify"):
            entries = m.entries(step) or (
                [m.weight_shorthand()] if step == "weight" and m.weight_shorthand() else []
            )
            for e in entries:
                steps.append({"key": e.key, "step": step, "method": e.method, "params": dict(e.params)})
        info = {
            "name": m.name,
            "status": m.status,
            "file": m.file,
            "title": m.title,
            "description": m.description,
            "source": m.source,
            "indicators": list(m.leaves),
            "groups": {g: list(c) for g, c in m.groups.items()},
            "index": m.root,
            "steps": steps,
        }
        if fmt == "json":
            typer.echo(json.dumps(info, ensure_ascii=False, indent=2, default=str))
            return
        typer.echo(f"{m.name} ({m.status})  {m.file}")
        for lang in ("kk", "ru", "en"):
            if lang in m.title:
                typer.echo(f"  title [{lang}]: {m.title[lang]}")
        for lang in ("kk", "ru", "en"):
            if lang in m.description:
                typer.echo(f"  description [{lang}]: {m.description[lang]}")
        if m.source:
            typer.echo(f"  source: {json.dumps(m.source, ensure_ascii=False)}")
        typer.echo(f"  indicators ({len(m.leaves)}): {', '.join(m.leaves)}")
        for g in m.postorder():
            typer.echo(f"  group {g}: {', '.join(m.children(g))}")
        for s in steps:
            params = json.dumps(s["params"], ensure_ascii=False, default=str)
            typer.echo(f"  {s['key']}: {s['method']} {params if s['params'] else ''}".rstrip())

    @app.command()
    def reproduce(
        name: Annotated[
            str | None,
            typer.Argument(
                help="A methodology, a spec file, or a name prefix (seed003 runs every seed 003 preset); "
                "default: every one with expected values."
            ),
        ] = None,
        data: DataOpt = None,
        db: DbOpt = None,
        fmt: FormatOpt = "text",
    ) -> None:
        """Compare published values with the computation cell by cell; exit 1 only on an unexplained one.

        A methodology whose input data are not loaded lists its published cells as "needs data" with what
        to import, and does not change the exit status; any other spec problem exits with 2.
        """
        from aimaq.engine.registry import entries, matching
        from aimaq.engine.reproduce import reproduce as run_reproduce

        if fmt not in _FORMATS:
            typer.echo(f"--format: text or json, not {fmt!r}", err=True)
            raise typer.Exit(2)
        if name is None:
            names = [e.name for e in entries() if e.has_expected and not e.error]
        elif Path(name).suffix in (".yaml", ".yml") and Path(name).is_file():
            names = [name]
        else:
            found = matching(name)
            with_expected = [e.name for e in found if e.has_expected and not e.error]
            # no match: _load names the closest methodology; an invalid one: _load prints its problems
            names = with_expected or [e.name for e in found] or [name]
        reports = []
        not_run: list[dict[str, Any]] = []
        failed = False
        ds = None
        for n in names:
            m = _load(n, fmt)
            try:
                if data is None and m.status == "example":
                    from aimaq.engine.registry import example_data

                    shipped = example_data(n)
                    dset = _dataset(shipped, db, m) if shipped else (ds := ds or _dataset(None, db))
                else:
                    dset = ds = ds or _dataset(data, db, m)
                reports.append(run_reproduce(m, dset))
            except SpecErrors as exc:
                # a methodology whose data are not loaded (e.g. seed 002's regional GVA, which must be
                # imported) lists the cells it would check; any other spec problem fails the run
                data_only = all(p.reason in _DATA_REASONS for p in exc.problems)
                if not data_only and len(names) == 1:
                    _fail_spec(exc, fmt)
                failed = failed or not data_only
                item = {"methodology": m.name, "data_missing": data_only, **exc.to_dict()}
                if data_only:
                    item["needs_data"] = _needs_data(m, exc)
                not_run.append(item)
        if fmt == "json":
            out = {"reports": [r.to_dict() for r in reports], "not_run": not_run}
            typer.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        else:
            for r in reports:
                typer.echo(r.to_text())
            for item in not_run:
                _print_not_run(item)
        if failed:
            raise typer.Exit(2)
        if not all(r.ok for r in reports):
            raise typer.Exit(1)

    @app.command()
    def explain(
        spec: Annotated[str, typer.Argument(help="A spec file (.yaml) or a methodology name.")],
        territory: Annotated[str, typer.Argument(help="Territory code.")],
        data: DataOpt = None,
        year: YearOpt = None,
        db: DbOpt = None,
        fmt: FormatOpt = "text",
    ) -> None:
        """Where a territory's score comes from: contributions, peer ranks, strengths and weaknesses."""
        m = _load(spec, fmt)
        try:
            result = m.compute(_dataset(data, db, m))
        except SpecErrors as exc:
            _fail_spec(exc, fmt)
            return
        try:
            ex = result.explain(territory, year)
        except KeyError as exc:
            typer.echo(str(exc.args[0]), err=True)
            raise typer.Exit(2) from None
        if fmt == "json":
            typer.echo(json.dumps(ex.to_dict(), ensure_ascii=False, indent=2, default=str))
        else:
            typer.echo(str(ex))
