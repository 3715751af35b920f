"""The data commands: ``aimaq init | import | territories | indicators | data show | export``.

Each command is a thin layer over :class:`aimaq.store.repository.Store`. Every command takes ``--db URL``
(default ``$AIMAQ_DATABASE_URL``, else ``$AIMAQ_HOME/aimaq.sqlite``). Bad input exits with status 2 and the
rendered error rows, never a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from aimaq.i18n import LANGUAGES, format_number, gettext, ngettext
from aimaq.services.cli._store import open_store
from aimaq.store.errors import ValidationErrors
from aimaq.store.repository import Store, UnknownTerritory

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store URL (sqlite:///path or postgresql+psycopg://user@host/db); default $AIMAQ_DATABASE_URL, "
        "else $AIMAQ_HOME/aimaq.sqlite (AIMAQ_HOME defaults to ./var).",
    ),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of names and headers: kk, ru or en.")]

data_app = typer.Typer(
    name="data",
    help="Look at the stored values with their provenance and notes.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def register(app: typer.Typer) -> None:
    """Add ``init``, ``import``, ``territories``, ``indicators``, ``export`` and ``data show`` to the app."""
    app.command("init")(init)
    app.command("import")(import_)
    app.command("territories")(territories)
    app.command("indicators")(indicators)
    app.command("export")(export)
    data_app.command("show")(show)
    app.add_typer(data_app, name="data")


# ---------------------------------------------------------------------------------------------- helpers
def _stdout() -> Console:
    return Console(soft_wrap=False)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


@contextmanager
def _handled(max_errors: int = 0) -> Iterator[None]:
    """Turn the store's input errors into exit 2 with the rendered rows (the first ``max_errors``)."""
    try:
        yield
    except ValidationErrors as exc:
        raise _fail(exc.render(limit=max_errors or None)) from None
    except UnknownTerritory as exc:
        raise _fail(f"aimaq: {exc.args[0]}") from None
    except (KeyError, ValueError) as exc:
        raise _fail(f"aimaq: {exc.args[0] if exc.args else exc}") from None


def _open(db: str | None, *, initialised: bool = True) -> Store:
    return open_store(db) if initialised else Store(db)


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise typer.BadParameter(f"{lang!r} is not one of {', '.join(LANGUAGES)}", param_hint="--lang")
    return lang


def _cell(value: Any, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return format_number(value, lang)
    return str(value)


def _t(text: str, lang: str) -> str:
    return gettext(text, lang)


# ---------------------------------------------------------------------------------------------- commands
def init(
    db: DbOption = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Drop every aimaq table first (imported data is lost).")
    ] = False,
    bundled: Annotated[
        bool, typer.Option("--bundled/--no-bundled", help="Load the bundled data of the five seeds.")
    ] = True,
) -> None:
    """Create or upgrade the store and load the bundled seed data (safe to run again: nothing changes).

    Example: `aimaq init`, or `aimaq init --db postgresql+psycopg://postgres@127.0.0.1/aimaq`.
    """
    store = _open(db, initialised=False)
    with _handled():
        report = store.init(load_bundled=bundled, reset=reset)
    typer.echo(f"aimaq: store ready at {store.url}")
    if report is not None:
        typer.echo(report.summary())


