"""CLI commands of the graph stage."""

from __future__ import annotations
