"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DEFAULT_STORE", "Settings"]

DEFAULT_STORE = "shegong.db"


@dataclass(frozen=True)
class Settings:
    """Where the store is, how to log in to Neo4j, and the editors' token."""

    store: str = DEFAULT_STORE
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    editor_token: str | None = None
    editor: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read ``SHEGONG_STORE``, ``NEO4J_USER``/``NEO4J_PASSWORD`` or ``NEO4J_AUTH``,
        ``NEO4J_DATABASE``, ``SHEGONG_EDITOR_TOKEN`` and ``SHEGONG_EDITOR`` (who makes
        edits from the CLI when ``--editor`` is not given)."""
        env = os.environ if env is None else env
        user = env.get("NEO4J_USER")
        password = env.get("NEO4J_PASSWORD")
        auth = env.get("NEO4J_AUTH")
        if auth and auth.lower() != "none" and "/" in auth and not (user and password):
            user, _, password = auth.partition("/")
        return cls(
            store=env.get("SHEGONG_STORE") or DEFAULT_STORE,
            neo4j_user=user,
            neo4j_password=password,
            neo4j_database=env.get("NEO4J_DATABASE") or None,
            editor_token=env.get("SHEGONG_EDITOR_TOKEN") or None,
            editor=(env.get("SHEGONG_EDITOR") or "").strip() or None,
        )
