"""CLI commands of the RIS3 Self-Assessment Wheel (seed 000): ``aimaq ris3 ...``.

``wheel REGION... --out wheel.png|.svg``
    the radar chart of the regions' latest assessments (or the seed's Table 3), regions overlaid;
``assess FILE``
    record a self-assessment from a CSV/YAML file of criterion scores with evidence notes;
``show REGION``
    every assessor's latest scores, step totals, share of the maximum, weakest criteria and the history;
``criteria``, ``checklist``, ``reproduce``
    the 6 steps x 18 criteria, Table 1 (innovation-policy checklist 2021), and Tables 2-3 / the 52 %
    recomputed from the bundled Table 3.

Data come from the store (``--db URL``, default ``$AIMAQ_DATABASE_URL`` or the SQLite file under
``$AIMAQ_HOME``). Input problems are printed as rows ``file, row, column: value reason; expected`` and exit
with status 2. Charts are drawn with matplotlib (Agg backend, offline).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from aimaq.steering.ris3 import Assessment, Criterion, Scale
    from aimaq.store.repository import Store

DbOpt = Annotated[
    str | None, typer.Option("--db", help="Database URL of the store (default: $AIMAQ_DATABASE_URL).")
]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of names and labels: kk, ru or en.")]
FormatOpt = Annotated[str, typer.Option("--format", help="text or json.")]
_LANGS = ("kk", "ru", "en")
#: Colours of the overlaid regions and of the step sectors (colour-blind safe, Okabe-Ito).
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")


def _store(db: str | None) -> Store:
    from aimaq.services.cli._store import open_store

    return open_store(db)


def _check_lang(lang: str) -> None:
    if lang not in _LANGS:
        typer.echo(f"--lang: one of kk, ru, en, not {lang!r}", err=True)
        raise typer.Exit(2)


def _region_name(store: Store, code: str, lang: str) -> str:
    terr = store.territories()
    if code in terr.index:
        name = terr.at[code, f"name_{lang}"]
        if isinstance(name, str) and name:
            return name
    return code


def _current(store: Store, region: str, assessor: str | None) -> Assessment | None:
    """The assessment a chart shows for a region: the given assessor's latest, else the latest recorded by
    anyone, else the seed's Table 3."""
    from aimaq.steering import ris3

    recorded = ris3.assessments(store, region, assessor)
    if recorded:
        return recorded[-1]
    if assessor is None or assessor == ris3.SEED_ASSESSOR:
        pub = ris3.published(store, [region])
        return pub[0] if pub else None
    return None


