"""The ingest stage: files, folders, archives and load files in; documents with normalised
text, segments, metadata, duplicate links and boilerplate flags out (see README.md here).

Entry point: `casegraph.ingest.pipeline.ingest_paths(store, paths, kind=...)`, called by
`casegraph.api.Case.ingest` and `casegraph ingest`. Formats live in `formats/`, one module
each, registered with `casegraph.ingest.registry.register`.
"""
