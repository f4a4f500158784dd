"""
Settings configuration for the fastappkit benchmark project.

Uses pydantic-settings: values come from environment variables (e.g.
DATABASE_URL=sqlite:////abs/path/bench.db) or from a .env file in the
working directory; environment variables win.
"""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """
    Application settings.

    Loads from .env file automatically.
    """

    database_url: str = Field(default="sqlite:///./bench.db")
    debug: bool = Field(default=False)

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", populate_by_name=True
    )
