"""The command line: thin. Parses arguments, calls casegraph.api, prints.

With `--json` a command prints one JSON value on stdout and nothing else there (messages go
to stderr); without it, a readable table. Each stage's commands live in a module of this
package and register themselves on `main`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from casegraph.errors import CasegraphError

if TYPE_CHECKING:  # the case (and its heavy imports) loads only when a command needs it
    from casegraph.api import Case


class LazyCase:
    """Opens the database on first use, so `--help` and `eval` never touch it."""

    current_db = "casegraph.db"  # the --db of the command being run, for error messages

    def __init__(self, db: str):
        self.db = db
        LazyCase.current_db = db
        self._case: Case | None = None

    def get(self) -> Case:
        if self._case is None:
            from casegraph.api import Case

            self._case = Case(self.db)
        return self._case


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    envvar="CASEGRAPH_DB",
    default="casegraph.db",
    show_default=True,
    help="Case database (SQLite file). Defaults to $CASEGRAPH_DB, then ./casegraph.db.",
)
@click.version_option(package_name="casegraph")
@click.pass_context
def main(ctx: click.Context, db: str) -> None:
    """casegraph: ingest document releases, extract who said what, connect and check."""
    ctx.obj = LazyCase(db)


@main.group("eval")
def eval_group() -> None:
    """Measure extraction quality on the development sets in ../shared/eval."""


def case_of(ctx: click.Context) -> Case:
    lazy = ctx.find_object(LazyCase)
    assert lazy is not None, "every command runs under `main`, which sets the LazyCase"
    return lazy.get()


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON on stdout and nothing else there."
)


def emit(
    data: Any, as_json: bool, columns: Sequence[str] | None = None, render: Callable[[Any], str] | None = None
) -> None:
    """Print `data` as JSON, or as a table of `columns`, or through `render`."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=None, default=str))
    elif render is not None:
        click.echo(render(data))
    elif isinstance(data, list) and columns:
        click.echo(table(data, columns))
    else:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], width: int = 60) -> str:
    """A plain text table; long cells are cut at `width` characters."""

    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=False))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)) for r in cells]
    if not rows:
        lines.append("(none)")
    return "\n".join(line.rstrip() for line in lines)


def run() -> None:
    """Entry point with casegraph's errors turned into one clear line and exit status 1
    (2 for a bad argument); storage faults and unwritable outputs too, never a traceback."""
    import sqlite3

    from casegraph.cli.safety import check_arguments

    for stream in (sys.stdout, sys.stderr):  # a name that is not UTF-8 must not end the output
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    problem = check_arguments(sys.argv[1:])
    if problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    try:
        main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except CasegraphError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except sqlite3.Error as exc:
        from casegraph.store.base import storage_error

        fault = storage_error(exc, LazyCase.current_db)
        click.echo(f"error: {fault or f'database error: {exc}'}", err=True)
        sys.exit(1)
    except OverflowError as exc:
        click.echo(f"error: a number given is too large ({exc}); at most {2**63 - 1}", err=True)
        sys.exit(2)
    except UnicodeEncodeError as exc:
        click.echo(
            f"error: text that is not valid UTF-8 was given ({exc.object[exc.start : exc.end]!a})", err=True
        )
        sys.exit(2)
    except OSError as exc:
        where = f" {click.format_filename(exc.filename)}" if exc.filename else ""
        click.echo(f"error: cannot read or write{where}: {exc.strerror or exc}", err=True)
        sys.exit(1)


# Each stage's commands register themselves on `main` when imported.
from casegraph.cli import analyze as _analyze  # noqa: E402,F401
from casegraph.cli import check as _check  # noqa: E402,F401
from casegraph.cli import graph as _graph  # noqa: E402,F401
from casegraph.cli import ingest as _ingest  # noqa: E402,F401
from casegraph.cli import safety as _safety  # noqa: E402,F401
from casegraph.cli import serve as _serve  # noqa: E402,F401
