-- As store/migrations/303_graph_index.sql.
CREATE TABLE graph_index_cache (
    version  BIGINT PRIMARY KEY,
    ids      TEXT COLLATE "C" NOT NULL,
    pa       BYTEA NOT NULL,
    pb       BYTEA NOT NULL,
    cost     BYTEA NOT NULL,
    strength BYTEA NOT NULL
);
