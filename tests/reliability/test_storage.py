"""Case 7: storage faults (not a database, truncated, corrupted, read-only, full disk) end in
one line saying what to do, never a traceback; a damaged case is never written to; a
read-only case can still be read; `casegraph doctor` says whether a case is sound."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    SEARCH,
    article_id,
    assert_intact,
    cli,
    estate_sample,
    no_traceback,
    state,
)

pytestmark = pytest.mark.sqlite_only("corrupt, truncated, read-only and full SQLite files")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_error(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    no_traceback(result)
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_a_file_that_is_not_a_case_is_never_written(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("Interview notes: Nazarbayev, Almaty, 2007.\n" * 20)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts(name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('Rakhat Aliyev')")
    con.commit()
    con.close()
    for db, words in ((text, ["not a casegraph case database"]), (other, ["another program"])):
        kept = _digest(db)
        for args in (("search", SEARCH), ("ingest", str(text)), ("resolve",), ("docs",)):
            _one_line_error(cli(db, *args), *words)
        assert _digest(db) == kept
    _one_line_error(cli(tmp_path, "docs"), "is a folder")


def test_truncated_and_corrupted_cases_are_refused_before_any_write(case_db: Path, tmp_path: Path) -> None:
    con = sqlite3.connect(case_db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    truncated = tmp_path / "truncated.db"
    data = case_db.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    kept = _digest(truncated)
    for args in (("search", SEARCH), ("ingest", str(estate_sample(10)[-1])), ("resolve",)):
        _one_line_error(cli(truncated, *args), "truncated", "doctor")
    assert _digest(truncated) == kept

    page = int.from_bytes(data[16:18], "big")
    corrupted = tmp_path / "corrupted.db"
    damaged = bytearray(data)
    for offset in range(page * 6, len(damaged) - page, page * 9):  # scribble over b-tree page headers
        damaged[offset : offset + 12] = b"\x0d\xff\xff\xff\x7f\xff\xff\xff\x00\xde\xad\xbe"
    corrupted.write_bytes(bytes(damaged))
    kept = _digest(corrupted)
    for args in (("ingest", str(estate_sample(10)[-1])), ("resolve",), ("delete-entity", "Epstein")):
        _one_line_error(cli(corrupted, *args), "damaged", "doctor")
    assert _digest(corrupted) == kept  # detected before anything was written
    doctor = cli(corrupted, "doctor", "--json")
    assert doctor.returncode == 1
    report = json.loads(doctor.stdout)
    assert report["sound"] is False and report["problems"]
    assert _digest(corrupted) == kept

    # damage inside the text of documents (the structure intact): still one clear line
    garbled = tmp_path / "garbled.db"
    damaged = bytearray(data)
    at = damaged.find(b"Nazarbayev", page * 2)
    damaged[at : at + 4] = b"\xff\xfe\xff\xfe"
    garbled.write_bytes(bytes(damaged))
    _one_line_error(cli(garbled, "show", article_id(case_db)), "damaged")


def test_doctor_on_a_sound_case(case_db: Path) -> None:
    before = state(case_db)
    result = cli(case_db, "doctor", "--json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["sound"] is True and report["problems"] == []
    assert report["counts"]["documents"] == before.counts["documents"]
    text = cli(case_db, "doctor")
    assert "the case is sound" in text.stdout
    missing = cli(case_db.parent / "nowhere.db", "doctor")
    assert missing.returncode == 1 and "no case database" in missing.stdout
    assert not (case_db.parent / "nowhere.db").exists()
    assert_intact(case_db, before)


NO_OVERRIDE = "-dac_override,-dac_read_search,-fowner,-linux_immutable"


@pytest.fixture
def read_only_case(case_db: Path) -> Iterator[tuple[Path, list[str]]]:
    """The case in a folder nobody may write. Root may write anyway: as root the commands run
    under setpriv without the capabilities that override file modes."""
    folder = Path(tempfile.mkdtemp(prefix="casegraph-ro-"))
    db = folder / "case.db"
    shutil.copy(case_db, db)
    db.chmod(0o444)
    folder.chmod(0o555)
    wrap: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file modes cannot make the case read-only")
        wrap = [setpriv, f"--bounding-set={NO_OVERRIDE}", f"--inh-caps={NO_OVERRIDE}"]
    try:
        yield db, wrap
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_a_read_only_case_can_be_read_and_says_why_it_cannot_change(
    read_only_case: tuple[Path, list[str]],
) -> None:
    db, wrap = read_only_case
    before = state(db)
    kept = _digest(db)
    for args in (
        ("search", SEARCH, "--json"),
        ("docs", "--json"),
        ("show", article_id(db), "--json"),
        ("entities", "--json", "--limit", "5"),
        ("path", "Nazarbayev", "Epstein", "--json"),
        ("doctor", "--json"),
    ):
        result = cli(db, *args, wrap=wrap)
        no_traceback(result)
        assert result.returncode == 0, (args, result.stderr)
        json.loads(result.stdout)
    for args in (("resolve",), ("delete-entity", "Jeffrey Epstein"), ("ingest", str(estate_sample(10)[-1]))):
        _one_line_error(cli(db, *args, wrap=wrap), "read-only")
    assert _digest(db) == kept
    assert_intact(db, before)


def test_a_full_disk_stops_the_run_with_what_was_committed_kept(case_db: Path, tmp_path: Path) -> None:
    """The file-size limit (RLIMIT_FSIZE) makes every write past it fail as a full disk does."""
    before = state(case_db)
    folder = tmp_path / "more"
    folder.mkdir()
    for i, src in enumerate(estate_sample(60)[SOURCES_SKIP:]):
        shutil.copy(src, folder / f"{i:03d}_{src.name}")
    limit = case_db.stat().st_size + 150_000

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = cli(case_db, "ingest", str(folder), "--no-progress", preexec=small_disk)
    _one_line_error(result, "disk may be full")
    assert_intact(case_db, before, same=False)
    after = state(case_db)
    con = sqlite3.connect(case_db)
    logged = con.execute("SELECT count(*) FROM files WHERE status = 'ingested'").fetchone()[0]
    orphans = con.execute(
        "SELECT count(*) FROM files f LEFT JOIN documents d ON d.id = f.doc_id"
        " WHERE f.status = 'ingested' AND f.doc_id IS NOT NULL AND d.id IS NULL"
    ).fetchone()[0]
    con.close()
    assert orphans == 0 and logged >= before.counts["files"]
    assert after.counts["documents"] < before.counts["documents"] + 52  # it did stop
    rerun = cli(case_db, "ingest", str(folder), "--no-progress", "--json")  # space is back
    assert rerun.returncode == 0, rerun.stderr


SOURCES_SKIP = 8  # the case's own sources


def test_sqlite_full_is_one_clear_error(tmp_path: Path) -> None:
    """SQLITE_FULL itself (a page limit stands in for the disk) becomes StorageFull."""
    from casegraph.api import Case
    from casegraph.errors import StorageFull

    with Case(tmp_path / "case.db") as case:
        pages = case.store.scalar("PRAGMA page_count")
        case.store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StorageFull, match="disk is full"):
            case.ingest([str(p) for p in estate_sample(6)], progress=False)
        assert case.store.scalar("PRAGMA integrity_check") == "ok"
    assert stat.S_ISREG((tmp_path / "case.db").stat().st_mode)
