"""The steering commands: ``aimaq steer ...`` (measures, plan items, the seed 001 workflow, targets).

Every command is a thin layer over :class:`aimaq.steering.service.Steering`. Writing commands take the actor
as ``--as NAME --role ROLE [--region CODE]`` and a ``--reason`` (both go to the audit trail). Entity fields
are given as ``--set key=value`` (the value is read as JSON when it parses, so ``--set amount=5e7`` is a
number and ``--set 'participants=["BEN-1"]'`` a list). A refused action exits with status 2 and prints every
problem (``--json``: ``{"ok": false, "errors": [...]}``); nothing is written then.

Examples::

    aimaq steer measures --kind monotown_class --class low --lang ru
    aimaq steer recommend karazhal --methodology seed004_monotown_potential --class low --score 26
    aimaq steer create ForesightSession --territory karaganda --title "Mining 2035" \\
        --as "Academy desk" --role academy --reason "annual session"
    aimaq steer move 1 held --set held_on=2026-03-12 --set 'participants=["BEN-2"]' \\
        --as "Academy desk" --role academy --reason "session held"
    aimaq steer targets --as-of 2026-12-31
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from aimaq.services.cli._store import open_store
from aimaq.steering import measures as measures_mod
from aimaq.steering.errors import SteeringError
from aimaq.steering.service import Steering
from aimaq.steering.workflow import ROLES, Actor, machine

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store URL; default $AIMAQ_DATABASE_URL, else $AIMAQ_HOME/aimaq.sqlite."),
]
LangOption = Annotated[
    str, typer.Option("--lang", help="Language of measure texts and reasons: kk, ru or en.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
AsOption = Annotated[str, typer.Option("--as", help="Who acts (name written to the audit trail).")]
RoleOption = Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")]
RegionOption = Annotated[
    str | None, typer.Option("--region", help="Region code of a council or akimat (they act for one region).")
]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (written to the audit trail).")]
SetOption = Annotated[
    list[str] | None, typer.Option("--set", help="A field as key=value (JSON value if it parses); repeat.")
]
OnOption = Annotated[
    str | None, typer.Option("--on", help="Date the event happened, YYYY-MM-DD (default today).")
]

steer_app = typer.Typer(
    name="steer",
    help="Measures per class, plan items, the seed 001 knowledge-management workflow, Table 3 targets.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def register(app: typer.Typer) -> None:
    """Add the ``steer`` command group to the app."""
    app.add_typer(steer_app, name="steer")


# ---------------------------------------------------------------------------------------------- helpers
def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


@contextmanager
def _handled(as_json: bool = False) -> Iterator[None]:
    """Turn refusals into exit 2 with every problem; bad parameters into exit 2 with the message."""
    try:
        yield
    except SteeringError as exc:
        if as_json:
            typer.echo(json.dumps(exc.as_dict(), ensure_ascii=False, indent=2))
            raise typer.Exit(code=2) from None
        raise _fail(str(exc)) from None
    except (KeyError, ValueError) as exc:
        raise _fail(f"aimaq: {exc.args[0] if exc.args else exc}") from None


def _service(db: str | None) -> Steering:
    return Steering(open_store(db))


def _actor(name: str, role: str, region: str | None) -> Actor:
    try:
        return Actor(name, role, region)
    except ValueError as exc:
        raise _fail(f"aimaq: --as/--role/--region: {exc}") from None


def _fields(pairs: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    bad = []
    for pair in pairs or []:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            bad.append(pair)
            continue
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        out[key.strip()] = value
    if bad:
        raise _fail(f"aimaq: --set: write key=value, got {', '.join(repr(b) for b in bad)}")
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(_jsonable(value), ensure_ascii=False, indent=2))


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _table(frame: pd.DataFrame, columns: list[str], title: str | None = None) -> None:
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for _, row in frame.iterrows():
        table.add_row(*[_cell(row[c]) for c in columns])
    Console(soft_wrap=False, width=200).print(table)


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [{c: _jsonable(row[c]) for c in columns} for _, row in frame.iterrows()]


def _show_object(obj: dict[str, Any], as_json: bool) -> None:
    if as_json:
        _echo_json({"ok": True, "object": obj})
        return
    typer.echo(f"{obj['entity']} {obj['id']} ({obj['territory']}): {obj['title']}")
    typer.echo(f"  state: {obj['state']}")
    for k, v in obj["attrs"].items():
        typer.echo(f"  {k}: {_cell(v)}")


# ---------------------------------------------------------------------------------------------- measures
@steer_app.command("measures")
def measures_cmd(
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="monotown_class, depression_group, strategy_type, raw_material_region, region."
        ),
    ] = None,
    class_: Annotated[
        str | None, typer.Option("--class", help="Class it applies to (low, depressed, ...).")
    ] = None,
    territory: Annotated[
        str | None, typer.Option("--territory", help="Drop measures limited elsewhere.")
    ] = None,
    seed: Annotated[str | None, typer.Option("--seed", help="000 ... 004.")] = None,
    lang: LangOption = "en",
    as_json: JsonOption = False,
) -> None:
    """List the measures catalogue (every measure the seeds recommend, with its source)."""
    with _handled(as_json):
        frame = measures_mod.measures(kind, class_, territory=territory, seed=seed, lang=lang)
    cols = ["measure_id", "applies_kind", "applies_to", "instrument", "text", "seed", "table", "lines"]
    if as_json:
        _echo_json({"ok": True, "measures": _records(frame, [*cols, "indicators", "actor", "translation"])})
    else:
        _table(frame, cols, title=f"{len(frame)} measures")


@steer_app.command("recommend")
def recommend_cmd(
    territory: Annotated[str, typer.Argument(help="Territory code or name.")],
    methodology: Annotated[
        str, typer.Option("--methodology", help="Name of the methodology that classifies the territory.")
    ],
    class_: Annotated[
        str | None,
        typer.Option(
            "--class",
            help="A class id (low, 1, niche_leadership...); default: the class the methodology computes "
            "for the territory on the store's data.",
        ),
    ] = None,
    score: Annotated[
        float | None, typer.Option("--score", help="The composite score, shown in the reason (with --class).")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year of the computed class; default: last.")
    ] = None,
    db: DbOption = None,
    lang: LangOption = "en",
    as_json: JsonOption = False,
) -> None:
    """Recommended measures for a territory's class, with the reason: the class the methodology computes on
    the store's data, or the one given with --class."""
    with _handled(as_json):
        service = _service(db)
        if class_ is None:
            recs = service.recommend_computed(territory, methodology, lang=lang, year=year)
        else:
            recs = [service.recommend(territory, class_, methodology, score=score, lang=lang)]
    if as_json:
        out = [rec.as_dict() for rec in recs]
        _echo_json({"ok": True, **out[0]} if len(out) == 1 else {"ok": True, "recommendations": out})
        return
    cols = ["measure_id", "item_type", "instrument", "text", "lines"]
    for rec in recs:
        typer.echo(rec.reason)
        _table(rec.measures, cols)
        if not rec.general.empty:
            _table(rec.general, cols, title="for every class")


