"""casegraph's exceptions: a small tree, each error saying what went wrong and where.

Catch CasegraphError to handle them all. Ingest errors carry the path of the file at fault
so that a run can report it and go on with the rest.
"""

from __future__ import annotations


class CasegraphError(Exception):
    """Base of every error casegraph raises on purpose."""


class StoreError(CasegraphError):
    """The database cannot be opened, migrated or written."""


class NotADatabase(StoreError):
    """The file given as the case database is not a SQLite database (or not a whole one)."""


class DatabaseCorrupt(StoreError):
    """The case database is damaged: nothing is written to it; `casegraph doctor` says more."""


class DatabaseReadOnly(StoreError):
    """The case database (or its folder) cannot be written: it can still be read."""


class StorageFull(StoreError):
    """The disk (or the file size limit) is full: the last committed step is kept."""


class UnsafeOutput(CasegraphError):
    """An output file would overwrite the case database, an input, or an existing file."""


class InvalidInput(CasegraphError):
    """An argument or query is malformed or too large to run safely."""


class NotFoundError(CasegraphError):
    """A document, entity or other item asked for by id or name does not exist."""


class IngestError(CasegraphError):
    """A file could not be ingested. `path` names it, `reason` says why in a few words."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsupportedFormat(IngestError):
    """No ingestor recognises the file's content."""


class CorruptFile(IngestError):
    """The file claims a format but cannot be parsed (truncated, damaged)."""


class EncryptedFile(IngestError):
    """The file is password-protected."""


class EmptyFile(IngestError):
    """The file has no content or no text."""


class UnsafeArchive(IngestError):
    """An archive member escapes its folder, or the archive looks like a zip bomb."""


class FileTooLarge(IngestError):
    """The file or its extracted text exceeds the configured limits."""


class ModelError(CasegraphError):
    """An NLP or embedding model is missing or cannot be loaded."""
