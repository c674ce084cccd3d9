"""HTML pages: main text, title, author and date through trafilatura; navigation, footers,
scripts and other boilerplate left out. Falls back to the page's visible text when
trafilatura finds no main content (short pages)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from casegraph.errors import EmptyFile
from casegraph.ingest.normalize import decode
from casegraph.ingest.registry import Context, Extracted, Ingestor, register
from casegraph.ingest.source import Source

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_HTML_ANYWHERE = re.compile(rb"<(?:html|body|div|p|head|title)\b[^>]*>", re.I)


@register
class HtmlIngestor(Ingestor):
    name = "html"
    mime = "text/html"

    def score(self, source: Source) -> int:
        head = source.head()
        if _HTML_START.match(head):
            return 80
        if source.suffix in (".html", ".htm", ".xhtml") and _HTML_ANYWHERE.search(head):
            return 60
        return 0

    def extract(self, source: Source, ctx: Context) -> Iterator[Extracted]:
        raw = source.read(ctx.limits.max_file_size)
        html, encoding = _decode_html(raw)
        import trafilatura

        doc = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            favor_precision=True,
        )
        text = blocks(getattr(doc, "text", None) or "")
        title = getattr(doc, "title", None) or ""
        author = getattr(doc, "author", None) or ""
        date = getattr(doc, "date", None) or None
        meta = {
            k: v
            for k, v in {
                "encoding": encoding,
                "sitename": getattr(doc, "sitename", None),
                "url": getattr(doc, "url", None),
                "description": getattr(doc, "description", None),
            }.items()
            if v
        }
        if not text.strip():
            text = html_to_text(html)
        if not text.strip():
            raise EmptyFile(source.path, "HTML page without text")
        yield Extracted(
            text=text, mime=self.mime, title=title or _title_tag(html), author=author, date=date, meta=meta
        )


def blocks(text: str) -> str:
    """trafilatura's text with a blank line between blocks: it puts every block (heading,
    paragraph, list item, table row) on its own line, and a single line break reads as the same
    paragraph downstream, which glued an <h1> to the first paragraph."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _decode_html(raw: bytes) -> tuple[str, str]:
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", raw[:4096], re.I)
    if m:
        try:
            return raw.decode(m.group(1).decode("ascii")), m.group(1).decode("ascii").lower()
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(raw)


def _title_tag(html: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    return " ".join(m.group(1).split()) if m else ""


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment (scripts and styles dropped); for e-mail bodies."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True) or ""
    if text.strip():
        return blocks(text)
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # lxml raises several unrelated types on junk
        return ""
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for block in tree.xpath(_BLOCKS):  # a block's end is a paragraph break, not a space
        block.tail = "\n\n" + (block.tail or "")
    for br in tree.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    lines = [" ".join(line.split()) for line in tree.text_content().split("\n\n")]
    return "\n\n".join(line for line in lines if line)


_BLOCKS = "|".join(
    f"//{tag}"
    for tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "pre", "table")
)
