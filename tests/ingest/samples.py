"""Real files of every format and every kind of bad input, generated for the tests.

Nothing here is a mock: each function writes a genuine file (a PDF with a text layer built
by hand, a scanned PDF rendered by poppler, a .docx by python-docx, a zip bomb...)."""

from __future__ import annotations

import io
import mailbox
import subprocess
import tarfile
import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path

ARTICLE = (
    "Former ambassador William Courtney said the documents shed light on the Kazakh elite. "
    "The lobbyist told reporters that Nazarbayev's circle sought connections in Washington. "
    "Rakhat Aliyev, the former son-in-law, fled to Austria in 2007."
)


def _pdf(objects: list[bytes]) -> bytes:
    """Assemble a PDF from numbered object bodies (1-based), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def text_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF with a real text layer (Helvetica), one string per page, lines split on '\\n'."""
    n = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
    ]
    font_obj = 3 + 2 * n
    for i, page in enumerate(pages):
        lines = []
        for j, line in enumerate(page.split("\n")):
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
            lines.append(b"BT /F1 14 Tf 50 %d Td (" % (740 - 22 * j) + safe + b") Tj ET")
        stream = b"\n".join(lines)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >>"
            b" /Contents %d 0 R >>" % (font_obj, 4 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    path.write_bytes(_pdf(objects))
    return path


def scanned_pdf(path: Path, text: str, tmp: Path) -> Path:
    """A PDF whose only page is an image of `text` (no text layer): rendered from a text PDF
    by poppler's pdftoppm, embedded as a grey image."""
    source = text_pdf(tmp / "to-scan.pdf", [text])
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-singlefile", str(source), str(tmp / "scan")], check=True
    )
    pgm = (tmp / "scan.pgm").read_bytes()
    # binary PGM: "P5\n<w> <h>\n<max>\n" then the pixels
    parts = pgm.split(maxsplit=4)
    width, height, pixels = int(parts[1]), int(parts[2]), parts[4]
    data = zlib.compress(pixels)
    content = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(data)) + data + b"\nendstream",
    ]
    path.write_bytes(_pdf(objects))
    return path


def encrypted_pdf(path: Path, source: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def eml_bytes(
    subject: str, body: str, attachment: tuple[str, bytes, str] | None = None, html: str | None = None
) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Rich Kahn <rkahn@example.com>"
    msg["To"] = "Jeffrey E. <jeevacation@gmail.com>, redacted@placeholder.invalid"
    msg["Cc"] = "Ghislaine Maxwell <gmax@example.org>"
    msg["Date"] = "Fri, 09 Dec 2016 15:46:19 +0000"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{abs(hash(subject)) % 10**8}@example.com>"
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    if attachment:
        name, data, ctype = attachment
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    # redacted productions replace addresses by a literal marker
    return bytes(msg).replace(b"redacted@placeholder.invalid", b"[REDACTED]")


def mbox_file(path: Path) -> Path:
    box = mailbox.mbox(str(path))
    box.add(eml_bytes("Dinner in Paris", "Thurs lunch - HBJ house Paris. Confirm please."))
    box.add(
        eml_bytes(
            "Wire transfer",
            "The wire to the Southern Trust account went out today.",
            attachment=(
                "ledger.txt",
                b"Southern Trust Company ledger: 2016 payments to consultants.\n",
                "text/plain",
            ),
        )
    )
    box.flush()
    box.close()
    return path


def docx_file(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Memo on the Kazakh delegation"
    document.core_properties.author = "Jane Analyst"
    document.add_heading("Memo on the Kazakh delegation", level=1)
    document.add_paragraph(ARTICLE)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Name", "Role"
    table.cell(1, 0).text, table.cell(1, 1).text = "Kenes Rakishev", "businessman"
    document.save(str(path))
    return path


HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Epstein papers name Kazakh elite | Example News</title>
<meta name="author" content="Anna Reporter"><meta property="article:published_time" content="2025-11-20">
<script>var tracker = "SECRET_TRACKING_CODE";</script><style>.nav{color:red}</style></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe now</a></nav>
<article><h1>Epstein papers name Kazakh elite</h1><p class="byline">By Anna Reporter</p>
<p>{p1}</p><p>{p2}</p><p>{p3}</p></article>
<footer>Copyright 2025 Example News. All rights reserved. Privacy policy. Cookie settings.</footer>
<script>document.write("INJECTED_SCRIPT_TEXT")</script></body></html>"""


def html_file(path: Path) -> Path:
    sentences = ARTICLE.split(". ")
    para = " ".join([ARTICLE] * 2)
    path.write_text(
        HTML_PAGE.replace("{p1}", para)
        .replace("{p2}", sentences[0] + ". " + para)
        .replace("{p3}", "The embassy declined to comment on the release of the documents."),
        encoding="utf-8",
    )
    return path


def zip_with_escape(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("docs/memo.txt", "Memo: the delegation met the lobbyist in Washington on 3 May 2016.\n")
        zf.writestr("../evil.txt", "this member tries to escape the archive folder\n")
        zf.writestr("/etc/absolute.txt", "absolute member path\n")
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as nested:
            nested.writestr("inner.txt", "A note inside a nested archive about Southern Trust.\n")
        zf.writestr("nested.zip", inner.getvalue())
    return path


def zip_bomb(path: Path, size: int = 64 << 20) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("bomb.txt", "w") as member:
        chunk = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            member.write(chunk)
    return path


def tar_file(path: Path) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in (
            ("a/report.txt", b"Report: payments routed through Cyprus in 2014.\n"),
            ("../escape.txt", b"escaping member\n"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def bad_files(folder: Path) -> dict[str, Path]:
    """Empty, truncated PDF, encrypted PDF and unknown binary files."""
    folder.mkdir(parents=True, exist_ok=True)
    good = text_pdf(folder / "good.pdf.src", ["A page long enough to carry a real text layer here."])
    out = {
        "empty": folder / "empty.txt",
        "truncated": folder / "truncated.pdf",
        "encrypted": encrypted_pdf(folder / "encrypted.pdf", good),
        "unknown": folder / "unknown.bin",
    }
    out["empty"].write_bytes(b"")
    out["truncated"].write_bytes(good.read_bytes()[:200])
    out["unknown"].write_bytes(bytes(range(256)) * 40)
    good.unlink()
    return out
