"""Dependencies shared by the routers (the FastAPI template's ``deps.py`` pattern)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aimaq.services.web.data import WebData


def _data(request: Request) -> WebData:
    return request.app.state.data


#: A route parameter that receives the app's :class:`~aimaq.services.web.data.WebData`.
Data = Annotated[WebData, Depends(_data)]
