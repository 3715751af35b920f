"""Route dependencies: the app's page data (the FastAPI template's ``deps.py`` pattern)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aimaq.services.web.data import WebData
from aimaq.services.web.indices import IndexPages


def _data(request: Request) -> WebData:
    return request.app.state.data


def _pages(request: Request) -> IndexPages:
    return request.app.state.pages


#: A route parameter that receives the app's :class:`~aimaq.services.web.data.WebData`.
Data = Annotated[WebData, Depends(_data)]
#: A route parameter that receives the app's :class:`~aimaq.services.web.indices.IndexPages`.
Pages = Annotated[IndexPages, Depends(_pages)]
