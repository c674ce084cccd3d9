"""Fuzzing with Hypothesis: random bytes (behind real format signatures) and random archive
trees to ingest, random strings to every argument of every command. Never a traceback, every
input file accounted for in the log, nothing written outside the case and its outputs, and
the case database intact at the end. Bounded: a few dozen examples each, no deadline."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casegraph.api import Case
from casegraph.cli import main, run
from casegraph.ingest.pipeline import ingest_paths
from tests.conftest import copy_case, new_case_db
from tests.reliability.conftest import SEARCH, assert_intact, is_postgres, read, state

FUZZ = settings(
    max_examples=int(os.environ.get("CASEGRAPH_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=os.environ.get("CASEGRAPH_FUZZ_RANDOM") is None,  # reproducible unless asked
)

MAGIC = [
    b"",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"\x1f\x8b\x08\x00",
    b"<!doctype html><html><title>",
    b"From: Rakhat Aliyev <r@example.kz>\nTo: x@example.com\nSubject: ",
    b'{"from_name": "Jeffrey Epstein", "from_email": "j@example.com", "body": "',
    b"# Chat Transcript\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"From nobody Mon Jan  1 00:00:00 2007\n",
]
contents = st.builds(lambda m, b: m + b, st.sampled_from(MAGIC), st.binary(max_size=3000))
# names as found in real archives: any text, bytes that are not UTF-8, control characters
name_bytes = st.one_of(
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=30
    ).map(lambda s: s.encode("utf-8")),
    st.binary(min_size=1, max_size=20).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_") or b"x"),
)


def _tree(root: Path) -> set[bytes]:
    """Every path under `root`, as bytes (names need not be UTF-8)."""
    found = set()
    for folder, dirs, files in os.walk(os.fsencode(root)):
        for name in dirs + files:
            found.add(os.path.join(folder, name))
    return found


@contextlib.contextmanager
def _sandbox() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="casegraph-fuzz-") as tmp:
        yield Path(tmp)


def _accounted(summary: dict[str, object], db: Path | str, given: int) -> None:
    counts = summary["counts"]
    assert isinstance(counts, dict)
    assert sum(counts[k] for k in ("ingested", "duplicate", "skipped", "failed", "unchanged")) >= given
    if not is_postgres(db):
        assert read(db, "PRAGMA integrity_check")[0][0] == "ok"
    unexplained = read(db, "SELECT count(*) FROM files WHERE status IN ('skipped', 'failed') AND reason = ''")
    assert unexplained[0][0] == 0


@FUZZ
@given(files=st.lists(st.tuples(name_bytes, contents), min_size=1, max_size=4, unique_by=lambda t: t[0]))
def test_random_files_are_ingested_or_refused_with_a_reason(files: list[tuple[bytes, bytes]]) -> None:
    with _sandbox() as root:
        folder = root / "in"
        folder.mkdir()
        names = set()
        for name, data in files:
            if name in (b".", b".."):
                name = b"dot" + name
            names.add(name)
            with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
                fh.write(data)
        db = new_case_db(root)
        before = _tree(root)
        with Case(db) as case:
            summary = ingest_paths(case.store, [str(folder)], progress=False, stderr=io.StringIO())
        _accounted(summary, db, len(names))
        created = {p for p in _tree(root) - before if not os.path.basename(p).startswith(b"case.db")}
        assert not created, created


member_names = st.one_of(
    name_bytes.map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.sampled_from(
        ["../escape.txt", "/abs/olute.txt", "a/../../up.txt", "C:\\windows\\x.txt", "dir/", "a\x1b[2J.txt"]
    ),
)


@pytest.mark.filterwarnings("ignore:Duplicate name")  # duplicate member names are part of the fuzz
@FUZZ
@given(
    kind=st.sampled_from(["zip", "tar", "tar.gz"]),
    members=st.lists(st.tuples(member_names, contents), min_size=1, max_size=5),
    nested=st.booleans(),
)
def test_random_archive_trees_never_write_outside(
    kind: str, members: list[tuple[str, bytes]], nested: bool
) -> None:
    with _sandbox() as root:
        archive = root / f"fuzz.{kind}"
        inner = io.BytesIO()
        if nested:  # a zip inside the archive, holding the same members
            with zipfile.ZipFile(inner, "w") as zf:
                for name, data in members:
                    zf.writestr(name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), data)
            members = [*members, ("inner.zip", inner.getvalue())]
        if kind == "zip":
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
                for name, data in members:
                    zf.writestr(name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), data)
        else:
            with tarfile.open(archive, "w:gz" if kind == "tar.gz" else "w", format=tarfile.GNU_FORMAT) as tf:
                for name, data in members:
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    tf.addfile(info, io.BytesIO(data))
        db = new_case_db(root)
        before = _tree(root)
        with Case(db) as case:
            summary = ingest_paths(case.store, [str(archive)], progress=False, stderr=io.StringIO())
            log = case.store.file_log()
        _accounted(summary, db, 1)
        assert any(row["path"] == str(archive) for row in log)
        created = {p for p in _tree(root) - before if not os.path.basename(p).startswith(b"case.db")}
        assert not created, created
        assert not (root.parent / "escape.txt").exists() and not Path("/abs/olute.txt").exists()


# -- random strings to every argument of every command ------------------------------------------

SKIP_COMMANDS = {"serve", "eval"}  # a server that keeps running; evaluations over the eval sets
SKIP_OPTIONS = {"workers", "scheduler", "processes", "db"}  # would start clusters or processes
odd_text = st.one_of(
    st.text(max_size=40),
    st.binary(min_size=1, max_size=12).map(lambda b: os.fsdecode(b)),  # not UTF-8: surrogates
    st.sampled_from(["", " ", "-", "--", "--json", str(10**30), "-1", "0", "Nazarbayev", "ent-", "\x1b[2J"]),
    st.integers().map(str),
)


def _safe(value: str, root: Path) -> str:
    """Keep paths inside the sandbox: the fuzzer must not ingest / or write to /etc."""
    if os.path.isabs(value) or ".." in value.replace("\\", "/").split("/") or value.startswith("~"):
        return "f_" + value.replace("/", "_").replace("\\", "_")
    return value


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    names = sorted(n for n in main.commands if n not in SKIP_COMMANDS)
    name = draw(st.sampled_from(names))
    command = main.commands[name]
    argv = [name]
    for param in command.params:
        if param.name in SKIP_OPTIONS:
            continue
        if isinstance(param, click.Option):
            if not draw(st.booleans()):
                continue
            flag = param.opts[0]
            if param.is_flag:
                argv.append(flag)
                continue
            choices = getattr(param.type, "choices", None)
            value = draw(st.sampled_from(list(choices)) if choices and draw(st.booleans()) else odd_text)
            argv += [flag, value]
        else:
            count = draw(st.integers(0, 3)) if param.nargs == -1 else 1
            argv += [draw(odd_text) for _ in range(count)]
    return argv


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sandbox the random commands run in (and the SQLite case's folder)."""
    return tmp_path_factory.mktemp("fuzz-cli")


