"""``aimaq serve``: options and errors (the server itself is exercised by tests/browser and bench/)."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from aimaq.services.cli import serve


def _app() -> typer.Typer:
    app = typer.Typer()
    serve.register(app)

    @app.command()
    def _other() -> None:  # a second command keeps "serve" a named subcommand
        """Unused."""

    return app


def test_serve_documents_its_options() -> None:
    result = CliRunner().invoke(_app(), ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in ("--host", "--port", "--db", "--reload", "--lang", "--workers"):
        assert option in result.output


def test_serve_refuses_an_unknown_language_before_starting() -> None:
    result = CliRunner().invoke(_app(), ["serve", "--lang", "de"], terminal_width=200)
    assert result.exit_code != 0
    assert "'de' is not one of kk, ru, en" in result.output


def test_serve_refuses_a_port_out_of_range() -> None:
    result = CliRunner().invoke(_app(), ["serve", "--port", "70000"], terminal_width=200)
    assert result.exit_code == 2 and "65535" in result.output


def test_serve_runs_the_app_factory_with_the_given_store(monkeypatch) -> None:
    calls = {}

    def fake_run(app, **kwargs):
        import os

        calls.update(kwargs, app=app, url=os.environ.get("AIMAQ_DATABASE_URL"))

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", fake_run)
    # serve() sets these for uvicorn's worker. delenv alone records nothing when a variable is unset, so set
    # first: monkeypatch then restores the unset state and no later test sees the fake URL.
    for name in ("AIMAQ_DATABASE_URL", "AIMAQ_WEB_LANGUAGE"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    args = ["serve", "--host", "0.0.0.0", "--port", "8123", "--db", "sqlite:///x.sqlite", "--lang", "ru"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert calls["app"] == "aimaq.services.web.app:create_app" and calls["factory"] is True
    assert (calls["host"], calls["port"], calls["reload"], calls["workers"]) == ("0.0.0.0", 8123, False, 1)
    assert calls["url"] == "sqlite:///x.sqlite"
    assert "http://0.0.0.0:8123/" in result.output


def test_serve_passes_workers_to_uvicorn(monkeypatch) -> None:
    calls = {}
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.update(kw))
    monkeypatch.setenv("AIMAQ_WEB_LANGUAGE", "")  # serve() sets it; this makes monkeypatch restore it
    monkeypatch.delenv("AIMAQ_WEB_LANGUAGE")
    result = CliRunner().invoke(_app(), ["serve", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert calls["workers"] == 3


def test_serve_refuses_reload_with_several_workers() -> None:
    result = CliRunner().invoke(_app(), ["serve", "--workers", "2", "--reload"], terminal_width=200)
    assert result.exit_code == 2
    assert "--reload runs one process" in result.output
