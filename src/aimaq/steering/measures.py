"""The measures catalogue: every measure the seeds recommend, trilingual, with its source and target class.

The catalogue is ``steering/data/measures.csv``, built from the bundled seed tables by
``scripts/steering/build_measures.py`` (provenance in ``steering/data/measures.md``). One row per measure:
``measure_id``, the ``seed``, ``table`` and ``lines`` it comes from, what it applies to (``applies_kind``:
``monotown_class``, ``depression_group``, ``strategy_type``, ``raw_material_region`` or ``region``;
``applies_to``: the class, ``all`` for every class of that kind), optional ``territories`` it is restricted
to, the ``actor``, the ``instrument`` (direct / indirect support, financial, institutional...), the
``indicators`` it should move, ``text_kk``/``text_ru``/``text_en`` and ``translation`` (which texts are the
seed's, a transcriber's, or machine-written).

A computed class reaches its measures through its preset (:func:`preset_links`) or, failing that,
``steering/data/class_kinds.csv``: the methodology's name prefix gives the kind
(``seed004_monotown_potential`` -> ``monotown_class``), the class id gives
``applies_to``; a class whose preset names its measure tables (``measures:`` / ``mechanisms:``) gets those.

Examples
--------
>>> r = recommend("karazhal", "low", "seed004_monotown_potential", score=26, territory_name="Karazhal")
>>> r.reason
'Karazhal: low innovation potential, total 26 → these 8 measures'
>>> r.measures.loc[r.measures["item_type"] == "direction", "measure_id"].tolist()
['s004_L-D1', 's004_L-D2', 's004_L-D3', 's004_L-D4', 's004_L-D5', 's004_L-D6']
>>> len(r.general)  # the general directions of seed 004, not tied to a class
9
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

__all__ = [
    "LANGS",
    "ClassKind",
    "Recommendation",
    "catalogue",
    "class_kind",
    "measures",
    "message",
    "recommend",
]

DATA = Path(__file__).with_name("data")
LANGS: tuple[str, ...] = ("kk", "ru", "en")


@cache
def catalogue() -> pd.DataFrame:
    """The whole catalogue, indexed by ``measure_id`` (strings; empty cells are empty strings)."""
    frame = pd.read_csv(DATA / "measures.csv", dtype=str, keep_default_na=False)
    dup = frame.loc[frame["measure_id"].duplicated(), "measure_id"].tolist()
    if dup:
        raise RuntimeError(f"{DATA / 'measures.csv'}: measure_id repeated: {dup}")
    return frame.set_index("measure_id")


@cache
def _messages() -> dict[str, dict[str, str]]:
    with (DATA / "messages.csv").open(encoding="utf-8", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def message(msg_id: str, lang: str = "en", **values: object) -> str:
    """A user-facing sentence from ``steering/data/messages.csv`` in ``lang``, formatted with ``values``.

    Examples
    --------
    >>> message("recommend.reason_noscore", "ru", territory="Каражал", label="низкий потенциал", n=8)
    'Каражал: низкий потенциал → мер: 8'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return _messages()[msg_id][lang].format(**values)


@dataclass(frozen=True)
class ClassKind:
    """How one class of one kind of methodology maps to the catalogue."""

    applies_kind: str
    methodology_prefix: str
    class_id: str
    applies_to: str
    labels: dict[str, str]
    score_names: dict[str, str]
    source: str


@cache
def _class_kinds() -> tuple[ClassKind, ...]:
    with (DATA / "class_kinds.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(
            ClassKind(
                applies_kind=r["applies_kind"],
                methodology_prefix=r["methodology_prefix"],
                class_id=r["class_id"],
                applies_to=r["applies_to"],
                labels={lang: r[f"label_{lang}"] for lang in LANGS},
                score_names={lang: r[f"score_name_{lang}"] for lang in LANGS},
                source=r["source"],
            )
            for r in csv.DictReader(fh)
        )


