"""
SQLAlchemy models for the bench app.
"""

from sqlalchemy import Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

# Import the shared Base from core
from core.models import Base


class Item(Base):
    """items (id INTEGER PRIMARY KEY, name TEXT NOT NULL) - created/seeded by the harness."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
