"""
SQLAlchemy engine and per-request session for the project.

fastappkit's template ships no session helper, so this is the conventional
FastAPI/SQLAlchemy one, built from the project settings (DATABASE_URL).
"""

from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from fastappkit.conf import get_settings

# Settings are set globally by FastAppKit(settings=...) in core.app before
# any app module (and therefore this one) is imported.
engine = create_engine(get_settings().database_url)
SessionLocal = sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)


def get_db() -> Iterator[Session]:
    """FastAPI dependency: one synchronous session per request."""
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
