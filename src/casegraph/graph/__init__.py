"""The entity graph: building it after resolution (build.py), routing and communities
(index.py, python-igraph), name lookup (lookup.py), timelines (timeline.py), exports
(export.py, ftm.py) and FARA registers (fara.py). Entry points are on casegraph.api.Case
(graph/api.py)."""
