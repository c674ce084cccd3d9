"""The command-line options that send `ingest` and `analyze` to Dask (shared by both)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def distributed_options(command: F) -> F:
    """--workers N (a local Dask cluster of N processes) and --scheduler ADDRESS (an
    existing Dask cluster, e.g. tcp://sched:8786)."""
    command = click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Run the work as tasks on this Dask scheduler (e.g. tcp://sched:8786). With a"
        " postgresql:// --db the workers write to the database themselves.",
    )(command)
    command = click.option(
        "--workers",
        type=click.IntRange(1, 1024),
        default=None,
        help="Run the work as tasks on a local Dask cluster of this many worker processes.",
    )(command)
    return command