def import_(
    file: Annotated[Path, typer.Argument(help="A long or wide .csv/.tsv/.xlsx file (see docs/store.md).")],
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet to read; default the first.")] = None,
    indicator: Annotated[
        str | None, typer.Option(help="Indicator code of a wide table whose columns are years.")
    ] = None,
    year: Annotated[
        str | None, typer.Option(help="Year or span of a wide table whose columns are indicators.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Force a CSV encoding (default UTF-8, else cp1251).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    changes: Annotated[bool, typer.Option("--changes", help="List every new and changed cell.")] = False,
    max_errors: Annotated[
        int,
        typer.Option(min=0, help="Show at most this many error rows (0: all); the count is always shown."),
    ] = 100,
    db: DbOption = None,
) -> None:
    """Import your statistics: everything is checked first, then written all at once (or nothing).

    Long files have the columns territory, indicator, year (or period), value and optionally unit, source,
    status. Wide files have territories down the first column and years or indicators across; title rows
    above the header (as in Bureau of National Statistics tables) are skipped. Territory names may be written
    in Kazakh, Russian or English; numbers with a decimal comma or dot.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    store = _open(db)
    # The bar goes to stderr and only to a terminal, so that piped output stays the plain summary.
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with _handled(max_errors), bar as progress:
        tasks: dict[str, Any] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task("checking" if stage == "check" else "writing", total=total)
            progress.update(tasks[stage], completed=done)

        report = store.import_file(
            file,
            sheet=sheet,
            indicator=indicator,
            year=year,
            encoding=encoding,
            dry_run=dry_run,
            on_progress=on_progress,
        )
    typer.echo(report.summary())
    if changes:
        table = Table("territory", "indicator", "period", "action", "old", "new", "row")
        for c in report.changes:
            if c["action"] != "unchanged":
                table.add_row(
                    *(
                        _cell(c[k], "en")
                        for k in ("territory", "indicator", "period", "action", "old", "new", "row")
                    )
                )
        _stdout().print(table)


def territories(
    level: Annotated[
        str | None, typer.Option(help="country, region, city_rs, district, city or monotown.")
    ] = None,
    at: Annotated[
        str | None, typer.Option(help="Only territories that existed then: a date (2021-12-31) or a year.")
    ] = None,
    parent: Annotated[str | None, typer.Option(help="Only the children of this territory code.")] = None,
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """List territories with their codes and names; `--at 2021` shows the borders before the 2022 split."""
    lang = _lang(lang)
    store = _open(db)
    with _handled():
        frame = store.territories(level=level, at=at, parent=parent)
    table = Table(
        _t("Code", lang),
        _t("Level", lang),
        _t("Name", lang),
        "ISO",
        _t("Valid from", lang),
        _t("Valid to", lang),
        title=ngettext("%(n)s territory", "%(n)s territories", len(frame), lang) % {"n": len(frame)},
    )
    for code, row in frame.iterrows():
        table.add_row(
            str(code),
            row["level"],
            _cell(row[f"name_{lang}"], lang),
            _cell(row["iso"], lang),
            _cell(row["valid_from"], lang),
            _cell(row["valid_to"], lang),
        )
    _stdout().print(table)


def indicators(
    seed: Annotated[
        str | None, typer.Option(help="Only the indicators of one seed document (seed000 ... seed004).")
    ] = None,
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """List indicators: code, name, unit, direction (+1 higher is better, -1 lower is better) and source."""
    lang = _lang(lang)
    store = _open(db)
    frame = store.indicators(seed=seed)
    table = Table(
        _t("Code", lang),
        _t("Name", lang),
        _t("Unit", lang),
        _t("Direction", lang),
        _t("Kind", lang),
        _t("Source", lang),
        title=f"{_t('Indicators', lang)}: {len(frame)}",
    )
    for code, row in frame.iterrows():
        source = " ".join(str(x) for x in (row["seed"], row["table"], row["lines"]) if isinstance(x, str))
        table.add_row(
            str(code),
            _cell(row[f"name_{lang}"], lang) or _cell(row["name_en"], lang),
            _cell(row["unit"], lang),
            f"{int(row['direction']):+d}",
            str(row["kind"]),
            source,
        )
    _stdout().print(table)


def show(
    territory: Annotated[
        list[str] | None, typer.Option("--territory", "-t", help="Territory code or name (repeatable).")
    ] = None,
    indicator: Annotated[
        list[str] | None, typer.Option("--indicator", "-i", help="Indicator code (repeatable).")
    ] = None,
    period: Annotated[
        list[str] | None, typer.Option("--period", "-p", help="Year or span (repeatable).")
    ] = None,
    lang: LangOption = "en",
    db: DbOption = None,
) -> None:
    """Show values with status, provenance (seed, table, line, or file and row) and data-quality notes."""
    lang = _lang(lang)
    store = _open(db)
    with _handled():
        codes = [store.territory(t)["code"] for t in territory] if territory else None
        frame = store.observations(codes, indicator or None, period or None)
        notes = store.notes()
    if frame.empty:
        raise _fail("aimaq: no values match these filters.")
    table = Table(
        _t("Territory", lang),
        _t("Indicator", lang),
        _t("Period", lang),
        _t("Value", lang),
        _t("Status", lang),
        _t("Source", lang),
        _t("Notes", lang),
    )
    for _, row in frame.iterrows():
        value = row["value_text"] if isinstance(row["value_text"], str) else _cell(row["value"], lang)
        table.add_row(
            row["territory"],
            row["indicator"],
            row["period"],
            value,
            row["status"],
            row["source"],
            row["notes"],
        )
    console = _stdout()
    console.print(table)
    used = {n for ids in frame["notes"] for n in ids.split(";") if n}
    text_col = f"text_{lang}" if f"text_{lang}" in notes.columns else "text_en"
    for _, note in notes[notes["id"].isin(used)].iterrows():
        text = note[text_col] if isinstance(note[text_col], str) and note[text_col] else note["text_en"]
        where = " ".join(str(x) for x in (note["seed"], note["table"], note["lines"]) if isinstance(x, str))
        console.print(f"[bold]{note['id']}[/bold] ({where}): {text}", markup=True, highlight=False)


def export(
    out: Annotated[Path, typer.Argument(help="OUT.csv or OUT.xlsx")],
    territory: Annotated[
        list[str] | None, typer.Option("--territory", "-t", help="Territory code or name.")
    ] = None,
    indicator: Annotated[list[str] | None, typer.Option("--indicator", "-i", help="Indicator code.")] = None,
    period: Annotated[list[str] | None, typer.Option("--period", "-p", help="Year or span.")] = None,
    seed: Annotated[str | None, typer.Option(help="Only the values of one seed document.")] = None,
    shape: Annotated[str, typer.Option(help="long (one row per value; imports back) or wide.")] = "long",
    db: DbOption = None,
) -> None:
    """Export values with their provenance to CSV or XLSX; a long export can be imported back unchanged."""
    store = _open(db)
    with _handled():
        codes = [store.territory(t)["code"] for t in territory] if territory else None
        path = store.export(
            out,
            shape=shape,
            territories=codes,
            indicators=indicator or None,
            periods=period or None,
            seed=seed,
        )
    typer.echo(f"aimaq: wrote {path}")
