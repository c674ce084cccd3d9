"""What keeps a case safe from the command line: one guard for every command that writes a
file (never over the case database, its -wal/-shm files or an input; never over an existing
file without --force), exact entity references for commands that change entities, checks of
odd arguments, and `casegraph doctor`."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from casegraph.cli import LazyCase, emit, json_option, main
from casegraph.errors import InvalidInput, UnsafeOutput
from casegraph.models import EntityRecord

CASE_SUFFIXES = ("", "-wal", "-shm", "-journal")
MAX_INT = 2**63 - 1  # what SQLite can hold
COUNT = click.IntRange(min=0, max=MAX_INT)

force_option = click.option(
    "--force", is_flag=True, help="Replace an existing output file (never the case database or an input)."
)


def case_files(db: str) -> list[str]:
    """The case database's own files, as real paths."""
    real = os.path.realpath(db)
    return [real + suffix for suffix in CASE_SUFFIXES]


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def guard_outputs(
    ctx: click.Context,
    files: Sequence[Path],
    *,
    force: bool,
    inputs: Sequence[str] = (),
    folder: Path | None = None,
) -> None:
    """Refuse to write `files` over the case database (or its -wal/-shm files), an input, a
    folder, or an existing file without `force`. `folder` is the folder a multi-file output
    goes to: it may exist, but must not be a file. Raises UnsafeOutput; writes nothing."""
    db = ctx.find_object(LazyCase)
    protected = case_files(db.db) if db is not None else []
    if folder is not None and folder.exists() and not folder.is_dir():
        raise UnsafeOutput(
            f"{folder} is a file, and this format writes a folder of files: give a folder name"
        )
    for path in files:
        shown = click.format_filename(str(path))
        real = os.path.realpath(path)
        if real in protected or any(_same_file(path, p) for p in protected[:1]):
            raise UnsafeOutput(
                f"refusing to write {shown}: it is the case database (or one of its files); give another name"
            )
        if any(real == os.path.realpath(i) or _same_file(path, i) for i in inputs):
            raise UnsafeOutput(
                f"refusing to write {shown}: it is an input of this command; give another name"
            )
        if path.is_dir():
            raise UnsafeOutput(f"{shown} is a folder: give the name of a file to write")
        if (path.exists() or path.is_symlink()) and not force:
            raise UnsafeOutput(f"{shown} exists: give --force to replace it, or another name")


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` whole or not at all: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part{os.getpid()}")
    try:
        part.write_text(text, encoding="utf-8")
        os.replace(part, path)
    finally:
        if part.exists():
            part.unlink()


def text_argument(value: str, what: str) -> str:
    """A text argument stripped of surrounding blanks; refused when empty or not printable."""
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(f"{what} is empty: give some text")
    if any(not ch.isprintable() for ch in cleaned):
        raise InvalidInput(f"{what} {cleaned!a} contains control characters: give plain text")
    return cleaned


# -- entities named by people in commands that change them --------------------------------------


def changed(entities: Sequence[EntityRecord], action: str, result: dict[str, Any]) -> dict[str, Any]:
    """The command's result with what it changed, also said on stderr (stdout stays JSON)."""
    refs = [{"id": e["id"], "name": e["name"], "type": e["type"]} for e in entities]
    names = ", ".join(f"{r['id']} ({r['name']}, {r['type']})" for r in refs)
    click.echo(f"{action}: {names}; correction {result.get('correction')}", err=True)
    return {**result, "changed": {"action": action, "entities": refs}}


# -- odd arguments ----------------------------------------------------------------------------


def check_arguments(argv: Sequence[str]) -> str | None:
    """Why an argument cannot be used, or None. Bytes that are not UTF-8 (seen by Python as
    lone surrogates) are fine in the name of an existing file, and refused anywhere else."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            value = arg.split("=", 1)[1] if arg.startswith("--") and "=" in arg else arg
            if os.path.lexists(value):
                continue
            return f"the argument {arg!a} is not valid UTF-8 text: give it in UTF-8"
    return None


# -- doctor -----------------------------------------------------------------------------------


@main.command()
@json_option
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check the case database without changing it: integrity, foreign keys, the full-text
    index, schema version, counts. Exit status 0 when the case is sound, 1 otherwise."""
    from casegraph.store.base import diagnose

    db = ctx.find_object(LazyCase)
    target = db.db if db is not None else "casegraph.db"
    if target.startswith(("postgresql://", "postgres://")):
        from casegraph.store.postgres.health import diagnose_postgres

        health = diagnose_postgres(target)
    else:
        health = diagnose(target)
    if as_json:
        emit(asdict(health), True)
    else:
        state = "sound" if health.sound else "NOT sound"
        click.echo(
            f"{click.format_filename(health.path)}: the case is {state}"
            f" ({health.size_bytes} bytes, schema {health.schema_version}"
            f"{', read-only' if health.read_only else ''}, checked in {health.seconds} s)"
        )
        for key, value in health.counts.items():
            click.echo(f"  {key}: {value}")
        for problem in health.problems:
            click.echo(f"  problem: {problem}")
    if not health.sound:
        sys.exit(1)
