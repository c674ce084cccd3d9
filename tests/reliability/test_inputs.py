"""Cases 2, 3, 5, 8 and the ingest parts of 9: bad inputs built from real corpus text in a
temporary folder, ingested by the real command into a copy of a real case."""

from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

import docx
from pypdf import PdfWriter

from tests.conftest import SEED_BIDEN, SEED_KAZAKH
from tests.ingest.samples import text_pdf
from tests.reliability.conftest import (
    assert_intact,
    cli,
    estate_sample,
    no_traceback,
    read,
    state,
    write_files,
)


def _log(db: Path) -> dict[str, dict[str, str]]:
    result = cli(db, "log", "--json")
    assert result.returncode == 0, result.stderr
    return {row["path"]: row for row in json.loads(result.stdout)}


def _docs(db: Path) -> list[dict[str, str]]:
    result = cli(db, "docs", "--json")
    assert result.returncode == 0, result.stderr
    docs: list[dict[str, str]] = json.loads(result.stdout)
    return docs


def _search(db: Path, query: str) -> set[str]:
    result = cli(db, "search", query, "--json")
    assert result.returncode == 0, result.stderr
    return {hit["path"] for hit in json.loads(result.stdout)}


def test_names_that_are_not_utf8_and_escape_sequences_do_not_stop_a_run(
    case_db: Path, tmp_path: Path
) -> None:
    before = state(case_db)
    text = estate_sample(12)[-3:]
    folder = write_files(
        tmp_path / "in",
        [
            (b"caf\xe9-cp1252.txt", text[0].read_bytes()),
            (b"esc\x1b[2J\x1b]0;owned\x07.txt", text[1].read_bytes()),
            ("zz-plain.txt", text[2].read_bytes()),
        ],
    )
    tar = tmp_path / "legacy.tar"
    with tarfile.open(tar, "w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in ((b"r\xe9sum\xe9.txt", SEED_BIDEN.read_bytes()), (b"ok.txt", b"Almaty " * 40)):
            info = tarfile.TarInfo(os.fsdecode(name))
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    result = cli(case_db, "ingest", str(folder), str(tar), "--json", "--no-progress")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)["counts"]
    assert counts["failed"] == 0 and counts["ingested"] + counts["duplicate"] == 6  # 3 files, tar + 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    log = _log(case_db)
    assert log[f"{folder}/caf\\xe9-cp1252.txt"]["status"] == "ingested"  # the byte's value, kept
    assert log[f"{folder}/esc\\x1b[2J\\x1b]0;owned\\x07.txt"]["status"] == "ingested"
    listing = cli(case_db, "docs")
    assert listing.returncode == 0 and "\x1b" not in listing.stdout, listing.stdout
    assert f"{tar}!ok.txt" in log or f"{tar}!ok.txt" in {d["path"] for d in _docs(case_db)}
    assert str(tar) in log and log[str(tar)]["status"] == "ingested"
    shown = cli(case_db, "show", os.fsdecode(os.path.join(os.fsencode(folder), b"caf\xe9-cp1252.txt")))
    assert shown.returncode == 0, shown.stderr
    assert_intact(case_db, before, same=False)


def test_encrypted_pdfs_are_read_or_refused_by_name(case_db: Path, tmp_path: Path) -> None:
    before = state(case_db)
    plain = text_pdf(
        tmp_path / "plain.pdf", ["Permissions only: Kassym-Jomart Tokayev signed the decree in Astana."]
    )
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for algorithm, user in (("AES-128", ""), ("AES-256", ""), ("AES-256", "secret")):
        writer = PdfWriter(clone_from=str(plain))
        writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
        writer.write(folder / f"{algorithm}-{user or 'no-user-password'}.pdf")
    result = cli(case_db, "ingest", str(folder), "--json", "--no-progress")
    no_traceback(result)
    log = _log(case_db)
    assert log[f"{folder}/AES-128-no-user-password.pdf"]["status"] in ("ingested", "duplicate")
    assert log[f"{folder}/AES-256-no-user-password.pdf"]["status"] in ("ingested", "duplicate")
    refused = log[f"{folder}/AES-256-secret.pdf"]
    assert refused["status"] == "skipped" and refused["reason"] == "password-protected PDF"
    assert f"{folder}/AES-128-no-user-password.pdf" in _search(case_db, "Tokayev")
    assert_intact(case_db, before, same=False)