@steer_app.command("adopt")
def adopt_cmd(
    territory: Annotated[str, typer.Argument(help="Territory code or name.")],
    measure: Annotated[str, typer.Argument(help="measure_id from `aimaq steer measures`.")],
    responsible: Annotated[str, typer.Option("--responsible", help="Responsible body.")],
    budget: Annotated[float, typer.Option("--budget", help="Budget, KZT.")],
    deadline: Annotated[str, typer.Option("--deadline", help="YYYY-MM-DD.")],
    indicator: Annotated[
        str, typer.Option("--indicator", help="Target indicator code (store or seed001_t3_N).")
    ],
    name: AsOption,
    role: RoleOption,
    reason: ReasonOption,
    region: RegionOption = None,
    target: Annotated[float | None, typer.Option("--target", help="Target value of the indicator.")] = None,
    class_: Annotated[str | None, typer.Option("--class", help="The class that led to the measure.")] = None,
    methodology: Annotated[str | None, typer.Option("--methodology")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Adopt a measure for a territory as a plan item (then `aimaq steer move ID in_progress|done`)."""
    actor = _actor(name, role, region)
    with _handled(as_json):
        obj = _service(db).adopt_measure(
            territory, measure, actor=actor, reason=reason, responsible_body=responsible, budget=budget,
            deadline=deadline, target_indicator=indicator, target_value=target, class_id=class_,
            methodology=methodology,
        )  # fmt: skip
    _show_object(obj, as_json)


# ---------------------------------------------------------------------------------------------- workflow
@steer_app.command("transitions")
def transitions_cmd(
    entity: Annotated[str | None, typer.Argument(help="One entity, e.g. TechnicalAssignment.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The workflow's states and allowed transitions, with the roles that may perform them and the source."""
    m = machine()
    rows = [
        {"transition": t.id, "entity": t.entity, "from": "|".join(t.from_states) or "(new)", "to": t.to_state,
         "roles": "/".join(t.roles) or "computed", "guard": t.guard_text, "source": t.source()}
        for e in ([entity] if entity else m.entities)
        for t in m.transitions.get(e, [])
    ]  # fmt: skip
    if entity and not rows:
        raise _fail(f"aimaq: unknown entity {entity!r}; expected one of {', '.join(m.entities)}")
    if as_json:
        _echo_json({"ok": True, "transitions": rows})
    else:
        _table(pd.DataFrame(rows), ["transition", "entity", "from", "to", "roles", "guard", "source"])


@steer_app.command("create")
def create_cmd(
    entity: Annotated[str, typer.Argument(help="ForesightSession, RegionalNeed, TechnicalAssignment, ...")],
    title: Annotated[str, typer.Option("--title")],
    name: AsOption,
    role: RoleOption,
    reason: ReasonOption,
    region: RegionOption = None,
    territory: Annotated[str | None, typer.Option("--territory", help="Default: the parent's.")] = None,
    parent: Annotated[int | None, typer.Option("--parent", help="Id of the object it comes from.")] = None,
    fields: SetOption = None,
    on: OnOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a workflow object through its creation transition."""
    actor = _actor(name, role, region)
    with _handled(as_json):
        obj = _service(db).create(
            entity, territory=territory, title=title, actor=actor, reason=reason, parent_id=parent,
            effective_on=on, **_fields(fields),
        )  # fmt: skip
    _show_object(obj, as_json)


@steer_app.command("move")
def move_cmd(
    object_id: Annotated[int, typer.Argument(help="Object id.")],
    to: Annotated[str, typer.Argument(help="Next state, or a transition id (IN-3).")],
    name: AsOption,
    role: RoleOption,
    reason: ReasonOption,
    region: RegionOption = None,
    fields: SetOption = None,
    on: OnOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Move an object to its next state (refused, with the allowed next states, when illegal)."""
    actor = _actor(name, role, region)
    with _handled(as_json):
        obj = _service(db).transition(
            object_id, to, actor=actor, reason=reason, effective_on=on, **_fields(fields)
        )
    _show_object(obj, as_json)


@steer_app.command("edit")
def edit_cmd(
    object_id: Annotated[int, typer.Argument(help="Object id.")],
    name: AsOption,
    role: RoleOption,
    reason: ReasonOption,
    region: RegionOption = None,
    fields: SetOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change fields without a change of state (budgets are re-checked; audited as EDIT)."""
    actor = _actor(name, role, region)
    with _handled(as_json):
        obj = _service(db).edit(object_id, actor=actor, reason=reason, **_fields(fields))
    _show_object(obj, as_json)


@steer_app.command("show")
def show_cmd(
    object_id: Annotated[int, typer.Argument(help="Object id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One object: fields, allowed next transitions and its audit trail."""
    with _handled(as_json):
        s = _service(db)
        obj = s.get(object_id)
        allowed = s.allowed(object_id)
        trail = s.history(object_id)
    cols = ["at", "transition_id", "from_state", "to_state", "actor", "role", "reason"]
    if as_json:
        _echo_json({"ok": True, "object": obj, "allowed": allowed, "history": _records(trail, cols)})
        return
    _show_object(obj, False)
    nexts = "; ".join(f"{a['to_state']} ({a['transition']}, by {'/'.join(a['roles'])})" for a in allowed)
    typer.echo(f"  next: {nexts or 'none (final state)'}")
    _table(trail, cols, title="history")


@steer_app.command("list")
def list_cmd(
    entity: Annotated[str | None, typer.Option("--entity")] = None,
    territory: Annotated[
        str | None, typer.Option("--territory", help="Includes territories inside it.")
    ] = None,
    state: Annotated[str | None, typer.Option("--state")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Workflow objects and plan items."""
    with _handled(as_json):
        frame = _service(db).objects(entity, territory, state)
    cols = ["id", "entity", "territory", "state", "title", "parent_id"]
    if as_json:
        _echo_json({"ok": True, "objects": _records(frame, [*cols, "attrs"])})
    else:
        _table(frame, cols, title=f"{len(frame)} objects")


@steer_app.command("history")
def history_cmd(
    object_id: Annotated[int | None, typer.Argument(help="Object id; default every object.")] = None,
    territory: Annotated[str | None, typer.Option("--territory")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The audit trail: who did what, when and why (append-only)."""
    with _handled(as_json):
        frame = _service(db).history(object_id, territory)
    cols = ["id", "at", "effective_on", "object_id", "entity", "transition_id", "from_state", "to_state"]
    cols += ["actor", "role", "reason"]
    if as_json:
        _echo_json({"ok": True, "history": _records(frame, [*cols, "actor_region", "changes"])})
    else:
        _table(frame, cols)


@steer_app.command("budget")
def budget_cmd(
    project_id: Annotated[int, typer.Argument(help="Project id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a project budget against the co-financing rules (seed 001 l.1893-1908); exit 1 when invalid."""
    with _handled(as_json):
        report = _service(db).budget(project_id)
    if as_json:
        _echo_json({"ok": report["valid"], **report})
    else:
        share = report["local_share_pct"]
        typer.echo(
            f"Project {project_id}: {report['funding_type']}, total cost {_cell(report['total_cost'])}; "
            "confirmed "
            f"local budget {'' if share is None else f'{share:.1f} %'} (rule {report['rule']}: at least "
            f"{_cell(report['min_share_pct'])} %)"
        )
        for p in report["problems"]:
            typer.echo(f"  {p['rule']}: {p['message']}" + (f" ({p['source']})" if p["source"] else ""))
        typer.echo("valid" if report["valid"] else "INVALID")
    if not report["valid"]:
        raise typer.Exit(code=1)


@steer_app.command("targets")
def targets_cmd(
    region: Annotated[
        str | None, typer.Option("--region", help="A region's actuals (no regional plan).")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD; default today.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Table 3 target indicators 2026-2030: plan vs actual per year, with traffic lights."""
    with _handled(as_json):
        day = dt.date.fromisoformat(as_of) if as_of else None
        frame = _service(db).targets(region, as_of=day)
    cols = ["indicator_no", "year", "plan", "actual", "light", "indicator_en", "evidence"]
    if as_json:
        _echo_json({"ok": True, "targets": _records(frame, [*cols, "unit", "source_lines"])})
    else:
        _table(frame, cols)


@steer_app.command("cycle")
def cycle_cmd(
    region: Annotated[str, typer.Argument(help="Region code or name.")],
    since: Annotated[
        str | None, typer.Option("--since", help="Start of the current cycle, YYYY-MM-DD.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The region's stage in the 8-stage cycle (ST-1..ST-8), computed from its records."""
    with _handled(as_json):
        day = dt.date.fromisoformat(since) if since else None
        result = _service(db).cycle(region, since=day)
    if as_json:
        _echo_json({"ok": True, **result})
        return
    typer.echo(f"{result['region']}: {result['stage'] or 'no records'}")
    for stage, ids in result["evidence"].items():
        typer.echo(f"  {stage}: {', '.join(map(str, ids))}")
