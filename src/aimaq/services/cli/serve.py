"""``aimaq serve``: start the web app (map, profiles, JSON API) with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from aimaq.i18n import LANGUAGES

#: uvicorn's import string of the app factory (``--reload`` needs a string, not an app object).
FACTORY = "aimaq.services.web.app:create_app"


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the aimaq app."""
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on; 0.0.0.0 to serve the local network.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Store URL (sqlite:///path or postgresql+psycopg://...); default $AIMAQ_DATABASE_URL, "
            "else $AIMAQ_HOME/aimaq.sqlite.",
        ),
    ] = None,
    reload: Annotated[bool, typer.Option(help="Restart when a source file changes (development).")] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes (uvicorn --workers). Each keeps its own cache of pages and results; "
            "2 or more keep the API's latency low under many concurrent clients.",
        ),
    ] = 1,
    lang: Annotated[
        str, typer.Option(help=f"Language when the browser asks for none of {', '.join(LANGUAGES)}.")
    ] = "kk",
) -> None:
    """Start the web app: the map, territory profiles and the JSON API (docs at /api/docs).

    Create the store first with `aimaq init`. Nothing is loaded from the internet: the app serves plotly.js
    and the region polygons from installed Python packages.
    """
    import os

    import uvicorn

    if lang not in LANGUAGES:
        raise typer.BadParameter(f"{lang!r} is not one of {', '.join(LANGUAGES)}", param_hint="--lang")
    if reload and workers > 1:
        raise typer.BadParameter(
            "--reload runs one process; leave out --workers or --reload", param_hint="--workers"
        )
    if db:
        # The factory reads the URL from the environment so that --reload's worker process sees it too.
        os.environ["AIMAQ_DATABASE_URL"] = db
    os.environ["AIMAQ_WEB_LANGUAGE"] = lang
    os.environ.setdefault("AIMAQ_WEB_WARM", "1")  # compute the presets at start-up, before the first page
    os.environ.setdefault("AIMAQ_WHATIF_PROCESSES", "1")  # what-ifs off the workers' GIL (results.py)
    typer.echo(f"aimaq: serving on http://{host}:{port}/ (API: http://{host}:{port}/api/docs); Ctrl+C stops.")
    uvicorn.run(FACTORY, factory=True, host=host, port=port, reload=reload, workers=workers, log_level="info")