@pytest.fixture(scope="module")
def fuzz_case(built_case: Path | str, fuzz_root: Path) -> Path | str:
    return copy_case(built_case, fuzz_root / "case.db")


@settings(FUZZ, max_examples=int(os.environ.get("CASEGRAPH_FUZZ_CLI_EXAMPLES", "60")))
@given(argv=command_lines())
def test_random_arguments_to_every_command_get_a_message(
    argv: list[str], fuzz_case: Path | str, fuzz_root: Path
) -> None:
    root = fuzz_root
    argv = [_safe(a, root) for a in argv]
    outside = _tree(root.parent) - _tree(root)
    out, err = io.StringIO(), io.StringIO()
    old_argv, old_cwd = sys.argv, os.getcwd()
    sys.argv = ["casegraph", "--db", str(fuzz_case), *argv]
    os.chdir(root)
    status: object = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            run()
    except SystemExit as exc:
        status = exc.code
    finally:
        sys.argv = old_argv
        os.chdir(old_cwd)
    assert status in (0, 1, 2, None), (argv, status, err.getvalue()[-500:])
    assert "Traceback" not in err.getvalue(), (argv, err.getvalue()[-2000:])
    assert _tree(root.parent) - _tree(root) == outside  # nothing written outside the sandbox


def test_the_fuzzed_case_is_intact(fuzz_case: Path, built_case: Path) -> None:
    """After the random commands (which may have made corrections): sound, every document kept."""
    original = state(built_case)
    assert_intact(fuzz_case, original, same=False)
    assert SEARCH
