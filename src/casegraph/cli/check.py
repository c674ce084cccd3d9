"""CLI commands of the check stage."""

from __future__ import annotations
