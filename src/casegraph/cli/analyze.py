"""CLI commands of the analyze stage."""

from __future__ import annotations
