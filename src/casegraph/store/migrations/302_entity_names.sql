-- Name lookup (`casegraph entity NAME`) first tries the exact name, case-insensitively.
CREATE INDEX IF NOT EXISTS entities_name ON entities(name COLLATE NOCASE);
