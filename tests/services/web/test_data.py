"""Page dicts (aimaq.services.web.data): sources, notes, old borders, caching of store reads."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from aimaq.dataset import Dataset
from aimaq.i18n import translator
from aimaq.services.web.data import SeedCitation, WebData, parse_lines, parse_source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("seed001 T1 l.774", SeedCitation("001", "T1", "774")),
        ("seed004 T1 l.335-344", SeedCitation("004", "T1", "335-344")),
        ("seed001 B1 l.2200, 2204", SeedCitation("001", "B1", "2200,2204")),
        ("seed003 l.12", SeedCitation("003", "", "12")),
        ("karaganda_2021.xlsx [2021] row 14", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_source(source, expected) -> None:
    assert parse_source(source) == expected


def test_citation_links_to_the_first_cited_line() -> None:
    assert SeedCitation("004", "T1", "335-344").as_dict()["url"] == "/seeds/004?lines=335-344#l335"


def test_parse_lines_reports_every_bad_part() -> None:
    with pytest.raises(ValueError) as err:
        parse_lines("3,x,90-95,7-5", 80)
    message = str(err.value)
    assert "'x' is not a line number" in message and "'90-95' is outside lines 1-80" in message
    assert "'7-5' is outside" in message


def test_map_uses_the_old_border_version_of_a_parent(seed_store) -> None:
    data = WebData(seed_store, ttl=3600)
    page = data.map_page(translator("en"), indicator="doctoral_students", period="2021")
    east = next(r for r in page["regions"] if r["code"] == "east_kazakhstan")
    # seed 001, Table B1, l.2204: East Kazakhstan 2021 on its 1997-2022 borders
    assert east["territory"] == "east_kazakhstan_1997"
    assert east["url"] == "/territories/east_kazakhstan_1997"
    assert east["value"] is not None and "1997-2022" in east["name"]
    after = data.map_page(translator("en"), indicator="doctoral_students", period="2022")
    assert after["borders"] == "2022" and len(after["regions"]) == 20


def test_default_indicator_is_the_one_covering_most_regions(seed_store) -> None:
    page = WebData(seed_store, ttl=3600).map_page(translator("en"))
    # Table 1 has all 20 regions every year; Table B1 prints "-" for some region in every year.
    assert {c["code"]: c["regions"] for c in page["indicators"]} == {
        "gerd_internal": 20,
        "doctoral_students": 19,
    }
    assert page["indicator"]["code"] == "gerd_internal" and page["period"] == "2024"


def test_notes_without_territory_and_indicator_are_not_repeated_on_every_row() -> None:
    obs = pd.DataFrame(
        [{"territory": "t1", "indicator": "x", "period": "2020", "value": 1.0, "source": "seed004 T1 l.10"}]
    )
    notes = pd.DataFrame(
        [
            {"territory": None, "indicator": None, "period": None, "kind": "general", "text": "whole table"},
            {"territory": None, "indicator": "x", "period": None, "kind": "unit", "text": "x is in tenge"},
            {
                "territory": "t1",
                "indicator": None,
                "period": None,
                "kind": "place",
                "text": "t1 merged in 2022",
            },
        ]
    )

    class Store:
        def dataset(self) -> Dataset:
            return Dataset.from_long(obs, notes=notes)

    page = WebData(Store()).territory_page("t1", translator("en"))
    assert [n["text"] for n in page["observations"][0]["notes"]] == ["x is in tenge"]
    assert [n["text"] for n in page["notes"]] == ["t1 merged in 2022"]


class CountingStore:
    def __init__(self, data: Dataset) -> None:
        self.data = data
        self.reads = 0

    def dataset(self) -> Dataset:
        self.reads += 1
        return self.data


def test_unchanged_data_keeps_the_built_pages(seed_store) -> None:
    store = CountingStore(seed_store.data)
    data = WebData(store, ttl=0.01)
    first = data.territories_page(translator("en"))
    time.sleep(0.02)
    again = data.territories_page(translator("en"))
    assert store.reads == 2 and again is first  # re-read, found equal, kept the page


def test_changed_data_rebuilds_the_pages(seed_store) -> None:
    store = CountingStore(seed_store.data)
    data = WebData(store, ttl=0.01)
    before = data.territory_page("atyrau", translator("en"))
    obs = seed_store.data.observations.copy()
    obs.loc[(obs["territory"] == "atyrau") & (obs["period"] == "2024"), "value"] = 1.0
    store.data = Dataset(obs, seed_store.data.territories, seed_store.data.indicators, seed_store.data.notes)
    time.sleep(0.02)
    after = data.territory_page("atyrau", translator("en"))
    assert after is not before
    assert {o["value"] for o in after["observations"] if o["period"] == "2024"} == {1.0}


def test_current_never_reads_in_the_calling_thread(seed_store) -> None:
    import threading

    store = CountingStore(seed_store.data)
    data = WebData(store, ttl=0.05)
    assert data.current is None and store.reads == 0  # nothing read yet, and current does not read
    first = data.snapshot()
    assert data.current is first
    obs = seed_store.data.observations.copy()
    obs["value"] = obs["value"] * 2
    store.data = Dataset(obs, seed_store.data.territories, seed_store.data.indicators, seed_store.data.notes)
    time.sleep(0.06)
    readers: list[str] = []
    original = store.dataset

    def dataset() -> Dataset:
        readers.append(threading.current_thread().name)
        return original()

    store.dataset = dataset  # type: ignore[method-assign]
    assert data.current is first  # expired: answered with the old one while a thread re-reads
    deadline = time.monotonic() + 5
    while data.current is first and time.monotonic() < deadline:
        time.sleep(0.01)
    assert data.current is not first and data.current.data is store.data
    assert readers and threading.current_thread().name not in readers