def class_kind(methodology: str, class_id: str) -> ClassKind:
    """The :class:`ClassKind` of ``class_id`` computed by ``methodology`` (longest matching name prefix).

    Raises
    ------
    ValueError
        Naming the known prefixes, or the known class ids of the matched methodology.
    """
    kinds = _class_kinds()
    prefixes = sorted({k.methodology_prefix for k in kinds}, key=len, reverse=True)
    prefix = next((p for p in prefixes if methodology.startswith(p)), None)
    if prefix is None:
        raise ValueError(
            f"methodology {methodology!r}: no measures are linked to it; "
            f"known name prefixes: {', '.join(prefixes)}"
        )
    for k in kinds:
        if k.methodology_prefix == prefix and k.class_id == str(class_id):
            return k
    for k in kinds:  # ``*``: every class of the methodology (seed 001's measures apply to every region)
        if k.methodology_prefix == prefix and k.class_id == "*":
            return k
    known = [k.class_id for k in kinds if k.methodology_prefix == prefix]
    raise ValueError(
        f"methodology {methodology!r}: class {class_id!r} unknown; expected one of {', '.join(known)}"
    )


def measures(
    applies_kind: str | None = None,
    applies_to: str | None = None,
    *,
    territory: str | None = None,
    seed: str | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Catalogue rows, filtered.

    Parameters
    ----------
    applies_kind, applies_to : str, optional
        ``applies_to`` also matches rows for ``all`` classes of the kind.
    territory : str, optional
        Drop rows restricted to other territories (``territories`` column).
    seed : str, optional
        ``"000"`` ... ``"004"``.
    lang : {"kk", "ru", "en"}, optional
        Add a ``text`` column in this language.
    """
    frame = catalogue().reset_index()
    if applies_kind:
        frame = frame[frame["applies_kind"] == applies_kind]
    if applies_to:
        frame = frame[frame["applies_to"].isin([applies_to, "all"])]
    if territory:
        frame = frame[
            (frame["territories"] == "") | frame["territories"].str.split(";").apply(lambda t: territory in t)
        ]
    if seed:
        frame = frame[frame["seed"] == seed]
    if lang:
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
        frame = frame.assign(text=frame[f"text_{lang}"])
    return frame.reset_index(drop=True)


def _preset_path(methodology: str) -> Path | None:
    path = Path(__file__).parents[1] / "methodologies" / f"{methodology}.yaml"
    return path if path.is_file() else None


@cache
def preset_links(methodology: str) -> dict[str, list[tuple[str, dict[str, str], list[str]]]]:
    """The measure tables a preset names per class: class id -> ``[(classify id, title, tables)]``.

    Presets link a class to its measures with a ``measures:`` (list) or ``mechanisms:`` (name) key on the
    class (``methodologies/seed004_monotown_potential.yaml``: ``mechanisms: seed004_mechanisms_by_class``).
    An unknown methodology, or one without links, gives an empty dict. The title is the class's kk/ru/en dict.
    """
    path = _preset_path(methodology)
    if path is None:
        return {}
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    blocks = spec.get("classify") or []
    out: dict[str, list[tuple[str, dict[str, str], list[str]]]] = {}
    for block in blocks if isinstance(blocks, list) else [blocks]:
        for cls in block.get("classes") or block.get("labels") or []:
            tables: list[str] = []
            for key in ("measures", "mechanisms"):
                value = cls.get(key)
                tables += [value] if isinstance(value, str) else list(value or [])
            title = cls.get("title") if isinstance(cls.get("title"), dict) else {}
            if tables:
                out.setdefault(str(cls["id"]), []).append((str(block.get("id", "")), title, tables))
    return out


def linked_measures(methodology: str, class_id: str, classify: str | None = None) -> pd.DataFrame | None:
    """Catalogue rows of the tables a preset links to ``class_id``; None when the preset names none.

    A linked table with rows per class (``seed004_mechanisms_by_class``: ``target_class``) gives the rows of
    that class and of ``all``; a table without class rows (the seed 003 measures for depressed districts)
    gives all its rows.
    """
    links = [x for x in preset_links(methodology).get(str(class_id), []) if classify in (None, x[0])]
    if not links:
        return None
    tables = [t for _, _, ts in links for t in ts]
    frame = catalogue().reset_index()
    frame = frame[frame["reference"].isin(tables)]
    per_class = frame.groupby("reference")["applies_to"].transform(lambda a: (a == str(class_id)).any())
    keep = ~per_class | frame["applies_to"].isin([str(class_id), "all"])
    return frame[keep].reset_index(drop=True)


@dataclass(frozen=True)
class Recommendation:
    """The measures for one territory's computed class, with the reason in one language."""

    territory: str
    methodology: str
    class_id: str
    score: float | None
    reason: str
    #: Measures for this class specifically.
    measures: pd.DataFrame
    #: Measures the seed gives for every class of the kind (``applies_to = all``).
    general: pd.DataFrame
    source: str

    def as_dict(self) -> dict[str, object]:
        """For the JSON output of the CLI and the web part."""
        cols = [
            "measure_id",
            "item_type",
            "instrument",
            "actor",
            "indicators",
            "text",
            "seed",
            "table",
            "lines",
        ]
        return {
            "territory": self.territory,
            "methodology": self.methodology,
            "class_id": self.class_id,
            "score": self.score,
            "reason": self.reason,
            "source": self.source,
            "measures": self.measures[cols].to_dict(orient="records"),
            "general": self.general[cols].to_dict(orient="records"),
        }


def _fmt(score: float) -> str:
    return f"{score:g}"


def recommend(
    territory: str,
    class_id: str,
    methodology: str,
    *,
    score: float | None = None,
    lang: str = "en",
    territory_name: str | None = None,
    classify: str | None = None,
) -> Recommendation:
    """Recommended measures for a territory with a computed class.

    Parameters
    ----------
    territory : str
        Territory code (restricts measures limited to some territories).
    class_id : str
        The class id the methodology computed (``low``, ``2``, ``niche_leadership``).
    methodology : str
        The methodology's name (``seed004_monotown_potential``).
    score : float, optional
        The composite score shown in the reason (``total 26``).
    lang : {"kk", "ru", "en"}
    territory_name : str, optional
        The name shown in the reason; default the code.
    classify : str, optional
        The ``classify`` block id when the methodology has several (``wage_group``).

    Notes
    -----
    When the preset names the measure tables of the class (``measures:``/``mechanisms:``), those rows are
    the recommendation; otherwise ``class_kinds.csv`` maps the methodology and class to the catalogue.
    """
    name = territory_name or territory
    linked = linked_measures(methodology, str(class_id), classify)
    try:
        kind: ClassKind | None = class_kind(methodology, str(class_id))
    except ValueError:
        if linked is None:
            raise
        kind = None
    if linked is not None:
        # the preset's own link wins; rows limited to other territories are dropped
        rows = linked[
            (linked["territories"] == "")
            | linked["territories"].str.split(";").apply(lambda t: territory in t)
        ]
        rows = rows.assign(text=rows[f"text_{lang}"])
        source = f"{methodology}: class {class_id} links {', '.join(sorted(set(rows['reference'])))}"
    elif kind is not None and kind.applies_to:
        rows = measures(kind.applies_kind, kind.applies_to, territory=territory, lang=lang)
        source = kind.source
    else:
        rows = measures(lang=lang).iloc[0:0]
        source = kind.source if kind is not None else ""
    general_to = "" if kind is None else kind.applies_to
    is_general = (rows["applies_to"] == "all") & (general_to != "all")
    specific = rows[~is_general].reset_index(drop=True)
    general = rows[is_general].reset_index(drop=True)
    if kind is not None:
        label, score_name = kind.labels[lang], kind.score_names[lang]
    else:
        titles = [t[lang] for _, t, _ in preset_links(methodology).get(str(class_id), []) if t.get(lang)]
        label, score_name = (titles[0] if titles else str(class_id)), "score"
    values = {"territory": name, "label": label, "n": len(specific)}
    if specific.empty:
        reason = message("recommend.none", lang, **values)
    elif score is None:
        reason = message("recommend.reason_noscore", lang, **values)
    else:
        reason = message("recommend.reason", lang, score_name=score_name, score=_fmt(float(score)), **values)
    return Recommendation(
        territory=territory,
        methodology=methodology,
        class_id=str(class_id),
        score=score,
        reason=reason,
        measures=specific,
        general=general,
        source=source,
    )
