"""CLI commands of seed 002's typology: ``aimaq typology ...``.

``table1 [--lang kk|ru|en]``
    Table 1 (4 criteria x 4 sectors of a raw-material region's economy) in one language;
``sector --tech-mode 6 --product-kind intangible_knowledge ...``
    the sector of an activity, enterprise or project, with the score of every criterion and the tree path;
``structure FILE [--mapping CSV]``
    the sector shares of GVA per region and year from a GVA-by-activity file (the import template's layout);
``position --potential P --production H --target new|traditional|<sector>``
    the Figure 1 strategy with its reasons, the seed's expected effects and the measures;
``checklist FILE``
    the S3 checklist percentages per strategy from a CSV of 0 / 0.5 / 1 scores (rows: strategies).

Reference tables come from the store (``--db URL``); the editable mapping, checklist and guidance tables from
``aimaq/methodologies/templates/`` unless a copy is given. Input problems are printed all at once and exit
with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

DbOpt = Annotated[
    str | None, typer.Option("--db", help="Database URL of the store (default: $AIMAQ_DATABASE_URL).")
]
FormatOpt = Annotated[str, typer.Option("--format", help="text or json.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of names and labels: kk, ru or en.")]


def _templates() -> Path:
    from aimaq.engine.registry import METHODOLOGY_DIR

    return METHODOLOGY_DIR / "templates"


def _reference(name: str, db: str | None) -> pd.DataFrame:
    from aimaq.services.cli._store import open_store

    store = open_store(db)
    try:
        return store.reference(name)
    except KeyError as exc:
        typer.echo(str(exc.args[0]), err=True)
        raise typer.Exit(2) from None


def _csv(path: Path | None, default: str) -> pd.DataFrame:
    p = path or _templates() / default
    if not p.is_file():
        typer.echo(f"{p}: no such file", err=True)
        raise typer.Exit(2)
    return pd.read_csv(p)


def _fail(exc: ValueError) -> None:
    typer.echo(str(exc), err=True)
    raise typer.Exit(2)


def _echo(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "json":
        typer.echo(frame.reset_index().to_json(orient="records", force_ascii=False, indent=2))
    else:
        typer.echo(frame.to_string())


def register(app: typer.Typer) -> None:
    """Add the ``typology`` command group to the aimaq app."""
    from aimaq.steering import typology as ty

    group = typer.Typer(
        help="Seed 002: sectors of a raw-material region, strategy positioning, S3 checklist."
    )
    app.add_typer(group, name="typology")

    @group.command("table1")
    def table1_cmd(lang: LangOpt = "en", db: DbOpt = None, fmt: FormatOpt = "text") -> None:
        """Table 1: the four sectors by products, prices, technological mode and factors of production."""
        try:
            t = ty.table1(_reference("seed002_table1_sector_characteristics", db), lang)
        except ValueError as exc:
            _fail(exc)
            return
        if t.attrs.get("cells_lang") != lang:
            typer.echo(
                f"note: the cells are in {t.attrs['cells_lang']} (no {lang} text is bundled)", err=True
            )
        _echo(t, fmt)

    @group.command("sector")
    def sector_cmd(
        tech_mode: Annotated[int | None, typer.Option(help="Technological mode, 3-6.")] = None,
        product_kind: Annotated[str | None, typer.Option(help="e.g. intangible_knowledge.")] = None,
        demand_orientation: Annotated[str | None, typer.Option(help="external_first, local, ...")] = None,
        price_setting_markets: Annotated[str | None, typer.Option(help="e.g. world;national.")] = None,
        production_factors: Annotated[str | None, typer.Option(help="e.g. labour;investment.")] = None,
        db: DbOpt = None,
        fmt: FormatOpt = "text",
    ) -> None:
        """The sector of Table 1 for a unit, with every criterion's score and the decision-tree path."""
        attrs: dict[str, Any] = {
            k: v
            for k, v in {
                "tech_mode": tech_mode,
                "product_kind": product_kind,
                "demand_orientation": demand_orientation,
                "price_setting_markets": price_setting_markets,
                "production_factors": production_factors,
            }.items()
            if v is not None
        }
        try:
            profiles = ty.sector_profiles(_reference("seed002_table1_sector_profiles_coded", db))
            r = ty.classify_sector(attrs, profiles)
        except ValueError as exc:
            _fail(exc)
            return
        if fmt == "json":
            out = {
                "sector": r.sector,
                "tree_sector": r.tree_sector,
                "tree_path": list(r.tree_path),
                "scores": r.scores,
                "criteria": [c.__dict__ for c in r.criteria],
            }
            typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
            return
        typer.echo(f"sector: {r.sector} (tree: {r.tree_sector})")
        for step in r.tree_path:
            typer.echo(f"  {step}")
        typer.echo(r.explain().round(3).to_string())

    @group.command("structure")
    def structure_cmd(
        file: Annotated[Path, typer.Argument(help="GVA by activity (gva_<code> indicators), long CSV/XLSX.")],
        mapping: Annotated[Path | None, typer.Option(help="A copy of oked_sector_mapping.csv.")] = None,
        fmt: FormatOpt = "text",
    ) -> None:
        """Shares of the four sectors in GVA per region and year, the new-sector share and the HHI."""
        from aimaq.store.imports import read_dataset

        try:
            obs = read_dataset(file).observations
            table = ty.sector_structure(obs, _csv(mapping, "oked_sector_mapping.csv"))
        except ValueError as exc:
            _fail(exc)
            return
        except Exception as exc:  # the importer's ValidationErrors list every bad row
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        _echo(table.round(2), fmt)

    @group.command("position")
    def position_cmd(
        potential: Annotated[float, typer.Option(help="Own scientific-technical potential, 0-1.")],
        production: Annotated[float, typer.Option(help="Own high-processing production, 0-1.")],
        target: Annotated[str, typer.Option(help="new, traditional or a sector id.")],
        tau: Annotated[float, typer.Option(help="Cut-off of both axes.")] = 0.5,
        guidance: Annotated[
            Path | None, typer.Option(help="A copy of seed002_strategy_guidance.csv.")
        ] = None,
        lang: LangOpt = "en",
        db: DbOpt = None,
        fmt: FormatOpt = "text",
    ) -> None:
        """The Figure 1 strategy, why, and the seed's expected effects and measures for it."""
        try:
            pos = ty.position_strategy(
                potential,
                production,
                target,
                _reference("seed002_fig1_strategy_positioning", db),
                tau_potential=tau,
                tau_production=tau,
            )
            targets = [target] if target in ty.SECTORS else None
            items = ty.strategy_guidance(
                pos.strategy, _csv(guidance, "seed002_strategy_guidance.csv"), targets=targets
            )
        except ValueError as exc:
            _fail(exc)
            return
        text_col = f"text_{lang}" if f"text_{lang}" in items.columns else "text_en"
        if fmt == "json":
            out = {
                "strategy": pos.strategy,
                "flags": list(pos.flags),
                "reasons": list(pos.reasons),
                "definition": {k: (None if pd.isna(v) else v) for k, v in pos.definition.items()},
                "guidance": items.to_dict("records"),
            }
            typer.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
            return
        name = pos.definition.get(f"strategy_{lang}") or pos.strategy
        typer.echo(f"{name} ({pos.strategy}){' [' + ', '.join(pos.flags) + ']' if pos.flags else ''}")
        for reason in pos.reasons:
            typer.echo(f"  {reason}")
        for row in items.to_dict("records"):
            typer.echo(f"  {row['kind']}: {row[text_col]} (l.{row['lines']}; {row['status']})")

    @group.command("checklist")
    def checklist_cmd(
        file: Annotated[Path, typer.Argument(help="CSV: a `strategy` column and one column per item id.")],
        checklist: Annotated[Path | None, typer.Option(help="A copy of seed002_s3_checklist.csv.")] = None,
        fmt: FormatOpt = "text",
    ) -> None:
        """Per-block and overall percentages of seed 002's S3 checklist for each strategy of FILE."""
        scores = _csv(file, "")
        if "strategy" not in scores.columns:
            typer.echo(f"{file}: needs a `strategy` column naming each scored strategy", err=True)
            raise typer.Exit(2)
        try:
            out = ty.score_s3_checklist(
                scores.set_index("strategy"), _csv(checklist, "seed002_s3_checklist.csv")
            )
        except ValueError as exc:
            _fail(exc)
            return
        _echo(out.round(1), fmt)