def test_one_stray_byte_does_not_reencode_a_utf8_file(case_db: Path, tmp_path: Path) -> None:
    before = state(case_db)
    text = SEED_KAZAKH.read_text(encoding="utf-8") + "\n\nВ Алматы заявили, что это \u00abпровокация\u00bb.\n"
    data = text.encode("utf-8").replace("заявили".encode(), "заявили".encode() + b"\x92", 1)
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    result = cli(case_db, "ingest", str(path), "--json", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert str(path) in _search(case_db, "Алматы")
    meta = json.loads(read(case_db, "SELECT meta FROM documents WHERE path = ?", (str(path),))[0][0])
    assert meta["encoding"] == "utf-8"
    assert meta["encoding_repaired"].startswith("1 invalid byte")
    # a file without valid UTF-8 is still read in a single-byte code page, not "repaired"
    western = tmp_path / "western.txt"
    western.write_bytes("The minister\x92s caf\xe9 in Astana, ".encode("latin-1") * 5)
    assert cli(case_db, "ingest", str(western)).returncode == 0
    shown = cli(case_db, "show", str(western))
    assert "\ufffd" not in shown.stdout and "encoding_repaired" not in shown.stdout
    assert "encoding: utf-8" not in shown.stdout
    assert_intact(case_db, before, same=False)


def test_refused_members_are_rows_of_the_log_under_the_archive(case_db: Path, tmp_path: Path) -> None:
    before = state(case_db)
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("docs/kazakh.txt", SEED_KAZAKH.read_bytes())
        zf.writestr("../../escape.txt", SEED_BIDEN.read_bytes())
        zf.writestr("/etc/absolute.txt", b"absolute member")
        zf.writestr("empty.txt", b"")
    result = cli(case_db, "ingest", str(archive), "--json", "--no-progress")
    no_traceback(result)
    assert result.returncode == 0
    log = _log(case_db)
    assert "3 of its members" in log[str(archive)]["reason"]
    escape = log[f"{archive}!../../escape.txt"]
    assert escape["status"] == "skipped" and "escapes the archive folder" in escape["reason"]
    assert log[f"{archive}!etc/absolute.txt"]["status"] == "skipped"
    assert log[f"{archive}!empty.txt"]["reason"] == "empty file"
    skipped = cli(case_db, "log", "--status", "skipped", "--json")
    assert len(json.loads(skipped.stdout)) >= 3
    assert not (tmp_path.parent / "escape.txt").exists()
    assert_intact(case_db, before, same=False)


def test_small_member_zip_bomb_symlinks_and_docx_comments(case_db: Path, tmp_path: Path) -> None:
    before = state(case_db)
    folder = tmp_path / "in"
    folder.mkdir()
    # 80 members of 900 KB each (under the 1 MiB per-member rule): a ~90 KB zip of 72 MB
    bomb = folder / "small-members.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        block = b"\0" * 900_000
        for i in range(80):
            zf.writestr(f"part{i:02d}.txt", block)
    assert bomb.stat().st_size < 150_000
    # a .docx whose body holds an XML comment and a processing instruction
    document = docx.Document()
    document.add_paragraph(SEED_KAZAKH.read_text(encoding="utf-8").strip().split("\n")[0])
    body = document.element.body
    from lxml import etree

    body.insert(0, etree.Comment(" reviewer: check this "))
    body.insert(1, etree.ProcessingInstruction("mso-application", 'progid="Word.Document"'))
    document.save(str(folder / "commented.docx"))
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(SEED_BIDEN.read_bytes())
    (folder / "link-inside.txt").symlink_to(target)
    named = tmp_path / "named-link.txt"
    named.symlink_to(target)

    result = cli(case_db, "ingest", str(folder), str(named), "--json", "--no-progress")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    log = _log(case_db)
    assert log[str(bomb)]["status"] == "skipped" and "zip bomb" in log[str(bomb)]["reason"]
    assert log[f"{folder}/commented.docx"]["status"] == "ingested", log[f"{folder}/commented.docx"]["reason"]
    inside = log[f"{folder}/link-inside.txt"]
    assert inside["status"] == "skipped" and "symbolic link" in inside["reason"]
    assert log[str(named)]["status"] in ("ingested", "duplicate")  # named by the user: followed
    assert f"{folder}/commented.docx" in _search(case_db, "Nazarbayev")
    assert_intact(case_db, before, same=False)
