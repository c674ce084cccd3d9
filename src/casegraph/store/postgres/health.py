"""`casegraph doctor` for a PostgreSQL case: reachable, a casegraph schema, every migration
applied, foreign keys and the full-text column consistent; nothing is changed."""

from __future__ import annotations

import time

import psycopg

from casegraph.store.base import Health
from casegraph.store.postgres.base import migrations, redact

TABLES = ("documents", "mentions", "quotes", "claims", "relations", "entities", "files")


def diagnose_postgres(url: str) -> Health:
    started = time.monotonic()
    health = Health(path=redact(url), sound=False)
    try:
        conn = psycopg.connect(url, connect_timeout=10)
    except psycopg.Error as exc:
        health.problems.append(f"cannot connect: {str(exc).strip()[:300]}")
        return health
    try:
        with conn:
            conn.execute("SET TRANSACTION READ ONLY")
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            health.size_bytes = int(row[0]) if row else 0
            exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
            if not exists or not exists[0]:
                health.problems.append("not a casegraph case (no schema_migrations table)")
            else:
                done = {r[0] for r in conn.execute("SELECT number FROM schema_migrations")}
                health.schema_version = max(done, default=0)
                missing = [name for number, name, _ in migrations() if number not in done]
                if missing:
                    health.problems.append(
                        f"migrations not applied: {', '.join(missing)} (open the case to apply them)"
                    )
                for table in TABLES:
                    count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
                    health.counts[table] = int(count[0]) if count else 0
                orphans = conn.execute(
                    "SELECT count(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = m.doc_id)"
                ).fetchone()
                if orphans and orphans[0]:
                    health.problems.append(f"{orphans[0]} mentions point to documents that do not exist")
                unindexed = conn.execute(
                    "SELECT count(*) FROM documents WHERE tsv IS NULL OR (length(text) > 0 AND tsv = ''::tsvector"
                    " AND text ~ '[[:alpha:]]')"
                ).fetchone()
                if unindexed and unindexed[0]:
                    health.problems.append(
                        f"{unindexed[0]} documents with text are missing from the full-text index"
                    )
    except psycopg.Error as exc:
        health.problems.append(f"cannot read it: {str(exc).strip()[:300]}")
    health.sound = not health.problems
    health.seconds = round(time.monotonic() - started, 3)
    return health
