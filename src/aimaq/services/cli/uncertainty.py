"""CLI command ``aimaq uncertainty``: how robust each rank and class is, and which choice matters.

``aimaq uncertainty SPEC.yaml|NAME --n 10000 [--seed S] [--data FILE] [--out FILE.csv|.json]`` runs the
Monte-Carlo of :mod:`aimaq.engine.uncertainty` with a progress bar. What varies comes from ``--factors
FILE.yaml`` (an ``uncertainty:`` block, or a spec holding one), else from the spec's own ``uncertainty:``
block, else the default view (weights ±20 % and the notes' disputed cells). ``--n``, ``--seed``,
``--sampling``, ``--year`` and ``--sensitivity/--no-sensitivity`` override what was declared.

It prints the factors, the territories ordered by nominal rank with their median rank, 5-95 % rank
interval and most frequent class, then the first-order and total Sobol indices of the mean absolute rank
shift. ``--out`` writes the per-territory summary (.csv) or everything, with kk/ru/en statements (.json;
``--distributions`` adds every replication's scores, ranks and classes). Spec and declaration errors are
printed as rows ``file, key path: message [reason]`` and exit with status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from aimaq.engine.errors import SpecErrors
from aimaq.services.cli.compute import DataOpt, DbOpt, _dataset, _fail_spec, _load

_LANGS = ("kk", "ru", "en")


def _declaration(m: Any, factors: Path | None) -> Any:
    from aimaq.engine.uncertainty import Declaration

    if factors is not None:
        if not factors.is_file():
            typer.echo(f"{factors}: no such file", err=True)
            raise typer.Exit(2)
        return Declaration.from_yaml(factors)
    return Declaration.from_spec(m) or Declaration.default(m)


def _print_text(u: Any, lang: str, top: int | None) -> None:
    a = u.analysis
    typer.echo(f"{a.methodology.name}, {u.year}: {u.n:,} replications ({u.runs:,} runs, {u.seconds:.2f} s)")
    typer.echo("factors:")
    for f in a.factors:
        d = f.to_dict()
        if f.kind == "choice":
            what = " | ".join(d["levels"])
        elif f.kind == "weights":
            what = f"±{f.noise:.0%} uniform" if f.noise is not None else f"Dirichlet({f.dirichlet:g})"
        else:
            what = f"{len(f.cells)} disputed cell(s), alternative reading with p = {f.p:g}"
        typer.echo(f"  {f.label}: {what}")
    for w in a.warnings:
        typer.echo(f"warning: {w}", err=True)
    s = u.summary.reset_index()
    if "nominal_rank" in s.columns:
        s = s.sort_values("nominal_rank", na_position="last")
    cols = ["territory", "nominal_rank", "median_rank", "rank_q05", "rank_q95", "rank_interval_share"]
    cols += [c for c in s.columns if c.endswith("_mode") or c.endswith("_mode_share")]
    shown = s[[c for c in cols if c in s.columns]]
    if top is not None:
        shown = shown.head(top)
    typer.echo(shown.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    if top is not None and len(s) > top:
        typer.echo(f"... {len(s) - top} more (--top 0 shows all)")
    if len(u.sensitivity):
        typer.echo(f"\nSobol indices of the {u.sensitivity.attrs.get('output', 'mean absolute rank shift')}:")
        typer.echo(u.sensitivity.to_string(float_format=lambda v: f"{v:.3f}"))
    first = s["territory"].iloc[0] if len(s) else None
    if first is not None:
        typer.echo(f"\n{first}: " + "; ".join(u.statements(str(first), lang)))


def register(app: typer.Typer) -> None:
    """Add ``uncertainty`` to the aimaq app."""

    @app.command()
    def uncertainty(
        spec: Annotated[str, typer.Argument(help="A spec file (.yaml) or a methodology name.")],
        n: Annotated[
            int | None, typer.Option("--n", help="Replications (default: declared, else 1000).")
        ] = None,
        seed: Annotated[
            int | None, typer.Option("--seed", help="Seed: the same seed, the same numbers.")
        ] = None,
        data: DataOpt = None,
        db: DbOpt = None,
        out: Annotated[
            Path | None, typer.Option("--out", help="Write the summary (.csv) or everything (.json).")
        ] = None,
        factors: Annotated[
            Path | None,
            typer.Option("--factors", help="A YAML file with an `uncertainty:` block (what varies)."),
        ] = None,
        sampling: Annotated[
            str | None, typer.Option("--sampling", help="sobol (default), lhs or random.")
        ] = None,
        year: Annotated[
            int | None, typer.Option("--year", help="The analysed year (default: the last).")
        ] = None,
        sensitivity: Annotated[
            bool | None,
            typer.Option("--sensitivity/--no-sensitivity", help="Sobol indices (N (G + 2) runs)."),
        ] = None,
        distributions: Annotated[
            bool, typer.Option("--distributions", help="With --out .json: every replication's values.")
        ] = False,
        top: Annotated[int, typer.Option("--top", help="Territories printed (0 = all).")] = 30,
        lang: Annotated[str, typer.Option("--lang", help="Language of the statements: kk, ru or en.")] = "en",
        fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    ) -> None:
        """How robust is each rank and class: Monte-Carlo over weights, methods and disputed cells."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from aimaq.engine.uncertainty import UncertaintyAnalysis

        if lang not in _LANGS:
            typer.echo(f"--lang {lang!r}: write kk, ru or en", err=True)
            raise typer.Exit(2)
        if fmt not in ("text", "json"):
            typer.echo(f"--format {fmt!r}: write text or json", err=True)
            raise typer.Exit(2)
        if out is not None and out.suffix.lower() not in (".csv", ".json"):
            typer.echo(f"--out {out}: write .csv or .json", err=True)
            raise typer.Exit(2)
        m = _load(spec)
        try:
            decl = _declaration(m, factors)
            block: dict[str, Any] = {"n": n, "seed": seed, "sampling": sampling, "year": year}
            if sensitivity is not None:
                block["sensitivity"] = sensitivity
            given = {k: v for k, v in block.items() if v is not None}
            if given:  # checked with the same rules (and messages) as a declared block
                from aimaq.engine.uncertainty import Declaration

                Declaration.from_dict(given, file="command line", prefix="")
                decl = decl.replace(**given)
            ds = _dataset(data, db, m)
            analysis = UncertaintyAnalysis(m, ds, decl)
            console = Console(stderr=True)
            with Progress(
                TextColumn("replications"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as bar:
                task = bar.add_task("runs", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                u = analysis.run(progress)
        except SpecErrors as exc:
            _fail_spec(exc, fmt)
            return
        if fmt == "json":
            typer.echo(u.to_json(distributions=distributions))
        else:
            _print_text(u, lang, top or None)
        if out is not None:
            if out.suffix.lower() == ".csv":
                u.to_csv(out)
            else:
                u.to_json(out, distributions=distributions)
            typer.echo(f"written {out}", err=fmt == "json")
