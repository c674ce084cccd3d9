-- The routing index of the graph (graph/index.py) as plain arrays, so that a command
-- does not rebuild it from a million edge rows each time. Valid for one graph version.
CREATE TABLE graph_index_cache (
    version  INTEGER PRIMARY KEY,
    ids      TEXT NOT NULL,      -- JSON list of entity ids, vertex order
    pa       BLOB NOT NULL,      -- int64 little-endian: link ends
    pb       BLOB NOT NULL,
    cost     BLOB NOT NULL,      -- float64: routing cost per link
    strength BLOB NOT NULL       -- float64: evidence strength per link
);
