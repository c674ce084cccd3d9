"""The PostgreSQL backend of the case store (PostgreSQL 15, psycopg 3).

`open_store("postgresql://user@host/case")` returns a `PostgresStore`: the same methods,
records and schema (migrations of the same numbers in `migrations/`) as the SQLite backend,
with a tsvector/GIN full-text index, pg_trgm for names, and advisory locks so that many
processes on many machines can ingest and analyze into one case at once.
"""

from __future__ import annotations

from casegraph.store.interface import CaseStore
from casegraph.store.postgres.base import is_postgres_url, lock_key, migrations, redact
from casegraph.store.postgres.store import PostgresStore


def _conforms(store: PostgresStore) -> CaseStore:
    return store  # mypy checks here that the PostgreSQL backend implements the whole interface


__all__ = ["PostgresStore", "is_postgres_url", "lock_key", "migrations", "redact"]
