"""The uncertainty service: runs in one background worker, cached per data version, errors as reasons, known
answers (zero noise: every interval degenerate at the nominal rank), pages ahead of the warm-up queue."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.engine.uncertainty import UncertaintyResult, analyse
from aimaq.services.results import Results
from aimaq.services.uncertainty import Uncertainties, confidence, territory_rows

# Four territories, two indicators; the score is 0.6 x + 0.4 y, so the nominal ranks are a, b, c, d.
VALUES = {"a": (10.0, 8.0), "b": (8.0, 6.0), "c": (5.0, 7.0), "d": (1.0, 2.0)}
SPEC = """\
name: {name}
title: {{en: "Two indicators", ru: "Два показателя", kk: "Екі көрсеткіш"}}
indicators: [x, y]
weight: {{method: explicit, params: {{weights: {{x: 0.6, y: 0.4}}}}}}
aggregate: {{method: arithmetic_mean}}
classify:
  id: level
  method: thresholds
  classes:
    - {{id: low, interval: [null, 6], closed: right}}
    - {{id: high, interval: [6, null], closed: neither}}
uncertainty:
  factors:
    - {{key: weight, noise: {noise}}}
"""


def _dataset(values: dict[str, tuple[float, float]] = VALUES) -> Dataset:
    rows = [
        {"territory": t, "indicator": ind, "period": "2020", "value": v}
        for t, pair in values.items()
        for ind, v in zip(("x", "y"), pair, strict=True)
    ]
    return Dataset.from_long(pd.DataFrame(rows))


@pytest.fixture()
def specs(tmp_path: Path) -> Path:
    (tmp_path / "fixed.yaml").write_text(SPEC.format(name="fixed", noise=0), encoding="utf-8")
    (tmp_path / "noisy.yaml").write_text(SPEC.format(name="noisy", noise=0.9), encoding="utf-8")
    # needs an indicator the data do not have: the run is unavailable, and says why
    (tmp_path / "needs_z.yaml").write_text(
        SPEC.format(name="needs_z", noise=0.1)
        .replace("indicators: [x, y]", "indicators: [x, z]")
        .replace("x: 0.6, y: 0.4", "x: 0.6, z: 0.4"),
        encoding="utf-8",
    )
    return tmp_path


@pytest.fixture()
def service(specs: Path):
    data = {"current": _dataset()}
    results = Results(lambda: data["current"], directory=specs)
    u = Uncertainties(results, n=64, seed=3)
    u.data = data  # the test swaps the current Dataset through this
    yield u
    u.close()


def test_zero_noise_gives_a_degenerate_interval_at_the_nominal_rank(service: Uncertainties) -> None:
    first = service.status("fixed")
    assert first.state == "computing" and first.result is None and (first.n, first.seed) == (64, 3)
    st = service.wait("fixed", timeout=60)
    assert st.state == "ready" and st.reason is None and st.progress == 1.0
    s = st.result.summary
    nominal = {"a": 1, "b": 2, "c": 3, "d": 4}
    for code, rank in nominal.items():
        assert (s.at[code, "nominal_rank"], s.at[code, "rank_q05"], s.at[code, "rank_q95"]) == (rank,) * 3
        assert s.at[code, "median_rank"] == rank and s.at[code, "rank_interval_share"] == 1.0
    rows = {r["code"]: r for r in service.rows(st, "en")}
    # score a = 0.6*10 + 0.4*8 = 9.2 -> high (> 6); d = 0.6 + 0.8 = 1.4 -> low
    assert rows["a"]["nominal_class"] == "high" and rows["a"]["class_probability"] == {"high": 1.0}
    assert rows["d"]["nominal_class"] == "low" and rows["d"]["p_nominal_class"] == 1.0
    assert all(r["confidence"] == "high" for r in rows.values())
    assert rows["c"]["statements"][0] == "rank 3 of 4 in 100 % of replications"
    assert rows["c"]["statement"] == "; ".join(st.result.statements("c", "en"))
    assert rows["b"]["statement"].startswith("rank 2 of 4 in 100 % of replications; level: class ")


def test_runs_are_cached_per_data_version(service: Uncertainties, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = Uncertainties.compute

    def counting(self, name, data, **kw):
        calls.append(name)
        return original(self, name, data, **kw)

    monkeypatch.setattr(Uncertainties, "compute", counting)
    a = service.wait("noisy", timeout=60).result
    assert isinstance(a, UncertaintyResult)
    # an unchanged re-read of the store (a new Dataset object, the same content): the same run
    service.data["current"] = _dataset()
    assert service.status("noisy").result is a
    # the year named or left out: one run
    assert service.status("noisy", year=2020).result is a
    assert calls == ["noisy"]
    # an import changed a value: a new version, a new run
    service.data["current"] = _dataset({**VALUES, "d": (9.0, 9.0)})
    assert service.status("noisy").state == "computing"
    b = service.wait("noisy", timeout=60).result
    assert b is not a and calls == ["noisy", "noisy"]
    assert b.summary.at["d", "nominal_rank"] == 2 and a.summary.at["d", "nominal_rank"] == 4


def test_same_seed_same_numbers(specs: Path) -> None:
    data = _dataset()
    one = Uncertainties(Results(lambda: data, directory=specs), n=64, seed=5)
    two = Uncertainties(Results(lambda: data, directory=specs), n=64, seed=5)
    try:
        a, b = one.wait("noisy", timeout=60).result, two.wait("noisy", timeout=60).result
        pd.testing.assert_frame_equal(a.summary, b.summary)
        assert (a.ranks_array == b.ranks_array).all()
        # and the service runs exactly what the engine's analyse gives for that n and seed
        direct = analyse(one.results.methodology("noisy"), data, n=64, seed=5)
        assert (direct.ranks_array == a.ranks_array).all()
    finally:
        one.close()
        two.close()


def test_missing_data_and_failures_become_reasons(service: Uncertainties, monkeypatch) -> None:
    st = service.wait("needs_z", timeout=60)
    assert st.state == "unavailable" and st.result is None and st.reason_code == "missing_data"
    assert "'z'" in st.reason and "needs_z" in st.reason
    original = Uncertainties.compute

    def failing(self, name, data, **kw):
        if name == "noisy":
            raise RuntimeError("disk on fire")
        return original(self, name, data, **kw)

    monkeypatch.setattr(Uncertainties, "compute", failing)
    bad = service.wait("noisy", timeout=60)
    assert bad.state == "unavailable" and bad.reason_code == "error"
    assert bad.reason == "the uncertainty run of 'noisy' failed: RuntimeError: disk on fire"
    # the worker goes on with the next run
    assert service.wait("fixed", timeout=60).state == "ready"
    with pytest.raises(KeyError, match="no methodology 'nope'"):
        service.status("nope")


def test_a_page_request_goes_ahead_of_the_warm_up_queue(service: Uncertainties, monkeypatch) -> None:
    order: list[str] = []
    gate = threading.Event()
    original = Uncertainties.compute

    def gated(self, name, data, **kw):
        order.append(name)
        gate.wait(30)  # the first run holds the worker until the queue is arranged
        return original(self, name, data, **kw)

    monkeypatch.setattr(Uncertainties, "compute", gated)
    service.warm(names=["fixed", "needs_z", "noisy"])
    deadline = threading.Event()
    while not order and not deadline.wait(0.01):
        pass
    assert order == ["fixed"]
    service.status("noisy")  # a page asks for the last one in the queue
    gate.set()
    service.wait("noisy", timeout=60)  # (waiting is asking: waiting first for "needs_z" would move it ahead)
    assert service.wait("needs_z", timeout=60).state == "unavailable"
    assert order == ["fixed", "noisy", "needs_z"]


def test_old_data_versions_are_forgotten(specs: Path) -> None:
    data = {"current": _dataset()}
    u = Uncertainties(Results(lambda: data["current"], directory=specs), n=32, seed=0, max_versions=1)
    try:
        first = u.wait("fixed", timeout=60)
        data["current"] = _dataset({**VALUES, "a": (0.0, 0.0)})
        u.wait("fixed", timeout=60)
        data["current"] = _dataset()
        again = u.status("fixed")
        assert again.state == "computing" and again.version == first.version  # recomputed, not kept
    finally:
        u.close()


def test_bundled_preset_rows_carry_the_engine_statements(bundled_store) -> None:
    u = Uncertainties(Results(bundled_store), n=64, seed=0)
    try:
        st = u.wait("seed004_monotown_potential", timeout=120)
        assert st.state == "ready", st.reason
        rows = territory_rows(st.result, "ru")
        assert len(rows) == 8 and {r["classification"] for r in rows} == {"potential"}
        karazhal = next(r for r in rows if r["code"] == "karazhal")
        assert karazhal["statement"] == "; ".join(st.result.statements("karazhal", "ru"))
        assert karazhal["statement"].startswith("место ")
        assert karazhal["rank_q05"] <= karazhal["median_rank"] <= karazhal["rank_q95"]
        assert sum(karazhal["class_probability"].values()) == pytest.approx(1.0, abs=1e-3)
    finally:
        u.close()


@pytest.mark.parametrize(
    ("lo", "hi", "n", "p", "expected"),
    [
        (5, 5, 20, 0.9, "high"),  # one rank, class kept in exactly 90 %
        (5, 7, 20, 1.0, "high"),  # width 2 = a tenth of 20
        (5, 8, 20, 1.0, "medium"),  # width 3 > 2
        (5, 10, 20, 1.0, "medium"),  # width 5 = a quarter
        (5, 11, 20, 1.0, "low"),
        (5, 5, 20, 0.89, "medium"),
        (5, 5, 20, 0.59, "low"),
        (None, None, 20, 0.95, "high"),  # a classification only
        (1, 2, 4, None, "high"),  # at least one rank of width is allowed on a short ranking
    ],
)
def test_confidence_rule(lo, hi, n, p, expected) -> None:
    assert confidence(lo=lo, hi=hi, n=n, p_class=p) == expected
