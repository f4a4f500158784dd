"""
SQLAlchemy models for the benchmark project core.

Internal apps import this Base:
    from core.models import Base
"""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Base class for all SQLAlchemy models in this project."""

    pass
