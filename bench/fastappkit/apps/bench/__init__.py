"""
bench app - internal app serving the benchmark endpoints.

Mounted by fastappkit at the default prefix /<appname> = /bench.
"""

from typing import Optional

from fastapi import APIRouter, FastAPI

from .router import router


def register(app: FastAPI) -> Optional[APIRouter]:
    """Return the router; fastappkit mounts it at /bench."""
    return router