def render_wheel(
    items: list[tuple[str, Assessment]],
    criteria: list[Criterion],
    scale: Scale,
    out: Path,
    *,
    lang: str = "en",
    title: str = "",
) -> Path:
    """Draw the wheel: 18 spokes (criterion 1 at 12 o'clock, clockwise), steps as shaded sectors, one closed
    line per region, axis 0..s_max; zeros (gaps) marked. Writes PNG or SVG by the suffix of ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = len(criteria)
    angles = [2 * math.pi * i / k for i in range(k)]
    fig = plt.figure(figsize=(9, 9))
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, scale.max)
    ax.set_yticks(list(scale.values))
    ax.set_yticklabels([f"{v:g}" for v in scale.values], fontsize=7)
    ax.set_xticks(angles)
    ax.set_xticklabels([f"{c.no}" for c in criteria], fontsize=9)
    steps = list(dict.fromkeys(c.step_id for c in criteria))
    for i in range(k):  # a radial line between two steps, so the 6 steps read as sectors of one wheel
        if criteria[i].step_id != criteria[i - 1].step_id:
            mid = angles[i] - math.pi / k
            ax.plot([mid, mid], [0, scale.max], color="#555555", linewidth=1.2, zorder=1)
    for tick, c in zip(ax.get_xticklabels(), criteria, strict=True):
        tick.set_color(_COLOURS[steps.index(c.step_id) % len(_COLOURS)])
    for j, (label, a) in enumerate(items):
        values = [a.value(c.id) for c in criteria]
        colour = _COLOURS[j % len(_COLOURS)]
        style = ("-", "--", "-.", ":")[j % 4]  # equal scores of several regions stay visible
        ax.plot(
            [*angles, angles[0]],
            [*values, values[0]],
            color=colour,
            linewidth=2,
            linestyle=style,
            label=label,
        )
        ax.fill([*angles, angles[0]], [*values, values[0]], color=colour, alpha=0.08)
        gaps = [angles[i] for i, v in enumerate(values) if v == 0]
        ax.scatter(gaps, [0] * len(gaps), color=colour, marker="x", s=30)
    legend_steps = "\n".join(
        f"{c.step_no}. {c.step_name.get(lang, c.step_id)}: "
        + ", ".join(str(x.no) for x in criteria if x.step_id == c.step_id)
        for c in criteria
        if c.id == next(x.id for x in criteria if x.step_id == c.step_id)
    )
    ax.legend(loc="upper right", bbox_to_anchor=(1.3, 1.1), fontsize=9)
    fig.text(0.02, 0.02, legend_steps, fontsize=8, va="bottom")
    if title:
        fig.suptitle(title, fontsize=12)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format=out.suffix.lower().lstrip("."), bbox_inches="tight", dpi=120)
    plt.close(fig)
    return out


def register(app: typer.Typer) -> None:
    """Add the ``ris3`` command group to the aimaq app."""
    ris3_app = typer.Typer(
        help="The RIS3 Self-Assessment Wheel (seed 000): assessments, wheel charts, tables."
    )
    app.add_typer(ris3_app, name="ris3")

    @ris3_app.command("criteria")
    def criteria_cmd(lang: LangOpt = "en", db: DbOpt = None) -> None:
        """List the 6 steps and 18 criteria with their ids."""
        from aimaq.steering import ris3

        _check_lang(lang)
        store = _store(db)
        step = None
        for c in ris3.load_criteria(store):
            if c.step_id != step:
                step = c.step_id
                typer.echo(f"{c.step_no}. {c.step_name.get(lang, c.step_id)}  [{c.step_id}]")
            typer.echo(f"   {c.id}  {c.label(lang)}")

    @ris3_app.command("checklist")
    def checklist_cmd(lang: LangOpt = "en", db: DbOpt = None, fmt: FormatOpt = "text") -> None:
        """Table 1 of seed 000 (l.268-318): the innovation-policy checklist of 2021 per region."""
        from aimaq.steering import ris3

        _check_lang(lang)
        store = _store(db)
        table = ris3.checklist(store, lang)
        if fmt == "json":
            typer.echo(table.reset_index().to_json(orient="records", force_ascii=False, indent=2))
            return
        typer.echo("seed 000, Table 1 (l.268-318), 2021")
        regions = [c for c in table.columns if c != "name"]
        for ind, row in table.iterrows():
            typer.echo(f"{row['name']}  [{ind}]")
            typer.echo("   " + "  ".join(f"{_region_name(store, r, lang)}: {row[r]}" for r in regions))

    @ris3_app.command("reproduce")
    def reproduce_cmd(db: DbOpt = None, fmt: FormatOpt = "text") -> None:
        """Recompute Table 2 and the 52 % from the bundled Table 3; exit 1 only on an unexplained mismatch."""
        from aimaq.steering import ris3

        report = ris3.reproduce_published(_store(db))
        typer.echo(report.to_json() if fmt == "json" else report.to_text())
        if not report.ok:
            raise typer.Exit(1)

    @ris3_app.command("assess")
    def assess_cmd(
        file: Annotated[Path, typer.Argument(help="CSV (criterion,score,evidence) or YAML of the scores.")],
        region: Annotated[str | None, typer.Option("--region", help="Region code (or in the file).")] = None,
        assessor: Annotated[
            str | None, typer.Option("--assessor", help="Who scored (or in the file).")
        ] = None,
        scale: Annotated[
            str | None, typer.Option("--scale", help="adapted ({0, 0.5, 1}) or ec (0-5).")
        ] = None,
        date: Annotated[
            str | None, typer.Option("--date", help="Date of the assessment, YYYY-MM-DD.")
        ] = None,
        document: Annotated[
            str | None, typer.Option("--document", help="The strategy document scored.")
        ] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing.")] = False,
        db: DbOpt = None,
        fmt: FormatOpt = "text",
    ) -> None:
        """Record a self-assessment: every criterion scored, each with an evidence note."""
        from aimaq.steering import ris3

        store = _store(db)
        try:
            meta, rows, first = ris3.read_scores_file(file)
            a = ris3.build(
                store,
                rows,
                region=region or meta.get("region"),
                assessor=assessor or meta.get("assessor"),
                scale=scale or meta.get("scale", "adapted"),
                assessed_on=date or meta.get("assessed_on") or dt.date.today(),
                document=document or meta.get("document"),
                comment=meta.get("comment"),
                file=str(file),
                first_row=first,
            )
        except ris3.Ris3Errors as exc:
            typer.echo(
                json.dumps(exc.to_dict(), ensure_ascii=False, indent=2) if fmt == "json" else str(exc),
                err=True,
            )
            raise typer.Exit(2) from None
        s_max = ris3.load_scale(store, a.scale).max
        share = 100.0 * a.total() / (len(a.scores) * s_max)
        if dry_run:
            typer.echo(
                f"{file}: {len(a.scores)} criteria checked, total {a.total():g} ({share:.1f} %); "
                "nothing written"
            )
            return
        new_id = ris3.record(store, a)
        typer.echo(
            f"recorded assessment {new_id}: {a.region}, {a.assessor}, {a.assessed_on}, {a.scale} scale, "
            f"total {a.total():g} of {len(a.scores) * s_max:g} ({share:.1f} %)"
        )

    @ris3_app.command("show")
    def show_cmd(
        region: Annotated[str, typer.Argument(help="Region code.")],
        lang: LangOpt = "en",
        weakest: Annotated[
            int, typer.Option("--weakest", help="How many weakest criteria to highlight.")
        ] = 3,
        db: DbOpt = None,
        fmt: FormatOpt = "text",
    ) -> None:
        """A region's latest assessment per assessor and the seed's Table 3: totals, weakest, history."""
        from aimaq.steering import ris3

        _check_lang(lang)
        store = _store(db)
        criteria = ris3.load_criteria(store)
        views = ris3.latest(store, region) + ris3.published(store, [region])
        if not views:
            typer.echo(
                f"no assessment of {region!r}: record one with `aimaq ris3 assess FILE --region {region}`",
                err=True,
            )
            raise typer.Exit(2)
        out: dict[str, Any] = {"region": region, "name": _region_name(store, region, lang), "assessments": []}
        for a in views:
            scale = ris3.load_scale(store, a.scale)
            summ = ris3.summarise([a], criteria, scale)
            weak = ris3.weakest(a, criteria, scale, n=weakest)
            out["assessments"].append(
                {
                    "id": a.id,
                    "assessor": a.assessor,
                    "assessed_on": str(a.assessed_on),
                    "scale": a.scale,
                    "document": a.document,
                    "scores": {c: {"score": s.value, "evidence": s.evidence} for c, s in a.scores.items()},
                    "step_totals": {k: float(v) for k, v in summ.region_steps[a.region].items()},
                    "total": summ.region_totals[a.region],
                    "share_pct": summ.region_pct[a.region],
                    "weakest": [w.criterion for w in weak],
                }
            )
        hist = ris3.history(store, region, criteria)
        out["history"] = json.loads(hist.to_json(orient="records", date_format="iso"))
        if fmt == "json":
            typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
            return
        typer.echo(f"{out['name']} [{region}]")
        for view in out["assessments"]:
            typer.echo(
                f"\n{view['assessor']}, {view['assessed_on']}, {view['scale']} scale: "
                f"total {view['total']:g} ({view['share_pct']:.1f} % of the maximum)"
            )
            step = None
            for c in criteria:
                if c.step_id != step:
                    step = c.step_id
                    typer.echo(f"  {c.step_no}. {c.step_name.get(lang, step)}: {view['step_totals'][step]:g}")
                mark = "  << weakest" if c.id in view["weakest"] else ""
                sc = view["scores"][c.id]
                typer.echo(f"     {c.id} {sc['score']:>4g}  {c.label(lang)}  ({sc['evidence']}){mark}")
        if len(hist):
            typer.echo("\nhistory:")
            for h in out["history"]:
                typer.echo(
                    f"  #{h['id']} {str(h['assessed_on'])[:10]} {h['assessor']} ({h['scale']}): total "
                    f"{h['total']:g}, {h['share_pct']:.1f} %"
                )

    @ris3_app.command("wheel")
    def wheel_cmd(
        regions: Annotated[list[str], typer.Argument(help="Region codes; several are overlaid.")],
        out: Annotated[Path, typer.Option("--out", help="Output file: .png or .svg.")],
        assessor: Annotated[
            str | None, typer.Option("--assessor", help="Whose latest assessment (default: the latest).")
        ] = None,
        lang: LangOpt = "en",
        db: DbOpt = None,
    ) -> None:
        """Draw the RIS3 wheel (radar chart) of one or more regions to PNG or SVG."""
        from aimaq.steering import ris3

        _check_lang(lang)
        if out.suffix.lower() not in (".png", ".svg"):
            typer.echo(f"--out {out}: write .png or .svg", err=True)
            raise typer.Exit(2)
        store = _store(db)
        criteria = ris3.load_criteria(store)
        items: list[tuple[str, Assessment]] = []
        missing = []
        for r in regions:
            a = _current(store, r, assessor)
            if a is None:
                missing.append(r)
            else:
                items.append((f"{_region_name(store, r, lang)} ({a.assessor}, {a.assessed_on})", a))
        if missing:
            typer.echo(
                f"no assessment of {', '.join(missing)}" + (f" by {assessor!r}" if assessor else ""), err=True
            )
            raise typer.Exit(2)
        scales = {a.scale for _, a in items}
        if len(scales) > 1:
            typer.echo(
                "the regions are assessed on different scales (adapted and ec); draw them separately",
                err=True,
            )
            raise typer.Exit(2)
        scale = ris3.load_scale(store, scales.pop())
        render_wheel(items, criteria, scale, out, lang=lang, title="RIS3")
        typer.echo(f"written {out}")
