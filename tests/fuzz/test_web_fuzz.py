"""API parameters and page URLs from hell: XSS payloads, odd Unicode, huge values in every path segment and
query parameter of the read pages. The server answers each with a status below 500, every HTML page escapes
what it echoes, and the store is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from aimaq.services.web.app import Settings, create_app
from aimaq.store.repository import Store

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "';alert(1);//",
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "{{7*7}}",
    "${7*7}",
    "../../etc/passwd",
    "karaganda\r\nSet-Cookie: x=1",
    "\u202eevil",
    "x" * 3000,
]
PAYLOADS = st.one_of(st.sampled_from(XSS), st.text(min_size=1, max_size=40))
TEMPLATES = st.sampled_from(
    [
        "/territories/{a}",
        "/territories/{a}.json",
        "/territories/{a}.csv",
        "/compare?t={a}&t={b}",
        "/compare.json?t=karaganda&t={a}",
        "/map?indicator={a}&period={b}",
        "/map.json?indicator={a}&layer={b}",
        "/map.json?index={a}&column={b}&year=2020",
        "/rankings/{a}",
        "/rankings/{a}.json",
        "/seeds/{a}?lines={b}",
        "/seeds/seed001.json?lines={a}",
        "/methodologies/{a}",
        "/territories?lang={a}",
        "/?lang={a}",
    ]
)


@pytest.fixture(scope="module")
def client(fuzz_store: Store) -> Iterator[TestClient]:
    app = create_app(fuzz_store, Settings(default_language="en", warm_results=False, cache_ttl=60))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@settings(settings.get_profile("aimaq-fuzz"), max_examples=30)
@given(template=TEMPLATES, a=PAYLOADS, b=PAYLOADS)
def test_hostile_parameters_never_break_the_server_or_the_page(
    client: TestClient, fuzz_store: Store, dump, template: str, a: str, b: str
) -> None:
    before = dump(fuzz_store)
    url = template.format(a=quote(a, safe=""), b=quote(b, safe=""))
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code < 500, (url, response.status_code, response.text[:500])
    if response.headers.get("content-type", "").startswith("text/html"):
        for payload in (a, b):
            if "<" in payload or '"' in payload:
                assert payload not in response.text, (url, payload)
    assert "set-cookie: x=1" not in {h.lower() for h in response.headers.get_list("set-cookie")}
    assert dump(fuzz_store) == before
